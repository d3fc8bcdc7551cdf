"""The Django side of the benchmark, run in a subprocess against one bench database.

``params``: picks real rows for the benchmark URLs (the deep cursor, a grant,
a mid-ranked jurisdiction, the CSV export's row count) and writes the choice
labels the raw app needs. ``queries``: runs each URL once through Django's
test Client in-process and counts its SQL queries. Prints one JSON object.
"""

import json
import os
import sys
from base64 import urlsafe_b64encode
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from cities.models import Official  # noqa: E402
from letters.models import CaseParty, Event, GrantAward, LetterRecipient, Ruling  # noqa: E402


def scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def params(labels_path: str) -> dict:
    grants = GrantAward.objects.count()
    year, pk = scalar(
        'SELECT "fiscal_year", "id" FROM "letters_grantaward" ORDER BY "fiscal_year" DESC, "id" DESC OFFSET %s LIMIT 1',
        [int(grants * 0.9)],
    )
    cursor = urlsafe_b64encode(json.dumps({"r": 0, "p": [str(year), str(pk)]}).encode()).decode("ascii")
    (grant_id,) = scalar('SELECT "id" FROM "letters_grantaward" ORDER BY "id" OFFSET %s LIMIT 1', [grants // 2])
    # Mid-ranked: the median jurisdiction by letters received, among those that received any.
    (slug,) = scalar(
        'SELECT j."slug" FROM (SELECT "jurisdiction_id", COUNT(*) AS n FROM "letters_letterrecipient" '
        'GROUP BY 1) r JOIN "cities_jurisdiction" j ON j."id" = r."jurisdiction_id" '
        'ORDER BY r.n DESC, j."id" '
        'OFFSET (SELECT COUNT(DISTINCT "jurisdiction_id") / 2 FROM "letters_letterrecipient") LIMIT 1'
    )
    labels = {
        "determination": dict(LetterRecipient.Determination.choices),
        "program": dict(GrantAward.Program.choices),
        "grant_status": dict(GrantAward.Status.choices),
        "party_role": dict(CaseParty.Role.choices),
        "ruling_kind": dict(Ruling.Kind.choices),
        "outcome": dict(Ruling.Outcome.choices),
        "event_kind": dict(Event.Kind.choices),
        "official_role": dict(Official.Role.choices),
    }
    Path(labels_path).write_text(json.dumps(labels, default=str))
    return {
        "cursor": cursor,
        "cursor_row": [year, pk],
        "grant_id": grant_id,
        "slug": slug,
        "csv_rows": GrantAward.objects.filter(program="byrne_jag").count(),
        "grants": grants,
    }


def queries(urls: dict[str, str], cached: list[str]) -> dict:
    """Each URL's queries; for those in `cached`, the repeat's, with the shared cache on (a 304 for
    conditional_304: the repeat sends the first answer's ETag)."""
    client = Client()
    counts = {}
    for name, url in urls.items():
        with override_settings(RESPONSE_CACHE_SECONDS=3600 if name in cached else 0):
            headers = {}
            if name in cached:
                first = client.get(url, HTTP_HOST="127.0.0.1")
                if name == "conditional_304":
                    headers["HTTP_IF_NONE_MATCH"] = first["ETag"]
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, HTTP_HOST="127.0.0.1", **headers)
                if response.streaming:
                    for _ in response.streaming_content:
                        pass
        counts[name] = {"status": response.status_code, "queries": len(captured)}
    return counts


if __name__ == "__main__":
    command, argument = sys.argv[1], sys.argv[2]
    result = params(argument) if command == "params" else queries(**json.loads(argument))
    print("PROBE " + json.dumps(result))

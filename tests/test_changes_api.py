"""/api/v1/changes/: what changed since a time, deletions included."""

import csv
import datetime
import io
import json
import re
from base64 import urlsafe_b64encode
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.utils import timezone

from cities.models import Jurisdiction
from reports.changes import Snapshot
from tests.conftest import iso
from tests.factories import GrantAwardFactory, JurisdictionFactory, LetterFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_it_lists_creations_edits_and_deletions_since_a_time_oldest_first(client):
    before = JurisdictionFactory(slug="old-town-il")
    since = timezone.now()
    letter = LetterFactory(slug="new-letter")
    before.name = "Old Town, renamed"
    before.save()
    doomed = JurisdictionFactory(slug="doomed-il")
    doomed.delete()

    # The factories' sources are changes too; leave them out here.
    response = client.get("/api/v1/changes/", {"since": since.isoformat(), "model": "jurisdiction,letter"})

    assert response.status_code == 200
    rows = [(row["model"], row["key"], row["action"]) for row in response.json()["results"]]
    assert rows == [
        ("letter", "new-letter", "created"),
        ("letter", "new-letter", "changed"),  # the factory cites a source: a change of its own
        ("jurisdiction", "old-town-il", "changed"),
        ("jurisdiction", "doomed-il", "created"),
        ("jurisdiction", "doomed-il", "changed"),
        ("jurisdiction", "doomed-il", "deleted"),
    ]
    assert response.json()["results"][0]["url"] == f"http://testserver/api/v1/letters/{letter.slug}/"


def test_it_narrows_to_the_models_asked_for(client):
    since = timezone.now()
    LetterFactory(slug="a-letter")
    JurisdictionFactory(slug="a-place-il")

    response = client.get("/api/v1/changes/", {"since": since.isoformat(), "model": "jurisdiction"})

    assert {row["key"] for row in response.json()["results"]} == {"a-place-il"}


def test_it_caps_the_rows_at_page_size(client):
    since = timezone.now()
    for n in range(3):
        JurisdictionFactory(slug=f"place-{n}-il", sources=[])

    response = client.get("/api/v1/changes/", {"since": since.isoformat(), "page_size": "2", "model": "jurisdiction"})

    assert [row["key"] for row in response.json()["results"]] == ["place-0-il", "place-1-il"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("since=yesterday", "since"),
        ("since=2018-01-01&model=memo", "model"),
        ("since=2018-01-01&x=1", "x"),
    ],
)
def test_it_rejects_bad_parameters_naming_them(client, query, parameter):
    response = client.get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_it_runs_one_query_per_model(client, django_assert_num_queries):
    # One history query per tracked model; on PostgreSQL, first the snapshot that ends the batch.
    with django_assert_num_queries(11 + (connection.vendor == "postgresql")):
        client.get("/api/v1/changes/", {"since": "2018-01-01T00:00:00Z"})


def walk(client, url: str) -> tuple[list[dict], str, int]:
    """Follow next links to the end: (every change, the resume link, pages read)."""
    rows, pages = [], 0
    while url:
        body = client.get(url).json()
        rows += body["results"]
        resume, url, pages = body["resume"], body["next"], pages + 1
        assert pages < 100, "the feed does not end"
    return rows, resume, pages


def test_a_sync_reaches_every_change_exactly_once_when_many_share_a_time(client):
    since = timezone.now()
    for n in range(23):
        JurisdictionFactory(slug=f"place-{n:02d}-il", sources=[])
    # As a fixture load leaves them: every creation at the same instant.
    Jurisdiction.history.filter(history_date__gte=since).update(history_date=since)

    rows, _, pages = walk(client, f"/api/v1/changes/?since={iso(since)}&model=jurisdiction&page_size=5")

    assert [row["key"] for row in rows] == [f"place-{n:02d}-il" for n in range(23)]
    assert pages == 5


# Committed writes: on PostgreSQL the feed reads transactions, and a test's own is one.
@pytest.mark.django_db(transaction=True)
def test_the_resume_link_gives_only_what_changed_after_the_last_sync(client):
    first = JurisdictionFactory(slug="first-il", sources=[])
    rows, resume, _ = walk(client, f"/api/v1/changes/?since={iso(timezone.now())}&model=jurisdiction")
    assert rows == []
    first.name = "First, renamed"
    first.save()
    JurisdictionFactory(slug="second-il", sources=[])

    rows, resume_again, _ = walk(client, resume)

    assert [(row["key"], row["action"]) for row in rows] == [("first-il", "changed"), ("second-il", "created")]
    assert walk(client, resume_again)[0] == []


def test_a_rename_is_the_deletion_of_the_old_key_and_a_change_of_the_new(client):
    letter = LetterFactory(slug="old-slug", sources=[])
    since = timezone.now()
    letter.slug = "new-slug"
    letter.save()

    rows, _, _ = walk(client, f"/api/v1/changes/?since={iso(since)}&model=letter")

    assert [(row["key"], row["action"]) for row in rows] == [("old-slug", "deleted"), ("new-slug", "changed")]


def test_a_citation_added_or_removed_is_a_change_kept_in_the_history(client):
    letter = LetterFactory(slug="cited", sources=[])
    source = SourceFactory()
    since = timezone.now()
    letter.sources.add(source)

    rows, _, _ = walk(client, f"/api/v1/changes/?since={iso(since)}&model=letter")

    assert [(row["key"], row["action"]) for row in rows] == [("cited", "changed")]
    cited = letter.history.latest()
    assert source.pk in [row.source_id for row in cited.sources.all()]


def test_it_refuses_text_that_is_no_cursor(client):
    response = client.get("/api/v1/changes/?cursor=not.a.cursor")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


def test_times_are_written_in_utc_with_a_z(client):
    since = timezone.now()
    JurisdictionFactory(slug="zulu-il")
    row = client.get("/api/v1/changes/", {"since": since.isoformat(), "model": "jurisdiction"}).json()["results"][0]
    assert row["at"].endswith("Z")


def test_a_record_keyed_by_id_is_named_by_its_id_in_every_change(client):
    since = timezone.now()
    grant = GrantAwardFactory(sources=[])
    grant.notes = "Edited."
    grant.save()

    rows, _, _ = walk(client, f"/api/v1/changes/?since={iso(since)}&model=grant")

    assert [(row["key"], row["action"]) for row in rows] == [(grant.pk, "created"), (grant.pk, "changed")]
    assert rows[0]["url"] == f"http://testserver/api/v1/grants/{grant.pk}/"


def test_csv_and_ndjson_pages_link_to_the_next_and_to_where_to_resume(client):
    since = timezone.now()
    for n in range(3):
        JurisdictionFactory(slug=f"place-{n}-il", sources=[])
    url, keys, pages = f"/api/v1/changes/?since={iso(since)}&model=jurisdiction&page_size=2&format=csv", [], 0
    while url:
        response = client.get(url)
        keys += [row["key"] for row in csv.DictReader(io.StringIO(response.content.decode()))]
        links = dict((rel, link) for link, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response["Link"]))
        url, pages = links.get("next"), pages + 1
    assert keys == ["place-0-il", "place-1-il", "place-2-il"]
    assert pages == 2
    assert links["resume"].endswith("&format=csv")
    ndjson = client.get(f"/api/v1/changes/?since={iso(since)}&model=jurisdiction&page_size=2&format=ndjson")
    assert 'rel="next"' in ndjson["Link"]


def test_a_cursor_made_before_batches_a_bare_position_still_goes_on_from_it(client):
    JurisdictionFactory(slug="first-il", sources=[])
    first = Jurisdiction.history.get()
    JurisdictionFactory(slug="second-il", sources=[])
    old = urlsafe_b64encode(json.dumps([first.history_date.isoformat(), 0, first.history_id]).encode()).decode()

    rows, _, _ = walk(client, f"/api/v1/changes/?cursor={old}&model=jurisdiction")

    assert [row["key"] for row in rows] == ["second-il"]


def test_a_sync_with_neither_since_nor_cursor_starts_at_the_beginning(client):
    """Both are optional in the schema, so a request with neither is a fair one (it was a 400)."""
    JurisdictionFactory(slug="first-il", sources=[])
    JurisdictionFactory(slug="second-il", sources=[])

    rows, _, _ = walk(client, "/api/v1/changes/?model=jurisdiction&page_size=1")

    assert [row["key"] for row in rows] == ["first-il", "second-il"]


def test_a_cursor_goes_on_whatever_since_says(client):
    """Both are optional in the schema, so both together are a fair request too (it was a 400)."""
    JurisdictionFactory(slug="first-il", sources=[])
    JurisdictionFactory(slug="second-il", sources=[])
    resume = walk(client, "/api/v1/changes/?model=jurisdiction")[1]
    JurisdictionFactory(slug="third-il", sources=[])

    with_since = walk(client, f"{resume}&since=2000-01-01T00:00:00Z")[0]

    # (On PostgreSQL the test's one transaction is in the resume link's batch already: both are empty there.)
    assert with_since == walk(client, resume)[0]
    assert [row["key"] for row in with_since] == ([] if connection.vendor == "postgresql" else ["third-il"])


@pytest.mark.parametrize(
    "path", ["/api/v1/changes/?model=jurisdiction&since=", "/api/v1/jurisdictions/?updated_since="]
)
def test_a_time_with_any_offset_iso_8601_allows_is_read_in_utc(client, path):
    """PostgreSQL refuses an offset of 16 hours or more, and the API answered a 400 the schema did not give."""
    before = timezone.now()
    JurisdictionFactory(slug="later-il", sources=[])
    far_west = before.astimezone(datetime.timezone(-datetime.timedelta(hours=23, minutes=34)))

    response = client.get(path + quote(far_west.isoformat()))

    assert response.status_code == 200, response.content
    assert [row.get("key", row.get("slug")) for row in response.json()["results"]] == ["later-il"]


def cursor_of(state) -> str:
    return urlsafe_b64encode(json.dumps(state).encode()).decode()


@pytest.mark.parametrize(
    "state",
    [
        {"seen": "9:5:"},  # xmin past xmax
        {"seen": "5:9:10"},  # in progress past xmax
        {"seen": "5:9:3"},  # in progress below xmin
        {"seen": "a:b:"},
        {"upto": 12},
        {"after": ["2018-01-01T00:00:00", 0, 1]},  # no time zone
        {"seen": "5:9:", "also": 1},
        {"seen": f"5:{2**63}:"},  # past what a transaction id can be
        {"after": ["2018-01-01T00:00:00Z", 0, 2**63]},
    ],
)
def test_it_refuses_a_cursor_it_did_not_make(client, state):
    response = client.get(f"/api/v1/changes/?cursor={cursor_of(state)}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Invalid cursor: no page starts there.")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no snapshots")
def test_a_database_behind_the_batch_begun_answers_nothing_and_keeps_the_cursor(client):
    """A replica that has not replayed what the primary had when the batch began: its rows would be missed."""
    JurisdictionFactory(slug="place-il", sources=[])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
        xmax = cursor.fetchone()[0]
    # Far ahead: other clients of the cluster (the suite's other workers) take transaction ids meanwhile.
    ahead = cursor_of({"seen": f"{xmax - 1}:{xmax - 1}:", "upto": f"{xmax + 10**9}:{xmax + 10**9}:"})

    body = client.get(f"/api/v1/changes/?cursor={ahead}&model=jurisdiction").json()

    assert body["results"] == []
    assert body["next"] is None
    # As a query string carries it: a cursor's base64 padding, if its digits give it one, is %3D.
    query = urlencode({"cursor": ahead, "model": "jurisdiction"})
    assert body["resume"] == f"http://testserver/api/v1/changes/?{query}"


def test_snapshots_join_without_going_back_and_see_their_own_writes():
    primary, replica = Snapshot.parse("100:110:100,105"), Snapshot.parse("98:104:98,100")
    joined = primary | replica
    # Committed in either: 98 (on the primary), 105's and 100's state as the later says, 104 on neither.
    assert str(joined) == "100:110:100,105"
    assert str(Snapshot.parse("100:104:100") | Snapshot.parse("101:102:101")) == "104:104:"
    assert joined | primary == joined
    assert str(Snapshot.parse("100:104:100").including(106)) == "100:107:100,104,105"
    assert str(Snapshot.parse("100:104:100").including(100)) == "104:104:"

"""The raw baseline: the same answers as the tracker, with psycopg2 and orjson and no framework.

For the URL paths and query strings the benchmark sends, this WSGI app runs
the SQL the Django app emits (copied from ``connection.queries``, including
its inefficiencies; prefetches use ``= ANY(%s)`` where Django writes
``IN (...)``) and encodes the same JSON shape with orjson. Served by gunicorn
with the same flags as the app, so the ratio app/raw measures the framework
(Django, DRF, django-filter, middleware, serializers), not the SQL.

One persistent connection per worker (opened lazily, after the fork).
Environment: BENCH_RAW_DSN (libpq DSN or URL), BENCH_RAW_LABELS (JSON file of
choice labels, written by the harness from the models).
"""

import csv
import io
import json
import os
import re
from base64 import urlsafe_b64decode, urlsafe_b64encode
from email.utils import formatdate
from hashlib import md5
from itertools import count
from urllib import parse

import orjson
import psycopg2

_conn = None
_cursor_names = count()
LABELS: dict[str, dict[str, str]] = {}
if os.environ.get("BENCH_RAW_LABELS"):
    with open(os.environ["BENCH_RAW_LABELS"]) as labels_file:
        LABELS = json.load(labels_file)

SOURCE_COLS = (
    's."id", s."created_at", s."updated_at", s."notes", s."url", s."title", s."publisher", s."published_on", '
    's."archived_url", s."accessed_on", s."kind"'
)
JUR_COLS = (
    '{t}."id", {t}."created_at", {t}."updated_at", {t}."notes", {t}."slug", {t}."name", {t}."kind", {t}."state", '
    '{t}."fips", {t}."population", {t}."population_year", {t}."parent_id", {t}."latitude", {t}."longitude", '
    '{t}."point_kind"'
)
LETTER_COLS = (
    'l."id", l."created_at", l."updated_at", l."notes", l."slug", l."sent_on", l."sender_office", l."sender_name", '
    'l."kind", l."subject", l."summary", l."response_due", l."document_url"'
)
GRANT_COLS = (
    'g."id", g."created_at", g."updated_at", g."notes", g."jurisdiction_id", g."program", g."fiscal_year", '
    'g."amount", g."status", g."status_date", g."award_number"'
)
# The app's search (tracker.filters.SearchFilter): the letter's stored words, or a recipient's place name
# found by the place-name index.
TSVECTOR = 'l."search_vector"'
PLACE_MATCH = (
    'l."id" IN (SELECT V0."letter_id" FROM "letters_letterrecipient" V0 WHERE V0."jurisdiction_id" IN '
    '(SELECT U0."id" FROM "cities_jurisdiction" U0 WHERE to_tsvector(\'english\'::regconfig, '
    "COALESCE(U0.\"name\", '')) @@ (websearch_to_tsquery('english'::regconfig, %s))))"
)
TSQUERY = "websearch_to_tsquery('english'::regconfig, %s)"


class HTTPError(Exception):
    def __init__(self, status: str, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def connection():
    global _conn
    if _conn is None or _conn.closed:
        _conn = psycopg2.connect(os.environ["BENCH_RAW_DSN"], options="-c timezone=UTC")
        _conn.autocommit = True
    return _conn


def query(sql: str, params=()) -> list[tuple]:
    with connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# -- encoding, as DRF's fields do it ---------------------------------------------------------


def dt(value) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def day(value) -> str | None:
    return None if value is None else value.isoformat()


def dec(value) -> str | None:
    return None if value is None else str(value)


def sources_by_owner(table: str, owner_column: str, ids: list[int]) -> dict[int, list[dict]]:
    """A prefetch of sources, grouped by owner id, in the prefetch's url order."""
    grouped: dict[int, list[dict]] = {}
    if not ids:
        return grouped
    rows = query(
        f'SELECT j."{owner_column}", {SOURCE_COLS} FROM "tracker_source" s INNER JOIN "{table}" j '
        f'ON (s."id" = j."source_id") WHERE j."{owner_column}" = ANY(%s) ORDER BY s."url" ASC',
        (ids,),
    )
    for row in rows:
        grouped.setdefault(row[0], []).append(
            {
                "id": row[1],
                "link": row[5],
                "title": row[6],
                "publisher": row[7],
                "published_on": day(row[8]),
                "kind": row[11],
            }
        )
    return grouped


def link(base: str, path: str, key, name) -> dict:
    return {"slug": key, "name": name, "url": f"{base}/api/v1/{path}/{key}/"}


def jurisdiction_json(base: str, row, offset: int, sources: list, parent=None, brief: bool = False) -> dict:
    (_pk, created, updated, notes, slug, name, kind, state, fips, population, year, _parent_id, lat, lon, point) = row[
        offset : offset + 15
    ]
    body = {"slug": slug, "url": f"{base}/api/v1/jurisdictions/{slug}/", "name": name, "kind": kind, "state": state}
    body.update({"fips": fips, "population": population, "population_year": year})
    if not brief:
        body["parent"] = parent
    body.update({"latitude": dec(lat), "longitude": dec(lon), "point_kind": point, "notes": notes, "sources": sources})
    body.update({"timeline": f"{base}/api/v1/jurisdictions/{slug}/timeline/"})
    feeds = {"timeline": f"{base}/api/v1/feeds/jurisdictions/{slug}/"}
    body["feeds"] = feeds | {"changes": f"{base}/api/v1/feeds/changes/?jurisdiction={slug}"}
    body.update({"created_at": dt(created), "updated_at": dt(updated)})
    return body


def grant_json(base: str, row, sources: list, jurisdiction, suffix: str = "") -> dict:
    (pk, created, updated, notes, _jid, program, year, amount, status, status_date, award) = row[:11]
    return {
        "id": pk,
        "url": f"{base}/api/v1/grants/{pk}/{suffix}",
        "jurisdiction": jurisdiction,
        "program": program,
        "fiscal_year": year,
        "amount": dec(amount),
        "status": status,
        "status_date": day(status_date),
        "award_number": award,
        "notes": notes,
        "sources": sources,
        "created_at": dt(created),
        "updated_at": dt(updated),
    }


# -- keyset pages, as tracker.pagination does them ---------------------------------------------


def page_size(params: dict) -> int:
    raw = params.get("page_size", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise HTTPError("400 Bad Request", "page_size")
    return int(raw)


def decode_cursor(params: dict) -> dict | None:
    encoded = params.get("cursor")
    if encoded is None:
        return None
    try:
        cursor = json.loads(urlsafe_b64decode(encoded.encode("ascii")))
    except ValueError as error:
        raise HTTPError("400 Bad Request", "cursor") from error
    if cursor.get("r") != 0:
        raise HTTPError("400 Bad Request", "only forward cursors are served here")
    return cursor


def replace_query_param(url: str, key: str, val: str) -> str:
    scheme, netloc, path, qs, fragment = parse.urlsplit(url)
    query_dict = parse.parse_qs(qs, keep_blank_values=True)
    query_dict[key] = [val]
    return parse.urlunsplit((scheme, netloc, path, parse.urlencode(sorted(query_dict.items()), doseq=True), fragment))


def cursor_link(full_url: str, position: list[str], reverse: bool) -> str:
    encoded = urlsafe_b64encode(json.dumps({"r": int(reverse), "p": position}).encode()).decode("ascii")
    return replace_query_param(full_url, "cursor", encoded)


def paginated(full_url: str, rows: list, size: int, has_cursor: bool, position) -> tuple[list, dict]:
    page = rows[:size]
    more = len(rows) > size
    body = {
        "next": cursor_link(full_url, position(page[-1]), False) if page and more else None,
        "previous": cursor_link(full_url, position(page[0]), True) if page and has_cursor else None,
    }
    return page, body


# -- resources ---------------------------------------------------------------------------------


def letters_list(base: str, full_url: str, params: dict):
    size = page_size(params)
    where, args, select, order = [], [], LETTER_COLS, 'l."sent_on" DESC, l."id" DESC'
    terms = params.get("search", "").strip()
    if terms:
        select += f', (ts_rank({TSVECTOR}, {TSQUERY}))::double precision AS "rank"'
        where.append(f"({TSVECTOR} @@ ({TSQUERY}) OR {PLACE_MATCH})")
        args += [terms, terms, terms]
        order = '14 DESC, l."id" DESC'
    if "sent_after" in params:
        where.append('l."sent_on" >= %s::date')
        args.append(params["sent_after"])
    if "sent_before" in params:
        where.append('l."sent_on" <= %s::date')
        args.append(params["sent_before"])
    if "recipient_state" in params:
        # The app's semi-join (tracker.filters.SemiJoinMixin): it joins letters_letter again inside.
        where.append(
            'l."id" IN (SELECT U0."id" AS "pk" FROM "letters_letter" U0 INNER JOIN "letters_letterrecipient" U1 '
            'ON (U0."id" = U1."letter_id") INNER JOIN "cities_jurisdiction" U2 ON (U1."jurisdiction_id" = U2."id") '
            'WHERE U2."state" = ANY(%s))'
        )
        args.append(params["recipient_state"].split(","))
    sql = f'SELECT {select} FROM "letters_letter" l'
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = query(f"{sql} ORDER BY {order} LIMIT %s", (*args, size + 1))
    # Like Django, prefetch for every fetched row, the look-ahead row included.
    ids = [row[0] for row in rows]
    letter_sources = sources_by_owner("letters_letter_sources", "letter_id", ids)
    recipients = query(
        'SELECT r."id", r."created_at", r."updated_at", r."notes", r."letter_id", r."jurisdiction_id", '
        f'r."addressee", r."responded_on", r."determination", {JUR_COLS.format(t="j")} '
        'FROM "letters_letterrecipient" r INNER JOIN "cities_jurisdiction" j ON (r."jurisdiction_id" = j."id") '
        'WHERE r."letter_id" = ANY(%s) ORDER BY r."id" ASC',
        (ids,),
    )
    recipient_sources = sources_by_owner(
        "letters_letterrecipient_sources", "letterrecipient_id", [row[0] for row in recipients]
    )
    by_letter: dict[int, list[dict]] = {}
    for r in recipients:
        by_letter.setdefault(r[4], []).append(
            {
                "jurisdiction": link(base, "jurisdictions", r[13], r[14]),
                "addressee": r[6],
                "determination": r[8],
                "responded_on": day(r[7]),
                "notes": r[3],
                "sources": recipient_sources.get(r[0], []),
            }
        )
    has_cursor = decode_cursor(params) is not None
    if terms:
        page, body = paginated(full_url, rows, size, has_cursor, lambda row: [str(row[13]), str(row[0])])
    else:
        page, body = paginated(full_url, rows, size, has_cursor, lambda row: [str(row[5]), str(row[0])])
    body["results"] = [
        {
            "slug": row[4],
            "url": f"{base}/api/v1/letters/{row[4]}/",
            "sent_on": day(row[5]),
            "kind": row[8],
            "subject": row[9],
            "sender_office": row[6],
            "sender_name": row[7],
            "summary": row[10],
            "response_due": day(row[11]),
            "document_url": row[12],
            "recipients": by_letter.get(row[0], []),
            "notes": row[3],
            "sources": letter_sources.get(row[0], []),
            "created_at": dt(row[1]),
            "updated_at": dt(row[2]),
        }
        for row in page
    ]
    return body, max((row[2] for row in page), default=None)


def jurisdictions_list(base: str, full_url: str, params: dict):
    size = page_size(params)
    where, args = [], []
    if "state" in params:
        where.append('j."state" = ANY(%s)')
        args.append(params["state"].split(","))
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    facets = None
    if params.get("facet"):
        facets = {}
        for name in params["facet"].split(","):
            if name not in ("state", "kind"):
                raise HTTPError("400 Bad Request", "facet")
            rows = query(
                f'SELECT j."{name}" AS "{name}", COUNT(DISTINCT j."id") AS "count" FROM "cities_jurisdiction" j'
                f"{clause} GROUP BY 1 ORDER BY 2 DESC, 1 ASC",
                args,
            )
            facets[name] = [{"value": value, "count": n} for value, n in rows]
    rows = query(
        f'SELECT {JUR_COLS.format(t="j")}, {JUR_COLS.format(t="T2")} FROM "cities_jurisdiction" j '
        f'LEFT OUTER JOIN "cities_jurisdiction" T2 ON (j."parent_id" = T2."id"){clause} '
        'ORDER BY j."name" ASC, j."id" ASC LIMIT %s',
        (*args, size + 1),
    )
    sources = sources_by_owner("cities_jurisdiction_sources", "jurisdiction_id", [row[0] for row in rows])
    page, body = paginated(full_url, rows, size, decode_cursor(params) is not None, lambda row: [row[5], str(row[0])])
    body["results"] = [
        jurisdiction_json(
            base, row, 0, sources.get(row[0], []), link(base, "jurisdictions", row[19], row[20]) if row[15] else None
        )
        for row in page
    ]
    if facets is not None:
        body["facets"] = facets
    return body, max((row[2] for row in page), default=None)


def jurisdiction_detail(base: str, slug: str):
    rows = query(
        f'SELECT {JUR_COLS.format(t="j")}, {JUR_COLS.format(t="T2")} FROM "cities_jurisdiction" j '
        'LEFT OUTER JOIN "cities_jurisdiction" T2 ON (j."parent_id" = T2."id") WHERE j."slug" = %s LIMIT 21',
        (slug,),
    )
    if not rows:
        raise HTTPError("404 Not Found", "no such jurisdiction")
    row = rows[0]
    sources = sources_by_owner("cities_jurisdiction_sources", "jurisdiction_id", [row[0]])
    parent = link(base, "jurisdictions", row[19], row[20]) if row[15] else None
    return jurisdiction_json(base, row, 0, sources.get(row[0], []), parent), row[2]


GRANT_PAGE = (
    f'SELECT {GRANT_COLS}, {JUR_COLS.format(t="j")} FROM "letters_grantaward" g '
    'INNER JOIN "cities_jurisdiction" j ON (g."jurisdiction_id" = j."id")'
)


def grants_where(params: dict) -> tuple[list[str], list]:
    where, args = [], []
    if "program" in params:
        where.append('g."program" = ANY(%s)')
        args.append(params["program"].split(","))
    return where, args


def grants_list(base: str, full_url: str, params: dict):
    size = page_size(params)
    where, args = grants_where(params)
    cursor = decode_cursor(params)
    if cursor:
        # The app's keyset condition: the row comparison (a, pk) < (x, y).
        year, pk = int(cursor["p"][0]), int(cursor["p"][1])
        where.append('(g."fiscal_year", g."id") < (%s, %s)')
        args += [year, pk]
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = query(f'{GRANT_PAGE}{clause} ORDER BY g."fiscal_year" DESC, g."id" DESC LIMIT %s', (*args, size + 1))
    sources = sources_by_owner("letters_grantaward_sources", "grantaward_id", [row[0] for row in rows])
    page, body = paginated(full_url, rows, size, cursor is not None, lambda row: [str(row[6]), str(row[0])])
    body["results"] = [
        grant_json(base, row, sources.get(row[0], []), link(base, "jurisdictions", row[15], row[16])) for row in page
    ]
    return body, max((row[2] for row in page), default=None)


def grant_detail(base: str, pk: str, params: dict):
    expand = [name for name in params.get("expand", "").split(",") if name]
    if set(expand) - {"jurisdiction"}:
        raise HTTPError("400 Bad Request", "expand")
    rows = query(f'{GRANT_PAGE} WHERE g."id" = %s LIMIT 21', (int(pk),))
    if not rows:
        raise HTTPError("404 Not Found", "no such grant")
    row = rows[0]
    sources = sources_by_owner("letters_grantaward_sources", "grantaward_id", [row[0]])
    if expand:
        jur_sources = sources_by_owner("cities_jurisdiction_sources", "jurisdiction_id", [row[11]])
        jurisdiction = jurisdiction_json(base, row, 11, jur_sources.get(row[11], []), brief=True)
    else:
        jurisdiction = link(base, "jurisdictions", row[15], row[16])
    return grant_json(base, row, sources.get(row[0], []), jurisdiction), row[2]


def grants_csv(base: str, params: dict):
    """The streamed export: a WITH HOLD server-side cursor read 2,000 rows at a time, like the app's iterator."""
    where, args = grants_where(params)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    cursor = connection().cursor(name=f"bench_csv_{next(_cursor_names)}", withhold=True)
    cursor.itersize = 2000
    cursor.execute(f'{GRANT_PAGE}{clause} ORDER BY g."fiscal_year" DESC, g."id" ASC', args)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = None
    try:
        while rows := cursor.fetchmany(2000):
            sources = sources_by_owner("letters_grantaward_sources", "grantaward_id", [row[0] for row in rows])
            for row in rows:
                body = grant_json(base, row, sources.get(row[0], []), None)
                body["jurisdiction"] = row[16]
                body["sources"] = "; ".join(source["title"] for source in body["sources"])
                cells = [cell(value) for value in body.values()]
                if header is None:
                    header = list(body)
                    writer.writerow(header)
                writer.writerow(cells)
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    finally:
        cursor.close()


def cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(("=", "+", "@", "\t", "\r")) else text


def label(kind: str, value: str) -> str:
    return LABELS.get(kind, {}).get(value, value)


def timeline(base: str, slug: str):
    """The nine queries of letters.timeline, with the same joins, orderings and DISTINCTs."""
    rows = query(f'SELECT {JUR_COLS.format(t="j")} FROM "cities_jurisdiction" j WHERE j."slug" = %s LIMIT 21', (slug,))
    if not rows:
        raise HTTPError("404 Not Found", "no such jurisdiction")
    jid, name = rows[0][0], rows[0][5]
    entries = []

    def entry(date, kind, title, detail, path, key):
        url = f"{base}/api/v1/{path}/{key}/"
        entries.append({"date": date, "kind": kind, "title": title, "detail": detail, "url": url})

    for r in query(
        'SELECT r."id", r."created_at", r."updated_at", r."notes", r."letter_id", r."jurisdiction_id", r."addressee", '
        f'r."responded_on", r."determination", {LETTER_COLS} FROM "letters_letterrecipient" r '
        'INNER JOIN "cities_jurisdiction" j ON (r."jurisdiction_id" = j."id") '
        'INNER JOIN "letters_letter" l ON (r."letter_id" = l."id") WHERE r."jurisdiction_id" = %s '
        'ORDER BY l."sent_on" DESC, l."slug" ASC, j."name" ASC',
        (jid,),
    ):
        detail = f"Determination: {label('determination', r[8])}"
        entry(r[14], "letter", r[18], detail, "letters", r[13])
    for d in query(
        'SELECT d."id", d."created_at", d."updated_at", d."notes", d."designation_list_id", d."jurisdiction_id", '
        'd."label", d."disputed", d."response", d."removed_on", dl."id", dl."created_at", dl."updated_at", '
        'dl."notes", dl."slug", dl."authority", dl."title", dl."published_on", dl."withdrawn_on", dl."url", '
        'dl."criteria" FROM "letters_designation" d '
        'INNER JOIN "cities_jurisdiction" j ON (d."jurisdiction_id" = j."id") '
        'INNER JOIN "letters_designationlist" dl ON (d."designation_list_id" = dl."id") WHERE d."jurisdiction_id" = %s '
        'ORDER BY dl."published_on" DESC, dl."slug" ASC, j."name" ASC',
        (jid,),
    ):
        entry(d[17], "designation", d[16], d[6] + (" (disputed)" if d[7] else ""), "designations", d[0])
        if d[9]:
            entry(d[9], "designation_removed", d[16], "Removed from the list", "designations", d[0])
    for g in query(
        f'SELECT {GRANT_COLS} FROM "letters_grantaward" g INNER JOIN "cities_jurisdiction" j '
        'ON (g."jurisdiction_id" = j."id") WHERE (g."jurisdiction_id" = %s AND g."status_date" IS NOT NULL) '
        'ORDER BY g."fiscal_year" DESC, j."name" ASC, g."program" ASC',
        (jid,),
    ):
        amount = f"${g[7]:,.0f}: " if g[7] is not None else ""
        title = f"{label('program', g[5])} FY{g[6]}"
        entry(g[9], "grant", title, amount + label("grant_status", g[8]), "grants", g[0])
    for p in query(
        'SELECT p."id", p."created_at", p."updated_at", p."notes", p."case_id", p."jurisdiction_id", p."role", '
        'c."id", c."created_at", c."updated_at", c."notes", c."slug", c."caption", c."court", c."docket_number", '
        'c."filed_on", c."appeal_of_id", c."status", c."other_parties", c."summary" FROM "letters_caseparty" p '
        'INNER JOIN "letters_courtcase" c ON (p."case_id" = c."id") INNER JOIN "cities_jurisdiction" j '
        'ON (p."jurisdiction_id" = j."id") WHERE (c."filed_on" IS NOT NULL AND p."jurisdiction_id" = %s) '
        'ORDER BY c."filed_on" DESC, c."slug" ASC, p."role" ASC, j."name" ASC',
        (jid,),
    ):
        entry(p[15], "case_filed", p[12], label("party_role", p[6]), "cases", p[11])
    for r in query(
        'SELECT DISTINCT r."id", r."created_at", r."updated_at", r."notes", r."slug", r."case_id", r."decided_on", '
        'r."kind", r."judge", r."outcome", r."scope", r."citation", r."summary", r."opinion_url", c."id", '
        'c."created_at", c."updated_at", c."notes", c."slug", c."caption", c."court", c."docket_number", '
        'c."filed_on", c."appeal_of_id", c."status", c."other_parties", c."summary" FROM "letters_ruling" r '
        'INNER JOIN "letters_courtcase" c ON (r."case_id" = c."id") INNER JOIN "letters_caseparty" p '
        'ON (c."id" = p."case_id") WHERE p."jurisdiction_id" = %s ORDER BY r."decided_on" DESC, r."slug" ASC',
        (jid,),
    ):
        title = f"{label('ruling_kind', r[7])}: {r[19]}"
        entry(r[6], "ruling", title, label("outcome", r[9]), "rulings", r[4])
    for e in query(
        'SELECT DISTINCT e."id", e."created_at", e."updated_at", e."notes", e."slug", e."date", e."title", e."kind", '
        'e."summary" FROM "letters_event" e LEFT OUTER JOIN "letters_event_jurisdictions" ej '
        'ON (e."id" = ej."event_id") LEFT OUTER JOIN "letters_eventparticipant" ep ON (e."id" = ep."event_id") '
        'WHERE (ej."jurisdiction_id" = %s OR ep."jurisdiction_id" = %s) ORDER BY e."date" DESC, e."slug" ASC',
        (jid, jid),
    ):
        entry(e[5], "event", e[6], label("event_kind", e[7]), "events", e[4])
    for p in query(
        'SELECT p."id", p."created_at", p."updated_at", p."notes", p."slug", p."jurisdiction_id", p."title", '
        'p."kind", p."citation", p."enacted_on", p."ended_on", p."summary" FROM "cities_policy" p '
        'INNER JOIN "cities_jurisdiction" j ON (p."jurisdiction_id" = j."id") WHERE p."jurisdiction_id" = %s '
        'ORDER BY j."name" ASC, p."enacted_on" DESC, p."slug" ASC',
        (jid,),
    ):
        if p[9]:
            entry(p[9], "policy_enacted", p[6], p[8], "policies", p[4])
        if p[10]:
            entry(p[10], "policy_ended", p[6], p[8], "policies", p[4])
    for o in query(
        'SELECT o."id", o."created_at", o."updated_at", o."notes", o."slug", o."jurisdiction_id", o."name", o."role", '
        'o."title", o."party", o."term_start", o."term_end" FROM "cities_official" o '
        'INNER JOIN "cities_jurisdiction" j ON (o."jurisdiction_id" = j."id") WHERE o."jurisdiction_id" = %s '
        'ORDER BY j."name" ASC, o."term_start" DESC, o."name" ASC',
        (jid,),
    ):
        if o[10]:
            entry(o[10], "took_office", o[6], o[8] or label("official_role", o[7]), "officials", o[4])
    entries.sort(key=lambda item: (item["date"], item["kind"], item["title"]))
    return {"jurisdiction": slug, "name": name, "entries": entries}, None


# -- WSGI --------------------------------------------------------------------------------------

ROUTES = [
    (re.compile(r"^/api/v1/letters/$"), "letters"),
    (re.compile(r"^/api/v1/jurisdictions/$"), "jurisdictions"),
    (re.compile(r"^/api/v1/jurisdictions/([-\w]+)/timeline/$"), "timeline"),
    (re.compile(r"^/api/v1/jurisdictions/([-\w]+)/$"), "jurisdiction"),
    (re.compile(r"^/api/v1/grants/$"), "grants"),
    (re.compile(r"^/api/v1/grants/(\d+)/$"), "grant"),
]


def dispatch(environ, base: str, full_url: str, params: dict):
    path = environ.get("PATH_INFO", "")
    if path == "/health":
        query("SELECT 1")
        return {"status": "ok", "database": "ok"}, None
    for pattern, name in ROUTES:
        match = pattern.match(path)
        if not match:
            continue
        if name == "letters":
            return letters_list(base, full_url, params)
        if name == "jurisdictions":
            return jurisdictions_list(base, full_url, params)
        if name == "timeline":
            return timeline(base, match.group(1))
        if name == "jurisdiction":
            return jurisdiction_detail(base, match.group(1))
        if name == "grants":
            return grants_list(base, full_url, params)
        return grant_detail(base, match.group(1), params)
    raise HTTPError("404 Not Found", "no such path")


def application(environ, start_response):
    base = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '127.0.0.1')}"
    qs = environ.get("QUERY_STRING", "")
    full_url = base + environ.get("PATH_INFO", "") + (f"?{qs}" if qs else "")
    params = dict(parse.parse_qsl(qs, keep_blank_values=True))
    try:
        if params.get("format") == "csv" and environ.get("PATH_INFO") == "/api/v1/grants/":
            headers = [("Content-Type", "text/csv"), ("Content-Disposition", 'attachment; filename="grants.csv"')]
            start_response("200 OK", headers)
            return grants_csv(base, params)
        data, modified = dispatch(environ, base, full_url, params)
    except HTTPError as error:
        body = orjson.dumps({"status": int(error.status[:3]), "detail": error.detail})
        start_response(error.status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    body = orjson.dumps(data, default=str)
    # What ConditionalGetMiddleware does for the app: the ETag is the MD5 of the body.
    tag = f'"{md5(body, usedforsecurity=False).hexdigest()}"'
    headers = [("Content-Type", "application/json"), ("ETag", tag)]
    if modified is not None:
        headers.append(("Last-Modified", formatdate(modified.timestamp(), usegmt=True)))
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match and tag in [item.strip().removeprefix("W/") for item in match.split(",")]:
        start_response("304 Not Modified", headers[1:])
        return [b""]
    headers.append(("Content-Length", str(len(body))))
    start_response("200 OK", headers)
    return [body]

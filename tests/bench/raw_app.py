"""The raw baseline: the same answers as the tracker, with psycopg2 and orjson and no framework.

For the URL paths and query strings the benchmark sends, this WSGI app runs
the SQL the Django app emits (copied from ``connection.queries``, including
its inefficiencies; prefetches use ``= ANY(%s)`` where Django writes
``IN (...)``) and encodes the same JSON shape with orjson. Served by gunicorn
with the same flags as the app, so the ratio app/raw measures the framework
(Django, DRF, django-filter, middleware, serializers), not the SQL.

With ``BENCH_RAW_SQL=efficient`` it is the hand-written baseline instead: the
same answers from the SQL an efficient hand-written server would send (the
README's "where the SQL differs" list): every answer tagged by the data version
and the request, so a 304 reads the version alone; a page's children read for
the page's rows only, the recipient condition as an ``EXISTS``.

One persistent connection per worker (opened lazily, after the fork).
Environment: BENCH_RAW_DSN (libpq DSN or URL), BENCH_RAW_LABELS (JSON file of
choice labels, written by the harness from the models), BENCH_RAW_SQL.
"""

import json
import os
import re
from base64 import urlsafe_b64decode, urlsafe_b64encode
from contextlib import contextmanager
from decimal import Decimal
from email.utils import formatdate
from hashlib import md5
from itertools import count
from operator import itemgetter
from urllib import parse

import orjson
import psycopg2

EFFICIENT = os.environ.get("BENCH_RAW_SQL") == "efficient"
_conn = None
_cursor_names = count()
LABELS: dict[str, dict[str, str]] = {}
if os.environ.get("BENCH_RAW_LABELS"):
    with open(os.environ["BENCH_RAW_LABELS"]) as labels_file:
        LABELS = json.load(labels_file)


def cols(table: str, names: str) -> str:
    """A record's columns as Django selects them: the six every tracked model has (0-5), then its own (names)."""
    tracked = ["id", "created_at", "updated_at", "notes", "review_state", "checked_at"]
    return ", ".join(f'{table}."{name}"' for name in tracked + names.split())


# Column numbers: id 0, created_at 1, updated_at 2, notes 3, review_state 4, checked_at 5, then these from 6.
# A place's 17 columns, under the alias {t}.
JUR_COLS = cols("{t}", "slug name kind state fips population population_year parent_id latitude longitude point_kind")
LETTER_COLS = cols("l", "slug sent_on sender_office sender_name kind subject summary response_due document_url")
GRANT_COLS = cols("g", "jurisdiction_id program fiscal_year amount status status_date award_number")
# The app's search (tracker.api.filters.SearchFilter): the letter's stored words, its recipients' place names
# included (kept by triggers, GIN-indexed).
TSVECTOR = 'l."search_vector"'
TSQUERY = "websearch_to_tsquery('english'::regconfig, %s)"
# A one-word search reads the stored words' table (letters/migrations/0009) by this word.
ONE_WORD = re.compile(r"[A-Za-z0-9]+")  # tracker.api.filters.ONE_WORD
TERM = "tsvector_to_array(to_tsvector('english'::regconfig, %s))"


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


@contextmanager
def atomic():
    """BEGIN ... COMMIT around the block, where the app opens a transaction (the CSV export)."""
    conn = connection()
    conn.autocommit = False
    try:
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.autocommit = True


def json_default(value):
    # tracker.api.renderers: decimals are JSON numbers, written as the database holds them.
    return orjson.Fragment(str(value)) if isinstance(value, Decimal) else str(value)


# -- encoding, as DRF's fields do it ---------------------------------------------------------


def dt(value) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def day(value) -> str | None:
    return None if value is None else value.isoformat()


def cited_column(table: str, owner_column: str, alias: str, key: str = "id", name: str = "cited_sources") -> str:
    """A record's sources as the app reads them (tracker.models.cited_sources): a subquery in its own query
    on the query's ``alias.key`` (a recipient row's ``letter_id`` for its letter's sources)."""
    brief = ", ".join(
        f"'{key}', {column}"
        for key, column in (
            ("id", 'U0."source_id"'),
            ("link", 'U2."url"'),
            ("title", 'U2."title"'),
            ("publisher", 'U2."publisher"'),
            ("published_on", 'U2."published_on"'),
            ("kind", 'U2."kind"'),
            ("provenance", 'U2."provenance"'),
        )
    )
    return (
        f'(SELECT JSON_AGG(JSON_BUILD_OBJECT({brief}))::text AS "cited" FROM "{table}" U0 '
        f'INNER JOIN "tracker_source" U2 ON (U0."source_id" = U2."id") WHERE U0."{owner_column}" = ({alias}."{key}") '
        f'GROUP BY U0."{owner_column}") AS "{name}"'
    )


def cited(text: str | None) -> list[dict]:
    """The column's sources, in URL order (tracker.reading.fields.CitedSourcesField)."""
    return sorted(json.loads(text), key=itemgetter("link")) if text else []


LETTER_CITED = cited_column("letters_letter_sources", "letter_id", "l")
RECIPIENT_CITED = cited_column("letters_letterrecipient_sources", "letterrecipient_id", "r")
JUR_CITED = cited_column("cities_jurisdiction_sources", "jurisdiction_id", "j")
GRANT_CITED = cited_column("letters_grantaward_sources", "grantaward_id", "g")


def review(row, offset: int = 0) -> dict:
    """The review fields every record's answer ends with (tracker.api.serializers.TrackerSerializer)."""
    return {"review_state": row[offset + 4], "checked_at": dt(row[offset + 5])}


def stamped(row, offset: int = 0) -> dict:
    """How a record's answer ends: created_at, updated_at, then the review fields."""
    return {"created_at": dt(row[offset + 1]), "updated_at": dt(row[offset + 2])} | review(row, offset)


def jurisdiction_link(base: str, row, offset: int) -> dict:
    """A place as a link (tracker.reading.fields.LinkField): slug, name, state and URL, from its JUR_COLS."""
    slug, name, state = row[offset + 6], row[offset + 7], row[offset + 9]
    return {"slug": slug, "name": name, "state": state, "url": f"{base}/api/v1/jurisdictions/{slug}/"}


def jurisdiction_json(base: str, row, offset: int, sources: list, parent=None, brief: bool = False) -> dict:
    (slug, name, kind, state, fips, population, year, _parent_id, lat, lon, point) = row[offset + 6 : offset + 17]
    body = {"slug": slug, "url": f"{base}/api/v1/jurisdictions/{slug}/", "html_url": f"{base}/places/{slug}/"}
    body.update({"name": name, "kind": kind, "state": state})
    body.update({"fips": fips, "population": population, "population_year": year})
    if not brief:
        body["parent"] = parent
    body.update({"latitude": lat, "longitude": lon, "point_kind": point, "notes": row[offset + 3], "sources": sources})
    body.update({"timeline": f"{base}/api/v1/jurisdictions/{slug}/timeline/"})
    feeds = {"timeline": f"{base}/api/v1/feeds/jurisdictions/{slug}/"}
    body["feeds"] = feeds | {"changes": f"{base}/api/v1/feeds/changes/?jurisdiction={slug}"}
    return body | stamped(row, offset)


def grant_json(base: str, row, sources: list) -> dict:
    pk, notes = row[0], row[3]
    (program, year, amount, status, status_date, award) = row[7:13]
    return {
        "id": pk,
        "url": f"{base}/api/v1/grants/{pk}/",
        "jurisdiction": jurisdiction_link(base, row, 13),
        "program": program,
        "fiscal_year": year,
        "amount": amount,
        "status": status,
        "status_date": day(status_date),
        "award_number": award,
        "notes": notes,
        "sources": sources,
    } | stamped(row)


# -- keyset pages, as tracker.api.pagination does them ---------------------------------------------


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
    where, args, select, order = [], [], f"{LETTER_COLS}, {LETTER_CITED}", 'l."sent_on" DESC, l."id" DESC'
    terms = params.get("search", "").strip()
    tables = '"letters_letter" l'
    if terms and ONE_WORD.fullmatch(terms):
        # The app's one-word search: the stored words' table, in its index's order (SearchFilter.ranked_word).
        tables += ', "letters_searchterm"'
        select += ', "letters_searchterm".rank AS "rank"'
        where += ['"letters_searchterm".record_id = l.id', f'"letters_searchterm".term = ({TERM})[1]']
        args.append(terms)
        order = '17 DESC, l."id" DESC'
    elif terms:
        select += f', (ts_rank(({TSVECTOR}), {TSQUERY}))::double precision AS "rank"'
        where.append(f"({TSVECTOR}) @@ ({TSQUERY})")
        args += [terms, terms]
        order = '17 DESC, l."id" DESC'
    if "sent_after" in params:
        where.append('l."sent_on" >= %s::date')
        args.append(params["sent_after"])
    if "sent_before" in params:
        where.append('l."sent_on" <= %s::date')
        args.append(params["sent_before"])
    if "recipient_state" in params and EFFICIENT:
        where.append(
            'EXISTS (SELECT FROM "letters_letterrecipient" U0 INNER JOIN "cities_jurisdiction" U1 '
            'ON (U0."jurisdiction_id" = U1."id") WHERE U0."letter_id" = l."id" AND U1."state" = ANY(%s))'
        )
        args.append(params["recipient_state"].split(","))
    elif "recipient_state" in params:
        # The app's semi-join (tracker.api.filters.SemiJoinMixin).
        where.append(
            'l."id" IN (SELECT U0."letter_id" AS "letter_id" FROM "letters_letterrecipient" U0 INNER JOIN '
            '"cities_jurisdiction" U1 ON (U0."jurisdiction_id" = U1."id") WHERE U1."state" = ANY(%s))'
        )
        args.append(params["recipient_state"].split(","))
    sql = f"SELECT {select} FROM {tables}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = query(f"{sql} ORDER BY {order} LIMIT %s", (*args, size + 1))
    # Like Django, prefetch for every fetched row, the look-ahead row included (the efficient one: the page's).
    ids = [row[0] for row in (rows[:size] if EFFICIENT else rows)]
    # The app reads each recipient as PostgreSQL keeps it shown (letters/migrations/0010).
    recipients = query(
        'SELECT ("letters_letterrecipient".shown_json) AS "shown", "letters_letterrecipient"."letter_id" '
        'FROM "letters_letterrecipient" WHERE "letters_letterrecipient"."letter_id" IN %s '
        'ORDER BY "letters_letterrecipient"."id" ASC',
        (tuple(ids) or (None,),),
    )
    texts: dict[int, list[str]] = {}
    for shown, letter in recipients:
        texts.setdefault(letter, []).append(shown)
    # Each place's URL is kept as its slug and "/": the app puts the host and path in front, and includes
    # the JSON as it is (tracker.reading.plan.ReadPlan.stored_json_reader).
    url = f'"url" : "{base}/api/v1/jurisdictions/'
    by_letter = {
        letter: orjson.Fragment(f"[{','.join(found)}]".replace('"url" : "', url)) for letter, found in texts.items()
    }
    has_cursor = decode_cursor(params) is not None
    key = 16 if terms else 7  # the rank, or sent_on
    page, body = paginated(full_url, rows, size, has_cursor, lambda row: [str(row[key]), str(row[0])])
    body["results"] = [
        {
            "slug": row[6],
            "url": f"{base}/api/v1/letters/{row[6]}/",
            "sent_on": day(row[7]),
            "kind": row[10],
            "subject": row[11],
            "sender_office": row[8],
            "sender_name": row[9],
            "summary": row[12],
            "response_due": day(row[13]),
            "document_url": row[14],
            "recipients": by_letter.get(row[0], orjson.Fragment("[]")),
            "notes": row[3],
            "sources": cited(row[15]),
        }
        | stamped(row)
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
                f'SELECT j."{name}" AS "{name}", COUNT(j."id") AS "count" FROM "cities_jurisdiction" j'
                f"{clause} GROUP BY 1 ORDER BY 2 DESC, 1 ASC",
                args,
            )
            facets[name] = [{"value": value, "count": n} for value, n in rows]
    rows = query(
        f'SELECT {JUR_COLS.format(t="j")}, {JUR_COLS.format(t="T2")}, {JUR_CITED} FROM "cities_jurisdiction" j '
        f'LEFT OUTER JOIN "cities_jurisdiction" T2 ON (j."parent_id" = T2."id"){clause} '
        'ORDER BY j."name" ASC, j."id" ASC LIMIT %s',
        (*args, size + 1),
    )
    page, body = paginated(full_url, rows, size, decode_cursor(params) is not None, lambda row: [row[7], str(row[0])])
    body["results"] = [jurisdiction_json(base, row, 0, cited(row[34]), parent(base, row)) for row in page]
    if facets is not None:
        body["facets"] = facets
    return body, max((row[2] for row in page), default=None)


def jurisdiction_detail(base: str, slug: str):
    rows = query(
        f'SELECT {JUR_COLS.format(t="j")}, {JUR_COLS.format(t="T2")}, {JUR_CITED} FROM "cities_jurisdiction" j '
        'LEFT OUTER JOIN "cities_jurisdiction" T2 ON (j."parent_id" = T2."id") WHERE j."slug" = %s LIMIT 21',
        (slug,),
    )
    if not rows:
        raise HTTPError("404 Not Found", "no such jurisdiction")
    row = rows[0]
    return jurisdiction_json(base, row, 0, cited(row[34]), parent(base, row)), row[2]


def parent(base: str, row) -> dict | None:
    """The parent's link, from the row's second JUR_COLS (T2), when it has one."""
    return jurisdiction_link(base, row, 17) if row[13] else None


GRANT_JOINED = 'FROM "letters_grantaward" g INNER JOIN "cities_jurisdiction" j ON (g."jurisdiction_id" = j."id")'
GRANT_PAGE = f"SELECT {GRANT_COLS}, {JUR_COLS.format(t='j')}, {GRANT_CITED} {GRANT_JOINED}"
# The app's expanded detail (tracker.api.viewsets.ReadViewSet.get_record): the columns it shows, the place's with
# its sources on the grant's key (tracker.reading.plan.expanded_sources), then the grant's, by the grant's id.
JUR_CITED_ON_GRANT = cited_column("cities_jurisdiction_sources", "jurisdiction_id", "g", "jurisdiction_id", "jur")
GRANT_EXPANDED = (
    'SELECT g."id", g."jurisdiction_id", '
    + ", ".join(f'j."{name}"' for name in ["slug", "name", "kind", "state", "fips", "population", "population_year"])
    + ', j."latitude", j."longitude", j."point_kind", j."notes", '
    + JUR_CITED_ON_GRANT
    + ', j."created_at", j."updated_at", j."review_state", j."checked_at", '
    + ", ".join(f'g."{name}"' for name in ["program", "fiscal_year", "amount", "status", "status_date"])
    + ', g."award_number", g."notes"'
    + f', {GRANT_CITED}, g."created_at", g."updated_at", g."review_state", g."checked_at" {GRANT_JOINED}'
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
    page, body = paginated(full_url, rows, size, cursor is not None, lambda row: [str(row[8]), str(row[0])])
    body["results"] = [grant_json(base, row, cited(row[30])) for row in page]
    return body, max((row[2] for row in page), default=None)


def grant_detail(base: str, pk: str, params: dict):
    expand = [name for name in params.get("expand", "").split(",") if name]
    if set(expand) - {"jurisdiction"}:
        raise HTTPError("400 Bad Request", "expand")
    if not expand:  # not measured: shown from the list's query
        rows = query(f'{GRANT_PAGE} WHERE g."id" = %s', (int(pk),))
        if not rows:
            raise HTTPError("404 Not Found", "no such grant")
        return grant_json(base, rows[0], cited(rows[0][30])), rows[0][2]
    rows = query(f'{GRANT_EXPANDED} WHERE g."id" = %s', (int(pk),))
    if not rows:
        raise HTTPError("404 Not Found", "no such grant")
    row = rows[0]
    (slug, name, kind, state, fips, population, year, lat, lon, point, notes, jur_cited) = row[2:14]
    # The place's columns where jurisdiction_json reads them (JUR_COLS' order).
    place = (None, *row[14:16], notes, *row[16:18], slug, name, kind, state, fips, population, year, None)
    place += (lat, lon, point)
    (program, fiscal_year, amount, status, status_date, award, grant_notes, grant_cited) = row[18:26]
    body = {"id": row[0], "url": f"{base}/api/v1/grants/{row[0]}/"}
    body["jurisdiction"] = jurisdiction_json(base, place, 0, cited(jur_cited), brief=True)
    body |= {"program": program, "fiscal_year": fiscal_year, "amount": amount, "status": status}
    body |= {"status_date": day(status_date), "award_number": award, "notes": grant_notes}
    body["sources"] = cited(grant_cited)
    body |= {"created_at": dt(row[26]), "updated_at": dt(row[27])}
    return body | {"review_state": row[28], "checked_at": dt(row[29])}, row[27]


GRANT_CSV_HEADER = (
    "id,url,jurisdiction,jurisdiction_name,jurisdiction_state,program,fiscal_year,amount,status,status_date,"
    "award_number,notes,sources,created_at,updated_at,review_state,checked_at\r\n"
)
# The app's export query: PostgreSQL writes each line (tracker/reading/csvsql.py, migration tracker/0007_csv_cells).
GRANT_CSV_LINE = (
    "concat_ws(',', tracker_csv_number((g.\"id\")::text), "
    "tracker_csv_text((CONCAT(%s, (g.\"id\")::text, '/'))::text), "
    'tracker_csv_text((j."slug")::text), tracker_csv_text((j."name")::text), tracker_csv_text((j."state")::text), '
    'tracker_csv_text((g."program")::text), tracker_csv_number((g."fiscal_year")::text), '
    'tracker_csv_number((g."amount")::text), tracker_csv_text((g."status")::text), tracker_csv_date(g."status_date"), '
    'tracker_csv_text((g."award_number")::text), tracker_csv_text((g."notes")::text), '
    'tracker_csv_text(((SELECT STRING_AGG(U2."url" COLLATE "C", \' \' ORDER BY U2."url" COLLATE "C") AS "links" '
    'FROM "letters_grantaward_sources" U0 INNER JOIN "tracker_source" U2 ON (U0."source_id" = U2."id") '
    'WHERE U0."grantaward_id" = (g."id") GROUP BY U0."grantaward_id"))::text), '
    'tracker_csv_time(g."created_at"), tracker_csv_time(g."updated_at"), tracker_csv_text((g."review_state")::text), '
    'tracker_csv_time(g."checked_at"))'
)


def grants_csv(base: str, params: dict):
    """The streamed export as the app makes it: in a transaction, a server-side cursor (no HOLD) read 2,000
    lines at a time, each line written by PostgreSQL."""
    where, args = grants_where(params)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    yield GRANT_CSV_HEADER.encode()
    with atomic() as conn, conn.cursor(name=f"bench_csv_{next(_cursor_names)}", scrollable=False) as cursor:
        cursor.execute(
            f'SELECT {GRANT_CSV_LINE} FROM "letters_grantaward" g INNER JOIN "cities_jurisdiction" j '
            f'ON (g."jurisdiction_id" = j."id"){clause} ORDER BY g."fiscal_year" DESC, g."id" ASC',
            (f"{base}/api/v1/grants/", *args),
        )
        while rows := cursor.fetchmany(2000):
            yield "".join(f"{line}\r\n" for (line,) in rows).encode()


def label(kind: str, value: str) -> str:
    return LABELS.get(kind, {}).get(value, value)


def timeline(base: str, slug: str):
    """reports.timeline's queries, with the same joins, orderings and DISTINCTs: one per kind of record, each
    with only the columns its entries show and its sources (and its parent's) in the same query (an entry
    cites the sources of every record it names, once)."""
    rows = query(f'SELECT {JUR_COLS.format(t="j")} FROM "cities_jurisdiction" j WHERE j."slug" = %s LIMIT 21', (slug,))
    if not rows:
        raise HTTPError("404 Not Found", "no such jurisdiction")
    jid, name = rows[0][0], rows[0][7]
    entries = []

    def entry(date, kind, title, detail, path, key, *cited_texts):
        sources = list({source["id"]: source for text in cited_texts for source in cited(text)}.values())
        url = f"{base}/api/v1/{path}/{key}/"
        entries.append({"date": date, "kind": kind, "title": title, "detail": detail, "url": url, "sources": sources})

    for sent_on, subject, letter, determination, *sources in query(
        'SELECT l."sent_on", l."subject", l."slug", r."determination", '
        f"{RECIPIENT_CITED}, {cited_column('letters_letter_sources', 'letter_id', 'r', 'letter_id', 'letter_sources')} "
        'FROM "letters_letterrecipient" r INNER JOIN "cities_jurisdiction" j ON (r."jurisdiction_id" = j."id") '
        'INNER JOIN "letters_letter" l ON (r."letter_id" = l."id") WHERE r."jurisdiction_id" = %s '
        'ORDER BY l."sent_on" DESC, l."slug" ASC, j."name" ASC',
        (jid,),
    ):
        entry(
            sent_on,
            "letter",
            subject,
            f"Determination: {label('determination', determination)}",
            "letters",
            letter,
            *sources,
        )
    for pk, text, disputed, removed_on, published_on, title, sources in query(
        'SELECT d."id", d."label", d."disputed", d."removed_on", dl."published_on", dl."title", '
        f"{cited_column('letters_designation_sources', 'designation_id', 'd')} "
        'FROM "letters_designation" d INNER JOIN "cities_jurisdiction" j ON (d."jurisdiction_id" = j."id") '
        'INNER JOIN "letters_designationlist" dl ON (d."designation_list_id" = dl."id") WHERE d."jurisdiction_id" = %s '
        'ORDER BY dl."published_on" DESC, dl."slug" ASC, j."name" ASC',
        (jid,),
    ):
        entry(
            published_on, "designation", title, text + (" (disputed)" if disputed else ""), "designations", pk, sources
        )
        if removed_on:
            entry(removed_on, "designation_removed", title, "Removed from the list", "designations", pk, sources)
    for pk, program, year, amount, status, status_date, sources in query(
        'SELECT g."id", g."program", g."fiscal_year", g."amount", g."status", g."status_date", '
        f'{GRANT_CITED} FROM "letters_grantaward" g INNER JOIN "cities_jurisdiction" j '
        'ON (g."jurisdiction_id" = j."id") WHERE (g."status_date" IS NOT NULL AND g."jurisdiction_id" = %s) '
        'ORDER BY 3 DESC, j."name" ASC, 2 ASC',
        (jid,),
    ):
        shown = f"${amount:,.0f}: " if amount is not None else ""
        title = f"{label('program', program)} FY{year}"
        entry(status_date, "grant", title, shown + label("grant_status", status), "grants", pk, sources)
    for filed_on, caption, case, role, *sources in query(
        'SELECT c."filed_on", c."caption", c."slug", p."role", '
        f"{cited_column('letters_caseparty_sources', 'caseparty_id', 'p')}, "
        f"{cited_column('letters_courtcase_sources', 'courtcase_id', 'p', 'case_id', 'case_sources')} "
        'FROM "letters_caseparty" p INNER JOIN "letters_courtcase" c ON (p."case_id" = c."id") '
        'INNER JOIN "cities_jurisdiction" j ON (p."jurisdiction_id" = j."id") '
        'WHERE (c."filed_on" IS NOT NULL AND p."jurisdiction_id" = %s) '
        'ORDER BY c."filed_on" DESC, c."slug" ASC, 4 ASC, j."name" ASC',
        (jid,),
    ):
        entry(filed_on, "case_filed", caption, label("party_role", role), "cases", case, *sources)
    for ruling, decided_on, kind, outcome, caption, sources in query(
        'SELECT DISTINCT r."slug", r."decided_on", r."kind", r."outcome", c."caption", '
        f'{cited_column("letters_ruling_sources", "ruling_id", "r")} FROM "letters_ruling" r '
        'INNER JOIN "letters_courtcase" c ON (r."case_id" = c."id") INNER JOIN "letters_caseparty" p '
        'ON (c."id" = p."case_id") WHERE p."jurisdiction_id" = %s ORDER BY 2 DESC, 1 ASC',
        (jid,),
    ):
        title = f"{label('ruling_kind', kind)}: {caption}"
        entry(decided_on, "ruling", title, label("outcome", outcome), "rulings", ruling, sources)
    for event, date, title, kind, sources in query(
        'SELECT DISTINCT e."slug", e."date", e."title", e."kind", '
        f'{cited_column("letters_event_sources", "event_id", "e")} FROM "letters_event" e '
        'LEFT OUTER JOIN "letters_event_jurisdictions" ej ON (e."id" = ej."event_id") '
        'LEFT OUTER JOIN "letters_eventparticipant" ep ON (e."id" = ep."event_id") '
        'WHERE (ej."jurisdiction_id" = %s OR ep."jurisdiction_id" = %s) ORDER BY 2 DESC, 1 ASC',
        (jid, jid),
    ):
        entry(date, "event", title, label("event_kind", kind), "events", event, sources)
    for policy, title, citation, enacted_on, ended_on, sources in query(
        'SELECT p."slug", p."title", p."citation", p."enacted_on", p."ended_on", '
        f"{cited_column('cities_policy_sources', 'policy_id', 'p')} "
        'FROM "cities_policy" p INNER JOIN "cities_jurisdiction" j ON (p."jurisdiction_id" = j."id") '
        'WHERE p."jurisdiction_id" = %s ORDER BY j."name" ASC, 4 DESC, 1 ASC',
        (jid,),
    ):
        for kind, date in (("policy_enacted", enacted_on), ("policy_ended", ended_on)):
            if date:
                entry(date, kind, title, citation, "policies", policy, sources)
    for official, person, role, title, term_start, sources in query(
        'SELECT o."slug", o."name", o."role", o."title", o."term_start", '
        f"{cited_column('cities_official_sources', 'official_id', 'o')} "
        'FROM "cities_official" o INNER JOIN "cities_jurisdiction" j ON (o."jurisdiction_id" = j."id") '
        'WHERE (o."term_start" IS NOT NULL AND o."jurisdiction_id" = %s) ORDER BY j."name" ASC, 5 DESC, 2 ASC',
        (jid,),
    ):
        entry(term_start, "took_office", person, title or label("official_role", role), "officials", official, sources)
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


def is_record(path: str) -> bool:
    """A record's detail (a place, a grant)."""
    return any(pattern.match(path) and name in ("jurisdiction", "grant") for pattern, name in ROUTES)


def write_count() -> int:
    """tracker.serving.dataversion.write_count: the count of writes so far, which the app reads first."""
    return int(query("SELECT coalesce(sum(version), 0) FROM tracker_dataversion")[0][0])


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    base = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '127.0.0.1')}"
    qs = environ.get("QUERY_STRING", "")
    full_url = base + path + (f"?{qs}" if qs else "")
    params = dict(parse.parse_qsl(qs, keep_blank_values=True))
    try:
        current = write_count() if path != "/health" else None
        if params.get("format") == "csv" and path == "/api/v1/grants/":
            # A stream is not hashed: its ETag is the data version's and the request's (tracker.api.viewsets).
            tag = f"{current} csv {path}" + (f"?{qs}" if qs else "")
            headers = [("Content-Type", "text/csv; charset=utf-8")]
            headers.append(("Content-Disposition", 'attachment; filename="grants.csv"'))
            return conditional(environ, start_response, tag.encode(), headers, grants_csv(base, params))
        tag = f"{current} {path}?{qs}"
        # Tagged by the version and the request: a client's copy is current when both are, no record read.
        if EFFICIENT and path != "/health" and is_current(environ, etag_of(tag.encode())):
            return conditional(environ, start_response, tag.encode(), [], [])
        data, modified = dispatch(environ, base, full_url, params)
    except HTTPError as error:
        body = orjson.dumps({"status": int(error.status[:3]), "detail": error.detail})
        start_response(error.status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    body = orjson.dumps(data, default=json_default)
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if modified is not None:
        headers.append(("Last-Modified", formatdate(modified.timestamp(), usegmt=True)))
    # The app hashes the body of a record's detail alone (for If-Match); any other answer is tagged by the
    # version and the request (tracker.api.responsecache), as the efficient server tags everything.
    versioned = path != "/health" and (EFFICIENT or not is_record(path))
    return conditional(environ, start_response, tag.encode() if versioned else body, headers, [body])


def etag_of(hashed: bytes) -> str:
    return f'"{md5(hashed, usedforsecurity=False).hexdigest()}"'


def is_current(environ, tag: str) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    return bool(match) and tag in [item.strip().removeprefix("W/") for item in match.split(",")]


def conditional(environ, start_response, hashed: bytes, headers: list, body):
    """What ConditionalGetMiddleware does for the app: the ETag is an MD5 (of the body, or of a stream's key);
    a matching If-None-Match gets a 304 with the ETag and Last-Modified alone."""
    tag = etag_of(hashed)
    headers = [*headers, ("ETag", tag)]
    if is_current(environ, tag):
        start_response("304 Not Modified", [(k, v) for k, v in headers if k in ("ETag", "Last-Modified")])
        return [b""]
    start_response("200 OK", headers)
    return body

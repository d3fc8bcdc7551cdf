"""The shared cache of anonymous answers, and the data version the database keeps for it.

Transactional: the cache is bypassed inside an open transaction, which is where a plain `db` test runs.
"""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cities.models import Jurisdiction
from tests.conftest import publish
from tests.factories import JurisdictionFactory, LetterFactory
from tracker.serving.dataversion import TABLE, install_triggers, record_tables, write_count

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PATHS = [
    "/api/v1/jurisdictions/?state=IL",
    "/api/v1/jurisdictions/springfield-il/",
    "/api/v1/letters/",
    "/api/v1/jurisdictions/springfield-il/timeline/",
]


@pytest.fixture
def place():
    place = JurisdictionFactory(slug="springfield-il", name="Springfield", state="IL")
    LetterFactory()
    return place


def get(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response, [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("path", PATHS)
def test_a_repeated_anonymous_read_costs_the_version_read_and_answers_the_same(client, place, path):
    first, first_queries = get(client, path)
    again, queries = get(client, path)

    assert first.status_code == again.status_code == 200
    assert len(first_queries) > 1
    assert queries == [f"SELECT coalesce(sum(version), 0) FROM {TABLE}"]
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]


def test_a_304_is_decided_on_the_version_read_alone(client, place):
    path = "/api/v1/jurisdictions/springfield-il/"
    etag = get(client, path)[0]["ETag"]

    response, queries = get(client, path, if_none_match=etag)

    assert response.status_code == 304
    assert len(queries) == 1


def edit_by_orm():
    Jurisdiction.objects.filter(slug="springfield-il").update(name="Springfield (edited)")


def edit_by_sql():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cities_jurisdiction SET name = 'Springfield (edited)' WHERE slug = 'springfield-il'")


def edit_history_only():
    # The as_of= answers read the history tables: a change there moves the version too.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cities_historicaljurisdiction SET name = 'Springfield (edited)'")


@pytest.mark.parametrize("edit", [edit_by_orm, edit_by_sql, edit_history_only])
def test_every_write_moves_the_version_so_no_answer_is_stale(client, place, edit):
    path = "/api/v1/jurisdictions/springfield-il/"
    before = get(client, path)[0]
    start = write_count()

    edit()

    assert write_count() > start
    after, queries = get(client, path)
    assert len(queries) > 1  # answered afresh
    if edit is not edit_history_only:
        assert after.json()["name"] == "Springfield (edited)"
        assert after["ETag"] != before["ETag"]


def test_an_editors_write_is_read_back_at_once_and_by_the_public_once_published(client, place, editor_client, checker):
    path = "/api/v1/jurisdictions/springfield-il/"
    get(client, path)

    edit = {"name": "Springfield (by an editor)", "change_reason": "Its name"}
    response = editor_client.patch(path, edit, format="json")

    assert response.status_code == 200
    assert editor_client.get(path).json()["name"] == "Springfield (by an editor)"
    assert get(client, path)[0].json()["name"] == "Springfield"
    publish(checker, Jurisdiction, slug="springfield-il")
    assert get(client, path)[0].json()["name"] == "Springfield (by an editor)"


def test_a_write_that_rolls_back_leaves_the_version_as_it_was(place):
    start = write_count()
    with transaction.atomic():
        edit_by_orm()
        transaction.set_rollback(True)
    assert write_count() == start


def test_loaddata_moves_the_version(place, tmp_path):
    fixture = tmp_path / "place.json"
    call_command("dumpdata", "cities.jurisdiction", "--pks", str(place.pk), output=fixture)
    start = write_count()

    call_command("loaddata", fixture, verbosity=0)

    assert write_count() > start


def test_a_signed_in_read_is_never_served_from_the_shared_cache(place, editor):
    client = Client()
    client.force_login(editor)
    path = "/api/v1/jurisdictions/springfield-il/"
    get(client, path)

    again, queries = get(client, path)

    assert again.status_code == 200
    assert len(queries) > 1


def test_an_export_is_tagged_by_the_version_and_a_write_changes_the_tag(client, place):
    path = "/api/v1/jurisdictions/?format=csv"
    etag = client.get(path)["ETag"]
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304

    edit_by_orm()

    assert client.get(path, headers={"if-none-match": etag}).status_code == 200


def triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'tracker_data_changed'")
            return {name.strip('"') for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tracker_data_changed_%'"
        )
        return {name for (name,) in cursor.fetchall()}


def test_every_table_of_the_record_counts_its_writes():
    assert set(record_tables()) == triggered_tables()
    assert {"letters_letter", "letters_letter_sources", "cities_historicaljurisdiction"} <= triggered_tables()


def test_a_table_that_lost_its_triggers_gets_them_back_when_migrate_ends(place):
    # SQLite rebuilds a table to alter it, which drops its triggers; post_migrate puts them back.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER tracker_data_changed ON cities_jurisdiction")
        else:
            for event in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER tracker_data_changed_cities_jurisdiction_{event}")
    assert "cities_jurisdiction" not in triggered_tables()

    install_triggers(using=connection.alias)  # what post_migrate runs after every migrate

    assert "cities_jurisdiction" in triggered_tables()
    start = write_count()
    edit_by_orm()
    assert write_count() > start


def test_a_head_answer_fills_and_reads_the_cache_with_the_gets_headers_and_no_body(client, place):
    path = "/api/v1/jurisdictions/springfield-il/"
    head = client.head(path)  # a miss: made afresh, stored whole
    whole, queries = get(client, path)  # a hit
    again = client.head(path)  # a hit

    assert len(queries) == 1
    assert head.content == again.content == b""
    assert int(head["Content-Length"]) == int(again["Content-Length"]) == len(whole.content) > 0
    assert head["ETag"] == again["ETag"] == whole["ETag"]


def test_a_lists_tag_is_the_versions_and_the_requests_and_a_detail_keeps_its_bodys(client, place):
    from hashlib import md5

    listed, detail = (
        get(client, "/api/v1/jurisdictions/?state=IL")[0],
        get(client, "/api/v1/jurisdictions/springfield-il/")[0],
    )
    assert detail["ETag"] == f'"{md5(detail.content).hexdigest()}"'  # what a write's If-Match is checked against
    assert listed["ETag"] != f'"{md5(listed.content).hexdigest()}"'  # the body is not hashed
    assert get(client, "/api/v1/jurisdictions/?state=IL", host="localhost")[0]["ETag"] != listed["ETag"]

    LetterFactory()  # a write elsewhere: the list's body is the same, its version is not
    again = get(client, "/api/v1/jurisdictions/?state=IL")[0]
    assert again.content == listed.content
    assert again["ETag"] != listed["ETag"]
    assert get(client, "/api/v1/jurisdictions/?state=IL", if_none_match=again["ETag"])[0].status_code == 304


def test_with_no_seconds_to_keep_answers_nothing_is_kept(client, place, settings):
    from django.core.cache import cache

    settings.RESPONSE_CACHE_SECONDS = 0
    cache.clear()
    first, _ = get(client, "/api/v1/letters/")
    again, queries = get(client, "/api/v1/letters/")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert len(queries) > 1  # read again, not from the cache
    assert get(client, "/api/v1/letters/", if_none_match=first["ETag"])[0].status_code == 304


@pytest.mark.parametrize(
    "path", ["/api/v1/jurisdictions/?state=IL", "/api/v1/letters/", "/api/v1/jurisdictions/springfield-il/timeline/"]
)
def test_with_a_public_base_url_an_answer_and_its_etag_are_one_for_every_host_and_scheme(client, place, settings, path):
    settings.PUBLIC_BASE_URL = "https://tracker.example.org"
    answers = [
        client.get(path, headers={"host": "localhost"}),
        client.get(path, headers={"host": "127.0.0.1"}),
        client.get(path, headers={"host": "127.0.0.1", "x-forwarded-proto": "https"}),
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len({answer.content for answer in answers}) == 1
    assert len({answer["ETag"] for answer in answers}) == 1
    assert client.get(path, headers={"host": "localhost", "if-none-match": answers[1]["ETag"]}).status_code == 304


def test_without_a_public_base_url_each_host_has_its_own_answer_and_etag(client, place):
    answers = [client.get("/api/v1/letters/", headers={"host": host}) for host in ("localhost", "127.0.0.1")]

    assert answers[0].json()["results"][0]["url"].startswith("http://localhost/")
    assert answers[1].json()["results"][0]["url"].startswith("http://127.0.0.1/")
    assert answers[0]["ETag"] != answers[1]["ETag"]


@pytest.mark.parametrize("path", ["/api/v1/letters.csv", "/api/v1/letters/?format=ndjson"])
def test_an_exports_etag_follows_the_host_only_without_a_public_base_url(client, place, settings, path):
    def etags():
        return {client.get(path, headers={"host": host})["ETag"] for host in ("localhost", "127.0.0.1")}

    assert len(etags()) == 2  # the links in its rows differ
    settings.PUBLIC_BASE_URL = "https://tracker.example.org"
    assert len(etags()) == 1

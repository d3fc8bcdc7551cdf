"""Hostile input in every body field, stored values, methods and headers: a 4xx JSON error or a correct
answer, never a 500 (the query parameters are tests/test_hostile_input.py's).

The fields come from the API's own OpenAPI schema, so a new field is covered
without touching this file.
"""

import json
import re
import time

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from cities.models import Jurisdiction
from tests.conftest import cited, publish
from tests.test_hostile_input import LISTS, SCRIPT, SQL, no_rate_limits, openapi  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db


# Bodies ---------------------------------------------------------------------------------------

BODY_VALUES = {
    "nul": "a\x00b",
    "10000-chars": "x" * 10_000,
    "sql": SQL,
    "script": SCRIPT,
    "negative": -1,
    "1e308": 1e308,
    "10**30": 10**30,
    "2018-02-30": "2018-02-30",
    "0000-00-00": "0000-00-00",
    "99999-01-01": "99999-01-01",
    "object": {"$gt": ""},
    "list": [SQL],
}


# Taken by every write, kept in the history, never read back.
WRITE_ONLY = {"change_reason"}


def first_key(client, endpoint: str) -> str:
    row = client.get(f"/api/v1/{endpoint}/?page_size=1").json()["results"][0]
    return row.get("slug", row.get("id"))


def writable_fields(endpoint: str) -> list[str]:
    paths = openapi()["paths"]
    detail = next(path for path in paths if path.startswith(f"/api/v1/{endpoint}/{{") and path.count("/") == 5)
    body = paths[detail]["patch"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return list(openapi()["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"])


@pytest.mark.parametrize("endpoint", LISTS)
def test_hostile_values_in_every_body_field_get_a_400_naming_it_or_are_stored_exactly(
    client, editor_client, world, endpoint
):
    key, offences = first_key(client, endpoint), []
    for field in writable_fields(endpoint):
        for name, value in BODY_VALUES.items():
            # Each write on its own: rolled back, so one stored value cannot change the next test.
            with transaction.atomic():
                # A published record's edit says why; the editor reads the edit back from its working version.
                body = {"change_reason": "Hostile input", field: value}
                response = editor_client.patch(f"/api/v1/{endpoint}/{key}/", body, format="json")
                written = response.status_code == 200 and field not in WRITE_ONLY
                stored = editor_client.get(response["Location"]).json()[field] if written else None
                transaction.set_rollback(True)
            if response.status_code == 200:
                if isinstance(value, str) and isinstance(stored, str) and stored != value:
                    offences.append(f"{field}={name}: stored {stored[:60]!r}")
            elif response.status_code == 400:
                if field not in response.json().get("errors", {}):
                    offences.append(f"{field}={name}: 400 not naming it: {response.json()}")
            else:
                offences.append(f"{field}={name}: {response.status_code} {response.content[:200]!r}")
    assert offences == []


@pytest.mark.parametrize(
    "path, field",
    [("/api/v1/jurisdictions/chicago-il/", "parent"), ("/api/v1/cases/chicago-v-sessions-ca7/", "appeal_of")],
)
def test_a_record_named_as_its_own_parent_is_a_400_naming_the_field(editor_client, world, path, field):
    key = path.rstrip("/").rsplit("/", 1)[1]
    response = editor_client.patch(path, {field: key}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


MALFORMED = {
    "deep-array": "[" * 10_000 + "]" * 10_000,
    "deep-object": '{"a":' * 10_000 + "1" + "}" * 10_000,
    "invalid-utf8": b"\xff\xfe{}",
    "truncated": '{"slug": "a"',
    "empty": "",
    "null": "null",
    "string": '"a string"',
    "array": "[]",
    "nan": '{"slug": NaN}',
}


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_malformed_json_body_is_a_json_400(editor_client, world, endpoint):
    key = first_key(editor_client, endpoint)
    for name, body in MALFORMED.items():
        for method, path in (("POST", f"/api/v1/{endpoint}/"), ("PATCH", f"/api/v1/{endpoint}/{key}/")):
            if name == "empty" and method == "PATCH":
                continue  # an empty PATCH changes nothing, and answers the record
            response = editor_client.generic(method, path, body, content_type="application/json")
            assert response.status_code == 400, (name, method, response.content[:300])
            assert response.json()["status"] == 400


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]
)
def test_a_body_that_is_not_json_is_a_415(editor_client, world, content_type):
    response = editor_client.generic("POST", "/api/v1/letters/", "slug=x", content_type=content_type)
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"


def test_an_event_written_with_its_jurisdictions_is_saved(editor_client, world):
    body = {"slug": "2018-02-01-call", "date": "2018-02-01", "kind": "meeting", "title": "A call", "sources": cited()}
    response = editor_client.post("/api/v1/events/", {**body, "jurisdictions": ["chicago-il"]}, format="json")
    assert response.status_code == 201, response.content[:300]
    assert [row["slug"] for row in response.json()["jurisdictions"]] == ["chicago-il"]


# Stored markup --------------------------------------------------------------------------------


@pytest.fixture
def scripted(world):
    """Chicago's name is a script, as an editor might paste it."""
    Jurisdiction.objects.filter(slug="chicago-il").update(name=SCRIPT)


def test_a_stored_script_comes_back_as_json_data_that_no_browser_runs(client, scripted):
    response = client.get("/api/v1/jurisdictions/chicago-il/")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.json()["name"] == SCRIPT
    listed = client.get("/api/v1/jurisdictions/?slug=chicago-il").json()["results"]
    assert [row["name"] for row in listed] == [SCRIPT]


@pytest.mark.parametrize("query", ["?format=csv", "?format=ndjson"])
def test_a_stored_script_in_an_export_is_a_download_not_a_page(client, scripted, query):
    response = client.get(f"/api/v1/jurisdictions/{query}")
    assert response["Content-Type"] in ("text/csv; charset=utf-8", "application/x-ndjson; charset=utf-8")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT in b"".join(response.streaming_content).decode()


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"path": "/api/v1/jurisdictions/chicago-il/?format=api"},
        {"path": "/api/v1/jurisdictions/", "HTTP_ACCEPT": "text/html"},
    ],
)
def test_a_stored_script_in_the_browsable_api_is_html_escaped(client, scripted, request_kwargs):
    response = client.get(**request_kwargs)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_admin_changelist_and_form_escape_a_stored_script(admin_client, scripted):
    for path in ("/admin/cities/jurisdiction/", "/admin/cities/jurisdiction/?q=script"):
        html = admin_client.get(path).content.decode()
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    pk = Jurisdiction.objects.get(slug="chicago-il").pk
    html = admin_client.get(f"/admin/cities/jurisdiction/{pk}/change/").content.decode()
    assert SCRIPT not in html


def test_a_script_as_a_username_is_escaped_in_the_history(admin_client, world, editor_client, checker):
    User.objects.filter(username="checker").update(username=SCRIPT)
    edit = {"notes": "x", "change_reason": "A note"}
    assert editor_client.patch("/api/v1/jurisdictions/chicago-il/", edit, format="json").status_code == 200
    publish(User.objects.get(username=SCRIPT), Jurisdiction, slug="chicago-il")
    pk = Jurisdiction.objects.get(slug="chicago-il").pk
    html = admin_client.get(f"/admin/cities/jurisdiction/{pk}/history/").content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_error_echoing_a_script_is_json_not_html(client, world):
    response = client.get("/api/v1/jurisdictions/", {"kind": SCRIPT})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert SCRIPT in json.dumps(response.json()["errors"])


# The outside probe's inputs -------------------------------------------------------------------

NEW_LETTER = {
    "slug": "2018-01-24-probe",
    "sent_on": "2018-01-24",
    "kind": "document_demand",
    "subject": "Document demand",
    "sender_office": "Bureau of Justice Assistance",
    "sources": ["https://example.org/source/cited"],
}


@pytest.fixture
def world(world):
    """The shared world, and the source the new letters cite."""
    from tests.factories import SourceFactory

    SourceFactory(url="https://example.org/source/cited")
    return world


def test_a_body_over_the_size_limit_is_a_json_413_and_stores_nothing(editor_client, world, settings):
    body = json.dumps({**NEW_LETTER, "summary": "x" * settings.API_MAX_REQUEST_BYTES})
    response = editor_client.generic("POST", "/api/v1/letters/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "error": "request_too_large",
        "detail": f"The request body is over {settings.API_MAX_REQUEST_BYTES} bytes.",
    }
    assert editor_client.get("/api/v1/letters/2018-01-24-probe/").status_code == 404


def test_a_body_just_under_the_size_limit_is_written(editor_client, world, settings):
    summary = "x" * (settings.API_MAX_REQUEST_BYTES - 1000)
    response = editor_client.post("/api/v1/letters/", {**NEW_LETTER, "summary": summary}, format="json")
    assert response.status_code == 201


def test_thousands_of_children_are_refused_before_any_is_looked_up(editor_client, world, django_assert_max_num_queries):
    recipients = [{"jurisdiction": f"place-{n}"} for n in range(20_000)]
    # The token and its user, the user's permissions, their groups'; the working versions' transaction:
    # two savepoints, the pending revisions, two rollbacks, two releases. No place is looked up.
    with django_assert_max_num_queries(10):
        start = time.monotonic()
        response = editor_client.post("/api/v1/letters/", {**NEW_LETTER, "recipients": recipients}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"recipients": ["At most 500 items."]}
    assert time.monotonic() - start < 5


def test_the_most_children_a_write_takes_are_written(editor_client, world):
    from tests import factories as f

    places = [f.JurisdictionFactory.build() for _ in range(500)]
    Jurisdiction.objects.bulk_create(places)
    body = {**NEW_LETTER, "recipients": [{"jurisdiction": place.slug} for place in places]}
    response = editor_client.post("/api/v1/letters/", body, format="json")
    assert response.status_code == 201
    assert len(response.json()["recipients"]) == 500


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"bogus": 1}, {"bogus": ["Unknown field."]}),
        ({"summary": "x", "sumary": "typo"}, {"sumary": ["Unknown field."]}),
        ({"recipients": [{"jurisdiction": "chicago-il", "determinaton": "compliant"}]}, None),
    ],
)
def test_an_unknown_field_in_a_body_is_a_400_naming_it(editor_client, world, body, errors):
    response = editor_client.patch("/api/v1/letters/2018-01-24-demands/", body, format="json")
    assert response.status_code == 400, response.content
    if errors is not None:
        assert response.json()["errors"] == errors
    else:
        assert response.json()["errors"] == {"recipients": [{"determinaton": ["Unknown field."]}]}
    assert editor_client.post("/api/v1/letters/", {**NEW_LETTER, "bogus": 1}, format="json").status_code == 400


def test_a_body_read_from_the_api_can_be_written_back_whole(editor_client, world):
    record = editor_client.get("/api/v1/letters/2018-01-24-demands/").json()
    record["recipients"] = [{"jurisdiction": row["jurisdiction"]["slug"]} for row in record["recipients"]]
    record["sources"] = [source["id"] for source in record["sources"]]
    response = editor_client.put("/api/v1/letters/2018-01-24-demands/", record, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("endpoint", LISTS)
def test_an_anonymous_put_on_a_list_is_a_405_not_a_401(client, world, endpoint):
    response = client.put(f"/api/v1/{endpoint}/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert "PUT" not in response["Allow"]


@pytest.mark.parametrize(
    "path", ["/api/v1/stats/", "/api/v1/changes/", "/api/v1/jurisdictions/chicago-il/timeline/", "/api/v1/"]
)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_write_to_a_read_only_report_is_a_405_for_anyone(client, editor_client, world, path, method):
    for who in (client, editor_client):
        response = who.generic(method, path, "{}", content_type="application/json")
        assert response.status_code == 405, (method, path, response.content)
        assert response.json()["status"] == 405


def wsgi(method: str, path: str, **headers) -> tuple[str, dict, bytes]:
    """A request through the WSGI application itself: the test client drops HEAD bodies on its own."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test.client import RequestFactory

    environ = RequestFactory().generic(method, path, **headers).environ
    answer = {}
    # As a plain WSGI call, each request's start and end would close the test's connection (and its
    # transaction) on PostgreSQL; the test client keeps it by disconnecting these receivers, and so does this.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(
            environ, lambda status, header_list: answer.update(status=status, headers=dict(header_list))
        )
        body = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


@pytest.mark.parametrize("path", ["/api/v1/letters/", "/api/v1/letters/2018-01-24-demands/", "/api/v1/stats/"])
def test_head_answers_the_gets_headers_with_no_body(world, path):
    _, get_headers, get_body = wsgi("GET", path)
    status, headers, body = wsgi("HEAD", path)
    assert status == "200 OK"
    assert body == b""
    assert headers["ETag"] == get_headers["ETag"]
    assert headers["Content-Length"] == str(len(get_body))
    assert wsgi("HEAD", path, HTTP_IF_NONE_MATCH=headers["ETag"])[0] == "304 Not Modified"


def test_head_on_an_export_starts_no_stream(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the time of the last change, for the ETag; no row is read
        status, headers, body = wsgi("HEAD", "/api/v1/letters/?format=csv")
    assert (status, headers["Content-Type"], body) == ("200 OK", "text/csv; charset=utf-8", b"")


def test_a_post_to_health_is_refused_in_json(client):
    for who in (client, Client(enforce_csrf_checks=True)):
        response = who.post("/health")
        assert response["Content-Type"] == "application/json"
        assert response.json()["status"] == response.status_code


def test_a_csrf_failure_on_the_api_is_json(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    response = browser.post("/health")
    assert response.status_code == 403
    assert response.json()["error"] == "permission_denied"
    assert response.json()["detail"].startswith("CSRF verification failed")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_schema_errors_are_json_like_the_apis(client, method):
    response = client.generic(method, "/api/v1/schema/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "method_not_allowed"


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/v1/letters/2018-01-24-demands/", "document_url"),
        ("/api/v1/rulings/ilnd-pi/", "opinion_url"),
        ("/api/v1/designation-lists/doj-2025-08/", "list_url"),
    ],
)
@pytest.mark.parametrize(
    "url", ['https://example.org/"><script>alert(1)</script>', "https://example.org/a b", "https://exämple.org/"]
)
def test_a_url_with_characters_no_uri_holds_is_a_400_naming_it(editor_client, world, path, field, url):
    response = editor_client.patch(path, {field: url}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


def test_a_source_link_with_markup_is_a_400(editor_client, world):
    body = {"link": 'https://example.org/"><script>', "title": "x", "kind": "news"}
    response = editor_client.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["link"]


def test_a_slug_differing_only_in_case_is_refused(editor_client, world):
    body = {"slug": "Chicago-IL", "name": "Chicago again", "kind": "city", "state": "IL"}
    response = editor_client.post("/api/v1/jurisdictions/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["slug"]


@pytest.mark.parametrize(
    "path, field, value",
    [
        ("/api/v1/jurisdictions/illinois/", "parent", "chicago-il"),
        ("/api/v1/cases/chicago-v-sessions-ilnd/", "appeal_of", "chicago-v-sessions-ca7"),
    ],
)
def test_a_loop_of_parents_or_appeals_is_a_400_naming_the_field(editor_client, world, path, field, value):
    response = editor_client.patch(path, {field: value}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


def test_a_response_before_the_letter_was_sent_is_refused(editor_client, world):
    early = {"recipients": [{"jurisdiction": "chicago-il", "responded_on": "2018-01-23"}], "change_reason": "Answer"}
    response = editor_client.patch("/api/v1/letters/2018-01-24-demands/", early, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "recipients": ["A response (2018-01-23) cannot come before the letter was sent (2018-01-24)."]
    }
    on_time = {"recipients": [{"jurisdiction": "chicago-il", "responded_on": "2018-02-20"}], "change_reason": "Answer"}
    assert editor_client.patch("/api/v1/letters/2018-01-24-demands/", on_time, format="json").status_code == 200
    later = editor_client.patch("/api/v1/letters/2018-01-24-demands/", {"sent_on": "2018-02-21"}, format="json")
    assert later.status_code == 400
    assert list(later.json()["errors"]) == ["sent_on"]


def test_the_admin_refuses_a_response_before_the_letter_was_sent_too(world):
    from django.core.exceptions import ValidationError

    from letters.models import LetterRecipient

    recipient = LetterRecipient.objects.filter(letter__slug="2018-01-24-demands").first()
    recipient.responded_on = recipient.letter.sent_on.replace(year=2017)
    with pytest.raises(ValidationError, match="cannot come before the letter was sent"):
        recipient.full_clean()


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1000-06-01", "2101-01-01"])
@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/v1/letters/2018-01-24-demands/", "sent_on"),
        ("/api/v1/officials/rahm-emanuel/", "term_end"),
        ("/api/v1/cases/sf-v-sessions-cand/", "filed_on"),
    ],
)
def test_a_date_outside_the_plausible_range_is_a_400_naming_it(editor_client, world, date, path, field):
    response = editor_client.patch(path, {field: date}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert "Give a date from 1776-01-01 to 2100-12-31." in str(response.json()["errors"][field])


@pytest.fixture
def public_base_url(settings):
    settings.PUBLIC_BASE_URL = "https://tracker.example.org"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/letters/2018-01-24-demands/",
        "/api/v1/letters/?page_size=1",
        "/api/v1/",
    ],
)
def test_a_body_and_its_etag_are_the_same_whatever_host_or_scheme_asks(client, world, public_base_url, path):
    answers = [
        client.get(path, HTTP_HOST="localhost"),
        client.get(path, HTTP_HOST="127.0.0.1"),
        client.get(path, secure=True),
    ]
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer["ETag"] for answer in answers}) == 1
    assert len({answer.content for answer in answers}) == 1
    links = [link for link in re.findall(r'https?://[^"]+', answers[0].content.decode()) if "/api/" in link]
    assert links and all(link.startswith("https://tracker.example.org/api/v1/") for link in links), links


def test_the_changes_feed_links_to_the_public_name_whatever_host_or_scheme_asks(client, world, public_base_url):
    """Its resume cursor holds the database's snapshot at the time of asking, which any other client's
    transaction moves, so two answers are compared without it (outside a test's transaction the second one
    is the first, from the shared cache)."""
    path = "/api/v1/changes/?since=2000-01-01T00:00:00Z"
    answers = [client.get(path, HTTP_HOST="localhost"), client.get(path, HTTP_HOST="127.0.0.1")]
    answers.append(client.get(path, secure=True))
    assert {answer.status_code for answer in answers} == {200}
    bodies = [answer.json() for answer in answers]
    assert len({json.dumps({**body, "resume": None}) for body in bodies}) == 1
    links = [body["resume"] for body in bodies] + [change["url"] for change in bodies[0]["results"]]
    assert all(link.startswith("https://tracker.example.org/api/v1/") for link in links), links


def test_an_if_match_read_through_one_host_name_works_through_another(client, editor_client, world, public_base_url):
    etag = client.get("/api/v1/letters/2018-01-24-demands/", HTTP_HOST="localhost")["ETag"]
    response = editor_client.patch(
        "/api/v1/letters/2018-01-24-demands/",
        {"summary": "New", "change_reason": "A summary"},
        format="json",
        HTTP_HOST="127.0.0.1",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200
    assert response["Location"] == "https://tracker.example.org/api/v1/letters/2018-01-24-demands/"


def test_without_a_public_base_url_links_follow_the_request(client, world):
    body = client.get("/api/v1/letters/2018-01-24-demands/", HTTP_HOST="localhost").json()
    assert body["url"] == "http://localhost/api/v1/letters/2018-01-24-demands/"


@pytest.mark.parametrize("value", ["tracker.example.org", "https://tracker.example.org/api", "ftp://x.org", "https://"])
def test_a_public_base_url_that_is_not_an_origin_stops_the_process(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from tracker.settings import envorigin

    monkeypatch.setenv("PUBLIC_BASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_BASE_URL must be an origin"):
        envorigin("PUBLIC_BASE_URL")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://tracker.example.org/")
    assert envorigin("PUBLIC_BASE_URL") == "https://tracker.example.org"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stats/determinations/",
        "/api/v1/stats/grants/",
        "/api/v1/courts/ilnd/?fields=id&omit=id",
        "/api/v1/cases/0/?expand=appeal_of&fields=slug&omit=slug",
        "/api/v1/case-parties/",
    ],
)
def test_options_on_any_endpoint_is_answered(client, world, path):
    response = client.options(path)
    assert response.status_code in (200, 404), response.content[:300]
    assert response["Content-Type"] == "application/json"


def test_a_blank_url_is_documented_as_a_blank_string_or_a_uri():
    schema = openapi()["components"]["schemas"]["Ruling"]["properties"]["opinion_url"]
    assert "format" not in schema
    assert schema["anyOf"] == [
        {"type": "string", "format": "uri", "maxLength": 1000},
        {"type": "string", "maxLength": 0},
    ]

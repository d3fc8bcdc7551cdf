"""Editors write through the API: validated whole, attributed, never lost."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import Jurisdiction
from letters.models import GrantAward, Letter, LetterRecipient
from tests.conftest import cited, publish
from tracker.models import Revision

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


NEW_LETTER = {
    "slug": "2018-01-24-new-demands",
    "sent_on": "2018-01-24",
    "kind": "document_demand",
    "subject": "Document demand",
    "sender_office": "Bureau of Justice Assistance",
    "response_due": "2018-02-23",
    "recipients": [
        {"jurisdiction": "chicago-il", "addressee": "Mayor"},
        {"jurisdiction": "california", "determination": "pending"},
    ],
}


def test_anonymous_writes_are_refused_with_401(client, world):
    response = client.post("/api/v1/jurisdictions/", {"slug": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_a_signed_in_user_who_is_not_an_editor_gets_403(world):
    outsider = User.objects.create_user("reader")
    response = token_client(outsider).patch("/api/v1/jurisdictions/chicago-il/", {"name": "X"}, format="json")
    assert response.status_code == 403
    assert Jurisdiction.objects.get(slug="chicago-il").name == "City of Chicago"


def test_an_editor_creates_a_letter_with_its_recipients_in_one_request(editor_client, world, editor, checker):
    response = editor_client.post("/api/v1/letters/", {**NEW_LETTER, "sources": cited()}, format="json")

    assert response.status_code == 201, response.json()
    assert response["Location"] == "http://testserver/api/v1/letters/2018-01-24-new-demands/"
    assert response["ETag"]
    body = response.json()
    assert [(r["jurisdiction"]["slug"], r["determination"]) for r in body["recipients"]] == [
        ("chicago-il", "pending"),
        ("california", "pending"),
    ]
    assert not Letter.objects.filter(slug="2018-01-24-new-demands").exists()  # a draft, until checked
    assert list(Revision.objects.get().authors.all()) == [editor]
    letter = publish(checker, Letter, slug="2018-01-24-new-demands")
    assert letter.history.get().history_user == checker
    assert {r.history.get().history_user for r in letter.letter_recipients.all()} == {checker}


def test_a_nested_write_with_one_bad_recipient_writes_nothing(editor_client, world):
    payload = {**NEW_LETTER, "recipients": [{"jurisdiction": "chicago-il"}, {"jurisdiction": "atlantis"}]}

    response = editor_client.post("/api/v1/letters/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"recipients": [{}, {"jurisdiction": ["No record with slug 'atlantis'."]}]}
    assert not Letter.objects.filter(slug=NEW_LETTER["slug"]).exists()


def test_a_recipient_listed_twice_is_refused(editor_client, world):
    payload = {**NEW_LETTER, "recipients": [{"jurisdiction": "chicago-il"}, {"jurisdiction": "chicago-il"}]}
    response = editor_client.post("/api/v1/letters/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"recipients": ["Listed twice: City of Chicago."]}


def test_replacing_recipients_updates_adds_and_removes(editor_client, world, checker):
    letter = "/api/v1/letters/2018-01-24-demands/"
    payload = {
        "recipients": [
            {"jurisdiction": "chicago-il", "determination": "compliant"},
            {"jurisdiction": "cook-county-il"},
        ],
        "change_reason": "DOJ's findings",
    }

    response = editor_client.patch(letter, payload, format="json")

    assert response.status_code == 200, response.json()
    publish(checker, Letter, slug="2018-01-24-demands")
    rows = LetterRecipient.objects.filter(letter__slug="2018-01-24-demands").order_by("jurisdiction__slug")
    assert [(r.jurisdiction.slug, r.determination) for r in rows] == [
        ("chicago-il", "compliant"),
        ("cook-county-il", "pending"),
    ]


def test_a_stale_if_match_gets_412_and_changes_nothing(editor_client, world):
    url = "/api/v1/jurisdictions/chicago-il/"
    read = editor_client.get(url)
    edit = {"name": "First edit", "change_reason": "Its charter name"}
    first = editor_client.patch(url, edit, format="json", HTTP_IF_MATCH=read["ETag"])
    assert first.status_code == 200

    edit = {"name": "Second edit", "change_reason": "Its charter name"}
    second = editor_client.patch(url, edit, format="json", HTTP_IF_MATCH=read["ETag"])

    assert second.status_code == 412
    assert second.json()["error"] == "precondition_failed"
    assert editor_client.get(url).json()["name"] == "First edit"


def test_the_etag_of_a_write_is_the_etag_of_the_next_read(editor_client, world):
    url = "/api/v1/jurisdictions/chicago-il/"
    written = editor_client.patch(url, {"name": "Chicago", "change_reason": "Short name"}, format="json")
    assert editor_client.get(url)["ETag"] == written["ETag"]
    edit = {"notes": "checked", "change_reason": "A note"}
    again = editor_client.patch(url, edit, format="json", HTTP_IF_MATCH=written["ETag"])
    assert again.status_code == 200


def test_editing_a_recipient_changes_its_letters_etag(editor_client, world):
    before = editor_client.get("/api/v1/letters/2018-01-24-demands/")["ETag"]
    recipient = LetterRecipient.objects.get(letter__slug="2018-01-24-demands", jurisdiction__slug="chicago-il")
    recipient.determination = "compliant"
    recipient.save()
    assert editor_client.get("/api/v1/letters/2018-01-24-demands/")["ETag"] != before


def test_editing_a_recipient_brings_its_letter_into_incremental_sync(client, world):
    since = timezone.now()
    recipient = LetterRecipient.objects.get(letter__slug="2018-01-24-demands", jurisdiction__slug="chicago-il")
    recipient.determination = "compliant"
    recipient.save()

    response = client.get("/api/v1/letters/", {"updated_since": since.isoformat()})

    assert [row["slug"] for row in response.json()["results"]] == ["2018-01-24-demands"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"amount": "-5.00"}, "amount"),
        ({"status": "lost"}, "status"),
        ({"fiscal_year": 1700}, "fiscal_year"),
        ({"jurisdiction": "atlantis"}, "jurisdiction"),
    ],
)
def test_a_grant_breaking_a_rule_is_a_400_naming_the_field(editor_client, world, payload, field):
    grant = GrantAward.objects.get(jurisdiction__slug="chicago-il")
    response = editor_client.patch(f"/api/v1/grants/{grant.pk}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    grant.refresh_from_db()
    assert grant.amount == grant.history.earliest().amount


def test_a_second_grant_row_for_the_same_year_is_a_400(editor_client, world):
    payload = {"jurisdiction": "chicago-il", "program": "byrne_jag", "fiscal_year": 2017, "status": "awarded"}
    response = editor_client.post("/api/v1/grants/", payload, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_a_ruling_dated_before_its_case_was_filed_is_a_400(editor_client, world):
    payload = {
        "slug": "too-early",
        "case": "chicago-v-sessions-ilnd",
        "decided_on": "2017-01-01",
        "kind": "tro",
        "outcome": "for_jurisdiction",
    }
    response = editor_client.post("/api/v1/rulings/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"decided_on": ["A ruling cannot be dated before its case was filed."]}


def test_sources_are_cited_by_id_or_url(editor_client, world):
    source = world["chicago"].sources.get()
    payload = {"sources": [source.pk], "change_reason": "A better source"}
    assert editor_client.patch("/api/v1/jurisdictions/cook-county-il/", payload, format="json").status_code == 200
    payload = {"sources": [source.url], "change_reason": "A better source"}
    response = editor_client.patch("/api/v1/jurisdictions/illinois/", payload, format="json")
    assert [s["id"] for s in response.json()["sources"]] == [source.pk]
    bad = editor_client.patch(
        "/api/v1/jurisdictions/illinois/", {"sources": ["https://nowhere.example"]}, format="json"
    )
    assert bad.status_code == 400


def test_editors_cannot_delete_but_superusers_can(editor_client, world):
    assert editor_client.delete("/api/v1/events/eo-14159/").status_code == 403
    admin = User.objects.create_superuser("admin", password="x")
    assert token_client(admin).delete("/api/v1/events/eo-14159/").status_code == 204


def test_deleting_a_jurisdiction_others_depend_on_is_a_409(world):
    admin = User.objects.create_superuser("admin", password="x")
    response = token_client(admin).delete("/api/v1/jurisdictions/chicago-il/")
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert Jurisdiction.objects.filter(slug="chicago-il").exists()


def test_query_parameters_on_a_write_are_refused(editor_client, world):
    response = editor_client.patch("/api/v1/jurisdictions/chicago-il/?fields=slug", {"name": "X"}, format="json")
    assert response.status_code == 400


def test_a_new_official_names_its_jurisdiction_by_slug(editor_client, world):
    payload = {
        "slug": "new-mayor",
        "name": "New Mayor",
        "role": "mayor",
        "jurisdiction": "chicago-il",
        "sources": cited(),
    }
    response = editor_client.post("/api/v1/officials/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["jurisdiction"]["slug"] == "chicago-il"
    assert response.json()["term_start"] is None
    end_before_start = {**payload, "slug": "x", "term_start": "2019-01-01", "term_end": "2018-01-01"}
    assert editor_client.post("/api/v1/officials/", end_before_start, format="json").status_code == 400


def test_an_unknown_choice_in_a_nested_participant_is_a_400(editor_client, world):
    payload = {"participants": [{"name": "Someone", "participation": "maybe"}]}
    response = editor_client.patch("/api/v1/events/2018-01-24-meeting/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["participants"][0]["participation"]


def test_a_case_is_written_with_its_parties(editor_client, world):
    payload = {
        "slug": "new-case",
        "caption": "United States v. Illinois",
        "court": "ilnd",
        "docket_number": "1:25-cv-01285",
        "filed_on": datetime.date(2025, 2, 6).isoformat(),
        "parties": [
            {"jurisdiction": "illinois", "role": "defendant"},
            {"jurisdiction": "chicago-il", "role": "defendant"},
        ],
        "sources": cited(),
    }
    response = editor_client.post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert [p["jurisdiction"]["slug"] for p in response.json()["parties"]] == ["illinois", "chicago-il"]

"""Two-person verification and change reasons through the write API."""

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from letters.models import GrantAward, Letter
from tests.conftest import slugs

pytestmark = pytest.mark.django_db

URL = "/api/v1/letters/2018-01-24-new-demands/"
NEW_LETTER = {
    "slug": "2018-01-24-new-demands",
    "sent_on": "2018-01-24",
    "kind": "document_demand",
    "subject": "Document demand",
    "sender_office": "Bureau of Justice Assistance",
    "recipients": [{"jurisdiction": "chicago-il"}],
    "change_reason": "DOJ press release of 24 January 2018",
}


def editor_named(name: str) -> APIClient:
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def ana(world) -> APIClient:
    return editor_named("ana")


@pytest.fixture
def ben(world) -> APIClient:
    return editor_named("ben")


@pytest.fixture
def drafted(ana) -> Letter:
    assert ana.post("/api/v1/letters/", NEW_LETTER, format="json").status_code == 201
    return Letter.objects.get(slug="2018-01-24-new-demands")


def errors(response) -> dict:
    return response.json()["errors"]


def test_a_new_record_is_a_draft_not_yet_checked_and_keeps_its_reason(ana, drafted):
    body = ana.get(URL).json()
    assert (body["review_state"], body["checked_at"]) == ("draft", None)
    assert "change_reason" not in body
    assert drafted.history.get().history_change_reason == "DOJ press release of 24 January 2018"
    recipient = drafted.letter_recipients.get()
    assert recipient.history.get().history_change_reason == "DOJ press release of 24 January 2018"


def test_a_new_record_cannot_start_as_published(ana, world):
    response = ana.post("/api/v1/letters/", {**NEW_LETTER, "review_state": "published"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {"review_state": ["A new record is a draft until checked."]}
    assert not Letter.objects.filter(slug=NEW_LETTER["slug"]).exists()


def test_the_editor_who_wrote_a_record_cannot_check_it(ana, drafted):
    response = ana.patch(URL, {"review_state": "checked"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {
        "review_state": ["You made the last change to this record; a second editor must check it."]
    }
    drafted.refresh_from_db()
    assert drafted.review_state == "draft"


def test_a_second_editor_checks_then_publishes_and_the_history_says_who(ben, drafted):
    before = timezone.now()
    checked = ben.patch(URL, {"review_state": "checked"}, format="json")
    assert checked.status_code == 200, checked.json()
    assert checked.json()["review_state"] == "checked"
    drafted.refresh_from_db()
    assert before <= drafted.checked_at <= timezone.now()
    check = drafted.history.latest()
    assert (check.history_user.username, check.history_change_reason) == ("ben", "Checked against its sources")

    published = ben.patch(URL, {"review_state": "published"}, format="json")
    assert published.status_code == 200
    assert published.json()["review_state"] == "published"
    assert published.json()["checked_at"] == checked.json()["checked_at"]


def test_a_draft_cannot_be_published_before_it_is_checked(ben, drafted):
    response = ben.patch(URL, {"review_state": "published"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {"review_state": ["A draft record cannot become published; it can become: checked."]}


def test_a_check_cannot_come_with_an_edit(ben, drafted):
    response = ben.patch(URL, {"review_state": "checked", "subject": "Ben's subject"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {
        "review_state": ["Check or publish a record without changing it: send review_state alone."]
    }
    drafted.refresh_from_db()
    assert (drafted.subject, drafted.review_state) == ("Document demand", "draft")


@pytest.fixture
def published(ana, ben, drafted) -> Letter:
    assert ben.patch(URL, {"review_state": "checked"}, format="json").status_code == 200
    assert ben.patch(URL, {"review_state": "published"}, format="json").status_code == 200
    return drafted


def test_an_edit_of_a_published_record_needs_a_reason(ana, published):
    response = ana.patch(URL, {"subject": "Corrected subject"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {"change_reason": ["This record is published: say why you change it."]}
    published.refresh_from_db()
    assert published.subject == "Document demand"


def test_a_substantive_edit_with_a_reason_sends_the_record_back_to_draft(ana, published):
    reason = "Corrected: the letter demands documents under 8 U.S.C. 1373"
    response = ana.patch(URL, {"subject": "Corrected subject", "change_reason": reason}, format="json")
    assert response.status_code == 200
    assert (response.json()["review_state"], response.json()["checked_at"]) == ("draft", None)
    edit = published.history.latest()
    assert (edit.history_user.username, edit.history_change_reason, edit.subject) == (
        "ana",
        reason,
        "Corrected subject",
    )


def test_a_note_on_a_published_record_keeps_it_published(ana, published):
    response = ana.patch(URL, {"notes": "Also reported by the Tribune.", "change_reason": "Note"}, format="json")
    assert response.status_code == 200
    assert response.json()["review_state"] == "published"


def test_the_review_state_filter_lists_only_checked_facts(ana, published, world):
    assert slugs(ana.get("/api/v1/letters/?review_state=published")) == ["2018-01-24-new-demands"]
    drafts = slugs(ana.get("/api/v1/letters/?review_state=draft&ordering=slug"))
    assert drafts == ["2017-04-21-letters", "2018-01-24-demands"]
    assert slugs(ana.get("/api/v1/jurisdictions/?review_state=checked,published")) == []


def test_an_unknown_review_state_is_a_400_naming_the_parameter(client, world):
    response = client.get("/api/v1/grants/?review_state=approved")
    assert response.status_code == 400
    assert list(errors(response)) == ["review_state"]


def test_a_deletion_keeps_its_reason(world, published):
    admin = User.objects.create_superuser("chief")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    response = client.delete(URL, {"change_reason": "Duplicate of the 2018-01-24 demands"}, format="json")
    assert response.status_code == 204
    deletion = Letter.history.filter(slug=NEW_LETTER["slug"]).latest()
    assert (deletion.history_type, deletion.history_change_reason) == ("-", "Duplicate of the 2018-01-24 demands")


def test_a_deletion_reason_that_is_not_text_is_a_400(world, published):
    admin = User.objects.create_superuser("chief")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    response = client.delete(URL, {"change_reason": ["a", "list"]}, format="json")
    assert response.status_code == 400
    assert list(errors(response)) == ["change_reason"]
    assert Letter.objects.filter(slug=NEW_LETTER["slug"]).exists()


def test_the_schema_has_change_reason_in_writes_only_and_review_fields_in_reads(client):
    components = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    assert "change_reason" in components["LetterRequest"]["properties"]
    assert "change_reason" in components["PatchedLetterRequest"]["properties"]
    assert "change_reason" not in components["Letter"]["properties"]
    assert components["Letter"]["properties"]["checked_at"]["readOnly"] is True
    assert "review_state" in components["Letter"]["properties"]


def test_grant_figures_can_sum_only_published_rows(client, world):
    GrantAward.objects.filter(jurisdiction__slug="chicago-il").update(review_state="published")

    body = client.get("/api/v1/stats/grants/?review_state=published").json()

    assert [(row["state"], row["fiscal_year"], row["status"], row["rows"]) for row in body["results"]] == [
        ("IL", 2017, "withheld", 1)
    ]

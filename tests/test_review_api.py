"""Two-person verification and change reasons through the write API."""

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from letters.models import Letter
from tests.conftest import cited, slugs
from tracker.models import Revision

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
PUBLISHED_URL = "/api/v1/letters/2018-01-24-demands/"


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
def drafted(ana) -> Revision:
    response = ana.post("/api/v1/letters/", {**NEW_LETTER, "sources": cited()}, format="json")
    assert response.status_code == 201, response.json()
    return Revision.objects.get()


def errors(response) -> dict:
    return response.json()["errors"]


def test_a_new_record_is_a_draft_only_editors_read(client, ana, drafted):
    body = ana.get(URL).json()
    assert (body["review_state"], body["checked_at"]) == ("draft", None)
    assert "change_reason" not in body
    assert client.get(URL).status_code == 404
    assert slugs(client.get("/api/v1/letters/?ordering=slug")) == ["2017-04-21-letters", "2018-01-24-demands"]
    assert "2018-01-24-new-demands" in slugs(ana.get("/api/v1/letters/"))
    assert "2018-01-24-new-demands" not in slugs(ana.get("/api/v1/letters/?public=true"))
    assert b"2018-01-24-new-demands" not in b"".join(client.get("/api/v1/letters.csv").streaming_content)
    assert b"2018-01-24-new-demands" in b"".join(ana.get("/api/v1/letters.csv").streaming_content)
    assert not Letter.objects.filter(slug=NEW_LETTER["slug"]).exists()
    assert not Letter.history.filter(slug=NEW_LETTER["slug"]).exists()


def test_a_new_record_cannot_start_as_published(ana, world):
    response = ana.post("/api/v1/letters/", {**NEW_LETTER, "review_state": "published"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {"review_state": ["A new record is a draft until checked."]}
    assert not Revision.objects.exists()


def test_a_record_is_created_with_a_source(ana, world):
    response = ana.post("/api/v1/letters/", {**NEW_LETTER, "sources": []}, format="json")
    assert response.status_code == 400
    assert errors(response) == {"sources": ["Cite at least one source: every fact needs one."]}
    assert not Revision.objects.exists()


def test_the_editor_who_wrote_a_record_cannot_check_it(ana, drafted):
    response = ana.patch(URL, {"review_state": "checked"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {
        "review_state": ["You made changes to this record since it was last published; a second editor must check it."]
    }
    drafted.refresh_from_db()
    assert drafted.state == "draft"


def test_an_empty_write_makes_no_one_an_editor_and_cannot_open_the_check(ana, ben, drafted):
    assert ben.patch(URL, {}, format="json").status_code == 200
    assert ben.patch(URL, {"subject": "Document demand"}, format="json").status_code == 200
    assert [user.username for user in drafted.authors.all()] == ["ana"]
    assert len(Revision.objects.get().log) == 1
    assert ana.patch(URL, {"review_state": "checked"}, format="json").status_code == 400


def test_a_second_editor_checks_then_publishes_with_one_history_row(client, ana, ben, drafted):
    before = timezone.now()
    checked = ben.patch(URL, {"review_state": "checked"}, format="json")
    assert checked.status_code == 200, checked.json()
    assert checked.json()["review_state"] == "checked"
    assert client.get(URL).status_code == 404

    published = ana.patch(URL, {"review_state": "published"}, format="json")
    assert published.status_code == 200
    assert published.json()["review_state"] == "published"
    letter = Letter.objects.get(slug=NEW_LETTER["slug"])
    assert before <= letter.checked_at <= timezone.now()
    created = letter.history.get()
    assert (created.history_type, created.history_user.username, created.history_change_reason) == (
        "+",
        "ana",
        "DOJ press release of 24 January 2018",
    )
    assert client.get(URL).json()["subject"] == "Document demand"
    steps = [(entry["action"], entry["user"]) for entry in Revision.objects.get().log]
    assert steps == [("changed", "ana"), ("checked", "ben"), ("published", "ana")]


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
    assert Revision.objects.get().content[0]["fields"]["subject"] == "Document demand"


def test_an_edit_of_a_published_record_needs_a_reason(ana, world):
    response = ana.patch(PUBLISHED_URL, {"subject": "Corrected subject"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {"change_reason": ["This record is published: say why you change it."]}
    assert not Revision.objects.exists()


def test_an_edit_of_a_published_record_waits_for_a_check_while_the_public_reads_the_published_one(
    client, ana, ben, world
):
    published = client.get(PUBLISHED_URL).json()
    history_rows = Letter.history.filter(slug="2018-01-24-demands").count()
    edit = {"subject": "Corrected subject", "recipients": [{"jurisdiction": "cook-county-il"}], "change_reason": "Fix"}
    response = ana.patch(PUBLISHED_URL, edit, format="json")
    assert response.status_code == 200
    assert (response.json()["review_state"], response.json()["checked_at"]) == ("draft", None)
    assert client.get(PUBLISHED_URL).json() == published
    assert ana.get(PUBLISHED_URL + "?public=true").json() == published
    assert ana.get(PUBLISHED_URL).json()["subject"] == "Corrected subject"

    assert ben.patch(PUBLISHED_URL, {"review_state": "checked"}, format="json").status_code == 200
    assert ben.patch(PUBLISHED_URL, {"review_state": "published"}, format="json").status_code == 200
    now = client.get(PUBLISHED_URL).json()
    assert (now["subject"], [r["jurisdiction"]["slug"] for r in now["recipients"]]) == (
        "Corrected subject",
        ["cook-county-il"],
    )
    letter = Letter.objects.get(slug="2018-01-24-demands")
    edit = letter.history.latest()
    assert (edit.history_type, edit.history_user.username, edit.history_change_reason) == ("~", "ben", "Fix")
    assert letter.history.count() == history_rows + 1


def test_a_rename_waits_at_the_published_slug(client, ana, ben, world):
    edit = {"slug": "2018-01-24-renamed", "change_reason": "A clearer slug"}
    assert ana.patch(PUBLISHED_URL, edit, format="json").json()["slug"] == "2018-01-24-renamed"
    assert ana.get(PUBLISHED_URL).json()["slug"] == "2018-01-24-renamed"
    assert client.get(PUBLISHED_URL).json()["slug"] == "2018-01-24-demands"
    assert ben.patch(PUBLISHED_URL, {"review_state": "checked"}, format="json").status_code == 200
    assert ben.patch(PUBLISHED_URL, {"review_state": "published"}, format="json").status_code == 200
    assert client.get("/api/v1/letters/2018-01-24-renamed/").status_code == 200


def test_the_last_source_cannot_be_dropped(ana, world):
    response = ana.patch(PUBLISHED_URL, {"sources": [], "change_reason": "Bad source"}, format="json")
    assert response.status_code == 400
    assert errors(response) == {"sources": ["Cite at least one source: every fact needs one."]}


def test_an_unknown_review_state_is_a_400_naming_the_parameter(client, world):
    response = client.get("/api/v1/grants/?review_state=approved")
    assert response.status_code == 400
    assert list(errors(response)) == ["review_state"]


def test_a_deletion_takes_effect_at_once_and_keeps_its_reason(client, world):
    admin = User.objects.create_superuser("chief")
    chief = APIClient()
    chief.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    response = chief.delete(PUBLISHED_URL, {"change_reason": "Duplicate of the 2017 letters"}, format="json")
    assert response.status_code == 204
    assert client.get(PUBLISHED_URL).status_code == 404
    deletion = Letter.history.filter(slug="2018-01-24-demands").latest()
    assert (deletion.history_type, deletion.history_change_reason) == ("-", "Duplicate of the 2017 letters")


def test_a_deletion_reason_that_is_not_text_is_a_400(world):
    admin = User.objects.create_superuser("chief")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    response = client.delete(PUBLISHED_URL, {"change_reason": ["a", "list"]}, format="json")
    assert response.status_code == 400
    assert list(errors(response)) == ["change_reason"]
    assert Letter.objects.filter(slug="2018-01-24-demands").exists()


def test_the_schema_has_change_reason_in_writes_only_and_review_fields_in_reads(client):
    components = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    assert "change_reason" in components["LetterRequest"]["properties"]
    assert "change_reason" in components["PatchedLetterRequest"]["properties"]
    assert "change_reason" not in components["Letter"]["properties"]
    assert components["Letter"]["properties"]["checked_at"]["readOnly"] is True
    assert "review_state" in components["Letter"]["properties"]

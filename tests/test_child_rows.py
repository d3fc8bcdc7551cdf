"""Children read as plain rows (tracker.reading.plan.ReadPlan.read_children).

A letter's recipients, a case's parties and an event's participants are read
for a whole page in one ``values_list`` query and shown through the child
serializer's plan, with no model instance. What they show must be what DRF
shows from the model instances, field for field, in a list, a detail, an
export and a written record; an ``as_of`` snapshot still reads them from the
history.
"""

import datetime
import json

import pytest
from django.db.models.signals import post_init
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.serializers import ListSerializer

from cities.models import Jurisdiction
from letters.models import CourtCase, Event, Letter, LetterRecipient
from letters.serializers import CasePartySerializer, EventParticipantSerializer, LetterRecipientSerializer
from tests import factories as f
from tests.conftest import cited

# resource, its model, the children's field, their relation, the child serializer
PARENTS = [
    ("letters", Letter, "recipients", "letter_recipients", LetterRecipientSerializer),
    ("cases", CourtCase, "parties", "case_parties", CasePartySerializer),
    ("events", Event, "participants", "participants", EventParticipantSerializer),
]


@pytest.fixture
def varied(world):
    """Children with every kind of value: a date, a check time, sources, and a participant with no place."""
    recipient = LetterRecipient.objects.order_by("pk").first()
    recipient.responded_on = recipient.letter.sent_on + datetime.timedelta(days=30)
    recipient.save()
    # Set as a check would leave it (a save by an editor makes the record a draft again).
    LetterRecipient.objects.filter(pk=recipient.pk).update(checked_at=timezone.now().replace(microsecond=123456))
    recipient.sources.set([f.SourceFactory(), f.SourceFactory()])
    event = Event.objects.get(slug="2018-01-24-meeting")
    f.EventParticipantFactory(event=event, name="A mayor the sources name without a place", jurisdiction=None)
    return world


def drf_children(parent, relation: str, child_serializer) -> list[dict]:
    """What DRF shows for the record's children, from model instances."""
    request = Request(RequestFactory().get("/api/v1/"))
    children = getattr(parent, relation).order_by("pk")
    return ListSerializer(children, child=child_serializer(), context={"request": request}).data


@pytest.mark.parametrize(("resource", "model", "field", "relation", "child_serializer"), PARENTS)
def test_children_in_a_list_and_a_detail_are_what_drf_shows_from_the_models(
    client, varied, resource, model, field, relation, child_serializer
):
    listed = client.get(f"/api/v1/{resource}/?page_size=1000").json()["results"]
    assert sum(len(row[field]) for row in listed) == getattr(model, relation).rel.related_model.objects.count() > 0
    for row in listed:
        parent = model.objects.get(**{model.api_lookup(): row["url"].rstrip("/").rsplit("/", 1)[1]})
        expected = drf_children(parent, relation, child_serializer)
        assert json.dumps(row[field]) == json.dumps(expected)
        assert client.get(row["url"]).json()[field] == row[field]


def test_the_varied_values_are_shown_as_drf_shows_them(client, varied):
    letters = client.get("/api/v1/letters/?page_size=1000").json()["results"]
    recipients = [recipient for letter in letters for recipient in letter["recipients"]]
    answered = [recipient for recipient in recipients if recipient["responded_on"]]
    assert len(answered) == 1
    assert answered[0]["checked_at"].endswith(".123456Z")
    assert len(answered[0]["sources"]) == 2
    event = client.get("/api/v1/events/2018-01-24-meeting/").json()
    assert [participant["jurisdiction"] for participant in event["participants"]].count(None) == 1


def test_a_list_of_letters_builds_no_recipient_or_place_instance(client, varied, django_assert_num_queries):
    built = []

    def count(sender, instance, **kwargs):
        built.append(sender)

    post_init.connect(count)
    try:
        with django_assert_num_queries(2):  # the page, every recipient of the page
            letters = client.get("/api/v1/letters/").json()["results"]
    finally:
        post_init.disconnect(count)
    assert sum(len(letter["recipients"]) for letter in letters) == LetterRecipient.objects.count()
    assert LetterRecipient not in built
    assert Jurisdiction not in built
    assert built.count(Letter) == len(letters)


def test_an_export_shows_every_letters_recipients(client, varied):
    response = client.get("/api/v1/letters/?format=ndjson")
    exported = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    listed = client.get("/api/v1/letters/?page_size=1000").json()["results"]
    assert {row["slug"]: row["recipients"] for row in exported} == {row["slug"]: row["recipients"] for row in listed}


def test_a_snapshot_shows_the_recipients_it_had_then(client, world):
    letter = Letter.objects.filter(letter_recipients__isnull=False).order_by("pk").first()
    before = timezone.now()
    url = f"/api/v1/letters/{letter.slug}/"
    shown = client.get(url).json()["recipients"]
    letter.letter_recipients.order_by("pk").last().delete()

    assert client.get(url).json()["recipients"] == shown[:-1]
    # Sources are not in the history: a deleted recipient's are gone from the snapshot too.
    then = client.get(url, {"as_of": before.isoformat()}).json()["recipients"]
    assert then == [*shown[:-1], {**shown[-1], "sources": []}]


def test_fields_without_the_children_read_none(client, varied, django_assert_num_queries):
    with django_assert_num_queries(1):  # the page
        letters = client.get("/api/v1/letters/?fields=slug,subject").json()["results"]
    assert letters
    assert all(set(letter) == {"slug", "subject"} for letter in letters)


def test_a_written_letter_shows_its_recipients(editor_client, varied):
    chicago = Jurisdiction.objects.get(slug="chicago-il")
    body = {
        "slug": "2030-01-01-rows",
        "sent_on": "2030-01-01",
        "kind": "document_demand",
        "subject": "A letter written through the API",
        "sender_office": "Office of Justice Programs",
        "recipients": [{"jurisdiction": "chicago-il", "determination": "non_compliant"}],
        "sources": cited(),
    }
    response = editor_client.post("/api/v1/letters/", body, format="json")
    assert response.status_code == 201, response.json()
    (recipient,) = response.json()["recipients"]
    assert recipient["jurisdiction"]["slug"] == chicago.slug
    assert recipient["determination"] == "non_compliant"

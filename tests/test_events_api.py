"""/api/v1/events/: each filter, the detail, search and the cost in queries."""

import datetime

import pytest

from letters.models import Event
from tests import factories as f
from tests.conftest import brief, iso, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(world):
    """Two more events beside the White House meeting (2018-01-24, Chicago) and EO 14159 (2025-01-20)."""
    remarks = f.EventFactory(
        slug="2017-03-27-remarks",
        date=datetime.date(2017, 3, 27),
        kind=Event.Kind.STATEMENT,
        title="Attorney General remarks on sanctuary jurisdictions",
        summary="Announced conditions on Byrne JAG grants.",
    )
    remarks.jurisdictions.set([world["california"], world["sf"]])
    boycott = f.EventFactory(
        slug="2018-01-24-boycott",
        date=datetime.date(2018, 1, 24),
        kind=Event.Kind.BOYCOTT,
        title="Mayors boycott the White House meeting",
    )
    boycott.jurisdictions.set([world["chicago"], world["sf"]])
    return world


# Newest first; the boycott, entered after the meeting on the same day, first.
EVERY_EVENT = ["eo-14159", "2018-01-24-boycott", "2018-01-24-meeting", "2017-03-27-remarks"]


def test_the_unfiltered_list_holds_every_event_newest_first(client, events):
    assert slugs(client.get("/api/v1/events/")) == EVERY_EVENT


def test_kind_keeps_that_kind_of_event(client, events):
    assert slugs(client.get("/api/v1/events/?kind=boycott")) == ["2018-01-24-boycott"]


def test_kind_takes_a_comma_list(client, events):
    assert slugs(client.get("/api/v1/events/?kind=executive_order,statement")) == ["eo-14159", "2017-03-27-remarks"]


def test_kind_not_leaves_that_kind_out(client, events):
    response = client.get("/api/v1/events/?kind__not=meeting")
    assert slugs(response) == ["eo-14159", "2018-01-24-boycott", "2017-03-27-remarks"]


def test_jurisdiction_keeps_the_events_involving_it(client, events):
    assert slugs(client.get("/api/v1/events/?jurisdiction=chicago-il")) == ["2018-01-24-boycott", "2018-01-24-meeting"]


def test_jurisdiction_lists_an_event_involving_several_of_them_once(client, events):
    # The boycott involves both Chicago and San Francisco.
    response = client.get("/api/v1/events/?jurisdiction=chicago-il,san-francisco-ca")
    assert slugs(response) == ["2018-01-24-boycott", "2018-01-24-meeting", "2017-03-27-remarks"]


def test_state_keeps_the_events_involving_that_state_once_each(client, events):
    # The remarks involve two Californian jurisdictions.
    assert slugs(client.get("/api/v1/events/?state=CA")) == ["2018-01-24-boycott", "2017-03-27-remarks"]


def test_date_after_keeps_that_day_and_later(client, events):
    response = client.get("/api/v1/events/?date_after=2018-01-24")
    assert slugs(response) == ["eo-14159", "2018-01-24-boycott", "2018-01-24-meeting"]


def test_date_before_keeps_the_earlier_events(client, events):
    assert slugs(client.get("/api/v1/events/?date_before=2018-01-23")) == ["2017-03-27-remarks"]


def test_updated_since_keeps_the_events_changed_since(client, events):
    Event.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    Event.objects.filter(slug="2018-01-24-meeting").update(
        updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    assert slugs(client.get("/api/v1/events/?updated_since=2025-01-01T00:00:00Z")) == ["2018-01-24-meeting"]


def test_search_finds_an_event_by_a_word_of_its_title(client, events):
    assert slugs(client.get("/api/v1/events/?search=boycott")) == ["2018-01-24-boycott"]


def test_search_finds_an_event_by_a_word_of_its_summary(client, events):
    assert slugs(client.get("/api/v1/events/?search=Byrne")) == ["2017-03-27-remarks"]


def test_the_detail_by_slug_shows_every_field_and_each_participant(client, events):
    meeting = Event.objects.get(slug="2018-01-24-meeting")
    participant = meeting.participants.get()
    response = client.get("/api/v1/events/2018-01-24-meeting/")
    assert response.status_code == 200
    chicago = {
        "slug": "chicago-il",
        "name": "City of Chicago",
        "state": "IL",
        "url": "http://testserver/api/v1/jurisdictions/chicago-il/",
    }
    assert response.json() == {
        "slug": "2018-01-24-meeting",
        "url": "http://testserver/api/v1/events/2018-01-24-meeting/",
        "date": "2018-01-24",
        "kind": "meeting",
        "title": "White House meeting with mayors",
        "summary": "",
        "jurisdictions": [chicago],
        "participants": [
            {
                "name": "Rahm Emanuel",
                "role": "",
                "jurisdiction": chicago,
                "place": "",
                "participation": "declined",
                "notes": "",
                "sources": [brief(participant.sources.get())],
                "review_state": "published",
                "checked_at": None,
            }
        ],
        "notes": "",
        "sources": [brief(meeting.sources.get())],
        "created_at": iso(meeting.created_at),
        "updated_at": iso(meeting.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize("url, rows", [("/api/v1/events/?page_size=1", 1), ("/api/v1/events/?page_size=100", 10)])
def test_the_list_costs_the_same_queries_whatever_the_page_size(client, events, django_assert_num_queries, url, rows):
    for _ in range(6):
        event = f.EventFactory()
        event.jurisdictions.set([events["chicago"], events["cook"]])
        f.EventParticipantFactory(event=event, jurisdiction=events["chicago"])
        f.EventParticipantFactory(event=event)
    # 1 page of events with their sources, 2 their jurisdictions, 3 their participants with jurisdictions
    # and sources
    with django_assert_num_queries(3):
        response = client.get(url)
    assert len(response.json()["results"]) == rows

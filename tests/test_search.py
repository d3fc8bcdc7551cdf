"""search= finds what a journalist types: letters by recipients, cases by parties, rulings by caption."""

import pytest

from tests.conftest import slugs
from tests.factories import CasePartyFactory, CourtCaseFactory, EventParticipantFactory

pytestmark = pytest.mark.django_db


def test_letters_are_found_by_a_recipients_name(client, world):
    assert sorted(slugs(client.get("/api/v1/letters/?search=Chicago"))) == ["2017-04-21-letters", "2018-01-24-demands"]
    assert slugs(client.get("/api/v1/letters/?search=California")) == ["2018-01-24-demands"]


def test_cases_are_found_by_a_partys_name(client, world):
    case = CourtCaseFactory(slug="us-v-illinois", caption="United States v. Illinois", summary="")
    CasePartyFactory(case=case, jurisdiction=world["cook"], role="defendant")
    assert slugs(client.get("/api/v1/cases/?search=Cook")) == ["us-v-illinois"]


def test_rulings_are_found_by_their_cases_caption(client, world):
    assert sorted(slugs(client.get("/api/v1/rulings/?search=Chicago"))) == ["ca7-affirmed", "ilnd-pi"]


def test_events_are_found_by_a_participants_name(client, world):
    EventParticipantFactory(event__slug="another-event", name="Mitch Landrieu")
    assert slugs(client.get("/api/v1/events/?search=Landrieu")) == ["another-event"]

"""search= finds what a journalist types: letters by recipients, cases by parties, rulings by caption."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import slugs
from tests.factories import CasePartyFactory, CourtCaseFactory, EventParticipantFactory, JurisdictionFactory

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


def test_the_letters_stored_words_are_what_its_search_names():
    from letters.models import Letter
    from letters.views import LetterViewSet

    assert Letter.stored_search_vector == LetterViewSet.search_fields


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite searches with a contains, without an index")
def test_a_letter_search_is_one_index_condition_over_stored_words(client, world):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/letters/?search=sanctuary").status_code == 200
    search = next(query["sql"] for query in queries.captured_queries if "websearch_to_tsquery" in query["sql"])
    assert "to_tsvector" not in search  # nothing parsed per row, the recipients' place names neither
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the tables are tiny here: show that the index serves
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "letter_search" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored words are PostgreSQL's")
def test_the_stored_words_follow_every_change_to_a_letter_its_recipients_and_their_places(client, world):
    from cities.models import Jurisdiction
    from letters.models import LetterRecipient

    def found(words):
        return sorted(slugs(client.get(f"/api/v1/letters/?search={words}")))

    recipient = LetterRecipient.objects.select_related("letter", "jurisdiction").order_by("pk").first()
    letter, place = recipient.letter, recipient.jurisdiction
    assert letter.slug in found(place.name.split()[0])

    Jurisdiction.objects.filter(pk=place.pk).update(name="Quuxville")  # renamed
    assert letter.slug in found("Quuxville")

    other = JurisdictionFactory(slug="zorbtown", name="Zorbtown")
    LetterRecipient.objects.filter(pk=recipient.pk).update(jurisdiction=other)  # moved to another place
    assert letter.slug in found("Zorbtown")
    assert letter.slug not in found("Quuxville")

    LetterRecipient.objects.filter(pk=recipient.pk).delete()  # removed
    assert letter.slug not in found("Zorbtown")

    type(letter).objects.filter(pk=letter.pk).update(subject="Frobnicated")  # the letter's own words
    assert found("Frobnicated") == [letter.slug]

"""search= finds what a journalist types: letters by recipients, cases by parties, rulings by caption."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_the_letters_stored_words_are_the_columns_its_search_names():
    from letters.models import Letter
    from letters.views import LetterViewSet

    own = [path for path in LetterViewSet.search_fields if not path.startswith("letter_recipients__")]
    assert Letter.stored_search_vector == own


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite searches with a contains, without an index")
def test_a_letter_search_parses_no_letter_and_finds_places_by_their_index(client, world):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/letters/?search=sanctuary").status_code == 200
    search = next(query["sql"] for query in queries.captured_queries if "websearch_to_tsquery" in query["sql"])
    assert '"letters_letter"."subject"' not in search.split("FROM", 1)[1]  # the letter's words are stored
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the tables are tiny here: show that the index serves
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "(search_vector @@" in plan, plan
    assert "jurisdiction_name_search" in plan, plan

"""search= finds what a journalist types: letters by recipients, cases by parties, rulings by caption."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import slugs
from tests.factories import (
    CasePartyFactory,
    CourtCaseFactory,
    EventParticipantFactory,
    JurisdictionFactory,
    LetterFactory,
    LetterRecipientFactory,
)

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
def test_a_letter_search_of_several_words_is_one_index_condition_over_stored_words(client, world):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/letters/?search=sanctuary cities").status_code == 200
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


def pages(client, url: str) -> list[str]:
    """Every slug of a list, following its cursor one page at a time."""
    found = []
    while url:
        body = client.get(url).json()
        found += [row["slug"] for row in body["results"]]
        url = body["next"]
    return found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL's")
def test_a_one_word_search_ranks_as_the_full_search_does(client):
    # ts_rank grows with a word's occurrences, its recipients' place names included; ties go newest first.
    for slug, summary in [
        ("once", "A subpoena."),
        ("thrice", "Subpoena, subpoena and subpoenas."),
        ("twice", "A subpoena and a subpoena."),
        ("once-and-its-place", "Subpoenaed."),
    ]:
        letter = LetterFactory(slug=slug, summary=summary)
    LetterRecipientFactory(letter=letter, jurisdiction__name="Subpoena Falls")
    LetterFactory(slug="unrelated", summary="A grant condition.")
    expected = ["thrice", "once-and-its-place", "twice", "once"]
    assert pages(client, "/api/v1/letters/?search=subpoena&page_size=1") == expected
    # The same words where the parser finds punctuation are ranked by ts_rank over every match instead.
    assert pages(client, "/api/v1/letters/?search=subpoena.&page_size=1") == expected
    assert client.get("/api/v1/letters/?search=subpoena&count=true").json()["count"] == 4
    assert pages(client, "/api/v1/letters/?search=the") == []  # a stop word matches nothing, either way
    assert pages(client, "/api/v1/letters/?search=the.") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored words are PostgreSQL's")
def test_a_one_word_search_reads_its_page_in_rank_order_from_the_index(client, world):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/letters/?search=sanctuary").status_code == 200
    search = next(query["sql"] for query in queries.captured_queries if "letters_searchterm" in query["sql"])
    assert "ts_rank" not in search and "websearch_to_tsquery" not in search  # no match is ranked at query time
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")  # tiny tables: show that the index gives the order
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "letters_searchterm_ranked" in plan and "Sort" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored words are PostgreSQL's")
def test_the_stored_words_are_each_letters_words_with_their_rank(world):
    from letters.models import Letter

    def stored():
        with connection.cursor() as cursor:
            cursor.execute("SELECT record_id, term, rank FROM letters_searchterm")
            return sorted(cursor.fetchall())

    def ranked():
        """Each word of each letter's vector, ranked by ts_rank against a one-word query made by PostgreSQL."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT letter.id, word,"
                " ts_rank(letter.search_vector, to_tsquery('simple', quote_literal(word)))::float8"
                " FROM letters_letter letter, unnest(tsvector_to_array(letter.search_vector)) word"
            )
            return sorted(cursor.fetchall())

    assert stored() == ranked() and len(stored()) > 20
    letter = Letter.objects.order_by("pk").first()
    Letter.objects.filter(pk=letter.pk).update(summary="Quux quux.")
    assert stored() == ranked()
    letter.letter_recipients.all().delete()
    letter.delete()
    assert letter.pk not in {row[0] for row in stored()}
    assert stored() == ranked()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored words are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_stored_words_go_with_their_letters_when_the_table_is_emptied():
    LetterFactory(summary="Subpoena.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM letters_searchterm")
        assert cursor.fetchone()[0] > 0
        cursor.execute("TRUNCATE letters_letter CASCADE")  # how a test database is emptied: no row trigger fires
        cursor.execute("SELECT count(*) FROM letters_searchterm")
        assert cursor.fetchone()[0] == 0

"""/api/v1/letters/: each filter, the detail, search and the cost in queries."""

import datetime

import pytest

from letters.models import Letter, LetterRecipient
from tests import factories as f
from tests.conftest import brief, iso, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(world):
    """Two more letters beside April 2017's (Chicago, non-compliant) and January 2018's (Chicago and California)."""
    preliminary = f.LetterFactory(
        slug="2017-10-11-preliminary",
        sent_on=datetime.date(2017, 10, 11),
        kind=Letter.Kind.PRELIMINARY_ASSESSMENT,
        subject="Preliminary assessment of compliance",
        response_due=datetime.date(2017, 10, 27),
    )
    f.LetterRecipientFactory(letter=preliminary, jurisdiction=world["cook"], determination="non_compliant")
    clearance = f.LetterFactory(
        slug="2017-11-15-clearance",
        sent_on=datetime.date(2017, 11, 15),
        kind=Letter.Kind.COMPLIANCE_CLEARANCE,
        subject="No evidence of non-compliance",
        response_due=None,
    )
    f.LetterRecipientFactory(letter=clearance, jurisdiction=world["sf"], determination="compliant")
    return world


# Newest first.
EVERY_LETTER = ["2018-01-24-demands", "2017-11-15-clearance", "2017-10-11-preliminary", "2017-04-21-letters"]


def test_the_unfiltered_list_holds_every_letter_newest_first(client, letters):
    assert slugs(client.get("/api/v1/letters/")) == EVERY_LETTER


def test_kind_keeps_that_kind_of_letter(client, letters):
    assert slugs(client.get("/api/v1/letters/?kind=document_demand")) == ["2018-01-24-demands"]


def test_kind_takes_a_comma_list(client, letters):
    response = client.get("/api/v1/letters/?kind=compliance_validation,preliminary_assessment")
    assert slugs(response) == ["2017-10-11-preliminary", "2017-04-21-letters"]


def test_kind_not_leaves_that_kind_out(client, letters):
    response = client.get("/api/v1/letters/?kind__not=document_demand")
    assert slugs(response) == ["2017-11-15-clearance", "2017-10-11-preliminary", "2017-04-21-letters"]


def test_sent_after_keeps_the_later_letters(client, letters):
    assert slugs(client.get("/api/v1/letters/?sent_after=2017-11-01")) == ["2018-01-24-demands", "2017-11-15-clearance"]


def test_sent_after_counts_the_day_itself(client, letters):
    assert slugs(client.get("/api/v1/letters/?sent_after=2018-01-24")) == ["2018-01-24-demands"]


def test_sent_before_keeps_the_earlier_letters(client, letters):
    response = client.get("/api/v1/letters/?sent_before=2017-10-31")
    assert slugs(response) == ["2017-10-11-preliminary", "2017-04-21-letters"]


def test_response_due_after_keeps_the_later_deadlines(client, letters):
    # Deadlines: 2018-02-23, none, 2017-10-27, 2017-06-30.
    assert slugs(client.get("/api/v1/letters/?response_due_after=2018-01-01")) == ["2018-01-24-demands"]


def test_response_due_before_keeps_the_earlier_deadlines_and_drops_the_letters_without_one(client, letters):
    response = client.get("/api/v1/letters/?response_due_before=2017-12-31")
    assert slugs(response) == ["2017-10-11-preliminary", "2017-04-21-letters"]


def test_recipient_keeps_the_letters_sent_to_that_jurisdiction(client, letters):
    assert slugs(client.get("/api/v1/letters/?recipient=chicago-il")) == ["2018-01-24-demands", "2017-04-21-letters"]


def test_recipient_lists_a_letter_sent_to_several_of_them_once(client, letters):
    # January 2018's letter went to both Chicago and California.
    response = client.get("/api/v1/letters/?recipient=chicago-il,california")
    assert slugs(response) == ["2018-01-24-demands", "2017-04-21-letters"]


def test_recipient_not_leaves_out_the_letters_sent_to_that_jurisdiction(client, letters):
    response = client.get("/api/v1/letters/?recipient__not=chicago-il")
    assert slugs(response) == ["2017-11-15-clearance", "2017-10-11-preliminary"]


def test_recipient_state_keeps_the_letters_sent_into_that_state_once_each(client, letters):
    # January 2018's letter went to Chicago and, in CA, California; the others to Cook County and Chicago.
    response = client.get("/api/v1/letters/?recipient_state=IL")
    assert slugs(response) == ["2018-01-24-demands", "2017-10-11-preliminary", "2017-04-21-letters"]


def test_recipient_state_takes_another_state(client, letters):
    response = client.get("/api/v1/letters/?recipient_state=CA")
    assert slugs(response) == ["2018-01-24-demands", "2017-11-15-clearance"]


def test_determination_keeps_the_letters_with_a_recipient_given_it(client, letters):
    response = client.get("/api/v1/letters/?determination=non_compliant")
    assert slugs(response) == ["2017-10-11-preliminary", "2017-04-21-letters"]


def test_determination_lists_a_letter_with_several_such_recipients_once(client, letters):
    # Both recipients of January 2018's letter are pending.
    assert slugs(client.get("/api/v1/letters/?determination=pending")) == ["2018-01-24-demands"]


def test_updated_since_keeps_the_letters_changed_since(client, letters):
    Letter.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    Letter.objects.filter(slug="2017-04-21-letters").update(
        updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    assert slugs(client.get("/api/v1/letters/?updated_since=2025-01-01T00:00:00Z")) == ["2017-04-21-letters"]


def test_search_finds_a_letter_by_a_word_of_its_subject(client, letters):
    assert slugs(client.get("/api/v1/letters/?search=subpoena")) == ["2018-01-24-demands"]


def test_search_finds_a_letter_by_a_word_of_its_summary(client, letters):
    assert slugs(client.get("/api/v1/letters/?search=documents")) == ["2018-01-24-demands"]


def test_search_results_page_through_every_match_once(client, letters):
    # Ranked by relevance on PostgreSQL: the more often the word, the higher the rank.
    for n in range(5):
        f.LetterFactory(slug=f"subpoena-{n}", subject=f"Subpoena threat {n}", summary="subpoena " * n)
    seen, url = [], "/api/v1/letters/?search=subpoena&page_size=2"
    for _ in range(10):
        response = client.get(url)
        seen += slugs(response)
        url = response.json()["next"]
        if url is None:
            break
    assert sorted(seen) == ["2018-01-24-demands", "subpoena-0", "subpoena-1", "subpoena-2", "subpoena-3", "subpoena-4"]


def test_the_detail_by_slug_shows_every_field_and_each_recipient(client, letters):
    letter = Letter.objects.get(slug="2018-01-24-demands")
    chicago, california = LetterRecipient.objects.filter(letter=letter).order_by("pk")
    response = client.get("/api/v1/letters/2018-01-24-demands/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "2018-01-24-demands",
        "url": "http://testserver/api/v1/letters/2018-01-24-demands/",
        "sent_on": "2018-01-24",
        "kind": "document_demand",
        "subject": "Document demand with subpoena threat",
        "sender_office": "Bureau of Justice Assistance",
        "sender_name": "Director",
        "summary": "Produce documents or face a subpoena.",
        "response_due": "2018-02-23",
        "document_url": "",
        "recipients": [
            {
                "jurisdiction": {
                    "slug": "chicago-il",
                    "name": "City of Chicago",
                    "state": "IL",
                    "url": "http://testserver/api/v1/jurisdictions/chicago-il/",
                },
                "basis": "named",
                "addressee": "",
                "determination": "pending",
                "responded_on": None,
                "notes": "",
                "sources": [brief(chicago.sources.get())],
                "review_state": "published",
                "checked_at": None,
            },
            {
                "jurisdiction": {
                    "slug": "california",
                    "name": "State of California",
                    "state": "CA",
                    "url": "http://testserver/api/v1/jurisdictions/california/",
                },
                "basis": "named",
                "addressee": "",
                "determination": "pending",
                "responded_on": None,
                "notes": "",
                "sources": [brief(california.sources.get())],
                "review_state": "published",
                "checked_at": None,
            },
        ],
        "notes": "",
        "sources": [brief(letter.sources.get())],
        "created_at": iso(letter.created_at),
        "updated_at": iso(letter.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize("url, rows", [("/api/v1/letters/?page_size=1", 1), ("/api/v1/letters/?page_size=100", 10)])
def test_the_list_costs_the_same_queries_whatever_the_page_size(client, letters, django_assert_num_queries, url, rows):
    for _ in range(6):
        letter = f.LetterFactory()
        f.LetterRecipientFactory(letter=letter)
        f.LetterRecipientFactory(letter=letter)
    # 1 page of letters with their sources, 2 their recipients with jurisdictions and sources
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize(
    "shape, queries",
    [
        ("fields=slug,subject", 1),  # no recipients, no sources: neither is read
        ("fields=slug,sources", 1),  # the letters' sources are read with the letters
        ("omit=sources", 2),  # recipients with their places and sources
        ("fields=slug,recipients", 2),
    ],
)
def test_a_list_reads_only_what_its_fields_show(client, letters, django_assert_num_queries, shape, queries):
    f.LetterRecipientFactory(letter=f.LetterFactory())
    with django_assert_num_queries(queries):
        response = client.get(f"/api/v1/letters/?{shape}")
    assert response.status_code == 200
    full = {row["slug"]: row for row in client.get("/api/v1/letters/").json()["results"]}
    for row in response.json()["results"]:
        assert row == {name: full[row["slug"]][name] for name in row}

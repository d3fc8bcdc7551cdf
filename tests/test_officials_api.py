"""/api/v1/officials/: each filter, the detail, search and the cost in queries."""

import datetime

import pytest

from cities.models import Official
from tests import factories as f
from tests.conftest import brief, iso, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def officials(world):
    """Three more officials beside Chicago's two mayors (Emanuel 2011-2019, Lightfoot from 2019-05-20)."""
    f.OfficialFactory(
        slug="gavin-newsom",
        jurisdiction=world["california"],
        name="Gavin Newsom",
        role=Official.Role.GOVERNOR,
        party="Democratic",
        term_start=datetime.date(2019, 1, 7),
    )
    f.OfficialFactory(
        slug="bruce-rauner",
        jurisdiction=world["illinois"],
        name="Bruce Rauner",
        role=Official.Role.GOVERNOR,
        party="Republican",
        term_start=datetime.date(2015, 1, 12),
        term_end=datetime.date(2019, 1, 14),
    )
    f.OfficialFactory(
        slug="london-breed",
        jurisdiction=world["sf"],
        name="London Breed",
        title="Mayor of the City and County",
        party="Democratic",
        term_start=datetime.date(2018, 7, 11),
        term_end=datetime.date(2025, 1, 8),
    )
    return world


# By name.
EVERYONE = ["bruce-rauner", "gavin-newsom", "london-breed", "lori-lightfoot", "rahm-emanuel"]


def test_the_unfiltered_list_holds_every_official_by_name(client, officials):
    assert slugs(client.get("/api/v1/officials/")) == EVERYONE


def test_jurisdiction_keeps_the_officials_of_that_place(client, officials):
    assert slugs(client.get("/api/v1/officials/?jurisdiction=chicago-il")) == ["lori-lightfoot", "rahm-emanuel"]


def test_jurisdiction_takes_a_comma_list(client, officials):
    response = client.get("/api/v1/officials/?jurisdiction=chicago-il,california")
    assert slugs(response) == ["gavin-newsom", "lori-lightfoot", "rahm-emanuel"]


def test_state_keeps_the_officials_of_that_state(client, officials):
    assert slugs(client.get("/api/v1/officials/?state=CA")) == ["gavin-newsom", "london-breed"]


def test_state_not_leaves_a_state_out(client, officials):
    response = client.get("/api/v1/officials/?state__not=CA")
    assert slugs(response) == ["bruce-rauner", "lori-lightfoot", "rahm-emanuel"]


def test_role_keeps_that_office(client, officials):
    assert slugs(client.get("/api/v1/officials/?role=governor")) == ["bruce-rauner", "gavin-newsom"]


def test_role_not_leaves_that_office_out(client, officials):
    assert slugs(client.get("/api/v1/officials/?role__not=mayor")) == ["bruce-rauner", "gavin-newsom"]


def test_party_keeps_that_party(client, officials):
    assert slugs(client.get("/api/v1/officials/?party=Republican")) == ["bruce-rauner"]


def test_party_takes_a_comma_list(client, officials):
    response = client.get("/api/v1/officials/?party=Democratic,Republican")
    assert slugs(response) == ["bruce-rauner", "gavin-newsom", "london-breed"]


def test_term_start_after_keeps_the_later_terms(client, officials):
    # Newsom 2019-01-07, Lightfoot 2019-05-20.
    response = client.get("/api/v1/officials/?term_start_after=2019-01-01")
    assert slugs(response) == ["gavin-newsom", "lori-lightfoot"]


def test_term_start_before_keeps_the_earlier_terms(client, officials):
    # Rauner 2015-01-12, Emanuel 2011-05-16.
    response = client.get("/api/v1/officials/?term_start_before=2015-12-31")
    assert slugs(response) == ["bruce-rauner", "rahm-emanuel"]


def test_serving_on_keeps_the_officials_in_office_that_day(client, officials):
    # Breed took office in July 2018, Newsom and Lightfoot in 2019.
    response = client.get("/api/v1/officials/?serving_on=2018-01-24")
    assert slugs(response) == ["bruce-rauner", "rahm-emanuel"]


def test_serving_on_counts_the_first_and_the_last_day_of_a_term(client, officials):
    # Emanuel's last day is Lightfoot's first; Rauner left in January 2019.
    response = client.get("/api/v1/officials/?serving_on=2019-05-20")
    assert slugs(response) == ["gavin-newsom", "london-breed", "lori-lightfoot", "rahm-emanuel"]


def test_updated_since_keeps_the_officials_changed_since(client, officials):
    Official.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    Official.objects.filter(slug="london-breed").update(updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC))
    assert slugs(client.get("/api/v1/officials/?updated_since=2025-01-01T00:00:00Z")) == ["london-breed"]


def test_search_finds_an_official_by_a_word_of_the_name(client, officials):
    assert slugs(client.get("/api/v1/officials/?search=Lightfoot")) == ["lori-lightfoot"]


def test_search_finds_an_official_by_a_word_of_the_title(client, officials):
    assert slugs(client.get("/api/v1/officials/?search=County")) == ["london-breed"]


def test_the_detail_by_slug_shows_every_field(client, officials):
    emanuel = Official.objects.get(slug="rahm-emanuel")
    response = client.get("/api/v1/officials/rahm-emanuel/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "rahm-emanuel",
        "url": "http://testserver/api/v1/officials/rahm-emanuel/",
        "name": "Rahm Emanuel",
        "role": "mayor",
        "title": "",
        "jurisdiction": {
            "slug": "chicago-il",
            "name": "City of Chicago",
            "state": "IL",
            "url": "http://testserver/api/v1/jurisdictions/chicago-il/",
        },
        "party": "",
        "term_start": "2011-05-16",
        "term_end": "2019-05-20",
        "notes": "",
        "sources": [brief(emanuel.sources.get())],
        "created_at": iso(emanuel.created_at),
        "updated_at": iso(emanuel.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize("url, rows", [("/api/v1/officials/?page_size=1", 1), ("/api/v1/officials/?page_size=100", 11)])
def test_the_list_costs_the_same_queries_whatever_the_page_size(
    client, officials, django_assert_num_queries, url, rows
):
    for _ in range(6):
        f.OfficialFactory()
    # 1 page of officials with their jurisdictions and sources
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(response.json()["results"]) == rows


def test_the_detail_with_its_jurisdiction_expanded_costs_one_query(client, officials, django_assert_num_queries):
    # the official with the jurisdiction, the official's sources and the jurisdiction's
    with django_assert_num_queries(1):
        response = client.get("/api/v1/officials/rahm-emanuel/?expand=jurisdiction")
    jurisdiction = response.json()["jurisdiction"]
    assert jurisdiction["slug"] == "chicago-il"
    assert jurisdiction["population"] == 2746388
    assert jurisdiction["sources"] == [brief(officials["chicago"].sources.get())]

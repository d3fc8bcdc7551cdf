"""/api/v1/jurisdictions/: each filter, the detail, search and the cost in queries."""

import datetime

import pytest

from cities.models import Jurisdiction
from tests import factories as f
from tests.conftest import brief, iso, slugs

pytestmark = pytest.mark.django_db

# By name: "City and County of San Francisco" sorts before "City of Chicago".
EVERYONE = ["san-francisco-ca", "chicago-il", "cook-county-il", "california", "illinois"]


def test_the_unfiltered_list_holds_every_jurisdiction_by_name(client, world):
    assert slugs(client.get("/api/v1/jurisdictions/")) == EVERYONE


def test_slug_takes_a_comma_list(client, world):
    assert slugs(client.get("/api/v1/jurisdictions/?slug=illinois,chicago-il")) == ["chicago-il", "illinois"]


def test_kind_keeps_that_level_of_government(client, world):
    assert slugs(client.get("/api/v1/jurisdictions/?kind=state")) == ["california", "illinois"]


def test_kind_takes_a_comma_list(client, world):
    response = client.get("/api/v1/jurisdictions/?kind=county,consolidated")
    assert slugs(response) == ["san-francisco-ca", "cook-county-il"]


def test_kind_not_leaves_that_level_out(client, world):
    response = client.get("/api/v1/jurisdictions/?kind__not=state")
    assert slugs(response) == ["san-francisco-ca", "chicago-il", "cook-county-il"]


def test_state_keeps_the_jurisdictions_of_that_state(client, world):
    assert slugs(client.get("/api/v1/jurisdictions/?state=CA")) == ["san-francisco-ca", "california"]


def test_state_not_leaves_a_state_out(client, world):
    response = client.get("/api/v1/jurisdictions/?state__not=CA")
    assert slugs(response) == ["chicago-il", "cook-county-il", "illinois"]


def test_fips_takes_a_comma_list_of_codes(client, world):
    assert slugs(client.get("/api/v1/jurisdictions/?fips=17,06")) == ["california", "illinois"]


def test_population_min_keeps_the_larger_places_and_drops_the_unknown(client, world):
    # Chicago 2,746,388; San Francisco 873,965; the rest have no population.
    assert slugs(client.get("/api/v1/jurisdictions/?population_min=1000000")) == ["chicago-il"]


def test_population_max_keeps_the_smaller_places_and_drops_the_unknown(client, world):
    assert slugs(client.get("/api/v1/jurisdictions/?population_max=1000000")) == ["san-francisco-ca"]


def test_parent_keeps_the_jurisdictions_inside_it(client, world):
    assert slugs(client.get("/api/v1/jurisdictions/?parent=illinois")) == ["chicago-il", "cook-county-il"]


def test_received_letter_keeps_the_letters_recipients(client, world):
    response = client.get("/api/v1/jurisdictions/?received_letter=2018-01-24-demands")
    assert slugs(response) == ["chicago-il", "california"]


def test_received_letter_lists_a_recipient_of_several_of_the_letters_once(client, world):
    # Chicago received both letters.
    response = client.get("/api/v1/jurisdictions/?received_letter=2017-04-21-letters,2018-01-24-demands")
    assert slugs(response) == ["chicago-il", "california"]


def test_designated_by_keeps_the_jurisdictions_on_that_list(client, world):
    response = client.get("/api/v1/jurisdictions/?designated_by=doj-2025-08")
    assert slugs(response) == ["chicago-il", "cook-county-il"]


def test_designated_by_lists_a_jurisdiction_on_several_of_the_lists_once(client, world):
    # Chicago is on both lists.
    response = client.get("/api/v1/jurisdictions/?designated_by=doj-oig-2016,doj-2025-08")
    assert slugs(response) == ["chicago-il", "cook-county-il"]


def test_updated_since_keeps_the_jurisdictions_changed_since(client, world):
    Jurisdiction.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    Jurisdiction.objects.filter(slug="cook-county-il").update(
        updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    assert slugs(client.get("/api/v1/jurisdictions/?updated_since=2025-01-01T00:00:00Z")) == ["cook-county-il"]


def test_search_finds_a_jurisdiction_by_a_word_of_its_name(client, world):
    assert slugs(client.get("/api/v1/jurisdictions/?search=Francisco")) == ["san-francisco-ca"]


def test_the_detail_by_slug_shows_every_field(client, world):
    chicago = Jurisdiction.objects.get(slug="chicago-il")
    response = client.get("/api/v1/jurisdictions/chicago-il/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "chicago-il",
        "url": "http://testserver/api/v1/jurisdictions/chicago-il/",
        "html_url": "http://testserver/places/chicago-il/",
        "name": "City of Chicago",
        "kind": "city",
        "state": "IL",
        "fips": "",
        "population": 2746388,
        "population_year": 2020,
        "parent": {
            "slug": "illinois",
            "name": "State of Illinois",
            "state": "IL",
            "url": "http://testserver/api/v1/jurisdictions/illinois/",
        },
        "latitude": None,
        "longitude": None,
        "point_kind": "",
        "notes": "",
        "sources": [brief(chicago.sources.get())],
        "timeline": "http://testserver/api/v1/jurisdictions/chicago-il/timeline/",
        "feeds": {
            "timeline": "http://testserver/api/v1/feeds/jurisdictions/chicago-il/",
            "changes": "http://testserver/api/v1/feeds/changes/?jurisdiction=chicago-il",
        },
        "created_at": iso(chicago.created_at),
        "updated_at": iso(chicago.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize(
    "url, rows", [("/api/v1/jurisdictions/?page_size=1", 1), ("/api/v1/jurisdictions/?page_size=100", 11)]
)
def test_the_list_costs_the_same_queries_whatever_the_page_size(client, world, django_assert_num_queries, url, rows):
    for n in range(6):
        f.JurisdictionFactory(parent=world["illinois"], name=f"Town {n}")
    # 1 page of jurisdictions with their parents and sources
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def test_the_detail_with_its_parent_expanded_costs_one_query(client, world, django_assert_num_queries):
    # the jurisdiction with its parent, its sources and its parent's
    with django_assert_num_queries(1):
        response = client.get("/api/v1/jurisdictions/chicago-il/?expand=parent")
    parent = response.json()["parent"]
    assert parent["slug"] == "illinois"
    assert parent["sources"] == [brief(world["illinois"].sources.get())]

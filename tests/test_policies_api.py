"""/api/v1/policies/: each filter, the detail, search and the cost in queries."""

import datetime

import pytest

from cities.models import Policy
from tests import factories as f
from tests.conftest import brief, iso, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def policies(world):
    """Four more policies beside Chicago's Welcoming City Ordinance (detainer limits, 2012-09-12)."""
    f.PolicyFactory(
        slug="california-values-act",
        jurisdiction=world["california"],
        title="California Values Act",
        kind=Policy.Kind.STATE_LAW,
        citation="SB 54",
        enacted_on=datetime.date(2018, 1, 1),
        summary="Limits state and local law enforcement cooperation with federal immigration authorities.",
    )
    f.PolicyFactory(
        slug="illinois-trust-act",
        jurisdiction=world["illinois"],
        title="Illinois TRUST Act",
        kind=Policy.Kind.STATE_LAW,
        citation="SB 31",
        enacted_on=datetime.date(2017, 8, 28),
    )
    f.PolicyFactory(
        slug="due-process-for-all",
        jurisdiction=world["sf"],
        title="Due Process for All Ordinance",
        kind=Policy.Kind.INFORMATION_SHARING_LIMITS,
        enacted_on=datetime.date(2013, 10, 1),
    )
    f.PolicyFactory(
        slug="cook-county-detainer-ordinance",
        jurisdiction=world["cook"],
        title="Cook County Detainer Ordinance",
        kind=Policy.Kind.DETAINER_LIMITS,
        enacted_on=datetime.date(2011, 9, 7),
        ended_on=datetime.date(2015, 1, 1),
    )
    return world


# By title.
EVERYTHING = [
    "california-values-act",
    "cook-county-detainer-ordinance",
    "due-process-for-all",
    "illinois-trust-act",
    "welcoming-city-ordinance",
]


def test_the_unfiltered_list_holds_every_policy_by_title(client, policies):
    assert slugs(client.get("/api/v1/policies/")) == EVERYTHING


def test_jurisdiction_keeps_the_policies_of_that_place(client, policies):
    assert slugs(client.get("/api/v1/policies/?jurisdiction=chicago-il")) == ["welcoming-city-ordinance"]


def test_jurisdiction_takes_a_comma_list(client, policies):
    response = client.get("/api/v1/policies/?jurisdiction=chicago-il,san-francisco-ca")
    assert slugs(response) == ["due-process-for-all", "welcoming-city-ordinance"]


def test_state_keeps_the_policies_of_that_state(client, policies):
    response = client.get("/api/v1/policies/?state=IL")
    assert slugs(response) == ["cook-county-detainer-ordinance", "illinois-trust-act", "welcoming-city-ordinance"]


def test_state_not_leaves_a_state_out(client, policies):
    assert slugs(client.get("/api/v1/policies/?state__not=IL")) == ["california-values-act", "due-process-for-all"]


def test_kind_keeps_that_kind_of_policy(client, policies):
    assert slugs(client.get("/api/v1/policies/?kind=state_law")) == ["california-values-act", "illinois-trust-act"]


def test_kind_not_leaves_that_kind_out(client, policies):
    response = client.get("/api/v1/policies/?kind__not=detainer_limits")
    assert slugs(response) == ["california-values-act", "due-process-for-all", "illinois-trust-act"]


def test_enacted_after_keeps_the_later_policies(client, policies):
    # SB 54 2018-01-01, TRUST Act 2017-08-28.
    response = client.get("/api/v1/policies/?enacted_after=2017-01-01")
    assert slugs(response) == ["california-values-act", "illinois-trust-act"]


def test_enacted_before_keeps_the_earlier_policies(client, policies):
    # Cook County 2011-09-07, Chicago 2012-09-12.
    response = client.get("/api/v1/policies/?enacted_before=2012-12-31")
    assert slugs(response) == ["cook-county-detainer-ordinance", "welcoming-city-ordinance"]


def test_in_force_on_keeps_the_policies_enacted_and_not_yet_ended(client, policies):
    response = client.get("/api/v1/policies/?in_force_on=2014-06-01")
    assert slugs(response) == ["cook-county-detainer-ordinance", "due-process-for-all", "welcoming-city-ordinance"]


def test_in_force_on_drops_a_policy_after_it_ended(client, policies):
    # Cook County's ordinance ended on 2015-01-01.
    response = client.get("/api/v1/policies/?in_force_on=2016-01-01")
    assert slugs(response) == ["due-process-for-all", "welcoming-city-ordinance"]


def test_updated_since_keeps_the_policies_changed_since(client, policies):
    Policy.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    Policy.objects.filter(slug="illinois-trust-act").update(
        updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    assert slugs(client.get("/api/v1/policies/?updated_since=2025-01-01T00:00:00Z")) == ["illinois-trust-act"]


def test_search_finds_a_policy_by_a_word_of_its_title(client, policies):
    assert slugs(client.get("/api/v1/policies/?search=Welcoming")) == ["welcoming-city-ordinance"]


def test_search_finds_a_policy_by_a_word_of_its_summary(client, policies):
    assert slugs(client.get("/api/v1/policies/?search=cooperation")) == ["california-values-act"]


def test_the_detail_by_slug_shows_every_field(client, policies):
    policy = Policy.objects.get(slug="california-values-act")
    response = client.get("/api/v1/policies/california-values-act/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "california-values-act",
        "url": "http://testserver/api/v1/policies/california-values-act/",
        "title": "California Values Act",
        "kind": "state_law",
        "jurisdiction": {
            "slug": "california",
            "name": "State of California",
            "state": "CA",
            "url": "http://testserver/api/v1/jurisdictions/california/",
        },
        "citation": "SB 54",
        "enacted_on": "2018-01-01",
        "ended_on": None,
        "summary": "Limits state and local law enforcement cooperation with federal immigration authorities.",
        "notes": "",
        "sources": [brief(policy.sources.get())],
        "created_at": iso(policy.created_at),
        "updated_at": iso(policy.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize("url, rows", [("/api/v1/policies/?page_size=1", 1), ("/api/v1/policies/?page_size=100", 11)])
def test_the_list_costs_the_same_queries_whatever_the_page_size(client, policies, django_assert_num_queries, url, rows):
    for _ in range(6):
        f.PolicyFactory()
    # 1 page of policies with their jurisdictions and sources
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(response.json()["results"]) == rows


def test_the_detail_with_its_jurisdiction_expanded_costs_one_query(client, policies, django_assert_num_queries):
    # the policy with its jurisdiction, its sources and the jurisdiction's
    with django_assert_num_queries(1):
        response = client.get("/api/v1/policies/welcoming-city-ordinance/?expand=jurisdiction")
    jurisdiction = response.json()["jurisdiction"]
    assert jurisdiction["slug"] == "chicago-il"
    assert jurisdiction["sources"] == [brief(policies["chicago"].sources.get())]

"""/api/v1/grants/: each filter, the detail by id, search and the cost in queries."""

import datetime
from decimal import Decimal

import pytest

from letters.models import GrantAward
from tests import factories as f
from tests.conftest import brief, iso

pytestmark = pytest.mark.django_db


def grantees(response) -> list[tuple[str, int]]:
    """Each row of a grant list as (grantee's slug, fiscal year), in order."""
    return [(row["jurisdiction"]["slug"], row["fiscal_year"]) for row in response.json()["results"]]


@pytest.fixture
def grants(world):
    """Two more awards beside FY2017 Byrne JAG withheld from Chicago (2,019,194) and San Francisco (524,845)
    and FY2018 COPS awarded to California (17,701,281), all three reported on 2018-07-18."""
    f.GrantAwardFactory(
        jurisdiction=world["cook"],
        fiscal_year=2016,
        amount=Decimal("150000.00"),
        status=GrantAward.Status.AWARDED,
        status_date=datetime.date(2016, 10, 1),
        award_number="2016-DJ-BX-0106",
    )
    f.GrantAwardFactory(
        jurisdiction=world["illinois"],
        program=GrantAward.Program.SCAAP,
        fiscal_year=2019,
        amount=None,
        status=GrantAward.Status.UNKNOWN,
        status_date=None,
        notes="The amount was never published.",
    )
    return world


# Newest fiscal year first; within a year the newer row first.
EVERY_GRANT = [
    ("illinois", 2019),
    ("california", 2018),
    ("san-francisco-ca", 2017),
    ("chicago-il", 2017),
    ("cook-county-il", 2016),
]


def test_the_unfiltered_list_holds_every_grant_newest_fiscal_year_first(client, grants):
    assert grantees(client.get("/api/v1/grants/")) == EVERY_GRANT


def test_jurisdiction_keeps_the_grants_of_that_grantee(client, grants):
    assert grantees(client.get("/api/v1/grants/?jurisdiction=chicago-il")) == [("chicago-il", 2017)]


def test_jurisdiction_takes_a_comma_list(client, grants):
    response = client.get("/api/v1/grants/?jurisdiction=chicago-il,illinois")
    assert grantees(response) == [("illinois", 2019), ("chicago-il", 2017)]


def test_state_keeps_the_grants_to_that_state(client, grants):
    assert grantees(client.get("/api/v1/grants/?state=CA")) == [("california", 2018), ("san-francisco-ca", 2017)]


def test_state_not_leaves_a_state_out(client, grants):
    response = client.get("/api/v1/grants/?state__not=CA")
    assert grantees(response) == [("illinois", 2019), ("chicago-il", 2017), ("cook-county-il", 2016)]


def test_program_keeps_that_program(client, grants):
    assert grantees(client.get("/api/v1/grants/?program=cops")) == [("california", 2018)]


def test_program_takes_a_comma_list(client, grants):
    assert grantees(client.get("/api/v1/grants/?program=scaap,cops")) == [("illinois", 2019), ("california", 2018)]


def test_status_keeps_that_status(client, grants):
    assert grantees(client.get("/api/v1/grants/?status=withheld")) == [("san-francisco-ca", 2017), ("chicago-il", 2017)]


def test_status_not_leaves_that_status_out(client, grants):
    response = client.get("/api/v1/grants/?status__not=withheld")
    assert grantees(response) == [("illinois", 2019), ("california", 2018), ("cook-county-il", 2016)]


def test_fiscal_year_keeps_that_year(client, grants):
    assert grantees(client.get("/api/v1/grants/?fiscal_year=2017")) == [
        ("san-francisco-ca", 2017),
        ("chicago-il", 2017),
    ]


def test_fiscal_year_takes_a_comma_list(client, grants):
    assert grantees(client.get("/api/v1/grants/?fiscal_year=2016,2019")) == [
        ("illinois", 2019),
        ("cook-county-il", 2016),
    ]


def test_fiscal_year_min_keeps_that_year_and_later(client, grants):
    assert grantees(client.get("/api/v1/grants/?fiscal_year_min=2018")) == [("illinois", 2019), ("california", 2018)]


def test_fiscal_year_max_keeps_that_year_and_earlier(client, grants):
    assert grantees(client.get("/api/v1/grants/?fiscal_year_max=2016")) == [("cook-county-il", 2016)]


def test_amount_min_keeps_the_larger_awards_and_drops_the_unknown(client, grants):
    assert grantees(client.get("/api/v1/grants/?amount_min=1000000")) == [("california", 2018), ("chicago-il", 2017)]


def test_amount_max_keeps_the_smaller_awards_and_drops_the_unknown(client, grants):
    response = client.get("/api/v1/grants/?amount_max=600000")
    assert grantees(response) == [("san-francisco-ca", 2017), ("cook-county-il", 2016)]


def test_amount_min_takes_cents(client, grants):
    # San Francisco's award is exactly 524,845.00.
    response = client.get("/api/v1/grants/?amount_min=524845.00&amount_max=524845.00")
    assert grantees(response) == [("san-francisco-ca", 2017)]


def test_status_date_after_keeps_the_later_reports_and_drops_the_undated(client, grants):
    response = client.get("/api/v1/grants/?status_date_after=2018-01-01")
    assert grantees(response) == [("california", 2018), ("san-francisco-ca", 2017), ("chicago-il", 2017)]


def test_status_date_before_keeps_the_earlier_reports(client, grants):
    assert grantees(client.get("/api/v1/grants/?status_date_before=2017-12-31")) == [("cook-county-il", 2016)]


def test_updated_since_keeps_the_grants_changed_since(client, grants):
    GrantAward.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    GrantAward.objects.filter(jurisdiction__slug="cook-county-il").update(
        updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    assert grantees(client.get("/api/v1/grants/?updated_since=2025-01-01T00:00:00Z")) == [("cook-county-il", 2016)]


def test_search_finds_a_grant_by_a_word_of_the_grantees_name(client, grants):
    assert grantees(client.get("/api/v1/grants/?search=Cook")) == [("cook-county-il", 2016)]


def test_search_finds_a_grant_by_a_word_of_its_notes(client, grants):
    assert grantees(client.get("/api/v1/grants/?search=published")) == [("illinois", 2019)]


def test_search_results_page_through_every_match_once(client, grants):
    # "City" is in the names of Chicago and San Francisco: on PostgreSQL the two rank equal.
    seen, url = [], "/api/v1/grants/?search=City&page_size=1"
    for _ in range(10):
        response = client.get(url)
        seen += grantees(response)
        url = response.json()["next"]
        if url is None:
            break
    assert sorted(seen) == [("chicago-il", 2017), ("san-francisco-ca", 2017)]


def test_the_detail_by_id_shows_every_field(client, grants):
    grant = GrantAward.objects.get(jurisdiction__slug="chicago-il")
    response = client.get(f"/api/v1/grants/{grant.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": grant.pk,
        "url": f"http://testserver/api/v1/grants/{grant.pk}/",
        "jurisdiction": {
            "slug": "chicago-il",
            "name": "City of Chicago",
            "state": "IL",
            "url": "http://testserver/api/v1/jurisdictions/chicago-il/",
        },
        "program": "byrne_jag",
        "fiscal_year": 2017,
        "amount": 2019194.0,
        "status": "withheld",
        "status_date": "2018-07-18",
        "award_number": "",
        "notes": "",
        "sources": [brief(grant.sources.get())],
        "created_at": iso(grant.created_at),
        "updated_at": iso(grant.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


def test_an_unknown_amount_is_null(client, grants):
    grant = GrantAward.objects.get(jurisdiction__slug="illinois")
    assert client.get(f"/api/v1/grants/{grant.pk}/").json()["amount"] is None


@pytest.mark.parametrize("url, rows", [("/api/v1/grants/?page_size=1", 1), ("/api/v1/grants/?page_size=100", 11)])
def test_the_list_costs_the_same_queries_whatever_the_page_size(client, grants, django_assert_num_queries, url, rows):
    for _ in range(6):
        f.GrantAwardFactory()
    # 1 page of grants with their grantees and sources
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(response.json()["results"]) == rows


def test_the_detail_with_its_grantee_expanded_costs_one_query(client, grants, django_assert_num_queries):
    grant = GrantAward.objects.get(jurisdiction__slug="chicago-il")
    # the grant with its grantee, its sources and the grantee's
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/grants/{grant.pk}/?expand=jurisdiction")
    jurisdiction = response.json()["jurisdiction"]
    assert jurisdiction["slug"] == "chicago-il"
    assert jurisdiction["sources"] == [brief(grants["chicago"].sources.get())]


@pytest.mark.parametrize("ordering", ["amount", "-amount", "status_date", "-status_date"])
def test_a_walk_ordered_by_a_column_with_unknown_values_reaches_every_row_once(client, world, ordering):
    unknown = [f.GrantAwardFactory(fiscal_year=2000 + n, amount=None, status_date=None) for n in range(3)]
    seen, url = [], f"/api/v1/grants/?ordering={ordering}&page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(GrantAward.objects.values_list("pk", flat=True))
    first_or_last = seen[:3] if not ordering.startswith("-") else seen[-3:]
    assert sorted(first_or_last) == sorted(grant.pk for grant in unknown)

"""/api/v1/designation-lists/ and /api/v1/designations/: filters, details, search and the cost in queries."""

import datetime

import pytest

from letters.models import Designation, DesignationList
from tests import factories as f
from tests.conftest import brief, iso, slugs

pytestmark = pytest.mark.django_db


def entries(response) -> list[tuple[str, str]]:
    """Each row of a designation list as (list slug, jurisdiction slug), in order."""
    return [(row["designation_list"]["slug"], row["jurisdiction"]["slug"]) for row in response.json()["results"]]


@pytest.fixture
def designations(world):
    """A withdrawn DHS list beside the OIG memorandum (2016, Chicago) and the DOJ list (2025: Chicago disputed,
    Cook County removed on 2025-09-01).

    The designations, in id order: OIG/Chicago, DOJ/Chicago, DOJ/Cook County, DHS/San Francisco, DHS/California.
    """
    dhs = f.DesignationListFactory(
        slug="dhs-2025-05",
        authority="U.S. Department of Homeland Security",
        title="Sanctuary jurisdictions defying federal immigration law",
        published_on=datetime.date(2025, 5, 29),
        withdrawn_on=datetime.date(2025, 6, 1),
        criteria="Refusal to honour detainers.",
    )
    f.DesignationFactory(designation_list=dhs, jurisdiction=world["sf"])
    f.DesignationFactory(
        designation_list=dhs,
        jurisdiction=world["california"],
        label="sanctuary state",
        disputed=True,
        response="California law protects every resident.",
        removed_on=datetime.date(2025, 6, 1),
    )
    return world


EVERY_LIST = ["doj-2025-08", "dhs-2025-05", "doj-oig-2016"]
EVERY_ENTRY = [
    ("doj-oig-2016", "chicago-il"),
    ("doj-2025-08", "chicago-il"),
    ("doj-2025-08", "cook-county-il"),
    ("dhs-2025-05", "san-francisco-ca"),
    ("dhs-2025-05", "california"),
]


# Designation lists.


def test_the_unfiltered_list_holds_every_designation_list_newest_first(client, designations):
    assert slugs(client.get("/api/v1/designation-lists/")) == EVERY_LIST


def test_authority_matches_part_of_the_authoritys_name_in_any_case(client, designations):
    assert slugs(client.get("/api/v1/designation-lists/?authority=homeland")) == ["dhs-2025-05"]


def test_jurisdiction_keeps_the_lists_naming_it(client, designations):
    assert slugs(client.get("/api/v1/designation-lists/?jurisdiction=chicago-il")) == ["doj-2025-08", "doj-oig-2016"]


def test_jurisdiction_lists_a_list_naming_several_of_them_once(client, designations):
    # The DOJ list names both Chicago and Cook County.
    response = client.get("/api/v1/designation-lists/?jurisdiction=chicago-il,cook-county-il")
    assert slugs(response) == ["doj-2025-08", "doj-oig-2016"]


def test_published_after_keeps_the_later_lists(client, designations):
    response = client.get("/api/v1/designation-lists/?published_after=2025-01-01")
    assert slugs(response) == ["doj-2025-08", "dhs-2025-05"]


def test_published_before_keeps_the_earlier_lists(client, designations):
    assert slugs(client.get("/api/v1/designation-lists/?published_before=2024-12-31")) == ["doj-oig-2016"]


def test_withdrawn_true_keeps_only_the_withdrawn_lists(client, designations):
    assert slugs(client.get("/api/v1/designation-lists/?withdrawn=true")) == ["dhs-2025-05"]


def test_withdrawn_false_keeps_only_the_lists_still_standing(client, designations):
    assert slugs(client.get("/api/v1/designation-lists/?withdrawn=false")) == ["doj-2025-08", "doj-oig-2016"]


def test_updated_since_keeps_the_designation_lists_changed_since(client, designations):
    DesignationList.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    DesignationList.objects.filter(slug="doj-oig-2016").update(
        updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    assert slugs(client.get("/api/v1/designation-lists/?updated_since=2025-01-01T00:00:00Z")) == ["doj-oig-2016"]


def test_search_finds_a_designation_list_by_a_word_of_its_title(client, designations):
    assert slugs(client.get("/api/v1/designation-lists/?search=memorandum")) == ["doj-oig-2016"]


def test_search_finds_a_designation_list_by_a_word_of_its_criteria(client, designations):
    assert slugs(client.get("/api/v1/designation-lists/?search=detainers")) == ["dhs-2025-05"]


def test_the_designation_list_detail_by_slug_shows_every_field(client, designations):
    listed = DesignationList.objects.get(slug="dhs-2025-05")
    response = client.get("/api/v1/designation-lists/dhs-2025-05/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "dhs-2025-05",
        "url": "http://testserver/api/v1/designation-lists/dhs-2025-05/",
        "authority": "U.S. Department of Homeland Security",
        "title": "Sanctuary jurisdictions defying federal immigration law",
        "published_on": "2025-05-29",
        "withdrawn_on": "2025-06-01",
        "list_url": "",
        "criteria": "Refusal to honour detainers.",
        "notes": "",
        "sources": [brief(listed.sources.get())],
        "created_at": iso(listed.created_at),
        "updated_at": iso(listed.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize(
    "url, rows", [("/api/v1/designation-lists/?page_size=1", 1), ("/api/v1/designation-lists/?page_size=100", 9)]
)
def test_the_designation_lists_cost_the_same_queries_whatever_the_page_size(
    client, designations, django_assert_num_queries, url, rows
):
    for _ in range(6):
        f.DesignationListFactory()
    # 1 page of lists with their sources
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(response.json()["results"]) == rows


# Designations.


def test_the_unfiltered_list_holds_every_designation_in_the_order_entered(client, designations):
    assert entries(client.get("/api/v1/designations/")) == EVERY_ENTRY


def test_designation_list_keeps_the_entries_of_that_list(client, designations):
    response = client.get("/api/v1/designations/?designation_list=doj-2025-08")
    assert entries(response) == [("doj-2025-08", "chicago-il"), ("doj-2025-08", "cook-county-il")]


def test_jurisdiction_keeps_the_entries_naming_it(client, designations):
    response = client.get("/api/v1/designations/?jurisdiction=chicago-il")
    assert entries(response) == [("doj-oig-2016", "chicago-il"), ("doj-2025-08", "chicago-il")]


def test_state_keeps_the_entries_of_that_state(client, designations):
    response = client.get("/api/v1/designations/?state=CA")
    assert entries(response) == [("dhs-2025-05", "san-francisco-ca"), ("dhs-2025-05", "california")]


def test_state_not_leaves_a_state_out(client, designations):
    response = client.get("/api/v1/designations/?state__not=CA")
    assert entries(response) == EVERY_ENTRY[:3]


def test_disputed_true_keeps_only_the_disputed_entries(client, designations):
    response = client.get("/api/v1/designations/?disputed=true")
    assert entries(response) == [("doj-2025-08", "chicago-il"), ("dhs-2025-05", "california")]


def test_disputed_false_keeps_only_the_undisputed_entries(client, designations):
    response = client.get("/api/v1/designations/?disputed=false")
    assert entries(response) == [
        ("doj-oig-2016", "chicago-il"),
        ("doj-2025-08", "cook-county-il"),
        ("dhs-2025-05", "san-francisco-ca"),
    ]


def test_removed_true_keeps_only_the_entries_later_removed(client, designations):
    response = client.get("/api/v1/designations/?removed=true")
    assert entries(response) == [("doj-2025-08", "cook-county-il"), ("dhs-2025-05", "california")]


def test_removed_false_keeps_only_the_entries_still_listed(client, designations):
    response = client.get("/api/v1/designations/?removed=false")
    assert entries(response) == [
        ("doj-oig-2016", "chicago-il"),
        ("doj-2025-08", "chicago-il"),
        ("dhs-2025-05", "san-francisco-ca"),
    ]


def test_removed_after_keeps_the_later_removals(client, designations):
    # Cook County was removed on 2025-09-01, California on 2025-06-01.
    assert entries(client.get("/api/v1/designations/?removed_after=2025-08-01")) == [("doj-2025-08", "cook-county-il")]


def test_removed_before_keeps_the_earlier_removals(client, designations):
    assert entries(client.get("/api/v1/designations/?removed_before=2025-08-01")) == [("dhs-2025-05", "california")]


def test_updated_since_keeps_the_designations_changed_since(client, designations):
    Designation.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    Designation.objects.filter(jurisdiction__slug="san-francisco-ca").update(
        updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    response = client.get("/api/v1/designations/?updated_since=2025-01-01T00:00:00Z")
    assert entries(response) == [("dhs-2025-05", "san-francisco-ca")]


def test_search_finds_a_designation_by_a_word_of_the_jurisdictions_name(client, designations):
    assert entries(client.get("/api/v1/designations/?search=Cook")) == [("doj-2025-08", "cook-county-il")]


def test_search_finds_a_designation_by_a_word_of_the_response(client, designations):
    assert entries(client.get("/api/v1/designations/?search=resident")) == [("dhs-2025-05", "california")]


def test_the_designation_detail_by_id_shows_every_field(client, designations):
    designation = Designation.objects.get(designation_list__slug="doj-2025-08", jurisdiction__slug="chicago-il")
    response = client.get(f"/api/v1/designations/{designation.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": designation.pk,
        "url": f"http://testserver/api/v1/designations/{designation.pk}/",
        "designation_list": {
            "slug": "doj-2025-08",
            "name": "DOJ list",
            "url": "http://testserver/api/v1/designation-lists/doj-2025-08/",
        },
        "jurisdiction": {
            "slug": "chicago-il",
            "name": "City of Chicago",
            "state": "IL",
            "url": "http://testserver/api/v1/jurisdictions/chicago-il/",
        },
        "label": "sanctuary jurisdiction",
        "disputed": True,
        "response": "We follow the law.",
        "removed_on": None,
        "notes": "",
        "sources": [brief(designation.sources.get())],
        "created_at": iso(designation.created_at),
        "updated_at": iso(designation.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize(
    "url, rows", [("/api/v1/designations/?page_size=1", 1), ("/api/v1/designations/?page_size=100", 11)]
)
def test_the_designations_cost_the_same_queries_whatever_the_page_size(
    client, designations, django_assert_num_queries, url, rows
):
    for _ in range(6):
        f.DesignationFactory()
    # 1 page of designations with their lists, jurisdictions and sources
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(response.json()["results"]) == rows


def test_the_designation_detail_with_both_links_expanded_costs_one_query(
    client, designations, django_assert_num_queries
):
    designation = Designation.objects.get(designation_list__slug="doj-2025-08", jurisdiction__slug="chicago-il")
    # the designation with its list and jurisdiction, and the sources of all three
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/designations/{designation.pk}/?expand=jurisdiction,designation_list")
    body = response.json()
    assert body["jurisdiction"]["slug"] == "chicago-il"
    assert body["jurisdiction"]["sources"] == [brief(designations["chicago"].sources.get())]
    assert body["designation_list"]["slug"] == "doj-2025-08"
    assert body["designation_list"]["sources"] == [brief(designation.designation_list.sources.get())]

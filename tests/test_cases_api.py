"""/api/v1/cases/: each filter, the detail, search and the cost in queries."""

import datetime

import pytest

from letters.models import CaseParty, CourtCase
from tests import factories as f
from tests.conftest import brief, iso, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    """Two more cases beside Chicago's district case and appeal and San Francisco's case."""
    california = f.CourtCaseFactory(
        slug="california-v-sessions-cand",
        caption="State of California v. Sessions",
        court="cand",
        docket_number="3:17-cv-04701",
        filed_on=datetime.date(2017, 8, 14),
        status=CourtCase.Status.OPEN,
        other_parties="Jefferson B. Sessions III, Attorney General",
        summary="Challenge to the immigration conditions on Byrne JAG grants.",
    )
    f.CasePartyFactory(case=california, jurisdiction=world["california"])
    united_states = f.CourtCaseFactory(
        slug="us-v-illinois-ilnd",
        caption="United States v. Illinois",
        court="ilnd",
        docket_number="1:25-cv-01285",
        filed_on=datetime.date(2025, 2, 6),
        status=CourtCase.Status.DISMISSED,
    )
    for defendant in ("illinois", "chicago", "cook"):
        f.CasePartyFactory(case=united_states, jurisdiction=world[defendant], role=CaseParty.Role.DEFENDANT)
    return world


# By caption: "City and County of San Francisco" sorts before "City of Chicago"; ties by id.
EVERY_CASE = [
    "sf-v-sessions-cand",
    "chicago-v-sessions-ilnd",
    "chicago-v-sessions-ca7",
    "california-v-sessions-cand",
    "us-v-illinois-ilnd",
]


def test_the_unfiltered_list_holds_every_case_by_caption(client, cases):
    assert slugs(client.get("/api/v1/cases/")) == EVERY_CASE


def test_court_keeps_the_cases_in_that_court(client, cases):
    assert slugs(client.get("/api/v1/cases/?court=ca7")) == ["chicago-v-sessions-ca7"]


def test_court_takes_a_comma_list(client, cases):
    response = client.get("/api/v1/cases/?court=ca7,cand")
    assert slugs(response) == ["sf-v-sessions-cand", "chicago-v-sessions-ca7", "california-v-sessions-cand"]


def test_court_not_leaves_a_court_out(client, cases):
    response = client.get("/api/v1/cases/?court__not=ilnd")
    assert slugs(response) == ["sf-v-sessions-cand", "chicago-v-sessions-ca7", "california-v-sessions-cand"]


def test_docket_number_finds_the_docket(client, cases):
    assert slugs(client.get("/api/v1/cases/?docket_number=17-2991")) == ["chicago-v-sessions-ca7"]


def test_status_keeps_the_cases_in_that_state(client, cases):
    assert slugs(client.get("/api/v1/cases/?status=open")) == ["california-v-sessions-cand"]


def test_party_keeps_the_cases_with_that_jurisdiction_as_a_party(client, cases):
    response = client.get("/api/v1/cases/?party=chicago-il")
    assert slugs(response) == ["chicago-v-sessions-ilnd", "chicago-v-sessions-ca7", "us-v-illinois-ilnd"]


def test_party_lists_a_case_with_several_of_the_parties_once(client, cases):
    # Chicago and Cook County are both defendants in United States v. Illinois.
    response = client.get("/api/v1/cases/?party=chicago-il,cook-county-il")
    assert slugs(response) == ["chicago-v-sessions-ilnd", "chicago-v-sessions-ca7", "us-v-illinois-ilnd"]


def test_party_state_keeps_the_cases_with_a_party_in_that_state(client, cases):
    assert slugs(client.get("/api/v1/cases/?party_state=CA")) == ["sf-v-sessions-cand", "california-v-sessions-cand"]


def test_party_state_lists_a_case_with_several_parties_in_the_state_once(client, cases):
    response = client.get("/api/v1/cases/?party_state=IL")
    assert slugs(response) == ["chicago-v-sessions-ilnd", "chicago-v-sessions-ca7", "us-v-illinois-ilnd"]


def test_appeal_of_keeps_the_appeals_from_that_case(client, cases):
    assert slugs(client.get("/api/v1/cases/?appeal_of=chicago-v-sessions-ilnd")) == ["chicago-v-sessions-ca7"]


def test_filed_after_keeps_the_later_cases(client, cases):
    # Filed: San Francisco 2017-08-11, Chicago 2017-08-07, appeal 2017-09-26, California 2017-08-14, US 2025.
    response = client.get("/api/v1/cases/?filed_after=2017-08-10")
    assert slugs(response) == [
        "sf-v-sessions-cand",
        "chicago-v-sessions-ca7",
        "california-v-sessions-cand",
        "us-v-illinois-ilnd",
    ]


def test_filed_before_keeps_the_earlier_cases(client, cases):
    response = client.get("/api/v1/cases/?filed_before=2017-08-31")
    assert slugs(response) == ["sf-v-sessions-cand", "chicago-v-sessions-ilnd", "california-v-sessions-cand"]


def test_updated_since_keeps_the_cases_changed_since(client, cases):
    CourtCase.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    CourtCase.objects.filter(slug="chicago-v-sessions-ca7").update(
        updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    assert slugs(client.get("/api/v1/cases/?updated_since=2025-01-01T00:00:00Z")) == ["chicago-v-sessions-ca7"]


def test_search_finds_a_case_by_a_word_of_its_caption(client, cases):
    assert slugs(client.get("/api/v1/cases/?search=Illinois")) == ["us-v-illinois-ilnd"]


def test_search_finds_a_case_by_a_word_of_its_summary(client, cases):
    assert slugs(client.get("/api/v1/cases/?search=conditions")) == ["california-v-sessions-cand"]


def test_search_finds_a_case_by_a_word_of_its_other_parties(client, cases):
    assert slugs(client.get("/api/v1/cases/?search=Jefferson")) == ["california-v-sessions-cand"]


def test_the_detail_by_slug_shows_every_field_and_the_case_below(client, cases):
    case = CourtCase.objects.get(slug="chicago-v-sessions-ca7")
    party = case.case_parties.get()
    response = client.get("/api/v1/cases/chicago-v-sessions-ca7/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "chicago-v-sessions-ca7",
        "url": "http://testserver/api/v1/cases/chicago-v-sessions-ca7/",
        "caption": "City of Chicago v. Sessions",
        "court": {
            "id": "ca7",
            "name": "United States Court of Appeals for the Seventh Circuit",
            "url": "http://testserver/api/v1/courts/ca7/",
        },
        "docket_number": "17-2991",
        "filed_on": "2017-09-26",
        "appeal_of": {
            "slug": "chicago-v-sessions-ilnd",
            "name": "City of Chicago v. Sessions",
            "url": "http://testserver/api/v1/cases/chicago-v-sessions-ilnd/",
        },
        "status": "closed",
        "parties": [
            {
                "jurisdiction": {
                    "slug": "chicago-il",
                    "name": "City of Chicago",
                    "state": "IL",
                    "url": "http://testserver/api/v1/jurisdictions/chicago-il/",
                },
                "role": "appellee",
                "sources": [brief(party.sources.get())],
                "review_state": "published",
                "checked_at": None,
            }
        ],
        "other_parties": "",
        "summary": "",
        "courtlistener_url": "https://www.courtlistener.com/?type=r&court=ca7&docket_number=17-2991",
        "notes": "",
        "sources": [brief(case.sources.get())],
        "created_at": iso(case.created_at),
        "updated_at": iso(case.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize("url, rows", [("/api/v1/cases/?page_size=1", 1), ("/api/v1/cases/?page_size=100", 11)])
def test_the_list_costs_the_same_queries_whatever_the_page_size(client, cases, django_assert_num_queries, url, rows):
    below = CourtCase.objects.get(slug="chicago-v-sessions-ilnd")
    for _ in range(6):
        case = f.CourtCaseFactory(court="ca7", appeal_of=below)
        f.CasePartyFactory(case=case)
        f.CasePartyFactory(case=case)
    # 1 page of cases with the cases below and their sources, 2 their parties with jurisdictions and sources
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(response.json()["results"]) == rows


def test_the_detail_with_the_case_below_expanded_costs_two_queries(client, cases, django_assert_num_queries):
    below = CourtCase.objects.get(slug="chicago-v-sessions-ilnd")
    # 1 the appeal with the case below, the appeal's sources and the case below's, 2 its parties with
    # jurisdictions and sources
    with django_assert_num_queries(2):
        response = client.get("/api/v1/cases/chicago-v-sessions-ca7/?expand=appeal_of")
    expanded = response.json()["appeal_of"]
    assert expanded["slug"] == "chicago-v-sessions-ilnd"
    assert expanded["docket_number"] == "1:17-cv-05720"
    assert expanded["sources"] == [brief(below.sources.get())]
    assert "parties" not in expanded

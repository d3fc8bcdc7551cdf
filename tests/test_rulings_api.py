"""/api/v1/rulings/: each filter, the detail, search and the cost in queries."""

import datetime

import pytest

from letters.models import CaseParty, CourtCase, Ruling
from tests import factories as f
from tests.conftest import brief, iso, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def rulings(world):
    """Two more rulings beside ilnd-pi (2017-09-15), ca7-affirmed (2018-04-19) and cand-sj (2018-10-05),
    all three for the jurisdiction with nationwide scope."""
    california = f.CourtCaseFactory(
        slug="california-v-sessions-cand",
        caption="State of California v. Sessions",
        court="cand",
        docket_number="3:17-cv-04701",
        filed_on=datetime.date(2017, 8, 14),
    )
    f.CasePartyFactory(case=california, jurisdiction=world["california"])
    f.CasePartyFactory(case=california, jurisdiction=world["sf"], role=CaseParty.Role.INTERVENOR)
    f.RulingFactory(
        slug="california-sj",
        case=california,
        decided_on=datetime.date(2018, 6, 6),
        kind=Ruling.Kind.SUMMARY_JUDGMENT,
        judge="William H. Orrick",
        outcome=Ruling.Outcome.MIXED,
        scope=Ruling.Scope.STATE,
    )
    f.RulingFactory(
        slug="ca7-en-banc-stay",
        case=CourtCase.objects.get(slug="chicago-v-sessions-ca7"),
        decided_on=datetime.date(2018, 8, 10),
        kind=Ruling.Kind.EN_BANC,
        judge="Wood",
        outcome=Ruling.Outcome.PROCEDURAL,
        scope=Ruling.Scope.NOT_APPLICABLE,
        summary="Stayed the injunction's reach beyond Chicago pending rehearing.",
    )
    return world


# Newest first.
EVERY_RULING = ["cand-sj", "ca7-en-banc-stay", "california-sj", "ca7-affirmed", "ilnd-pi"]


def test_the_unfiltered_list_holds_every_ruling_newest_first(client, rulings):
    assert slugs(client.get("/api/v1/rulings/")) == EVERY_RULING


def test_case_keeps_the_rulings_in_that_case(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?case=chicago-v-sessions-ca7")) == ["ca7-en-banc-stay", "ca7-affirmed"]


def test_court_keeps_the_rulings_of_that_court(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?court=cand")) == ["cand-sj", "california-sj"]


def test_court_takes_a_comma_list(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?court=ilnd,cand")) == ["cand-sj", "california-sj", "ilnd-pi"]


def test_party_keeps_the_rulings_in_that_jurisdictions_cases(client, rulings):
    response = client.get("/api/v1/rulings/?party=chicago-il")
    assert slugs(response) == ["ca7-en-banc-stay", "ca7-affirmed", "ilnd-pi"]


def test_party_lists_a_ruling_in_a_case_with_several_of_the_parties_once(client, rulings):
    # California and San Francisco are both parties to California's case.
    response = client.get("/api/v1/rulings/?party=california,san-francisco-ca")
    assert slugs(response) == ["cand-sj", "california-sj"]


def test_kind_keeps_that_kind_of_ruling(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?kind=summary_judgment")) == ["cand-sj", "california-sj"]


def test_outcome_keeps_that_outcome(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?outcome=mixed")) == ["california-sj"]


def test_outcome_not_leaves_that_outcome_out(client, rulings):
    response = client.get("/api/v1/rulings/?outcome__not=for_jurisdiction")
    assert slugs(response) == ["ca7-en-banc-stay", "california-sj"]


def test_scope_keeps_that_scope(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?scope=nationwide")) == ["cand-sj", "ca7-affirmed", "ilnd-pi"]


def test_judge_matches_part_of_the_name_in_any_case(client, rulings):
    # "Orrick" and "William H. Orrick".
    assert slugs(client.get("/api/v1/rulings/?judge=orr")) == ["cand-sj", "california-sj"]


def test_decided_after_keeps_the_later_rulings(client, rulings):
    response = client.get("/api/v1/rulings/?decided_after=2018-06-01")
    assert slugs(response) == ["cand-sj", "ca7-en-banc-stay", "california-sj"]


def test_decided_before_keeps_the_earlier_rulings(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?decided_before=2018-04-30")) == ["ca7-affirmed", "ilnd-pi"]


def test_updated_since_keeps_the_rulings_changed_since(client, rulings):
    Ruling.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    Ruling.objects.filter(slug="ilnd-pi").update(updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC))
    assert slugs(client.get("/api/v1/rulings/?updated_since=2025-01-01T00:00:00Z")) == ["ilnd-pi"]


def test_search_finds_a_ruling_by_its_judge(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?search=Leinenweber")) == ["ilnd-pi"]


def test_search_finds_a_ruling_by_a_word_of_its_summary(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?search=rehearing")) == ["ca7-en-banc-stay"]


def test_search_finds_a_ruling_by_a_word_of_its_cases_caption(client, rulings):
    assert slugs(client.get("/api/v1/rulings/?search=Francisco")) == ["cand-sj"]


def test_the_detail_by_slug_shows_every_field(client, rulings):
    ruling = Ruling.objects.get(slug="ca7-affirmed")
    response = client.get("/api/v1/rulings/ca7-affirmed/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "ca7-affirmed",
        "url": "http://testserver/api/v1/rulings/ca7-affirmed/",
        "case": {
            "slug": "chicago-v-sessions-ca7",
            "name": "City of Chicago v. Sessions",
            "url": "http://testserver/api/v1/cases/chicago-v-sessions-ca7/",
        },
        "court": {
            "id": "ca7",
            "name": "United States Court of Appeals for the Seventh Circuit",
            "url": "http://testserver/api/v1/courts/ca7/",
        },
        "decided_on": "2018-04-19",
        "kind": "appellate_opinion",
        "judge": "Rovner",
        "outcome": "for_jurisdiction",
        "scope": "nationwide",
        "citation": "888 F.3d 272",
        "summary": "",
        "opinion_url": "",
        "notes": "",
        "sources": [brief(ruling.sources.get())],
        "created_at": iso(ruling.created_at),
        "updated_at": iso(ruling.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize("url, rows", [("/api/v1/rulings/?page_size=1", 1), ("/api/v1/rulings/?page_size=100", 11)])
def test_the_list_costs_the_same_queries_whatever_the_page_size(client, rulings, django_assert_num_queries, url, rows):
    for _ in range(6):
        f.RulingFactory()
    # 1 page of rulings with their cases and sources
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(response.json()["results"]) == rows


def test_the_detail_with_its_case_expanded_costs_one_query(client, rulings, django_assert_num_queries):
    case = CourtCase.objects.get(slug="chicago-v-sessions-ca7")
    # the ruling with its case, its sources and the case's
    with django_assert_num_queries(1):
        response = client.get("/api/v1/rulings/ca7-affirmed/?expand=case")
    expanded = response.json()["case"]
    assert expanded["slug"] == "chicago-v-sessions-ca7"
    assert expanded["docket_number"] == "17-2991"
    assert expanded["sources"] == [brief(case.sources.get())]

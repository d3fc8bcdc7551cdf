"""/api/v1/jurisdictions/<slug>/timeline/: one place's history, in date order."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from letters.models import Designation, GrantAward, LetterRecipient
from tests import factories as f
from tests.conftest import brief

pytestmark = pytest.mark.django_db

API = "http://testserver/api/v1"


def test_the_timeline_lists_everything_that_happened_to_a_place_in_date_order(client, world):
    grant = GrantAward.objects.get(jurisdiction__slug="chicago-il")
    oig = Designation.objects.get(designation_list__slug="doj-oig-2016", jurisdiction__slug="chicago-il")
    doj = Designation.objects.get(designation_list__slug="doj-2025-08", jurisdiction__slug="chicago-il")
    response = client.get("/api/v1/jurisdictions/chicago-il/timeline/")
    assert response.status_code == 200
    body = response.json()
    sources = [entry.pop("sources") for entry in body["entries"]]
    # A letter's entry cites the letter's sources and the recipient row's.
    recipient = LetterRecipient.objects.get(letter__slug="2017-04-21-letters", jurisdiction__slug="chicago-il")
    assert sources[3] == [brief(recipient.sources.get()), brief(recipient.letter.sources.get())]
    assert all(sources)
    assert body == {
        "jurisdiction": "chicago-il",
        "name": "City of Chicago",
        "entries": [
            {
                "date": "2011-05-16",
                "kind": "took_office",
                "title": "Rahm Emanuel",
                "detail": "Mayor",
                "url": f"{API}/officials/rahm-emanuel/",
            },
            {
                "date": "2012-09-12",
                "kind": "policy_enacted",
                "title": "Welcoming City Ordinance",
                "detail": "",
                "url": f"{API}/policies/welcoming-city-ordinance/",
            },
            {
                "date": "2016-05-31",
                "kind": "designation",
                "title": "OIG memorandum",
                "detail": "sanctuary jurisdiction",
                "url": f"{API}/designations/{oig.pk}/",
            },
            {
                "date": "2017-04-21",
                "kind": "letter",
                "title": "Validate compliance with 8 U.S.C. 1373",
                "detail": "Determination: Non-compliant",
                "url": f"{API}/letters/2017-04-21-letters/",
            },
            {
                "date": "2017-08-07",
                "kind": "case_filed",
                "title": "City of Chicago v. Sessions",
                "detail": "Plaintiff",
                "url": f"{API}/cases/chicago-v-sessions-ilnd/",
            },
            {
                "date": "2017-09-15",
                "kind": "ruling",
                "title": "Preliminary injunction: City of Chicago v. Sessions",
                "detail": "For the jurisdiction",
                "url": f"{API}/rulings/ilnd-pi/",
            },
            {
                "date": "2017-09-26",
                "kind": "case_filed",
                "title": "City of Chicago v. Sessions",
                "detail": "Appellee",
                "url": f"{API}/cases/chicago-v-sessions-ca7/",
            },
            # Same day: "event" sorts before "letter". Chicago is both involved in the meeting and a
            # participant (Emanuel declined): the meeting is listed once.
            {
                "date": "2018-01-24",
                "kind": "event",
                "title": "White House meeting with mayors",
                "detail": "Meeting",
                "url": f"{API}/events/2018-01-24-meeting/",
            },
            {
                "date": "2018-01-24",
                "kind": "letter",
                "title": "Document demand with subpoena threat",
                "detail": "Determination: Pending",
                "url": f"{API}/letters/2018-01-24-demands/",
            },
            {
                "date": "2018-04-19",
                "kind": "ruling",
                "title": "Appellate opinion: City of Chicago v. Sessions",
                "detail": "For the jurisdiction",
                "url": f"{API}/rulings/ca7-affirmed/",
            },
            {
                "date": "2018-07-18",
                "kind": "grant",
                "title": "Edward Byrne Memorial Justice Assistance Grant (Byrne JAG) FY2017",
                "detail": "$2,019,194: Withheld",
                "url": f"{API}/grants/{grant.pk}/",
            },
            {
                "date": "2019-05-20",
                "kind": "took_office",
                "title": "Lori Lightfoot",
                "detail": "Mayor",
                "url": f"{API}/officials/lori-lightfoot/",
            },
            {
                "date": "2025-08-05",
                "kind": "designation",
                "title": "DOJ list",
                "detail": "sanctuary jurisdiction (disputed)",
                "url": f"{API}/designations/{doj.pk}/",
            },
        ],
    }


def test_the_timeline_shows_a_removal_from_a_list_and_the_end_of_a_policy(client, world):
    f.PolicyFactory(
        slug="cook-county-detainer-ordinance",
        jurisdiction=world["cook"],
        title="Cook County Detainer Ordinance",
        citation="11-O-73",
        enacted_on=datetime.date(2011, 9, 7),
        ended_on=datetime.date(2015, 1, 1),
    )
    doj = Designation.objects.get(jurisdiction__slug="cook-county-il")
    body = client.get("/api/v1/jurisdictions/cook-county-il/timeline/").json()
    assert [(entry["date"], entry["kind"], entry["title"], entry["detail"]) for entry in body["entries"]] == [
        ("2011-09-07", "policy_enacted", "Cook County Detainer Ordinance", "11-O-73"),
        ("2015-01-01", "policy_ended", "Cook County Detainer Ordinance", "11-O-73"),
        ("2025-08-05", "designation", "DOJ list", "sanctuary jurisdiction"),
        ("2025-09-01", "designation_removed", "DOJ list", "Removed from the list"),
    ]
    assert body["entries"][-1]["url"] == f"{API}/designations/{doj.pk}/"


def test_the_timeline_leaves_out_a_grant_without_a_status_date_and_shows_an_unknown_amount_bare(client, world):
    f.GrantAwardFactory(jurisdiction=world["illinois"], fiscal_year=2018, status_date=None)
    f.GrantAwardFactory(
        jurisdiction=world["illinois"],
        program="scaap",
        fiscal_year=2019,
        amount=None,
        status="unknown",
        status_date=datetime.date(2019, 10, 1),
    )
    body = client.get("/api/v1/jurisdictions/illinois/timeline/").json()
    assert [(entry["date"], entry["kind"], entry["title"], entry["detail"]) for entry in body["entries"]] == [
        ("2019-10-01", "grant", "State Criminal Alien Assistance Program (SCAAP) FY2019", "Unknown"),
    ]


def test_an_unknown_slug_is_a_json_404(client, world):
    response = client.get("/api/v1/jurisdictions/atlantis/timeline/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "error": "not_found",
        "detail": "No Jurisdiction matches the given query.",
    }


def test_an_unknown_parameter_is_a_400_naming_it(client, world):
    response = client.get("/api/v1/jurisdictions/chicago-il/timeline/?since=2018-01-01")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["error"] == "invalid"
    assert list(body["errors"]) == ["since"]


def test_the_timeline_costs_one_query_per_kind_of_record_however_long_it_is(client, world, django_assert_num_queries):
    chicago = world["chicago"]
    for n in range(5):
        f.LetterRecipientFactory(jurisdiction=chicago)
        f.DesignationFactory(jurisdiction=chicago, disputed=True, removed_on=datetime.date(2025, 9, 1))
        f.GrantAwardFactory(jurisdiction=chicago, fiscal_year=2010 + n, amount=Decimal("1000.00"))
        case = f.CourtCaseFactory()
        f.CasePartyFactory(case=case, jurisdiction=chicago)
        f.RulingFactory(case=case)
        event = f.EventFactory()
        event.jurisdictions.set([chicago])
        f.EventParticipantFactory(event=f.EventFactory(), jurisdiction=chicago)
        f.PolicyFactory(jurisdiction=chicago, ended_on=datetime.date(2020, 1, 1))
        f.OfficialFactory(jurisdiction=chicago)
    # 1 the jurisdiction; then one per kind of record, its sources (and its parent's) in the same query:
    # 2 letters received, 3 designations with their lists, 4 grants, 5 case parties with their cases,
    # 6 rulings with their cases, 7 events, 8 policies, 9 officials
    with django_assert_num_queries(9):
        response = client.get("/api/v1/jurisdictions/chicago-il/timeline/")
    # 13 entries of the world's, and per round: a letter, a designation and its removal, a grant, a case,
    # a ruling, two events, a policy's enactment and end, an official.
    assert len(response.json()["entries"]) == 13 + 5 * 11


def test_the_timeline_narrows_to_kinds_and_dates(client, world):
    body = client.get(
        "/api/v1/jurisdictions/chicago-il/timeline/?kind=letter&kind=case_filed&date_after=2017-05-01"
    ).json()
    assert [(entry["date"], entry["kind"]) for entry in body["entries"]] == [
        ("2017-08-07", "case_filed"),
        ("2017-09-26", "case_filed"),
        ("2018-01-24", "letter"),
    ]


def test_the_timeline_refuses_an_unknown_kind(client, world):
    response = client.get("/api/v1/jurisdictions/chicago-il/timeline/?kind=party")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_the_timeline_as_csv_is_its_entries_with_their_sources_as_urls(client, world):
    response = client.get("/api/v1/jurisdictions/chicago-il/timeline/?format=csv&kind=letter")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["date"], row["kind"]) for row in rows] == [("2017-04-21", "letter"), ("2018-01-24", "letter")]
    recipient = LetterRecipient.objects.get(letter__slug="2017-04-21-letters", jurisdiction__slug="chicago-il")
    assert rows[0]["sources"] == f"{recipient.sources.get().url} {recipient.letter.sources.get().url}"
    assert rows[0]["url"] == f"{API}/letters/2017-04-21-letters/"


def test_the_timeline_entries_are_what_their_serializer_shows(client, world):
    """The view writes the entries out itself; TimelineEntrySerializer (the schema) must show the same."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    from cities.models import Jurisdiction
    from reports.api import TimelineEntrySerializer
    from reports.timeline import timeline

    answered = client.get("/api/v1/jurisdictions/chicago-il/timeline/").json()["entries"]
    context = {"request": Request(RequestFactory().get("/"))}
    entries = timeline(Jurisdiction.objects.get(slug="chicago-il"), context)
    assert len(answered) > 10
    assert answered == TimelineEntrySerializer(entries, many=True, context=context).data


def test_the_timeline_builds_its_queries_once_and_filters_them_per_place(client, world, monkeypatch):
    import reports.timeline

    built = []
    own = reports.timeline.with_sources
    monkeypatch.setattr(
        reports.timeline, "with_sources", lambda queryset: built.append(queryset.model) or own(queryset)
    )
    reports.timeline.kind_rows.cache_clear()
    try:
        chicago = client.get("/api/v1/jurisdictions/chicago-il/timeline/").json()["entries"]
        illinois = client.get("/api/v1/jurisdictions/illinois/timeline/").json()["entries"]
    finally:
        reports.timeline.kind_rows.cache_clear()
    assert len(built) == len(set(built)) == 8  # one query per kind of record, for both places
    assert len(chicago) > 10
    assert illinois != chicago  # each place's own records: the state has none in this world

"""A record's sources are read in its own query (tracker.models.cited_sources), as DRF would show them.

Lists and details do not prefetch sources: the record's query carries them as
JSON built by the database. They must be what DRF's own serializer of a source
gives (SourceBriefSerializer), field by field, in URL order, on every
resource, for children (a letter's recipients) and for an ``as_of`` snapshot.
"""

import datetime

import pytest

from letters.models import Letter
from tests import factories as f
from tracker.models import Source
from tracker.reading.fields import SourceBriefSerializer


@pytest.fixture
def cited(db):
    """Three sources created out of URL order, one with no publisher and no date, one with quotes and accents."""
    return [
        f.SourceFactory(url="https://example.org/c", title='The "C" report — São Paulo', kind=Source.Kind.OPINION),
        f.SourceFactory(url="https://example.org/a", publisher="", published_on=None),
        f.SourceFactory(url="https://example.org/b", published_on=datetime.date(2017, 4, 21)),
    ]


def drf_own(sources) -> list[dict]:
    """DRF's serializer of each source, in URL order."""
    return [dict(SourceBriefSerializer(source).data) for source in sorted(sources, key=lambda source: source.url)]


RECORDS = {
    "jurisdictions": lambda cited: f.JurisdictionFactory(sources=cited),
    "officials": lambda cited: f.OfficialFactory(sources=cited),
    "policies": lambda cited: f.PolicyFactory(sources=cited),
    "letters": lambda cited: f.LetterFactory(sources=cited),
    "grants": lambda cited: f.GrantAwardFactory(sources=cited),
    "cases": lambda cited: f.CourtCaseFactory(sources=cited),
    "rulings": lambda cited: f.RulingFactory(sources=cited),
    "events": lambda cited: f.EventFactory(sources=cited),
    "designation-lists": lambda cited: f.DesignationListFactory(sources=cited),
    "designations": lambda cited: f.DesignationFactory(sources=cited),
}


@pytest.mark.parametrize("resource", RECORDS)
def test_every_resource_lists_its_sources_as_drf_shows_them(client, cited, resource):
    record = RECORDS[resource](cited)
    value = getattr(record, record.api_lookup())
    listed = [
        row for row in client.get(f"/api/v1/{resource}/").json()["results"] if value in (row.get("slug"), row.get("id"))
    ]
    detail = client.get(f"/api/v1/{resource}/{value}/").json()

    assert listed[0]["sources"] == detail["sources"] == drf_own(cited)
    assert list(detail["sources"][0]) == list(SourceBriefSerializer().fields)  # the keys in DRF's order


def test_a_record_without_sources_lists_none(client, db):
    letter = f.LetterFactory(sources=[])
    assert client.get(f"/api/v1/letters/{letter.slug}/").json()["sources"] == []


def test_children_list_their_own_sources(client, cited):
    letter = f.LetterFactory()
    f.LetterRecipientFactory(letter=letter, sources=cited[:2])
    f.LetterRecipientFactory(letter=letter, sources=[])
    recipients = client.get("/api/v1/letters/").json()["results"][0]["recipients"]

    assert [recipient["sources"] for recipient in recipients] == [drf_own(cited[:2]), []]


def test_a_snapshot_lists_the_sources_of_its_records_and_children(client, cited):
    letter = f.LetterFactory(sources=cited)
    f.LetterRecipientFactory(letter=letter, sources=cited[1:])
    moment = Letter.history.latest().history_date + datetime.timedelta(seconds=1)
    past = client.get("/api/v1/letters/", {"as_of": moment.isoformat()}).json()["results"][0]

    assert past["sources"] == drf_own(cited)
    assert past["recipients"][0]["sources"] == drf_own(cited[1:])


def test_an_export_gives_the_sources_links_in_url_order(client, cited):
    f.GrantAwardFactory(sources=cited)
    response = client.get("/api/v1/grants/?format=csv&fields=id,sources")
    rows = b"".join(response.streaming_content).decode().splitlines()

    assert rows[1].split(",")[1] == "https://example.org/a https://example.org/b https://example.org/c"

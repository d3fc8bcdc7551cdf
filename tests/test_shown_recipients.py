"""Recipients as the API shows them, kept by PostgreSQL (letters/migrations/0010).

Whatever changes what a recipient shows (its row, its sources, a cited source, its place), and in
whatever order a transaction writes them, the letters' pages still show what DRF shows from the models.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.models import Jurisdiction
from letters.models import Letter, LetterRecipient
from letters.serializers import LetterRecipientSerializer
from tests import factories as f
from tests.test_child_rows import drf_children
from tracker.models import Source

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite builds recipients in Python"),
]


def assert_shown_as_drf_shows_them(client):
    listed = client.get("/api/v1/letters/?page_size=1000").json()["results"]
    assert listed
    for row in listed:
        letter = Letter.objects.get(slug=row["slug"])
        assert row["recipients"] == drf_children(letter, "letter_recipients", LetterRecipientSerializer)


@pytest.fixture
def recipient(world):
    return LetterRecipient.objects.select_related("jurisdiction").order_by("pk").first()


def test_a_recipients_own_edit_is_shown(client, recipient):
    LetterRecipient.objects.filter(pk=recipient.pk).update(notes="Answered by fax.", determination="compliant")
    assert_shown_as_drf_shows_them(client)


@pytest.mark.parametrize(
    "change", [{"name": "Renamed City"}, {"slug": "renamed-city-il"}, {"state": "WI"}], ids=["name", "slug", "state"]
)
def test_a_places_new_name_slug_or_state_is_shown(client, recipient, change):
    Jurisdiction.objects.filter(pk=recipient.jurisdiction_id).update(**change)
    assert_shown_as_drf_shows_them(client)


def test_sources_cited_added_removed_and_edited_are_shown(client, recipient):
    first, second = f.SourceFactory(url="https://example.org/b"), f.SourceFactory(url="https://example.org/a")
    recipient.sources.add(first, second)
    assert_shown_as_drf_shows_them(client)  # in URL order
    Source.objects.filter(pk=second.pk).update(title="Retitled", published_on="2018-01-25")
    assert_shown_as_drf_shows_them(client)
    recipient.sources.remove(first)
    assert_shown_as_drf_shows_them(client)


def test_a_place_and_a_source_written_after_the_recipient_that_names_them_are_shown(client, world):
    # loaddata writes rows in any order: the foreign keys are checked when the transaction ends.
    letter = Letter.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) + 1 FROM cities_jurisdiction")
        place_id = cursor.fetchone()[0]
        cursor.execute("SELECT max(id) + 1 FROM tracker_source")
        source_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO letters_letterrecipient (letter_id, jurisdiction_id, addressee, determination, notes,"
            " created_at, updated_at, review_state) VALUES (%s, %s, '', 'pending', '', now(), now(), 'draft')"
            " RETURNING id",
            [letter.pk, place_id],
        )
        recipient_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO letters_letterrecipient_sources (letterrecipient_id, source_id) VALUES (%s, %s)",
            [recipient_id, source_id],
        )
    f.JurisdictionFactory(id=place_id, slug="written-later", name="Written Later", sources=[])  # no source of its own
    f.SourceFactory(id=source_id, url="https://example.org/written-later")
    assert_shown_as_drf_shows_them(client)
    (added,) = [
        r
        for r in client.get(f"/api/v1/letters/{letter.slug}/").json()["recipients"]
        if r["addressee"] == "" and r["jurisdiction"]["slug"] == "written-later"
    ]
    assert [source["link"] for source in added["sources"]] == ["https://example.org/written-later"]


def test_a_page_reads_its_recipients_as_kept_without_joining_their_places_or_sources(client, world):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/letters/").status_code == 200
    (recipients,) = [query["sql"] for query in queries.captured_queries if "letters_letterrecipient" in query["sql"]]
    assert "shown_json" in recipients
    assert "cities_jurisdiction" not in recipients and "tracker_source" not in recipients

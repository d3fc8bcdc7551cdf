"""A renamed record: its earlier slug still leads to it, and the records that show it change with it."""

import pytest
from django.utils import timezone

from cities.models import Jurisdiction
from letters.models import Letter
from tests.conftest import publish, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def renamed(editor_client, checker, world):
    """Chicago renamed chicago-il → chicago, as two editors publish it; the time just before."""
    before = timezone.now()
    edit = {"slug": "chicago", "name": "Chicago", "change_reason": "The city's own short name"}
    assert editor_client.patch("/api/v1/jurisdictions/chicago-il/", edit, format="json").status_code == 200
    publish(checker, Jurisdiction, slug="chicago")
    return before


def test_the_earlier_slug_answers_with_a_301_to_the_current_one(client, renamed):
    response = client.get("/api/v1/jurisdictions/chicago-il/?fields=slug,name")
    assert response.status_code == 301
    assert response["Location"] == "http://testserver/api/v1/jurisdictions/chicago/?fields=slug,name"
    assert client.get(response["Location"]).json() == {"slug": "chicago", "name": "Chicago"}
    timeline = client.get("/api/v1/jurisdictions/chicago-il/timeline/")
    assert (timeline.status_code, timeline["Location"]) == (
        301,
        "http://testserver/api/v1/jurisdictions/chicago/timeline/",
    )


def test_a_slug_no_record_ever_had_is_still_a_404(client, renamed):
    assert client.get("/api/v1/jurisdictions/atlantis/").status_code == 404


def sent_to_chicago() -> list[str]:
    return list(Letter.objects.filter(recipients__slug="chicago").order_by("-sent_on").values_list("slug", flat=True))


def test_filters_given_the_earlier_slug_find_the_record(client, renamed):
    assert len(sent_to_chicago()) == 2
    assert slugs(client.get("/api/v1/letters/?recipient=chicago-il")) == sent_to_chicago()
    assert slugs(client.get("/api/v1/letters/?recipient=chicago")) == sent_to_chicago()
    assert "2018-01-24-demands" not in slugs(client.get("/api/v1/letters/?recipient__not=chicago-il"))
    grants = client.get("/api/v1/grants/?jurisdiction=chicago-il").json()["results"]
    assert [row["jurisdiction"]["slug"] for row in grants] == ["chicago"]


def test_records_showing_the_renamed_place_are_delivered_again(client, renamed):
    since = renamed.isoformat().replace("+00:00", "Z")
    assert "2018-01-24-demands" in slugs(client.get("/api/v1/letters/", {"updated_since": since}))
    letter = client.get("/api/v1/letters/2018-01-24-demands/").json()
    assert "chicago" in [row["jurisdiction"]["slug"] for row in letter["recipients"]]
    changed = client.get("/api/v1/changes/", {"since": since}).json()["results"]
    letters = [entry for entry in changed if entry["model"] == "letter"]
    assert sorted(entry["key"] for entry in letters) == sorted(sent_to_chicago())
    latest = Letter.objects.get(slug="2018-01-24-demands").history.latest()
    assert latest.history_change_reason == "Shows jurisdiction Chicago, whose name, slug changed"

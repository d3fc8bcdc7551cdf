"""/api/v1/changes/: what changed since a time, deletions included."""

import pytest
from django.utils import timezone

from tests.factories import JurisdictionFactory, LetterFactory

pytestmark = pytest.mark.django_db


def test_it_lists_creations_edits_and_deletions_since_a_time_oldest_first(client):
    before = JurisdictionFactory(slug="old-town-il")
    since = timezone.now()
    letter = LetterFactory(slug="new-letter")
    before.name = "Old Town, renamed"
    before.save()
    doomed = JurisdictionFactory(slug="doomed-il")
    doomed.delete()

    # The factories' sources are changes too; leave them out here.
    response = client.get("/api/v1/changes/", {"since": since.isoformat(), "model": "jurisdiction,letter"})

    assert response.status_code == 200
    rows = [(row["model"], row["key"], row["action"]) for row in response.json()["results"]]
    assert rows == [
        ("letter", "new-letter", "created"),
        ("jurisdiction", "old-town-il", "changed"),
        ("jurisdiction", "doomed-il", "created"),
        ("jurisdiction", "doomed-il", "deleted"),
    ]
    assert response.json()["results"][0]["url"] == f"http://testserver/api/v1/letters/{letter.slug}/"


def test_it_narrows_to_the_models_asked_for(client):
    since = timezone.now()
    LetterFactory(slug="a-letter")
    JurisdictionFactory(slug="a-place-il")

    response = client.get("/api/v1/changes/", {"since": since.isoformat(), "model": "jurisdiction"})

    assert [row["key"] for row in response.json()["results"]] == ["a-place-il"]


def test_it_caps_the_rows_at_page_size(client):
    since = timezone.now()
    for n in range(3):
        JurisdictionFactory(slug=f"place-{n}-il")

    response = client.get("/api/v1/changes/", {"since": since.isoformat(), "page_size": "2", "model": "jurisdiction"})

    assert [row["key"] for row in response.json()["results"]] == ["place-0-il", "place-1-il"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("", "since"),
        ("since=yesterday", "since"),
        ("since=2018-01-01&model=memo", "model"),
        ("since=2018-01-01&x=1", "x"),
    ],
)
def test_it_rejects_bad_parameters_naming_them(client, query, parameter):
    response = client.get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_it_runs_one_query_per_model(client, django_assert_num_queries):
    with django_assert_num_queries(11):  # one history query per tracked model
        client.get("/api/v1/changes/", {"since": "2018-01-01T00:00:00Z"})

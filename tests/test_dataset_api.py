import datetime
import hashlib
import io
import sqlite3
import zipfile

import pytest
from django.utils import timezone

from letters.models import Letter
from tracker.dataversion import data_version
from tracker.models import Release

pytestmark = pytest.mark.django_db


def edit_a_second_later(slug: str) -> None:
    """Edit a letter so that the data version moves (it counts whole seconds)."""
    letter = Letter.objects.get(slug=slug)
    letter._history_date = timezone.now() + datetime.timedelta(seconds=2)
    letter.summary = "Edited."
    letter.save()


def test_the_first_request_builds_the_current_release_and_lists_it(client, world):
    version = data_version()

    body = client.get("/api/v1/dataset/").json()

    stored = Release.objects.get()
    assert body["version"] == version
    assert body["results"] == [
        {
            "version": version,
            "url": f"http://testserver/api/v1/dataset/{version}.zip",
            "built_at": stored.built_at.isoformat().replace("+00:00", "Z"),
            "size": len(stored.archive),
            "sha256": hashlib.sha256(stored.archive).hexdigest(),
            "tables": stored.tables,
            "files": stored.files,
        }
    ]
    assert stored.tables["letters"] == 2
    assert stored.tables["letter_recipients"] == 3
    assert stored.files["tracker.sqlite"]["bytes"] > 0


def test_a_repeat_request_builds_nothing(client, world, django_assert_num_queries):
    client.get("/api/v1/dataset/")

    # the data version, the current release, the list
    with django_assert_num_queries(3):
        body = client.get("/api/v1/dataset/").json()

    assert len(body["results"]) == 1


def test_the_zip_downloads_with_its_files_and_checksum(client, world):
    listed = client.get("/api/v1/dataset/").json()["results"][0]

    response = client.get(listed["url"])

    name = f"sanctuary-tracker-{listed['version']}"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{name}.zip"'
    assert hashlib.sha256(response.content).hexdigest() == listed["sha256"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        assert f"{name}/tracker.sqlite" in bundle.namelist()
        assert {path.partition("/")[2] for path in bundle.namelist()} == set(listed["files"])
        database = bundle.read(f"{name}/tracker.sqlite")
    with sqlite3.connect(":memory:") as db:
        db.deserialize(database)
        assert db.execute("SELECT count(*) FROM letters").fetchone() == (2,)


def test_an_edit_makes_a_new_release_and_the_earlier_one_stays_downloadable(client, world):
    first = client.get("/api/v1/dataset/").json()["results"][0]
    edit_a_second_later("2018-01-24-demands")

    body = client.get("/api/v1/dataset/").json()

    assert body["version"] == data_version() != first["version"]
    assert [row["version"] for row in body["results"]] == [body["version"], first["version"]]
    earlier = client.get(first["url"])
    assert hashlib.sha256(earlier.content).hexdigest() == first["sha256"]


def test_an_empty_database_has_no_release(client, db):
    assert client.get("/api/v1/dataset/").json() == {"version": None, "results": []}


def test_an_unknown_release_is_a_json_404(client, db):
    response = client.get("/api/v1/dataset/20180124T000000Z.zip")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_the_list_rejects_an_unknown_parameter(client, db):
    response = client.get("/api/v1/dataset/?version=latest")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["version"]

import datetime
import hashlib
import io
import sqlite3
import tempfile
import threading
import time
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from letters.models import Letter
from tests import factories as f
from tracker import releases
from tracker.models import Release
from tracker.releases import export
from tracker.serving.dataversion import last_change_stamp

pytestmark = pytest.mark.django_db


def edit_a_second_later(slug: str) -> None:
    """Edit a letter so that the data version moves (it counts whole seconds)."""
    letter = Letter.objects.get(slug=slug)
    letter._history_date = timezone.now() + datetime.timedelta(seconds=2)
    letter.summary = "Edited."
    letter.save()


def test_the_first_request_builds_the_current_release_and_lists_it(client, world):
    version = last_change_stamp()

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

    assert body["version"] == last_change_stamp() != first["version"]
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the build lock is PostgreSQL's (SQLite writes alone)")
def test_three_first_requests_at_once_build_the_release_once(monkeypatch):
    f.LetterFactory()
    builds = []

    def counted(*args, **kwargs):
        builds.append(threading.get_ident())
        time.sleep(0.5)  # the others ask while it builds
        return export(*args, **kwargs)

    monkeypatch.setattr(releases, "export", counted)
    answers = []

    def ask():
        answers.append(Client().get("/api/v1/dataset/"))
        connection.close()

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len(builds) == 1
    assert {answer.json()["version"] for answer in answers} == {last_change_stamp()}
    assert Release.objects.count() == 1


def test_an_unwritable_build_folder_is_a_503_with_retry_after_and_leaves_nothing(client, world, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))

    response = client.get("/api/v1/dataset/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json()["error"] == "release_unavailable"
    assert not Release.objects.exists()
    assert [path.name for path in tmp_path.iterdir()] == ["file"]

import csv
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from cities.models import Jurisdiction
from letters.models import GrantAward, Letter
from tests import factories as f
from tracker.serving.dataversion import last_change_stamp

pytestmark = pytest.mark.django_db

TABLES = {
    "sources",
    "jurisdictions",
    "jurisdiction_sources",
    "officials",
    "official_sources",
    "policies",
    "policy_sources",
    "letters",
    "letter_sources",
    "letter_recipients",
    "letter_recipient_sources",
    "grant_awards",
    "grant_award_sources",
    "courts",
    "court_cases",
    "court_case_sources",
    "case_parties",
    "case_party_sources",
    "rulings",
    "ruling_sources",
    "events",
    "event_jurisdictions",
    "event_officials",
    "event_sources",
    "event_participants",
    "event_participant_sources",
    "designation_lists",
    "designation_list_sources",
    "designations",
    "designation_sources",
}
BIN = Path(sys.executable).parent


def export(folder: Path) -> Path:
    call_command("export_dataset", str(folder), stdout=io.StringIO())
    return folder


@pytest.fixture
def release(world, tmp_path) -> Path:
    return export(tmp_path / "release")


def query(release: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(release / "tracker.sqlite") as db:
        return db.execute(sql).fetchall()


def csv_rows(release: Path, table: str) -> list[dict]:
    with open(release / "csv" / f"{table}.csv", newline="", encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def test_a_release_is_named_by_the_data_version_and_zips_its_files(release):
    name = f"sanctuary-tracker-{last_change_stamp()}"
    files = sorted(path.relative_to(release).as_posix() for path in release.rglob("*") if path.is_file())

    assert files == sorted(
        [f"{name}.zip", "README.md", "SHA256SUMS", "datapackage.json", "metadata.json", "tracker.sqlite"]
        + [f"csv/{table}.csv" for table in TABLES]
    )
    with zipfile.ZipFile(release / f"{name}.zip") as bundle:
        assert sorted(bundle.namelist()) == sorted(f"{name}/{path}" for path in files if path != f"{name}.zip")


def test_the_same_data_makes_the_same_zip_byte_for_byte(release, tmp_path):
    again = export(tmp_path / "again")

    name = f"sanctuary-tracker-{last_change_stamp()}.zip"
    assert (again / name).read_bytes() == (release / name).read_bytes()
    with zipfile.ZipFile(again / name) as bundle:  # not the time the files were written
        assert {info.date_time for info in bundle.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_sqlite_file_holds_every_public_table_with_its_keys(release):
    tables = {name for (name,) in query(release, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    plain = {name for name in tables if "_fts" not in name}

    assert plain == TABLES
    assert query(release, "SELECT count(*) FROM letter_recipients") == [(3,)]
    assert [row[2:5] for row in query(release, "PRAGMA foreign_key_list(letter_recipients)")] == [
        ("jurisdictions", "jurisdiction", "slug"),
        ("letters", "letter", "slug"),
    ]
    assert query(release, "PRAGMA foreign_key_check") == []
    # A one-column natural key is the primary key (Datasette's row URLs), otherwise the id.
    assert [row[1] for row in query(release, "PRAGMA table_info(jurisdictions)") if row[5]] == ["slug"]
    assert [row[1] for row in query(release, "PRAGMA table_info(grant_awards)") if row[5]] == ["id"]
    assert [row[1] for row in query(release, "PRAGMA table_info(letter_sources)") if row[5]] == ["letter", "source"]


def test_the_text_columns_are_searchable_with_fts5(release):
    found = query(
        release,
        "SELECT slug FROM letters WHERE id IN (SELECT rowid FROM letters_fts WHERE letters_fts MATCH 'subpoena')",
    )

    assert found == [("2018-01-24-demands",)]


@pytest.mark.parametrize(
    ("view", "table"),
    [
        ("letters_with_recipients", "letter_recipients"),
        ("designations_with_places", "designations"),
        ("grants_with_places", "grant_awards"),
    ],
)
def test_a_view_of_rows_about_one_place_carries_the_places_point_for_a_map(release, view, table):
    points = dict(
        (slug, (latitude, longitude))
        for slug, latitude, longitude in query(release, "SELECT slug, latitude, longitude FROM jurisdictions")
    )
    rows = query(release, f"SELECT jurisdiction, latitude, longitude FROM {view}")

    assert len(rows) == query(release, f"SELECT count(*) FROM {table}")[0][0] > 0
    assert {jurisdiction: (latitude, longitude) for jurisdiction, latitude, longitude in rows} == {
        jurisdiction: points[jurisdiction] for jurisdiction, _, _ in rows
    }


def test_views_join_letters_with_recipients_and_cases_with_rulings(release):
    recipients = query(
        release, "SELECT jurisdiction_name FROM letters_with_recipients WHERE sent_on = '2018-01-24' ORDER BY 1"
    )
    rulings = query(release, 'SELECT "case", ruling, judge FROM cases_with_rulings ORDER BY decided_on')

    assert recipients == [("City of Chicago",), ("State of California",)]
    assert rulings == [
        ("chicago-v-sessions-ilnd", "ilnd-pi", "Leinenweber"),
        ("chicago-v-sessions-ca7", "ca7-affirmed", "Rovner"),
        ("sf-v-sessions-cand", "cand-sj", "Orrick"),
    ]


def test_the_release_holds_no_users_tokens_sessions_or_editors_names(world, tmp_path):
    zelda = User.objects.create_user("zelda-quartermaine", email="zq@example.org", password="a long passphrase")
    token = Token.objects.create(user=zelda)
    letter = Letter.objects.get(slug="2018-01-24-demands")
    letter._history_user = zelda
    letter.summary = "Edited."
    letter.save()

    release = export(tmp_path / "release")

    tables = [name for (name,) in query(release, "SELECT name FROM sqlite_master")]
    assert not [name for name in tables if name.startswith(("auth", "django", "authtoken", "historical"))]
    for path in release.rglob("*"):
        if path.is_file() and path.suffix != ".zip":  # the zip compresses these same files
            content = path.read_bytes().lower()
            assert b"zelda" not in content, path
            assert b"zq@example.org" not in content, path
            assert token.key.encode() not in content, path


def test_csv_values_are_plain_text_the_same_on_every_database(release):
    chicago_grant = GrantAward.objects.get(jurisdiction__slug="chicago-il")
    grants = {row["id"]: row for row in csv_rows(release, "grant_awards")}
    designations = csv_rows(release, "designations")
    recipients = csv_rows(release, "letter_recipients")

    row = grants[str(chicago_grant.pk)]
    assert {key: row[key] for key in ("jurisdiction", "program", "fiscal_year", "amount", "status")} == {
        "jurisdiction": "chicago-il",
        "program": "byrne_jag",
        "fiscal_year": "2017",
        "amount": "2019194.00",
        "status": "withheld",
    }
    assert row["created_at"] == chicago_grant.created_at.isoformat().replace("+00:00", "Z")
    assert sorted(row["disputed"] for row in designations) == ["False", "False", "True"]
    assert sorted(row["letter"] for row in recipients) == [
        "2017-04-21-letters",
        "2018-01-24-demands",
        "2018-01-24-demands",
    ]


def test_csv_text_a_spreadsheet_would_run_is_neutralized_as_the_apis_csv_has_it(world, tmp_path, client):
    letter = Letter.objects.get(slug="2018-01-24-demands")
    Letter.objects.filter(pk=letter.pk).update(subject="=1+1", summary="+cmd|' /C calc'!A0")
    letter.letter_recipients.filter(jurisdiction__slug="chicago-il").update(addressee="@SUM(1)")
    Jurisdiction.objects.filter(slug="chicago-il").update(latitude="41.881832", longitude="-87.623177")
    release = export(tmp_path / "release")

    letters = {row["slug"]: row for row in csv_rows(release, "letters")}
    recipient = next(
        row
        for row in csv_rows(release, "letter_recipients")
        if row["jurisdiction"] == "chicago-il" and row["letter"] == letter.slug
    )
    assert (letters[letter.slug]["subject"], letters[letter.slug]["summary"]) == ("'=1+1", "'+cmd|' /C calc'!A0")
    assert recipient["addressee"] == "'@SUM(1)"
    # Cell for cell as the API's CSV writes the same record.
    api = next(csv.DictReader(io.StringIO(client.get(f"/api/v1/letters/{letter.slug}/?format=csv").content.decode())))
    assert (api["subject"], api["summary"]) == (letters[letter.slug]["subject"], letters[letter.slug]["summary"])
    # Numbers and dates are not text: a negative longitude stays a number.
    chicago = next(row for row in csv_rows(release, "jurisdictions") if row["slug"] == "chicago-il")
    assert chicago["longitude"] == "-87.623177"
    # The SQLite file is a database, not a spreadsheet: it keeps the text as it is.
    assert query(release, f"SELECT subject FROM letters WHERE slug = '{letter.slug}'") == [("=1+1",)]


def test_the_data_package_and_datasette_metadata_describe_every_table_and_column(release):
    package = json.loads((release / "datapackage.json").read_text())
    metadata = json.loads((release / "metadata.json").read_text())
    tables = metadata["databases"]["tracker"]["tables"]

    assert {resource["name"] for resource in package["resources"]} == TABLES
    for resource in package["resources"]:
        with open(release / resource["path"], encoding="utf-8") as rows:
            header = next(csv.reader(rows))
        assert [field["name"] for field in resource["schema"]["fields"]] == header
        assert tables[resource["name"]]["description"]
        assert all(tables[resource["name"]]["columns"].values()), resource["name"]
    assert package["version"] == last_change_stamp()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert metadata["license"] == "CC BY 4.0"
    assert tables["letters"]["columns"]["sent_on"] == Letter._meta.get_field("sent_on").help_text
    assert tables["letters"]["fts_table"] == "letters_fts"
    assert "letters_with_recipients" in tables


def test_the_data_dictionary_lists_every_table_with_its_rows(release):
    dictionary = (release / "README.md").read_text()

    assert dictionary.startswith(f"# Sanctuary-city policy tracker: data version {last_change_stamp()}")
    assert "## letter_recipients (3 rows)" in dictionary
    assert "| `jurisdiction` | string, references jurisdictions.slug |" in dictionary


def test_sha256sums_lists_every_file_with_its_checksum(release):
    lines = (release / "SHA256SUMS").read_text().splitlines()
    sums = dict(reversed(line.split("  ")) for line in lines)

    assert set(sums) == {
        path.relative_to(release).as_posix()
        for path in release.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS" and path.suffix != ".zip"
    }
    for name, digest in sums.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest


def test_it_refuses_a_folder_that_is_not_empty(world, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    with pytest.raises(CommandError, match="not empty"):
        call_command("export_dataset", str(tmp_path))


def test_the_data_version_is_the_time_of_the_last_change_deletions_included(world):
    letter = Letter.objects.get(slug="2018-01-24-demands")
    letter.summary = "Edited."
    letter.save()
    edited = letter.history.latest().history_date

    assert last_change_stamp() == edited.strftime("%Y%m%dT%H%M%SZ")

    f.PolicyFactory().delete()
    deleted = max(row.history_date for row in f.PolicyFactory._meta.model.history.filter(history_type="-"))
    assert last_change_stamp() == deleted.strftime("%Y%m%dT%H%M%SZ")


def test_an_empty_database_has_no_data_version(db):
    assert last_change_stamp() is None


@pytest.mark.realtools
def test_datasette_answers_sql_on_the_release_with_its_metadata(release):
    def get(path: str) -> str:
        command = [BIN / "datasette", "tracker.sqlite", "-m", "metadata.json", "--get", path]
        return subprocess.run(command, cwd=release, capture_output=True, text=True, check=True).stdout

    sql = "select jurisdiction_name from letters_with_recipients where sent_on = '2018-01-24' order by 1"
    answer = json.loads(get(f"/tracker.json?sql={sql.replace(' ', '+')}&_shape=array"))
    searched = json.loads(get("/tracker/letters.json?_search=subpoena&_shape=array"))
    page = get("/tracker/letter_recipients")
    row = get("/tracker/jurisdictions/chicago-il.json?_shape=array")  # where the page links a recipient

    assert answer == [{"jurisdiction_name": "City of Chicago"}, {"jurisdiction_name": "State of California"}]
    assert [row["slug"] for row in searched] == ["2018-01-24-demands"]
    assert "CC BY 4.0" in page
    assert "One recipient of a letter" in page
    assert '<a href="/tracker/jurisdictions/chicago-il">City of Chicago</a>' in page
    assert json.loads(row)[0]["name"] == "City of Chicago"


@pytest.mark.realtools
def test_frictionless_validates_the_data_package(release):
    command = [BIN / "frictionless", "validate", "--json", "datapackage.json"]
    result = subprocess.run(command, cwd=release, capture_output=True, text=True)

    report = json.loads(result.stdout)
    assert report["valid"], report
    assert result.returncode == 0
    assert len(report["tasks"]) == len(TABLES)

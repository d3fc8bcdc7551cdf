"""Reference data never overwrites an editor's work: load_reference_data into a database that has records."""

import json
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from cities.models import Jurisdiction
from letters.models import Designation, Letter
from tests.conftest import rows
from tracker.models import ReferenceFile

LETTERS = "letters-2017-2018.json"
UNTOUCHED = "2016-11-22-ojp-1373-notice"
EDITED = "2017-04-21-ojp-1373-validation-letters"


@pytest.fixture
def folder(loaded, settings, tmp_path):
    """A copy of fixtures/ whose files a test changes, as a new release of the reference data would."""
    for path in (settings.BASE_DIR / "fixtures").glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def change(folder, file: str, model: str, match: dict, **fields) -> None:
    """Change the fixture row of ``model`` whose fields include ``match``."""
    data = json.loads((folder / file).read_text())
    (row,) = [row for row in data if row["model"] == model and match.items() <= row["fields"].items()]
    row["fields"].update(fields)
    (folder / file).write_text(json.dumps(data, indent=2))


def edit(record, editor: User, **fields) -> None:
    """An editor's published edit, as the history has it (a user, not the loader)."""
    for name, value in fields.items():
        setattr(record, name, value)
    record._history_user, record._change_reason = editor, "An editor's correction"
    record.save()


def test_loading_again_reads_no_unchanged_file_and_changes_nothing(loaded, django_assert_max_num_queries):
    before = rows()
    # the files as last loaded, a look at the record tables until one has rows: no fixture row is read
    with django_assert_max_num_queries(5):
        call_command("load_reference_data", verbosity=0)
    assert rows() == before
    assert ReferenceFile.objects.count() == 15


def test_a_changed_fixture_updates_untouched_records_and_leaves_edited_ones(folder, capsys):
    editor = User.objects.create_user("editor", is_staff=True)
    edited = Letter.objects.get(slug=EDITED)
    edit(edited, editor, summary="The editor's summary.")
    change(folder, LETTERS, "letters.letter", {"slug": UNTOUCHED}, summary="The fixture's new summary.")
    change(folder, LETTERS, "letters.letter", {"slug": EDITED}, summary="The fixture's other summary.")

    call_command("load_reference_data", folder=folder)

    untouched = Letter.objects.get(slug=UNTOUCHED)
    assert untouched.summary == "The fixture's new summary."
    latest = untouched.history.latest()
    assert (latest.history_type, latest.history_change_reason) == ("~", f"Loaded from fixtures ({LETTERS})")
    assert Letter.objects.get(slug=EDITED).summary == "The editor's summary."
    out = capsys.readouterr().out
    assert f"applied: letters.letter {UNTOUCHED} ({LETTERS}): updated" in out
    assert f"left alone: letters.letter {EDITED} ({LETTERS}): changed by an editor" in out


def test_a_deleted_record_is_not_brought_back(folder, capsys):
    designation = Designation.objects.filter(designation_list__slug="doj-2025-08").get(jurisdiction__slug="california")
    designation._change_reason = "Not on the list as published"
    designation.delete()
    file = "designations-2025.json"
    match = {"designation_list": ["doj-2025-08"], "jurisdiction": ["california"]}
    change(folder, file, "letters.designation", match, notes="A fixture's note.")

    call_command("load_reference_data", folder=folder)

    assert not Designation.objects.filter(designation_list__slug="doj-2025-08", jurisdiction__slug="california")
    assert "renamed or deleted by an editor" in capsys.readouterr().out


def test_a_renamed_place_neither_crashes_the_load_nor_comes_back_under_its_old_slug(folder, capsys):
    editor = User.objects.create_user("editor", is_staff=True)
    edit(Jurisdiction.objects.get(slug="chicago-il"), editor, slug="chicago")
    change(folder, "jurisdictions.json", "cities.jurisdiction", {"slug": "chicago-il"}, notes="A fixture's note.")
    change(folder, LETTERS, "letters.letter", {"slug": UNTOUCHED}, summary="The fixture's new summary.")

    call_command("load_reference_data", folder=folder)

    assert not Jurisdiction.objects.filter(slug="chicago-il").exists()
    assert Jurisdiction.objects.get(slug="chicago").notes != "A fixture's note."
    assert Letter.objects.get(slug=UNTOUCHED).summary == "The fixture's new summary."
    out = capsys.readouterr().out
    assert "cities.jurisdiction chicago-il (jurisdictions.json): renamed or deleted by an editor" in out
    assert "it names a record an editor renamed or deleted" in out

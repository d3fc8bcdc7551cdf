"""The reference data: every fixture loads, every fact is sourced, reloading changes nothing."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializationError

from cities.models import Jurisdiction, Official, Policy
from letters.models import (
    CaseParty,
    CourtCase,
    Designation,
    DesignationList,
    Event,
    EventParticipant,
    GrantAward,
    Letter,
    LetterRecipient,
    Ruling,
)
from tests.conftest import rows
from tracker.management.commands.load_reference_data import fixture_files
from tracker.models import Source

TIMESTAMPS = {"created_at": "2026-11-26T00:00:00Z", "updated_at": "2026-11-26T00:00:00Z"}

SOURCED = [
    Jurisdiction,
    Official,
    Policy,
    Letter,
    LetterRecipient,
    GrantAward,
    CourtCase,
    CaseParty,
    Ruling,
    Event,
    EventParticipant,
    DesignationList,
    Designation,
]


def test_the_reference_data_loads_as_published(loaded):
    states = {model._meta.label_lower: set(model.objects.values_list("review_state", flat=True)) for model in SOURCED}
    assert states == {model._meta.label_lower: {"published"} for model in SOURCED}
    assert set(Source.objects.values_list("review_state", flat=True)) == {"published"}


def test_every_fixture_loads_into_an_empty_database(loaded, settings):
    in_files: dict[str, set] = {}
    for path in fixture_files(settings.BASE_DIR / "fixtures"):
        for index, row in enumerate(json.loads(path.read_text())):
            # Several files may cite one source; every other row is in one file only.
            identity = row["fields"]["url"] if row["model"] == "tracker.source" else (path.name, index)
            in_files.setdefault(row["model"], set()).add(identity)
    in_database = {model._meta.label_lower: model.objects.count() for model in [*SOURCED, Source]}
    assert in_database == {label: len(in_files.get(label, ())) for label in in_database}
    assert in_database["cities.jurisdiction"] > 0


def test_loading_the_fixtures_twice_changes_no_row(loaded):
    before = rows(["tracker", "cities", "letters"])
    call_command("load_reference_data", verbosity=0)
    assert rows(["tracker", "cities", "letters"]) == before


def test_every_loaded_record_cites_a_source(loaded):
    unsourced = {model.__name__: [str(obj) for obj in model.objects.filter(sources=None)] for model in SOURCED}
    assert unsourced == {model.__name__: [] for model in SOURCED}


def test_every_loaded_row_has_its_creation_in_the_history(loaded):
    for model in SOURCED:
        assert model.history.filter(history_type="+").count() == model.objects.count(), model.__name__
    letter = Letter.objects.get(slug="2018-01-24-bja-document-demands")
    created = letter.history.get()
    assert created.history_date == letter.updated_at
    assert created.history_change_reason == "Loaded from fixtures"
    assert letter.history.as_of(letter.updated_at).subject == letter.subject


def test_every_letter_has_recipients_every_ruling_a_case_every_designation_a_list(loaded):
    assert list(Letter.objects.filter(letter_recipients=None).values_list("slug", flat=True)) == []
    for ruling in Ruling.objects.select_related("case"):
        assert ruling.case.filed_on is None or ruling.decided_on >= ruling.case.filed_on, ruling.slug
    assert Designation.objects.filter(designation_list__isnull=True).count() == 0
    listed = {d.designation_list.slug for d in Designation.objects.select_related("designation_list")}
    assert set(DesignationList.objects.values_list("slug", flat=True)) == listed


def test_the_story_of_24_january_2018_is_in_the_data(loaded):
    demands = Letter.objects.get(sent_on="2018-01-24")
    recipients = set(demands.recipients.values_list("slug", flat=True))
    assert len(recipients) == 23
    assert {"chicago-il", "new-york-ny", "california", "louisville-ky"} <= recipients
    # New Orleans led the boycott but had been cleared: it got no demand.
    assert "new-orleans-la" not in recipients
    meeting_people = set(EventParticipant.objects.filter(event__date="2018-01-24").values_list("name", "participation"))
    assert ("Mitch Landrieu", "declined") in meeting_people
    assert ("Greg Fischer", "attended") in meeting_people


def test_a_broken_fixture_names_the_file_and_record_and_changes_nothing(loaded, tmp_path):
    before = rows(["tracker", "cities", "letters"])
    good = {"model": "tracker.source", "fields": {"url": "https://example.org/new", "title": "New", "kind": "news"}}
    (tmp_path / "a-good.json").write_text(json.dumps([good | {"fields": good["fields"] | TIMESTAMPS}]))
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            [
                {
                    "model": "letters.letterrecipient",
                    "fields": {
                        "letter": ["2018-01-24-bja-document-demands"],
                        "jurisdiction": ["atlantis"],
                        "determination": "pending",
                        **TIMESTAMPS,
                    },
                },
            ]
        )
    )
    with pytest.raises(CommandError) as error:
        call_command("load_reference_data", folder=tmp_path, verbosity=0)
    assert str(error.value) == (
        "broken.json, record 1 (letters.letterrecipient): jurisdiction ['atlantis'] names no cities.jurisdiction. "
        "Nothing was loaded."
    )
    assert rows(["tracker", "cities", "letters"]) == before


def test_plain_loaddata_also_refuses_a_broken_fixture_whole(loaded, tmp_path):
    before = LetterRecipient.objects.count()
    broken = tmp_path / "broken.json"
    row = {"letter": ["2018-01-24-bja-document-demands"], "jurisdiction": ["atlantis"], **TIMESTAMPS}
    broken.write_text(json.dumps([{"model": "letters.letterrecipient", "fields": row}]))
    with pytest.raises(DeserializationError, match=r"broken\.json"):
        call_command("loaddata", str(broken), verbosity=0)
    assert LetterRecipient.objects.count() == before

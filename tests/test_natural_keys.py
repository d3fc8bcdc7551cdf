"""A dump with natural keys reloads into an empty database as the same rows."""

import datetime
import json

import pytest
from django.core.management import call_command

from cities.models import Jurisdiction
from letters.models import GrantAward, LetterRecipient
from tests.conftest import rows
from tests.factories import (
    CasePartyFactory,
    DesignationFactory,
    EventParticipantFactory,
    GrantAwardFactory,
    JurisdictionFactory,
    LetterRecipientFactory,
    OfficialFactory,
    PolicyFactory,
    RulingFactory,
)

APPS = ["tracker", "cities", "letters"]


def populate():
    state = JurisdictionFactory(slug="illinois", name="State of Illinois", kind=Jurisdiction.Kind.STATE, fips="17")
    chicago = JurisdictionFactory(slug="chicago-il", name="City of Chicago", parent=state)
    OfficialFactory(jurisdiction=chicago)
    PolicyFactory(jurisdiction=chicago)
    LetterRecipientFactory(jurisdiction=chicago)
    GrantAwardFactory(jurisdiction=chicago)
    ruling = RulingFactory(case__appeal_of=RulingFactory().case)
    CasePartyFactory(case=ruling.case, jurisdiction=chicago)
    EventParticipantFactory(jurisdiction=chicago)
    DesignationFactory(jurisdiction=chicago)


def dump(path):
    call_command("dumpdata", *APPS, natural_foreign=True, natural_primary=True, output=str(path), indent=1)


# serialized_rollback: flush would otherwise drop the editors group the migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_natural_key_dump_reloads_as_the_same_rows_and_twice_changes_nothing(tmp_path):
    populate()
    before = rows()
    dump(tmp_path / "dump.json")

    # Without restarting the sequences: world's rows, copied into later tests with their ids, sit below them.
    call_command("flush", interactive=False, reset_sequences=False)
    assert Jurisdiction.objects.count() == 0

    call_command("loaddata", str(tmp_path / "dump.json"), verbosity=0)
    assert rows() == before

    call_command("loaddata", str(tmp_path / "dump.json"), verbosity=0)
    assert rows() == before
    assert LetterRecipient.objects.count() == 1
    assert GrantAward.objects.count() == 1


@pytest.mark.django_db
def test_a_dump_names_related_rows_by_slug_not_by_id(tmp_path):
    LetterRecipientFactory(letter__slug="2018-01-24-demands", jurisdiction__slug="chicago-il")
    dump(tmp_path / "dump.json")

    data = json.loads((tmp_path / "dump.json").read_text())
    recipient = next(row for row in data if row["model"] == "letters.letterrecipient")
    assert "pk" not in recipient
    assert recipient["fields"]["letter"] == ["2018-01-24-demands"]
    assert recipient["fields"]["jurisdiction"] == ["chicago-il"]


@pytest.mark.django_db
def test_a_dump_keeps_times_to_the_microsecond(tmp_path):
    place = JurisdictionFactory(slug="chicago-il")
    moment = datetime.datetime(2018, 1, 24, 9, 0, 0, 123, tzinfo=datetime.UTC)
    Jurisdiction.objects.filter(pk=place.pk).update(updated_at=moment)
    dump(tmp_path / "dump.json")

    data = json.loads((tmp_path / "dump.json").read_text())
    row = next(row for row in data if row["model"] == "cities.jurisdiction")
    assert row["fields"]["updated_at"] == "2018-01-24T09:00:00.000123Z"

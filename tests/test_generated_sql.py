"""The SQL that keeps recipients' JSON and writes CSV cells is generated from the declarations (the serializer,
DRF's time format, the brief source, the formula prefixes: tracker/reading/sql.py); the migrations keep the
text they installed. Today's declarations must generate what the newest migration holds: a changed declaration
needs a migration that installs its SQL."""

import importlib
import pkgutil
import re
from dataclasses import replace

import pytest
from django.db import connection
from rest_framework import serializers

from letters.models import Letter
from letters.serializers import LetterRecipientSerializer
from letters.shown import RECIPIENT
from tracker.reading import spreadsheet
from tracker.reading.search_sql import StoredSearchVector
from tracker.reading.sql import csv_cells_sql
from tracker.serving.dataversion import record_tables

pytestmark = pytest.mark.django_db  # the suite's session fixtures build on the test database


def newest_holding(app: str, name: str) -> str:
    """The text ``name`` in the app's newest migration that has one."""
    package = importlib.import_module(f"{app}.migrations")
    modules = sorted(module.name for module in pkgutil.iter_modules(package.__path__))
    held = [getattr(importlib.import_module(f"{package.__name__}.{module}"), name, None) for module in modules]
    return [text for text in held if text is not None][-1]


def test_the_recipients_shown_json_is_the_sql_the_newest_migration_installs():
    assert RECIPIENT.sql() == newest_holding("letters", "SHOWN")


def test_the_csv_cells_are_the_sql_the_newest_migration_installs():
    assert csv_cells_sql() == newest_holding("tracker", "CSV_CELLS")


class RecipientWithItsTimes(LetterRecipientSerializer):
    class Meta(LetterRecipientSerializer.Meta):
        fields = [*LetterRecipientSerializer.Meta.fields, "updated_at"]


def test_a_field_more_in_the_serializer_is_a_key_more_in_the_sql():
    wider = replace(RECIPIENT, serializer=RecipientWithItsTimes).sql()

    assert wider != RECIPIENT.sql()
    assert "'updated_at', replace(to_char(NEW.updated_at AT TIME ZONE 'UTC'" in wider


class RecipientWithoutSources(LetterRecipientSerializer):
    sources = None

    class Meta(LetterRecipientSerializer.Meta):
        fields = [name for name in LetterRecipientSerializer.Meta.fields if name != "sources"]


def test_a_field_less_in_the_serializer_is_a_key_less_in_the_sql():
    narrower = replace(RECIPIENT, serializer=RecipientWithoutSources).sql()

    assert "'sources'" not in narrower
    assert "'addressee', NEW.addressee" in narrower


class RecipientWithAMethod(LetterRecipientSerializer):
    shout = serializers.SerializerMethodField()

    class Meta(LetterRecipientSerializer.Meta):
        fields = [*LetterRecipientSerializer.Meta.fields, "shout"]


def test_a_field_sql_cannot_show_as_drf_does_is_refused():
    with pytest.raises(ValueError, match="'shout'"):
        replace(RECIPIENT, serializer=RecipientWithAMethod).sql()


def test_a_formula_prefix_more_is_neutralized_by_the_cells_too(monkeypatch):
    monkeypatch.setattr(spreadsheet, "FORMULA_PREFIXES", (*spreadsheet.FORMULA_PREFIXES, "|"))
    monkeypatch.setattr("tracker.reading.sql.FORMULA_PREFIXES", spreadsheet.FORMULA_PREFIXES)

    assert "IN ('=', '+', '-', '@', chr(9), chr(13), '|')" in csv_cells_sql()


def test_the_triggers_on_the_sources_and_places_tables_are_generated_with_their_functions():
    generated = RECIPIENT.sql()
    for table in ("tracker_source", "cities_jurisdiction"):
        assert f"AFTER UPDATE ON {table}" in generated
        assert f"AFTER INSERT ON {table}" in generated


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps no JSON and no search vector")
def test_every_trigger_an_app_has_on_another_apps_table_is_one_a_declaration_generates():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, tgname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid WHERE NOT tgisinternal"
        )
        foreign = {(table, name) for table, name in cursor.fetchall() if table.split("_")[0] != name.split("_")[0]}
    declared = RECIPIENT.sql() + StoredSearchVector.of(Letter).create()
    generated = {(table, name) for name, table in re.findall(r"CREATE TRIGGER (\w+) [^;]*? ON (\w+)", declared)}
    # The data version's count of writes, one trigger per table of the record, from the models themselves.
    generated |= {(table, "tracker_data_changed") for table in record_tables()}
    assert foreign
    assert foreign <= generated, foreign - generated

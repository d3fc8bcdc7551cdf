"""The triggers that keep a letter's stored search vector are what its declaration generates.

``Letter.stored_search_vector`` names the words once (search= reads them, tracker/reading/search_sql.py makes
the SQL that keeps them); the newest letters migration that installs that SQL holds it as literal text, and
today's declaration must generate that text.
"""

import pkgutil
import re
from importlib import import_module

import pytest
from django.db import connection

import letters.migrations
from letters.models import CourtCase, Letter
from tracker.reading.search_sql import StoredSearchVector


def newest_generated_migration():
    names = sorted(module.name for module in pkgutil.iter_modules(letters.migrations.__path__))
    holding = [import_module(f"letters.migrations.{name}") for name in names]
    return [migration for migration in holding if hasattr(migration, "GENERATED_SEARCH_VECTOR")][-1]


def test_the_newest_migration_holds_what_the_declaration_generates():
    migration = newest_generated_migration()
    kept = StoredSearchVector.of(Letter)
    assert kept.create() == migration.GENERATED_SEARCH_VECTOR
    assert kept.drop() == migration.DROP_GENERATED_SEARCH_VECTOR


def test_the_trigger_on_the_places_table_comes_from_the_declaration():
    created = StoredSearchVector.of(Letter).create()
    assert "AFTER UPDATE ON cities_jurisdiction" in created
    assert "WHERE new_rows.name IS DISTINCT FROM old_rows.name" in created


def test_search_reads_the_declared_paths():
    from letters.views import LetterViewSet

    assert LetterViewSet.search_fields is Letter.stored_search_vector  # declared once


def test_another_declaration_generates_other_sql():
    today = StoredSearchVector.of(Letter).create()
    with_slug = StoredSearchVector(Letter, (*Letter.stored_search_vector, "slug")).create()
    assert with_slug != today
    assert "OF subject, summary, sender_office, sender_name, slug" in with_slug
    assert "COALESCE(letter.slug, '')" in with_slug
    parties = StoredSearchVector(CourtCase, ("caption", "case_parties__jurisdiction__name")).create()
    assert "CREATE TRIGGER letters_courtcase_caseparty_added AFTER INSERT ON letters_caseparty" in parties
    assert "string_agg(jurisdiction.name, ' ' ORDER BY caseparty.id)" in parties


def test_a_declaration_it_cannot_keep_is_refused():
    with pytest.raises(ValueError):
        StoredSearchVector(Letter, ("subject",)).create()  # no child rows' names
    with pytest.raises(ValueError):
        StoredSearchVector(Letter, ("subject", "letter_recipients__jurisdiction__parent__name")).create()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite searches with a contains, without triggers")
def test_the_database_runs_the_generated_triggers(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
            " WHERE tgname LIKE 'letters_letter\\_%' OR tgname IN ('letters_place_renamed', 'letters_recipients_added')"
        )
        installed = set(cursor.fetchall())
    created = StoredSearchVector.of(Letter).create()
    generated = set(re.findall(r"CREATE TRIGGER (\w+) [^;]*? ON (\w+)", created))
    assert installed == {(table, name) for name, table in generated}

"""A ruling cannot predate the filing of its case.

The rule spans two tables, which a CHECK constraint cannot express, so each
database gets a trigger: on a ruling being written, and on a case's filing
date being moved past one of its rulings.

On SQLite, Django alters a table by rebuilding it, which drops its triggers:
a later migration that alters letters_courtcase or letters_ruling must run
``backwards`` before its operations and ``forwards`` after them.
"""

from django.db import migrations

MESSAGE = "ruling decided before its case was filed"

POSTGRESQL = f"""
CREATE FUNCTION letters_ruling_after_filing() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'letters_ruling' THEN
        IF EXISTS (SELECT 1 FROM letters_courtcase c
                   WHERE c.id = NEW.case_id AND NEW.decided_on < c.filed_on) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM letters_ruling r
                  WHERE r.case_id = NEW.id AND r.decided_on < NEW.filed_on) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER letters_ruling_after_filing BEFORE INSERT OR UPDATE ON letters_ruling
    FOR EACH ROW EXECUTE FUNCTION letters_ruling_after_filing();
CREATE TRIGGER letters_case_filed_before_rulings BEFORE UPDATE OF filed_on ON letters_courtcase
    FOR EACH ROW EXECUTE FUNCTION letters_ruling_after_filing();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER letters_case_filed_before_rulings ON letters_courtcase;
DROP TRIGGER letters_ruling_after_filing ON letters_ruling;
DROP FUNCTION letters_ruling_after_filing();
"""

SQLITE_RULING = """
CREATE TRIGGER letters_ruling_after_filing_{event} BEFORE {event} ON letters_ruling
WHEN NEW.decided_on < (SELECT filed_on FROM letters_courtcase WHERE id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, '{message}'); END;
"""

SQLITE_CASE = f"""
CREATE TRIGGER letters_case_filed_before_rulings BEFORE UPDATE OF filed_on ON letters_courtcase
WHEN EXISTS (SELECT 1 FROM letters_ruling WHERE case_id = NEW.id AND decided_on < NEW.filed_on)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""

SQLITE = [SQLITE_RULING.format(event=event, message=MESSAGE) for event in ("INSERT", "UPDATE")] + [SQLITE_CASE]
SQLITE_REVERSE = [
    "DROP TRIGGER letters_ruling_after_filing_INSERT;",
    "DROP TRIGGER letters_ruling_after_filing_UPDATE;",
    "DROP TRIGGER letters_case_filed_before_rulings;",
]


def forwards(apps, schema_editor):
    run(schema_editor, POSTGRESQL, SQLITE)


def backwards(apps, schema_editor):
    run(schema_editor, POSTGRESQL_REVERSE, SQLITE_REVERSE)


def run(schema_editor, postgresql: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

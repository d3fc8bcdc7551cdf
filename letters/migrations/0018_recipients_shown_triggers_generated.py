"""The triggers that keep each recipient's stored JSON on the other apps' tables (the sources', the places'),
and their functions, as ``letters.shown.RECIPIENT`` now generates them from ``LetterRecipientSerializer``
(tracker/reading/sql.py): 0010 wrote the functions for a source or a place written after its recipients and
these triggers by hand; they are the same triggers calling the same functions. The text is kept here as
generated today; tests/test_generated_sql.py compares it with what the code generates."""

from django.db import migrations

SHOWN = r"""CREATE OR REPLACE FUNCTION letters_recipient_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT json_build_object(
        'jurisdiction', json_build_object('slug', jurisdiction.slug, 'name', jurisdiction.name, 'state', jurisdiction.state, 'url', jurisdiction.slug || '/'),
        'basis', NEW.basis,
        'addressee', NEW.addressee,
        'determination', NEW.determination,
        'responded_on', NEW.responded_on,
        'notes', NEW.notes,
        'sources', COALESCE(
            (SELECT json_agg(json_build_object('id', cited.source_id, 'link', source.url, 'title', source.title, 'publisher', source.publisher, 'published_on', source.published_on, 'kind', source.kind, 'provenance', source.provenance)
                             ORDER BY source.url COLLATE "C")
             FROM letters_letterrecipient_sources cited JOIN tracker_source source ON source.id = cited.source_id
             WHERE cited.letterrecipient_id = NEW.id),
            '[]'::json),
        'review_state', NEW.review_state,
        'checked_at', replace(to_char(NEW.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z'))::text
    INTO NEW.shown_json
    FROM (VALUES (1)) AS one LEFT JOIN cities_jurisdiction jurisdiction ON jurisdiction.id = NEW.jurisdiction_id;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION letters_cited_source_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT DISTINCT cited.letterrecipient_id FROM letters_letterrecipient_sources cited
        JOIN new_rows ON new_rows.id = cited.source_id JOIN old_rows ON old_rows.id = new_rows.id
        WHERE (new_rows.url, new_rows.title, new_rows.publisher, new_rows.published_on, new_rows.kind, new_rows.provenance)
              IS DISTINCT FROM (old_rows.url, old_rows.title, old_rows.publisher, old_rows.published_on, old_rows.kind, old_rows.provenance)));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION letters_cited_source_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT DISTINCT cited.letterrecipient_id FROM letters_letterrecipient_sources cited
        JOIN added ON added.id = cited.source_id));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION letters_recipient_place_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT shown.id FROM letters_letterrecipient shown
        JOIN new_rows ON new_rows.id = shown.jurisdiction_id JOIN old_rows ON old_rows.id = new_rows.id
        WHERE (new_rows.slug, new_rows.name, new_rows.state)
              IS DISTINCT FROM (old_rows.slug, old_rows.name, old_rows.state)));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION letters_recipient_place_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT shown.id FROM letters_letterrecipient shown JOIN added ON added.id = shown.jurisdiction_id));
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS letters_cited_source_edited ON tracker_source;
CREATE TRIGGER letters_cited_source_edited AFTER UPDATE ON tracker_source
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION letters_cited_source_edited();
DROP TRIGGER IF EXISTS letters_cited_source_added ON tracker_source;
CREATE TRIGGER letters_cited_source_added AFTER INSERT ON tracker_source
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION letters_cited_source_added();
DROP TRIGGER IF EXISTS letters_recipient_place_edited ON cities_jurisdiction;
CREATE TRIGGER letters_recipient_place_edited AFTER UPDATE ON cities_jurisdiction
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION letters_recipient_place_edited();
DROP TRIGGER IF EXISTS letters_recipient_place_added ON cities_jurisdiction;
CREATE TRIGGER letters_recipient_place_added AFTER INSERT ON cities_jurisdiction
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION letters_recipient_place_added();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SHOWN, params=None)


class Migration(migrations.Migration):
    dependencies = [("letters", "0017_search_vector_generated")]

    # The functions and triggers before were the same: going back keeps these.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

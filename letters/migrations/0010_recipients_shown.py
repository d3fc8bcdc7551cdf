"""Each recipient as the API shows it, kept by PostgreSQL as JSON.

A page of 50 letters shows some 2,500 recipients, each with its place and sources: built in Python from
their columns they were most of the page's cost. ``letters_letterrecipient.shown_json`` holds the
recipient as ``LetterRecipientSerializer`` shows it (in its fields' order, dates and times as DRF writes
them, sources in URL order), its place's ``url`` kept as the place's slug and ``/``: the host and path
in front name the host the request came by. A page reads those texts, puts that in front of each URL in
one step per letter and, for a JSON answer, includes them as they are (tracker/reading/plan.py,
``ReadPlan.stored_json_reader``). The tests compare it with what DRF shows from the model instances,
field by field.

Triggers keep it from everything it shows: the recipient's own row (before it is written), its
sources (the through table), a cited source edited, and its place's slug, name or state changed. Every
write path keeps it (the API, the admin, loaddata, COPY, raw SQL). It is not a model field. SQLite
builds recipients in Python and needs none of this.
"""

from django.db import migrations

FORWARDS = r"""
ALTER TABLE letters_letterrecipient ADD COLUMN shown_json text;

-- PL/pgSQL, not a SQL function called per row: its query is planned once per session, not once per row
-- (a COPY of a million recipients: ~2 minutes of planning otherwise).
CREATE FUNCTION letters_recipient_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT json_build_object(
        'jurisdiction', json_build_object('slug', place.slug, 'name', place.name, 'state', place.state,
                                          'url', place.slug || '/'),
        'addressee', NEW.addressee,
        'determination', NEW.determination,
        'responded_on', NEW.responded_on,
        'notes', NEW.notes,
        'sources', COALESCE(
            (SELECT json_agg(json_build_object('id', source.id, 'link', source.url, 'title', source.title,
                                               'publisher', source.publisher, 'published_on', source.published_on,
                                               'kind', source.kind)
                             ORDER BY source.url COLLATE "C")
             FROM letters_letterrecipient_sources cited JOIN tracker_source source ON source.id = cited.source_id
             WHERE cited.letterrecipient_id = NEW.id),
            '[]'::json),
        'review_state', NEW.review_state,
        'checked_at', to_char(NEW.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
            || CASE WHEN mod(extract(microseconds FROM NEW.checked_at)::bigint, 1000000) = 0 THEN ''
                    ELSE to_char(NEW.checked_at AT TIME ZONE 'UTC', '.US') END
            || 'Z'  -- a time as DRF writes it in UTC: the microseconds only when there are any
    )::text
    -- A place a transaction has yet to write (foreign keys are checked at its end): shown once it is written.
    INTO NEW.shown_json
    FROM (VALUES (1)) AS one LEFT JOIN cities_jurisdiction place ON place.id = NEW.jurisdiction_id;
    RETURN NEW;
END $$;
CREATE TRIGGER letters_recipient_shown BEFORE INSERT OR UPDATE ON letters_letterrecipient
    FOR EACH ROW EXECUTE FUNCTION letters_recipient_written();

-- Shown again (the row trigger above rebuilds each): these recipients' sources, sources or places changed.
CREATE FUNCTION letters_recipients_reshown(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE letters_letterrecipient SET shown_json = NULL FROM unnest(ids) AS changed(id)
    WHERE letters_letterrecipient.id = changed.id
$$;

CREATE FUNCTION letters_recipient_sources_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(SELECT DISTINCT letterrecipient_id FROM changed));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_recipient_sources_added AFTER INSERT ON letters_letterrecipient_sources
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION letters_recipient_sources_changed();
CREATE TRIGGER letters_recipient_sources_removed AFTER DELETE ON letters_letterrecipient_sources
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION letters_recipient_sources_changed();

CREATE FUNCTION letters_recipient_sources_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT letterrecipient_id FROM old_rows UNION SELECT letterrecipient_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_recipient_sources_moved AFTER UPDATE ON letters_letterrecipient_sources
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION letters_recipient_sources_moved();

CREATE FUNCTION letters_cited_source_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT DISTINCT cited.letterrecipient_id FROM letters_letterrecipient_sources cited
        JOIN new_rows ON new_rows.id = cited.source_id JOIN old_rows ON old_rows.id = new_rows.id
        WHERE (new_rows.url, new_rows.title, new_rows.publisher, new_rows.published_on, new_rows.kind)
              IS DISTINCT FROM (old_rows.url, old_rows.title, old_rows.publisher, old_rows.published_on, old_rows.kind)));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_cited_source_edited AFTER UPDATE ON tracker_source
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION letters_cited_source_edited();

CREATE FUNCTION letters_recipient_place_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT recipient.id FROM letters_letterrecipient recipient
        JOIN new_rows ON new_rows.id = recipient.jurisdiction_id JOIN old_rows ON old_rows.id = new_rows.id
        WHERE (new_rows.slug, new_rows.name, new_rows.state) IS DISTINCT FROM (old_rows.slug, old_rows.name, old_rows.state)));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_recipient_place_edited AFTER UPDATE ON cities_jurisdiction
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION letters_recipient_place_edited();

-- A place or a source written after the recipients that name it (loaddata writes in any order).
CREATE FUNCTION letters_recipient_place_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT recipient.id FROM letters_letterrecipient recipient JOIN added ON added.id = recipient.jurisdiction_id));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_recipient_place_added AFTER INSERT ON cities_jurisdiction
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION letters_recipient_place_added();

CREATE FUNCTION letters_cited_source_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT DISTINCT cited.letterrecipient_id FROM letters_letterrecipient_sources cited
        JOIN added ON added.id = cited.source_id));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_cited_source_added AFTER INSERT ON tracker_source
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION letters_cited_source_added();

UPDATE letters_letterrecipient SET shown_json = NULL;
ALTER TABLE letters_letterrecipient ALTER COLUMN shown_json SET NOT NULL;
"""

BACKWARDS = """
DROP TRIGGER letters_cited_source_added ON tracker_source;
DROP FUNCTION letters_cited_source_added();
DROP TRIGGER letters_recipient_place_added ON cities_jurisdiction;
DROP FUNCTION letters_recipient_place_added();
DROP TRIGGER letters_recipient_place_edited ON cities_jurisdiction;
DROP FUNCTION letters_recipient_place_edited();
DROP TRIGGER letters_cited_source_edited ON tracker_source;
DROP FUNCTION letters_cited_source_edited();
DROP TRIGGER letters_recipient_sources_moved ON letters_letterrecipient_sources;
DROP FUNCTION letters_recipient_sources_moved();
DROP TRIGGER letters_recipient_sources_added ON letters_letterrecipient_sources;
DROP TRIGGER letters_recipient_sources_removed ON letters_letterrecipient_sources;
DROP FUNCTION letters_recipient_sources_changed();
DROP FUNCTION letters_recipients_reshown(bigint[]);
DROP TRIGGER letters_recipient_shown ON letters_letterrecipient;
DROP FUNCTION letters_recipient_written();
ALTER TABLE letters_letterrecipient DROP COLUMN shown_json;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("letters", "0009_search_terms")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Search without parsing every row, on PostgreSQL.

A letter's words (subject, summary, sender) and its recipients' place names are kept in
``letters_letter.search_vector``, GIN-indexed, so ``search=`` on letters is one index condition and
its ranking reads stored vectors (``Letter.stored_search_vector`` names what it holds;
tracker/api/filters.py reads it). Triggers keep it: on a letter's own words, on its recipients (per
statement, set-based: a COPY of a million recipients rebuilds each letter's vector once, in one pass
over the recipients, not one subquery per letter), and on a place's name. Every write path keeps it
(the API, the admin, loaddata, COPY, raw SQL). It is not a model field.

Place names also get a GIN index of their own: cases are found by their parties' places through it.
SQLite searches with a contains and needs none of this.
"""

from django.db import migrations

COLUMN = """
ALTER TABLE letters_letter ADD COLUMN search_vector tsvector;
"""

# The functions and triggers that keep it (migration 0017_search_vector_generated replaces them with generated ones).
KEEPING = """
-- What a letter's vector holds: its own words, then the names of its recipients' places.
CREATE FUNCTION letters_letter_words(letter letters_letter, places text) RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_tsvector('english'::regconfig, COALESCE(letter.subject, '') || ' ' || COALESCE(letter.summary, '')
                       || ' ' || COALESCE(letter.sender_office, '') || ' ' || COALESCE(letter.sender_name, ''))
        || to_tsvector('english'::regconfig, COALESCE(places, ''))
$$;

-- The letters' vectors again, set-based: one pass over their recipients, however many letters.
CREATE FUNCTION letters_refresh_words(touched bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE letters_letter letter SET search_vector = letters_letter_words(letter, names.places)
    FROM unnest(touched) AS refreshed(id)
    LEFT JOIN (SELECT recipient.letter_id, string_agg(place.name, ' ' ORDER BY recipient.id) AS places
               FROM letters_letterrecipient recipient JOIN cities_jurisdiction place ON place.id = recipient.jurisdiction_id
               WHERE recipient.letter_id = ANY(touched) GROUP BY recipient.letter_id) names ON names.letter_id = refreshed.id
    WHERE letter.id = refreshed.id
$$;

CREATE FUNCTION letters_letter_own_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := letters_letter_words(NEW, (
        SELECT string_agg(place.name, ' ' ORDER BY recipient.id)
        FROM letters_letterrecipient recipient JOIN cities_jurisdiction place ON place.id = recipient.jurisdiction_id
        WHERE recipient.letter_id = NEW.id));
    RETURN NEW;
END $$;
CREATE TRIGGER letters_letter_own_words BEFORE INSERT OR UPDATE OF subject, summary, sender_office, sender_name
    ON letters_letter FOR EACH ROW EXECUTE FUNCTION letters_letter_own_words();

CREATE FUNCTION letters_recipients_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_refresh_words(ARRAY(SELECT DISTINCT letter_id FROM changed));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_recipients_added AFTER INSERT ON letters_letterrecipient
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION letters_recipients_changed();
CREATE TRIGGER letters_recipients_removed AFTER DELETE ON letters_letterrecipient
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION letters_recipients_changed();

-- An edit that moves a recipient to another letter or place changes both letters' words; others change none.
CREATE FUNCTION letters_recipients_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_refresh_words(ARRAY(
        SELECT DISTINCT unnest(ARRAY[old_rows.letter_id, new_rows.letter_id])
        FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id
        WHERE (new_rows.letter_id, new_rows.jurisdiction_id) IS DISTINCT FROM (old_rows.letter_id, old_rows.jurisdiction_id)));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_recipients_moved AFTER UPDATE ON letters_letterrecipient
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION letters_recipients_moved();

CREATE FUNCTION letters_place_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_refresh_words(ARRAY(
        SELECT DISTINCT recipient.letter_id FROM letters_letterrecipient recipient
        JOIN new_rows ON new_rows.id = recipient.jurisdiction_id JOIN old_rows ON old_rows.id = new_rows.id
        WHERE new_rows.name IS DISTINCT FROM old_rows.name));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_place_renamed AFTER UPDATE ON cities_jurisdiction
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION letters_place_renamed();
"""

FILLED = """
SELECT letters_refresh_words(ARRAY(SELECT id FROM letters_letter));
CREATE INDEX letter_search ON letters_letter USING gin (search_vector);
CREATE INDEX jurisdiction_name_search ON cities_jurisdiction
    USING gin (to_tsvector('english'::regconfig, COALESCE(name, '')));
"""

FORWARDS = COLUMN + KEEPING + FILLED

BACKWARDS = """
DROP INDEX jurisdiction_name_search;
DROP TRIGGER letters_place_renamed ON cities_jurisdiction;
DROP FUNCTION letters_place_renamed();
DROP TRIGGER letters_recipients_added ON letters_letterrecipient;
DROP TRIGGER letters_recipients_removed ON letters_letterrecipient;
DROP TRIGGER letters_recipients_moved ON letters_letterrecipient;
DROP FUNCTION letters_recipients_moved();
DROP FUNCTION letters_recipients_changed();
DROP TRIGGER letters_letter_own_words ON letters_letter;
DROP FUNCTION letters_letter_own_words();
DROP FUNCTION letters_refresh_words(bigint[]);
ALTER TABLE letters_letter DROP COLUMN search_vector;
DROP FUNCTION letters_letter_words(letters_letter, text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0001_squashed_0007_plausible_values"),
        ("letters", "0001_squashed_0008_plausible_values"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

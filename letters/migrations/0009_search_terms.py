"""A one-word search in rank order from an index, on PostgreSQL.

``search=subpoena`` matches nearly every letter of a large table, and ranking every match (reading each
letter's stored vector, ``ts_rank`` on each) made the first page cost the whole table. Here each letter's
vector is kept again as one row per word, ``(term, rank, record_id)``, with that word's ``ts_rank`` in the
letter, indexed by ``(term, rank DESC, record_id DESC)``: a one-word search reads its page in rank order
straight from the index and stops after it (tracker/api/filters.py, ``SearchFilter``). For one word,
``ts_rank(vector, word)`` depends on that word's entry in the vector alone (positions and weights; ranks are
not normalized by length), so the stored rank is exactly what ranking the letter at query time gives.

Triggers keep it from ``letters_letter.search_vector`` (itself kept by the triggers tracker/reading/search_sql.py
generates), per statement: a letter added, its vector changed (its words, its recipients, a place renamed), a letter
deleted, the table truncated (a test's flush). Searches of several words, phrases and exclusions still rank
every match of the GIN condition. SQLite searches with a contains and needs none of this.
"""

from django.db import migrations

FORWARDS = r"""
CREATE TABLE letters_searchterm (
    term text NOT NULL,
    rank double precision NOT NULL,
    record_id bigint NOT NULL
);

-- Each word of these letters' vectors with its rank: the word as a one-word query, quoted as tsquery input.
CREATE FUNCTION letters_add_search_terms(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO letters_searchterm (term, rank, record_id)
    SELECT word.lexeme,
           ts_rank(letter.search_vector,
                   ('''' || replace(replace(word.lexeme, '\', '\\'), '''', '''''') || '''')::tsquery),
           letter.id
    -- Joined to the ids, not "= ANY(ids)": a condition on an array that is not a constant is tested element by
    -- element for every row (20,000 letters against 20,000 ids: seconds).
    FROM unnest(ids) AS added(id) JOIN letters_letter letter ON letter.id = added.id,
         unnest(letter.search_vector) AS word
$$;

CREATE FUNCTION letters_letters_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_add_search_terms(ARRAY(SELECT id FROM added));
    RETURN NULL;
END $$;
CREATE TRIGGER letters_search_terms_added AFTER INSERT ON letters_letter
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION letters_letters_added();

-- Every updated letter's words again: comparing the old and new vectors would join the two transition tables,
-- which have no statistics, and PostgreSQL joined 20,000 by 20,000 row by row (two minutes). An edit that
-- leaves the words alone rewrites a few dozen rows.
CREATE FUNCTION letters_letters_reworded() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    reworded bigint[] := ARRAY(SELECT id FROM new_rows);
BEGIN
    DELETE FROM letters_searchterm USING unnest(reworded) AS changed(id) WHERE record_id = changed.id;
    PERFORM letters_add_search_terms(reworded);
    RETURN NULL;
END $$;
CREATE TRIGGER letters_search_terms_reworded AFTER UPDATE ON letters_letter
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION letters_letters_reworded();

CREATE FUNCTION letters_letters_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM letters_searchterm WHERE record_id IN (SELECT id FROM removed);
    RETURN NULL;
END $$;
CREATE TRIGGER letters_search_terms_removed AFTER DELETE ON letters_letter
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION letters_letters_removed();

CREATE FUNCTION letters_letters_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE letters_searchterm;
    RETURN NULL;
END $$;
CREATE TRIGGER letters_search_terms_truncated AFTER TRUNCATE ON letters_letter
    FOR EACH STATEMENT EXECUTE FUNCTION letters_letters_truncated();

SELECT letters_add_search_terms(ARRAY(SELECT id FROM letters_letter));
CREATE INDEX letters_searchterm_ranked ON letters_searchterm (term, rank DESC, record_id DESC);
CREATE INDEX letters_searchterm_letter ON letters_searchterm (record_id);
"""

BACKWARDS = """
DROP TRIGGER letters_search_terms_truncated ON letters_letter;
DROP TRIGGER letters_search_terms_removed ON letters_letter;
DROP TRIGGER letters_search_terms_reworded ON letters_letter;
DROP TRIGGER letters_search_terms_added ON letters_letter;
DROP FUNCTION letters_letters_truncated();
DROP FUNCTION letters_letters_removed();
DROP FUNCTION letters_letters_reworded();
DROP FUNCTION letters_letters_added();
DROP FUNCTION letters_add_search_terms(bigint[]);
DROP TABLE letters_searchterm;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_letter_search_vector"), ("letters", "0001_squashed_0008_plausible_values")]

    operations = [migrations.RunPython(forwards, backwards)]

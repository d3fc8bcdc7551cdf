"""The stored JSON of each recipient (migration 0010) kept equal to ``LetterRecipientSerializer`` again: it
now shows the basis (0013) and each cited source's ``provenance`` (tracker 0010), so a change of a source's
grade shows the recipient again.
The 2025-08-13 letters' recipients no cited source names are marked inferred, as the fixtures mark them."""

from django.db import migrations

# The recipient as the API shows it; {basis} and {provenance} are the keys this migration adds.
RECIPIENT_WRITTEN = r"""
CREATE OR REPLACE FUNCTION letters_recipient_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT json_build_object(
        'jurisdiction', json_build_object('slug', place.slug, 'name', place.name, 'state', place.state,
                                          'url', place.slug || '/'),
        {basis}
        'addressee', NEW.addressee,
        'determination', NEW.determination,
        'responded_on', NEW.responded_on,
        'notes', NEW.notes,
        'sources', COALESCE(
            (SELECT json_agg(json_build_object('id', source.id, 'link', source.url, 'title', source.title,
                                               'publisher', source.publisher, 'published_on', source.published_on,
                                               'kind', source.kind {provenance})
                             ORDER BY source.url COLLATE "C")
             FROM letters_letterrecipient_sources cited JOIN tracker_source source ON source.id = cited.source_id
             WHERE cited.letterrecipient_id = NEW.id),
            '[]'::json),
        'review_state', NEW.review_state,
        'checked_at', to_char(NEW.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
            || CASE WHEN mod(extract(microseconds FROM NEW.checked_at)::bigint, 1000000) = 0 THEN ''
                    ELSE to_char(NEW.checked_at AT TIME ZONE 'UTC', '.US') END
            || 'Z'
    )::text
    INTO NEW.shown_json
    FROM (VALUES (1)) AS one LEFT JOIN cities_jurisdiction place ON place.id = NEW.jurisdiction_id;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION letters_cited_source_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM letters_recipients_reshown(ARRAY(
        SELECT DISTINCT cited.letterrecipient_id FROM letters_letterrecipient_sources cited
        JOIN new_rows ON new_rows.id = cited.source_id JOIN old_rows ON old_rows.id = new_rows.id
        WHERE (new_rows.url, new_rows.title, new_rows.publisher, new_rows.published_on, new_rows.kind {shown_provenance})
              IS DISTINCT FROM (old_rows.url, old_rows.title, old_rows.publisher, old_rows.published_on, old_rows.kind {old_provenance})));
    RETURN NULL;
END $$;

UPDATE letters_letterrecipient SET shown_json = NULL;
"""

NOW = RECIPIENT_WRITTEN.format(
    basis="'basis', NEW.basis,",
    provenance=", 'provenance', source.provenance",
    shown_provenance=", new_rows.provenance",
    old_provenance=", old_rows.provenance",
)
BEFORE = RECIPIENT_WRITTEN.format(basis="", provenance="", shown_provenance="", old_provenance="")


def mark_inferred(apps, schema_editor):
    from tracker.management.commands.load_reference_data import fixture_rows

    LetterRecipient = apps.get_model("letters", "LetterRecipient")
    for fields in fixture_rows("letters.letterrecipient"):
        if fields.get("basis") == "inferred":
            (letter,), (place,) = fields["letter"], fields["jurisdiction"]
            LetterRecipient.objects.filter(letter__slug=letter, jurisdiction__slug=place).update(basis="inferred")


def show(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0013_recipient_basis"),
        ("tracker", "0011_source_provenance_from_fixtures"),
    ]

    operations = [
        migrations.RunPython(show(NOW), show(BEFORE)),
        migrations.RunPython(mark_inferred, migrations.RunPython.noop),
    ]

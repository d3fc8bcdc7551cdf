"""Each loaded source graded as the fixtures grade it (fixtures/tools/provenance.json, written into
fixtures/*.json by fixtures/tools/provenance.py); a source not in them keeps the default, copy."""

from django.db import migrations


def grade(apps, schema_editor):
    from tracker.management.commands.load_reference_data import fixture_rows

    Source = apps.get_model("tracker", "Source")
    for fields in fixture_rows("tracker.source"):
        Source.objects.filter(url=fields["url"]).update(
            provenance=fields["provenance"], copy_of=fields["copy_of"], copy_of_read=fields["copy_of_read"]
        )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0010_source_provenance")]

    operations = [migrations.RunPython(grade, migrations.RunPython.noop)]

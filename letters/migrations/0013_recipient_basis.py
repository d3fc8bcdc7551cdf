"""A recipient's ``basis``: named by a cited source, or inferred from a list (0014 fills and shows it)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("letters", "0012_drafts_as_revisions")]

    operations = [
        migrations.AddField(
            model_name='historicalletterrecipient',
            name='basis',
            field=models.CharField(choices=[('named', 'Named: a cited source names this recipient'), ('inferred', 'Inferred: from a list or a count, no cited source names it')], db_default='named', db_index=True, default='named', help_text='How the record knows it was a recipient: named by a cited source, or inferred from a list.', max_length=10),
        ),
        migrations.AddField(
            model_name='letterrecipient',
            name='basis',
            field=models.CharField(choices=[('named', 'Named: a cited source names this recipient'), ('inferred', 'Inferred: from a list or a count, no cited source names it')], db_default='named', db_index=True, default='named', help_text='How the record knows it was a recipient: named by a cited source, or inferred from a list.', max_length=10),
        ),
    ]

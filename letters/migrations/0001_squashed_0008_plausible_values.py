"""The letters tables as 0001–0008 left them, in one migration: the tables, then the ruling-date triggers, the
courts directory and the editors group."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
import tracker.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from letters.courts import ensure_courts

# A ruling cannot predate the filing of its case.
#
# The rule spans two tables, which a CHECK constraint cannot express, so each
# database gets a trigger: on a ruling being written, and on a case's filing
# date being moved past one of its rulings.
#
# On SQLite, Django alters a table by rebuilding it, which drops its triggers:
# a later migration that alters letters_courtcase or letters_ruling must run
# ``backwards`` before its operations and ``forwards`` after them.

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


# The editors group: add, change and view every tracker model; only superusers delete.
APPS = ("tracker", "cities", "letters")


def create_editors(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.set(
        Permission.objects.filter(content_type__app_label__in=APPS).exclude(codename__startswith="delete_")
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="editors").delete()


def load_courts(apps, schema_editor):
    ensure_courts(apps.get_model("letters", "Court").objects.using(schema_editor.connection.alias))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cities', '0001_squashed_0007_plausible_values'),
        ('tracker', '0005_plausible_values'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseParty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('role', models.CharField(choices=[('plaintiff', 'Plaintiff'), ('defendant', 'Defendant'), ('intervenor', 'Intervenor'), ('amicus', 'Amicus curiae'), ('appellant', 'Appellant'), ('appellee', 'Appellee')], db_index=True, help_text='Its role in the case.', max_length=20)),
                ('jurisdiction', models.ForeignKey(help_text='The party.', on_delete=django.db.models.deletion.PROTECT, related_name='case_parties', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name_plural': 'case parties',
                'ordering': ['case', 'role', 'jurisdiction__name'],
            },
        ),
        migrations.CreateModel(
            name='Court',
            fields=[
                ('id', models.CharField(help_text="CourtListener's court id, e.g. ilnd, ca7, scotus.", max_length=20, primary_key=True, serialize=False)),
                ('name', models.CharField(help_text="The court's full name.", max_length=200)),
                ('level', models.CharField(choices=[('supreme', 'Supreme Court'), ('appellate', 'Court of appeals'), ('district', 'District court')], help_text='Where it stands among federal courts.', max_length=20)),
                ('circuit', models.ForeignKey(blank=True, help_text='The court of appeals of its circuit (a court of appeals names itself); none for the Supreme Court.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='courts_below', to='letters.court')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='CourtCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. chicago-v-sessions-ilnd-2017.', max_length=150, unique=True, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('caption', models.CharField(db_index=True, help_text='Case name as captioned.', max_length=300)),
                ('docket_number', models.CharField(blank=True, help_text='Docket number in that court; blank while unknown.', max_length=100)),
                ('filed_on', models.DateField(blank=True, db_index=True, help_text='Date the case was filed.', null=True, validators=[tracker.models.plausible_date])),
                ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed'), ('dismissed', 'Dismissed'), ('settled', 'Settled'), ('unknown', 'Unknown')], db_index=True, default='unknown', help_text='Where it stands.', max_length=20)),
                ('other_parties', models.TextField(blank=True, help_text='Parties that are not jurisdictions (the United States, officials, groups).')),
                ('summary', models.TextField(blank=True, help_text='What the case is about and how it went.')),
                ('appeal_of', models.ForeignKey(blank=True, help_text='The case below, for an appeal or a petition.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='appeals', to='letters.courtcase')),
                ('court', models.ForeignKey(db_column='court', help_text="The court (CourtListener's court id, e.g. ilnd, ca7, scotus).", on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='letters.court')),
                ('parties', models.ManyToManyField(help_text='Jurisdictions that are parties.', related_name='cases', through='letters.CaseParty', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['-filed_on', 'slug'],
            },
        ),
        migrations.AddField(
            model_name='caseparty',
            name='case',
            field=models.ForeignKey(help_text='The case.', on_delete=django.db.models.deletion.CASCADE, related_name='case_parties', to='letters.courtcase'),
        ),
        migrations.CreateModel(
            name='Designation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('label', models.CharField(blank=True, help_text='The label the authority used.', max_length=200)),
                ('disputed', models.BooleanField(db_index=True, default=False, help_text='Whether the jurisdiction disputes it.')),
                ('response', models.TextField(blank=True, help_text="The jurisdiction's response, if any.")),
                ('removed_on', models.DateField(blank=True, db_index=True, help_text='When the authority dropped it from the list.', null=True, validators=[tracker.models.plausible_date])),
                ('jurisdiction', models.ForeignKey(help_text='The listed jurisdiction.', on_delete=django.db.models.deletion.PROTECT, related_name='designations', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['designation_list', 'jurisdiction__name'],
            },
        ),
        migrations.CreateModel(
            name='DesignationList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. doj-2025-08.', max_length=100, unique=True, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('authority', models.CharField(db_index=True, help_text='Who published the list.', max_length=200)),
                ('title', models.CharField(help_text="The list's title.", max_length=300)),
                ('published_on', models.DateField(db_index=True, help_text='Publication date.', validators=[tracker.models.plausible_date])),
                ('withdrawn_on', models.DateField(blank=True, help_text='When the authority withdrew the list.', null=True, validators=[tracker.models.plausible_date])),
                ('url', models.URLField(blank=True, help_text='Where the list was published.', max_length=1000, validators=[django.core.validators.RegexValidator("^[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*\\Z", 'Only the characters a URL may hold: percent-encode the others (spaces, quotes, <, >, accented letters).', code='invalid_url_characters')])),
                ('criteria', models.TextField(blank=True, help_text="The authority's rubric for inclusion.")),
                ('jurisdictions', models.ManyToManyField(help_text='Jurisdictions listed.', related_name='designation_lists', through='letters.Designation', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['-published_on', 'slug'],
            },
        ),
        migrations.AddField(
            model_name='designation',
            name='designation_list',
            field=models.ForeignKey(help_text='The list.', on_delete=django.db.models.deletion.CASCADE, related_name='designations', to='letters.designationlist'),
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier.', max_length=150, unique=True, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('date', models.DateField(db_index=True, help_text='When it happened.', validators=[tracker.models.plausible_date])),
                ('title', models.CharField(help_text='What happened, in a line.', max_length=300)),
                ('kind', models.CharField(choices=[('meeting', 'Meeting'), ('boycott', 'Boycott'), ('statement', 'Statement'), ('legislation', 'Legislation'), ('executive_order', 'Executive order'), ('directive', 'Directive or memorandum'), ('press_release', 'Press release'), ('other', 'Other')], db_index=True, help_text='Kind of event.', max_length=20)),
                ('summary', models.TextField(blank=True, help_text='What happened, in plain words.')),
                ('jurisdictions', models.ManyToManyField(blank=True, help_text='Jurisdictions involved.', related_name='events', to='cities.jurisdiction')),
                ('officials', models.ManyToManyField(blank=True, help_text='Officials involved.', related_name='events', to='cities.official')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['-date', 'slug'],
            },
        ),
        migrations.CreateModel(
            name='EventParticipant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('name', models.CharField(help_text="The person's name.", max_length=200)),
                ('place', models.CharField(blank=True, help_text='Their place when not in the dataset.', max_length=200)),
                ('role', models.CharField(blank=True, help_text='Their office, e.g. Mayor of Dallas.', max_length=200)),
                ('participation', models.CharField(choices=[('declined', 'Declined'), ('attended', 'Attended'), ('expected', 'Was expected'), ('invited', 'Invited'), ('not_invited', 'Not invited')], db_index=True, help_text='How they took part.', max_length=20)),
                ('event', models.ForeignKey(help_text='The event.', on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='letters.event')),
                ('jurisdiction', models.ForeignKey(blank=True, help_text='Their jurisdiction, when it is in the dataset.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='event_participations', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['event', 'participation', 'name'],
            },
        ),
        migrations.CreateModel(
            name='GrantAward',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('program', models.CharField(choices=[('byrne_jag', 'Edward Byrne Memorial Justice Assistance Grant (Byrne JAG)'), ('cops', 'Community Oriented Policing Services (COPS)'), ('scaap', 'State Criminal Alien Assistance Program (SCAAP)'), ('other', 'Other (named in the notes)')], db_index=True, help_text='Grant program.', max_length=20)),
                ('fiscal_year', models.PositiveSmallIntegerField(db_index=True, help_text='Federal fiscal year, e.g. 2017.', validators=[django.core.validators.MinValueValidator(1980), django.core.validators.MaxValueValidator(2100)])),
                ('amount', models.DecimalField(blank=True, db_index=True, decimal_places=2, help_text='Amount in US dollars as the source gives it; empty when only the status is known.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)])),
                ('status', models.CharField(choices=[('applied', 'Applied'), ('awarded', 'Awarded'), ('awarded_with_conditions', 'Awarded with conditions'), ('withheld', 'Withheld'), ('released_by_court_order', 'Released by court order'), ('declined', 'Declined'), ('cleared', 'Cleared (eligible)'), ('unknown', 'Unknown')], db_index=True, help_text='Status as of status_date.', max_length=30)),
                ('status_date', models.DateField(blank=True, db_index=True, help_text='Date the status was reported.', null=True, validators=[tracker.models.plausible_date])),
                ('award_number', models.CharField(blank=True, help_text='DOJ award number, e.g. 2016-DJ-BX-0106.', max_length=50)),
                ('jurisdiction', models.ForeignKey(help_text='The grantee.', on_delete=django.db.models.deletion.PROTECT, related_name='grants', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['-fiscal_year', 'jurisdiction__name', 'program'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCaseParty',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('role', models.CharField(choices=[('plaintiff', 'Plaintiff'), ('defendant', 'Defendant'), ('intervenor', 'Intervenor'), ('amicus', 'Amicus curiae'), ('appellant', 'Appellant'), ('appellee', 'Appellee')], db_index=True, help_text='Its role in the case.', max_length=20)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, help_text='The case.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.courtcase')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, help_text='The party.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
            ],
            options={
                'verbose_name': 'historical case party',
                'verbose_name_plural': 'historical case parties',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCaseParty_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('caseparty', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.caseparty')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalcaseparty')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name': 'HistoricalCaseParty_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCourtCase',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. chicago-v-sessions-ilnd-2017.', max_length=150, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('caption', models.CharField(db_index=True, help_text='Case name as captioned.', max_length=300)),
                ('docket_number', models.CharField(blank=True, help_text='Docket number in that court; blank while unknown.', max_length=100)),
                ('filed_on', models.DateField(blank=True, db_index=True, help_text='Date the case was filed.', null=True, validators=[tracker.models.plausible_date])),
                ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed'), ('dismissed', 'Dismissed'), ('settled', 'Settled'), ('unknown', 'Unknown')], db_index=True, default='unknown', help_text='Where it stands.', max_length=20)),
                ('other_parties', models.TextField(blank=True, help_text='Parties that are not jurisdictions (the United States, officials, groups).')),
                ('summary', models.TextField(blank=True, help_text='What the case is about and how it went.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('appeal_of', models.ForeignKey(blank=True, db_constraint=False, help_text='The case below, for an appeal or a petition.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.courtcase')),
                ('court', models.ForeignKey(blank=True, db_column='court', db_constraint=False, help_text="The court (CourtListener's court id, e.g. ilnd, ca7, scotus).", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.court')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical court case',
                'verbose_name_plural': 'historical court cases',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCourtCase_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('courtcase', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.courtcase')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalcourtcase')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name': 'HistoricalCourtCase_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDesignation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('label', models.CharField(blank=True, help_text='The label the authority used.', max_length=200)),
                ('disputed', models.BooleanField(db_index=True, default=False, help_text='Whether the jurisdiction disputes it.')),
                ('response', models.TextField(blank=True, help_text="The jurisdiction's response, if any.")),
                ('removed_on', models.DateField(blank=True, db_index=True, help_text='When the authority dropped it from the list.', null=True, validators=[tracker.models.plausible_date])),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('designation_list', models.ForeignKey(blank=True, db_constraint=False, help_text='The list.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.designationlist')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, help_text='The listed jurisdiction.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
            ],
            options={
                'verbose_name': 'historical designation',
                'verbose_name_plural': 'historical designations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDesignation_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('designation', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.designation')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicaldesignation')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name': 'HistoricalDesignation_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDesignationList',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. doj-2025-08.', max_length=100, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('authority', models.CharField(db_index=True, help_text='Who published the list.', max_length=200)),
                ('title', models.CharField(help_text="The list's title.", max_length=300)),
                ('published_on', models.DateField(db_index=True, help_text='Publication date.', validators=[tracker.models.plausible_date])),
                ('withdrawn_on', models.DateField(blank=True, help_text='When the authority withdrew the list.', null=True, validators=[tracker.models.plausible_date])),
                ('url', models.URLField(blank=True, help_text='Where the list was published.', max_length=1000, validators=[django.core.validators.RegexValidator("^[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*\\Z", 'Only the characters a URL may hold: percent-encode the others (spaces, quotes, <, >, accented letters).', code='invalid_url_characters')])),
                ('criteria', models.TextField(blank=True, help_text="The authority's rubric for inclusion.")),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical designation list',
                'verbose_name_plural': 'historical designation lists',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDesignationList_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('designationlist', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.designationlist')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicaldesignationlist')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name': 'HistoricalDesignationList_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEvent',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier.', max_length=150, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('date', models.DateField(db_index=True, help_text='When it happened.', validators=[tracker.models.plausible_date])),
                ('title', models.CharField(help_text='What happened, in a line.', max_length=300)),
                ('kind', models.CharField(choices=[('meeting', 'Meeting'), ('boycott', 'Boycott'), ('statement', 'Statement'), ('legislation', 'Legislation'), ('executive_order', 'Executive order'), ('directive', 'Directive or memorandum'), ('press_release', 'Press release'), ('other', 'Other')], db_index=True, help_text='Kind of event.', max_length=20)),
                ('summary', models.TextField(blank=True, help_text='What happened, in plain words.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical event',
                'verbose_name_plural': 'historical events',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEvent_jurisdictions',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('event', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.event')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalevent')),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
            ],
            options={
                'verbose_name': 'HistoricalEvent_jurisdictions',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEvent_officials',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('event', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.event')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalevent')),
                ('official', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.official')),
            ],
            options={
                'verbose_name': 'HistoricalEvent_officials',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEvent_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('event', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.event')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalevent')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name': 'HistoricalEvent_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEventParticipant',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('name', models.CharField(help_text="The person's name.", max_length=200)),
                ('place', models.CharField(blank=True, help_text='Their place when not in the dataset.', max_length=200)),
                ('role', models.CharField(blank=True, help_text='Their office, e.g. Mayor of Dallas.', max_length=200)),
                ('participation', models.CharField(choices=[('declined', 'Declined'), ('attended', 'Attended'), ('expected', 'Was expected'), ('invited', 'Invited'), ('not_invited', 'Not invited')], db_index=True, help_text='How they took part.', max_length=20)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('event', models.ForeignKey(blank=True, db_constraint=False, help_text='The event.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.event')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, help_text='Their jurisdiction, when it is in the dataset.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
            ],
            options={
                'verbose_name': 'historical event participant',
                'verbose_name_plural': 'historical event participants',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEventParticipant_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('eventparticipant', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.eventparticipant')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicaleventparticipant')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name': 'HistoricalEventParticipant_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGrantAward',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('program', models.CharField(choices=[('byrne_jag', 'Edward Byrne Memorial Justice Assistance Grant (Byrne JAG)'), ('cops', 'Community Oriented Policing Services (COPS)'), ('scaap', 'State Criminal Alien Assistance Program (SCAAP)'), ('other', 'Other (named in the notes)')], db_index=True, help_text='Grant program.', max_length=20)),
                ('fiscal_year', models.PositiveSmallIntegerField(db_index=True, help_text='Federal fiscal year, e.g. 2017.', validators=[django.core.validators.MinValueValidator(1980), django.core.validators.MaxValueValidator(2100)])),
                ('amount', models.DecimalField(blank=True, db_index=True, decimal_places=2, help_text='Amount in US dollars as the source gives it; empty when only the status is known.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)])),
                ('status', models.CharField(choices=[('applied', 'Applied'), ('awarded', 'Awarded'), ('awarded_with_conditions', 'Awarded with conditions'), ('withheld', 'Withheld'), ('released_by_court_order', 'Released by court order'), ('declined', 'Declined'), ('cleared', 'Cleared (eligible)'), ('unknown', 'Unknown')], db_index=True, help_text='Status as of status_date.', max_length=30)),
                ('status_date', models.DateField(blank=True, db_index=True, help_text='Date the status was reported.', null=True, validators=[tracker.models.plausible_date])),
                ('award_number', models.CharField(blank=True, help_text='DOJ award number, e.g. 2016-DJ-BX-0106.', max_length=50)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, help_text='The grantee.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
            ],
            options={
                'verbose_name': 'historical grant award',
                'verbose_name_plural': 'historical grant awards',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGrantAward_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('grantaward', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.grantaward')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalgrantaward')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name': 'HistoricalGrantAward_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalLetter',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. 2018-01-24-bja-document-demands.', max_length=150, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('sent_on', models.DateField(db_index=True, help_text='Date on the letter.', validators=[tracker.models.plausible_date])),
                ('sender_office', models.CharField(help_text='Issuing office, e.g. Bureau of Justice Assistance.', max_length=200)),
                ('sender_name', models.CharField(blank=True, help_text='Signer with title, e.g. Jon Adler, Director.', max_length=200)),
                ('kind', models.CharField(choices=[('certification_request', 'Certification request'), ('compliance_validation', 'Demand to validate compliance'), ('preliminary_assessment', 'Preliminary assessment'), ('compliance_clearance', 'Clearance (no evidence of non-compliance)'), ('document_demand', 'Document demand / subpoena threat'), ('final_determination', 'Final determination'), ('grant_condition', 'Grant award condition'), ('warning', 'Warning'), ('other', 'Other')], db_index=True, help_text='What the letter does.', max_length=30)),
                ('subject', models.CharField(help_text='One-line subject.', max_length=300)),
                ('summary', models.TextField(blank=True, help_text='What the letter demanded or found, in plain words.')),
                ('response_due', models.DateField(blank=True, db_index=True, help_text='Deadline the letter set for a response.', null=True, validators=[tracker.models.plausible_date])),
                ('document_url', models.URLField(blank=True, help_text='A copy of the letter itself.', max_length=1000, validators=[django.core.validators.RegexValidator("^[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*\\Z", 'Only the characters a URL may hold: percent-encode the others (spaces, quotes, <, >, accented letters).', code='invalid_url_characters')])),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical letter',
                'verbose_name_plural': 'historical letters',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRuling',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier.', max_length=150, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('decided_on', models.DateField(db_index=True, help_text='Date of the ruling.', validators=[tracker.models.plausible_date])),
                ('kind', models.CharField(choices=[('tro', 'Temporary restraining order'), ('preliminary_injunction', 'Preliminary injunction'), ('summary_judgment', 'Summary judgment'), ('permanent_injunction', 'Permanent injunction'), ('motion_to_dismiss', 'Motion to dismiss'), ('stay', 'Stay'), ('appellate_opinion', 'Appellate opinion'), ('en_banc', 'En banc order'), ('supreme_court_order', 'Supreme Court order'), ('judgment', 'Judgment'), ('other', 'Other')], db_index=True, help_text='Kind of ruling.', max_length=30)),
                ('judge', models.CharField(blank=True, help_text="Judge, or the opinion's author and panel.", max_length=200)),
                ('outcome', models.CharField(choices=[('for_jurisdiction', 'For the jurisdiction'), ('for_government', 'For the federal government'), ('mixed', 'Mixed'), ('procedural', 'Procedural')], db_index=True, help_text='Who the ruling favoured.', max_length=20)),
                ('scope', models.CharField(blank=True, choices=[('parties_only', 'Parties only'), ('plaintiffs_and_members', 'Plaintiffs and their members'), ('state', 'Statewide'), ('nationwide', 'Nationwide'), ('not_applicable', 'Not applicable')], db_index=True, help_text='Whom the relief covers.', max_length=30)),
                ('citation', models.CharField(blank=True, help_text='Reporter citation, e.g. 888 F.3d 272.', max_length=100)),
                ('summary', models.TextField(blank=True, help_text='What the court held.')),
                ('opinion_url', models.URLField(blank=True, help_text='A copy of the opinion or order.', max_length=1000, validators=[django.core.validators.RegexValidator("^[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*\\Z", 'Only the characters a URL may hold: percent-encode the others (spaces, quotes, <, >, accented letters).', code='invalid_url_characters')])),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, help_text='The case.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.courtcase')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical ruling',
                'verbose_name_plural': 'historical rulings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Letter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. 2018-01-24-bja-document-demands.', max_length=150, unique=True, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('sent_on', models.DateField(db_index=True, help_text='Date on the letter.', validators=[tracker.models.plausible_date])),
                ('sender_office', models.CharField(help_text='Issuing office, e.g. Bureau of Justice Assistance.', max_length=200)),
                ('sender_name', models.CharField(blank=True, help_text='Signer with title, e.g. Jon Adler, Director.', max_length=200)),
                ('kind', models.CharField(choices=[('certification_request', 'Certification request'), ('compliance_validation', 'Demand to validate compliance'), ('preliminary_assessment', 'Preliminary assessment'), ('compliance_clearance', 'Clearance (no evidence of non-compliance)'), ('document_demand', 'Document demand / subpoena threat'), ('final_determination', 'Final determination'), ('grant_condition', 'Grant award condition'), ('warning', 'Warning'), ('other', 'Other')], db_index=True, help_text='What the letter does.', max_length=30)),
                ('subject', models.CharField(help_text='One-line subject.', max_length=300)),
                ('summary', models.TextField(blank=True, help_text='What the letter demanded or found, in plain words.')),
                ('response_due', models.DateField(blank=True, db_index=True, help_text='Deadline the letter set for a response.', null=True, validators=[tracker.models.plausible_date])),
                ('document_url', models.URLField(blank=True, help_text='A copy of the letter itself.', max_length=1000, validators=[django.core.validators.RegexValidator("^[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*\\Z", 'Only the characters a URL may hold: percent-encode the others (spaces, quotes, <, >, accented letters).', code='invalid_url_characters')])),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['-sent_on', 'slug'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalLetterRecipient',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('addressee', models.CharField(blank=True, help_text='The person or office addressed, as on the letter.', max_length=300)),
                ('responded_on', models.DateField(blank=True, help_text='When the jurisdiction answered.', null=True, validators=[tracker.models.plausible_date])),
                ('determination', models.CharField(choices=[('pending', 'Pending'), ('compliant', 'Compliant'), ('non_compliant', 'Non-compliant'), ('no_determination', 'No determination')], db_index=True, default='pending', help_text="DOJ's finding on this recipient.", max_length=20)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, help_text='The jurisdiction it went to.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
                ('letter', models.ForeignKey(blank=True, db_constraint=False, help_text='The letter.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.letter')),
            ],
            options={
                'verbose_name': 'historical letter recipient',
                'verbose_name_plural': 'historical letter recipients',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalLetter_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalletter')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
                ('letter', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.letter')),
            ],
            options={
                'verbose_name': 'HistoricalLetter_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='LetterRecipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('addressee', models.CharField(blank=True, help_text='The person or office addressed, as on the letter.', max_length=300)),
                ('responded_on', models.DateField(blank=True, help_text='When the jurisdiction answered.', null=True, validators=[tracker.models.plausible_date])),
                ('determination', models.CharField(choices=[('pending', 'Pending'), ('compliant', 'Compliant'), ('non_compliant', 'Non-compliant'), ('no_determination', 'No determination')], db_index=True, default='pending', help_text="DOJ's finding on this recipient.", max_length=20)),
                ('jurisdiction', models.ForeignKey(help_text='The jurisdiction it went to.', on_delete=django.db.models.deletion.PROTECT, related_name='letters_received', to='cities.jurisdiction')),
                ('letter', models.ForeignKey(help_text='The letter.', on_delete=django.db.models.deletion.CASCADE, related_name='letter_recipients', to='letters.letter')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['letter', 'jurisdiction__name'],
            },
        ),
        migrations.AddField(
            model_name='letter',
            name='recipients',
            field=models.ManyToManyField(help_text='Jurisdictions the letter went to.', related_name='letters', through='letters.LetterRecipient', to='cities.jurisdiction'),
        ),
        migrations.CreateModel(
            name='HistoricalLetterRecipient_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalletterrecipient')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
                ('letterrecipient', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.letterrecipient')),
            ],
            options={
                'verbose_name': 'HistoricalLetterRecipient_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Ruling',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier.', max_length=150, unique=True, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('decided_on', models.DateField(db_index=True, help_text='Date of the ruling.', validators=[tracker.models.plausible_date])),
                ('kind', models.CharField(choices=[('tro', 'Temporary restraining order'), ('preliminary_injunction', 'Preliminary injunction'), ('summary_judgment', 'Summary judgment'), ('permanent_injunction', 'Permanent injunction'), ('motion_to_dismiss', 'Motion to dismiss'), ('stay', 'Stay'), ('appellate_opinion', 'Appellate opinion'), ('en_banc', 'En banc order'), ('supreme_court_order', 'Supreme Court order'), ('judgment', 'Judgment'), ('other', 'Other')], db_index=True, help_text='Kind of ruling.', max_length=30)),
                ('judge', models.CharField(blank=True, help_text="Judge, or the opinion's author and panel.", max_length=200)),
                ('outcome', models.CharField(choices=[('for_jurisdiction', 'For the jurisdiction'), ('for_government', 'For the federal government'), ('mixed', 'Mixed'), ('procedural', 'Procedural')], db_index=True, help_text='Who the ruling favoured.', max_length=20)),
                ('scope', models.CharField(blank=True, choices=[('parties_only', 'Parties only'), ('plaintiffs_and_members', 'Plaintiffs and their members'), ('state', 'Statewide'), ('nationwide', 'Nationwide'), ('not_applicable', 'Not applicable')], db_index=True, help_text='Whom the relief covers.', max_length=30)),
                ('citation', models.CharField(blank=True, help_text='Reporter citation, e.g. 888 F.3d 272.', max_length=100)),
                ('summary', models.TextField(blank=True, help_text='What the court held.')),
                ('opinion_url', models.URLField(blank=True, help_text='A copy of the opinion or order.', max_length=1000, validators=[django.core.validators.RegexValidator("^[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*\\Z", 'Only the characters a URL may hold: percent-encode the others (spaces, quotes, <, >, accented letters).', code='invalid_url_characters')])),
                ('case', models.ForeignKey(help_text='The case.', on_delete=django.db.models.deletion.PROTECT, related_name='rulings', to='letters.courtcase')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['-decided_on', 'slug'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalRuling_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='letters.historicalruling')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
                ('ruling', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.ruling')),
            ],
            options={
                'verbose_name': 'HistoricalRuling_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name='courtcase',
            index=models.Index(fields=['caption', 'id'], name='courtcase_caption_keyset'),
        ),
        migrations.AddConstraint(
            model_name='courtcase',
            constraint=models.UniqueConstraint(condition=models.Q(('docket_number', ''), _negated=True), fields=('court', 'docket_number'), name='case_one_per_court_docket'),
        ),
        migrations.AddConstraint(
            model_name='courtcase',
            constraint=models.CheckConstraint(condition=models.Q(('appeal_of', models.F('pk')), _negated=True), name='case_not_appeal_of_itself'),
        ),
        migrations.AddConstraint(
            model_name='caseparty',
            constraint=models.UniqueConstraint(fields=('case', 'jurisdiction'), name='case_party_unique'),
        ),
        migrations.AddIndex(
            model_name='designationlist',
            index=models.Index(fields=['published_on', 'id'], name='designatio_publishe_keyset'),
        ),
        migrations.AddConstraint(
            model_name='designationlist',
            constraint=models.CheckConstraint(condition=models.Q(('withdrawn_on__isnull', True), ('withdrawn_on__gte', models.F('published_on')), _connector='OR'), name='designation_list_withdrawn_after_published', violation_error_message='A list cannot be withdrawn before it was published.'),
        ),
        migrations.AddConstraint(
            model_name='designation',
            constraint=models.UniqueConstraint(fields=('designation_list', 'jurisdiction'), name='designation_unique'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['date', 'id'], name='event_date_keyset'),
        ),
        migrations.AddConstraint(
            model_name='eventparticipant',
            constraint=models.UniqueConstraint(fields=('event', 'name'), name='event_participant_unique'),
        ),
        migrations.AddIndex(
            model_name='grantaward',
            index=models.Index(fields=['fiscal_year', 'id'], name='grantaward_fiscal_y_keyset'),
        ),
        migrations.AddConstraint(
            model_name='grantaward',
            constraint=models.UniqueConstraint(fields=('jurisdiction', 'program', 'fiscal_year'), name='grant_one_row_per_program_year', violation_error_message='This jurisdiction already has a row for this program and fiscal year.'),
        ),
        migrations.AddConstraint(
            model_name='grantaward',
            constraint=models.CheckConstraint(condition=models.Q(('amount__isnull', True), ('amount__gte', 0), _connector='OR'), name='grant_amount_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='grantaward',
            constraint=models.CheckConstraint(condition=models.Q(('fiscal_year__gte', 1980), ('fiscal_year__lte', 2100)), name='grant_fiscal_year_range'),
        ),
        migrations.AddConstraint(
            model_name='letterrecipient',
            constraint=models.UniqueConstraint(fields=('letter', 'jurisdiction'), name='letter_recipient_unique'),
        ),
        migrations.AddIndex(
            model_name='letter',
            index=models.Index(fields=['sent_on', 'id'], name='letter_sent_on_keyset'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.CheckConstraint(condition=models.Q(('response_due__isnull', True), ('response_due__gte', models.F('sent_on')), _connector='OR'), name='letter_due_after_sent', violation_error_message='The response cannot be due before the letter was sent.'),
        ),
        migrations.AddIndex(
            model_name='ruling',
            index=models.Index(fields=['decided_on', 'id'], name='ruling_decided__keyset'),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(load_courts, migrations.RunPython.noop),
        migrations.RunPython(create_editors, remove_editors),
    ]

"""The cities tables as 0001–0007 left them, in one migration."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
import tracker.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tracker', '0005_plausible_values'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalJurisdiction',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. chicago-il, cook-county-il, california.', max_length=100, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('name', models.CharField(db_index=True, help_text='Official name, e.g. City of Chicago.', max_length=200)),
                ('kind', models.CharField(choices=[('city', 'City'), ('county', 'County'), ('consolidated', 'Consolidated city-county'), ('state', 'State'), ('federal_district', 'Federal district'), ('territory', 'Territory')], db_index=True, help_text='Level of government.', max_length=20)),
                ('state', models.CharField(choices=[('AL', 'Alabama'), ('AK', 'Alaska'), ('AZ', 'Arizona'), ('AR', 'Arkansas'), ('CA', 'California'), ('CO', 'Colorado'), ('CT', 'Connecticut'), ('DE', 'Delaware'), ('DC', 'District of Columbia'), ('FL', 'Florida'), ('GA', 'Georgia'), ('HI', 'Hawaii'), ('ID', 'Idaho'), ('IL', 'Illinois'), ('IN', 'Indiana'), ('IA', 'Iowa'), ('KS', 'Kansas'), ('KY', 'Kentucky'), ('LA', 'Louisiana'), ('ME', 'Maine'), ('MD', 'Maryland'), ('MA', 'Massachusetts'), ('MI', 'Michigan'), ('MN', 'Minnesota'), ('MS', 'Mississippi'), ('MO', 'Missouri'), ('MT', 'Montana'), ('NE', 'Nebraska'), ('NV', 'Nevada'), ('NH', 'New Hampshire'), ('NJ', 'New Jersey'), ('NM', 'New Mexico'), ('NY', 'New York'), ('NC', 'North Carolina'), ('ND', 'North Dakota'), ('OH', 'Ohio'), ('OK', 'Oklahoma'), ('OR', 'Oregon'), ('PA', 'Pennsylvania'), ('RI', 'Rhode Island'), ('SC', 'South Carolina'), ('SD', 'South Dakota'), ('TN', 'Tennessee'), ('TX', 'Texas'), ('UT', 'Utah'), ('VT', 'Vermont'), ('VA', 'Virginia'), ('WA', 'Washington'), ('WV', 'West Virginia'), ('WI', 'Wisconsin'), ('WY', 'Wyoming'), ('AS', 'American Samoa'), ('GU', 'Guam'), ('MP', 'Northern Mariana Islands'), ('PR', 'Puerto Rico'), ('VI', 'U.S. Virgin Islands')], db_index=True, help_text='USPS code of the state it lies in.', max_length=2)),
                ('fips', models.CharField(blank=True, help_text='Census FIPS code: 2 digits for a state, 5 for a county, 7 for a place.', max_length=7)),
                ('population', models.PositiveBigIntegerField(blank=True, db_index=True, help_text='Resident population, from a cited count.', null=True)),
                ('population_year', models.PositiveSmallIntegerField(blank=True, help_text='Year of the population count (the first census was in 1790).', null=True, validators=[django.core.validators.MinValueValidator(1790), django.core.validators.MaxValueValidator(2100)])),
                ('latitude', models.DecimalField(blank=True, decimal_places=6, help_text='Latitude of its representative point (WGS 84).', max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)])),
                ('longitude', models.DecimalField(blank=True, decimal_places=6, help_text='Longitude of its representative point (WGS 84).', max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)])),
                ('point_kind', models.CharField(blank=True, choices=[('internal_point', 'Internal point of its area (Census)'), ('seat', 'Its seat of government'), ('place_point', 'Point of the populated place (GeoNames)')], help_text="What the latitude and longitude mark: an internal point, the seat, or the populated place's point.", max_length=20)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical jurisdiction',
                'verbose_name_plural': 'historical jurisdictions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Jurisdiction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. chicago-il, cook-county-il, california.', max_length=100, unique=True, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('name', models.CharField(db_index=True, help_text='Official name, e.g. City of Chicago.', max_length=200)),
                ('kind', models.CharField(choices=[('city', 'City'), ('county', 'County'), ('consolidated', 'Consolidated city-county'), ('state', 'State'), ('federal_district', 'Federal district'), ('territory', 'Territory')], db_index=True, help_text='Level of government.', max_length=20)),
                ('state', models.CharField(choices=[('AL', 'Alabama'), ('AK', 'Alaska'), ('AZ', 'Arizona'), ('AR', 'Arkansas'), ('CA', 'California'), ('CO', 'Colorado'), ('CT', 'Connecticut'), ('DE', 'Delaware'), ('DC', 'District of Columbia'), ('FL', 'Florida'), ('GA', 'Georgia'), ('HI', 'Hawaii'), ('ID', 'Idaho'), ('IL', 'Illinois'), ('IN', 'Indiana'), ('IA', 'Iowa'), ('KS', 'Kansas'), ('KY', 'Kentucky'), ('LA', 'Louisiana'), ('ME', 'Maine'), ('MD', 'Maryland'), ('MA', 'Massachusetts'), ('MI', 'Michigan'), ('MN', 'Minnesota'), ('MS', 'Mississippi'), ('MO', 'Missouri'), ('MT', 'Montana'), ('NE', 'Nebraska'), ('NV', 'Nevada'), ('NH', 'New Hampshire'), ('NJ', 'New Jersey'), ('NM', 'New Mexico'), ('NY', 'New York'), ('NC', 'North Carolina'), ('ND', 'North Dakota'), ('OH', 'Ohio'), ('OK', 'Oklahoma'), ('OR', 'Oregon'), ('PA', 'Pennsylvania'), ('RI', 'Rhode Island'), ('SC', 'South Carolina'), ('SD', 'South Dakota'), ('TN', 'Tennessee'), ('TX', 'Texas'), ('UT', 'Utah'), ('VT', 'Vermont'), ('VA', 'Virginia'), ('WA', 'Washington'), ('WV', 'West Virginia'), ('WI', 'Wisconsin'), ('WY', 'Wyoming'), ('AS', 'American Samoa'), ('GU', 'Guam'), ('MP', 'Northern Mariana Islands'), ('PR', 'Puerto Rico'), ('VI', 'U.S. Virgin Islands')], db_index=True, help_text='USPS code of the state it lies in.', max_length=2)),
                ('fips', models.CharField(blank=True, help_text='Census FIPS code: 2 digits for a state, 5 for a county, 7 for a place.', max_length=7)),
                ('population', models.PositiveBigIntegerField(blank=True, db_index=True, help_text='Resident population, from a cited count.', null=True)),
                ('population_year', models.PositiveSmallIntegerField(blank=True, help_text='Year of the population count (the first census was in 1790).', null=True, validators=[django.core.validators.MinValueValidator(1790), django.core.validators.MaxValueValidator(2100)])),
                ('latitude', models.DecimalField(blank=True, decimal_places=6, help_text='Latitude of its representative point (WGS 84).', max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)])),
                ('longitude', models.DecimalField(blank=True, decimal_places=6, help_text='Longitude of its representative point (WGS 84).', max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)])),
                ('point_kind', models.CharField(blank=True, choices=[('internal_point', 'Internal point of its area (Census)'), ('seat', 'Its seat of government'), ('place_point', 'Point of the populated place (GeoNames)')], help_text="What the latitude and longitude mark: an internal point, the seat, or the populated place's point.", max_length=20)),
                ('parent', models.ForeignKey(blank=True, help_text="The jurisdiction it lies in (a county's state).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['name', 'slug'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalPolicy',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier.', max_length=150, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('title', models.CharField(help_text='Name of the ordinance, law or order.', max_length=300)),
                ('kind', models.CharField(choices=[('detainer_limits', 'Limits on honouring ICE detainers'), ('information_sharing_limits', 'Limits on sharing information'), ('access_limits', 'Limits on ICE access to jails'), ('ended_287g', 'Ended a 287(g) agreement'), ('state_law', 'State law'), ('executive_order', 'Executive order'), ('other', 'Other')], db_index=True, help_text='What the policy does.', max_length=40)),
                ('citation', models.CharField(blank=True, help_text='Ordinance, bill or order number, e.g. SB 54.', max_length=200)),
                ('enacted_on', models.DateField(blank=True, db_index=True, help_text='Date it took effect.', null=True, validators=[tracker.models.plausible_date])),
                ('ended_on', models.DateField(blank=True, db_index=True, help_text='Date it was repealed or struck down; empty if in force.', null=True, validators=[tracker.models.plausible_date])),
                ('summary', models.TextField(blank=True, help_text='What the policy provides, in plain words.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, help_text='The jurisdiction that adopted the policy.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
            ],
            options={
                'verbose_name': 'historical policy',
                'verbose_name_plural': 'historical policies',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOfficial',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. rahm-emanuel-chicago-il-mayor.', max_length=150, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('name', models.CharField(db_index=True, help_text='Full name.', max_length=200)),
                ('role', models.CharField(choices=[('mayor', 'Mayor'), ('county_executive', 'County executive'), ('board_chair', 'Chair or president of the governing board'), ('county_manager', 'County manager'), ('governor', 'Governor'), ('sheriff', 'Sheriff'), ('attorney_general', 'Attorney general'), ('city_attorney', 'City or county attorney'), ('police_chief', 'Police chief or superintendent'), ('other', 'Other')], db_index=True, help_text='Office held.', max_length=30)),
                ('title', models.CharField(blank=True, help_text="The office's exact title where the role is too coarse.", max_length=200)),
                ('party', models.CharField(blank=True, help_text='Political party, if partisan office.', max_length=50)),
                ('term_start', models.DateField(blank=True, db_index=True, help_text='First day in office.', null=True, validators=[tracker.models.plausible_date])),
                ('term_end', models.DateField(blank=True, db_index=True, help_text='Last day in office; empty while serving or unknown.', null=True, validators=[tracker.models.plausible_date])),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, help_text='The jurisdiction the official serves.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
            ],
            options={
                'verbose_name': 'historical official',
                'verbose_name_plural': 'historical officials',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalJurisdiction_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='cities.historicaljurisdiction')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
                ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction')),
            ],
            options={
                'verbose_name': 'HistoricalJurisdiction_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='historicaljurisdiction',
            name='parent',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="The jurisdiction it lies in (a county's state).", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.jurisdiction'),
        ),
        migrations.CreateModel(
            name='Official',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier, e.g. rahm-emanuel-chicago-il-mayor.', max_length=150, unique=True, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('name', models.CharField(db_index=True, help_text='Full name.', max_length=200)),
                ('role', models.CharField(choices=[('mayor', 'Mayor'), ('county_executive', 'County executive'), ('board_chair', 'Chair or president of the governing board'), ('county_manager', 'County manager'), ('governor', 'Governor'), ('sheriff', 'Sheriff'), ('attorney_general', 'Attorney general'), ('city_attorney', 'City or county attorney'), ('police_chief', 'Police chief or superintendent'), ('other', 'Other')], db_index=True, help_text='Office held.', max_length=30)),
                ('title', models.CharField(blank=True, help_text="The office's exact title where the role is too coarse.", max_length=200)),
                ('party', models.CharField(blank=True, help_text='Political party, if partisan office.', max_length=50)),
                ('term_start', models.DateField(blank=True, db_index=True, help_text='First day in office.', null=True, validators=[tracker.models.plausible_date])),
                ('term_end', models.DateField(blank=True, db_index=True, help_text='Last day in office; empty while serving or unknown.', null=True, validators=[tracker.models.plausible_date])),
                ('jurisdiction', models.ForeignKey(help_text='The jurisdiction the official serves.', on_delete=django.db.models.deletion.PROTECT, related_name='officials', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'ordering': ['jurisdiction__name', '-term_start', 'name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalOfficial_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='cities.historicalofficial')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
                ('official', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.official')),
            ],
            options={
                'verbose_name': 'HistoricalOfficial_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Policy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed (for incremental sync).')),
                ('notes', models.TextField(blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved.")),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('checked', 'Checked'), ('published', 'Published')], db_index=True, default='draft', help_text='draft → checked (by an editor other than the last one to edit it) → published.', max_length=10)),
                ('checked_at', models.DateTimeField(blank=True, help_text='When a second editor last checked it against its sources.', null=True)),
                ('slug', models.SlugField(help_text='Stable identifier.', max_length=150, unique=True, validators=[django.core.validators.RegexValidator('^[-a-z0-9_]+\\Z', 'Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).', code='invalid_slug')])),
                ('title', models.CharField(help_text='Name of the ordinance, law or order.', max_length=300)),
                ('kind', models.CharField(choices=[('detainer_limits', 'Limits on honouring ICE detainers'), ('information_sharing_limits', 'Limits on sharing information'), ('access_limits', 'Limits on ICE access to jails'), ('ended_287g', 'Ended a 287(g) agreement'), ('state_law', 'State law'), ('executive_order', 'Executive order'), ('other', 'Other')], db_index=True, help_text='What the policy does.', max_length=40)),
                ('citation', models.CharField(blank=True, help_text='Ordinance, bill or order number, e.g. SB 54.', max_length=200)),
                ('enacted_on', models.DateField(blank=True, db_index=True, help_text='Date it took effect.', null=True, validators=[tracker.models.plausible_date])),
                ('ended_on', models.DateField(blank=True, db_index=True, help_text='Date it was repealed or struck down; empty if in force.', null=True, validators=[tracker.models.plausible_date])),
                ('summary', models.TextField(blank=True, help_text='What the policy provides, in plain words.')),
                ('jurisdiction', models.ForeignKey(help_text='The jurisdiction that adopted the policy.', on_delete=django.db.models.deletion.PROTECT, related_name='policies', to='cities.jurisdiction')),
                ('sources', models.ManyToManyField(blank=True, help_text='The published sources that establish this record.', related_name='+', to='tracker.source')),
            ],
            options={
                'verbose_name_plural': 'policies',
                'ordering': ['jurisdiction__name', '-enacted_on', 'slug'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalPolicy_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='cities.historicalpolicy')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tracker.source')),
                ('policy', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.policy')),
            ],
            options={
                'verbose_name': 'HistoricalPolicy_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name='jurisdiction',
            index=models.Index(fields=['name', 'id'], name='jurisdicti_name_keyset'),
        ),
        migrations.AddConstraint(
            model_name='jurisdiction',
            constraint=models.UniqueConstraint(condition=models.Q(('fips', ''), _negated=True), fields=('fips',), name='jurisdiction_fips_unique_when_known'),
        ),
        migrations.AddConstraint(
            model_name='jurisdiction',
            constraint=models.CheckConstraint(condition=models.Q(('latitude__isnull', True), models.Q(('latitude__gte', -90), ('latitude__lte', 90)), _connector='OR'), name='jurisdiction_latitude_range'),
        ),
        migrations.AddConstraint(
            model_name='jurisdiction',
            constraint=models.CheckConstraint(condition=models.Q(('longitude__isnull', True), models.Q(('longitude__gte', -180), ('longitude__lte', 180)), _connector='OR'), name='jurisdiction_longitude_range'),
        ),
        migrations.AddConstraint(
            model_name='jurisdiction',
            constraint=models.CheckConstraint(condition=models.Q(('population__isnull', True), ('population_year__isnull', False), _connector='OR'), name='jurisdiction_population_has_year', violation_error_message='A population needs the year of its count.'),
        ),
        migrations.AddConstraint(
            model_name='jurisdiction',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('pk')), _negated=True), name='jurisdiction_not_own_parent'),
        ),
        migrations.AddIndex(
            model_name='official',
            index=models.Index(fields=['name', 'id'], name='official_name_keyset'),
        ),
        migrations.AddConstraint(
            model_name='official',
            constraint=models.CheckConstraint(condition=models.Q(('term_end__isnull', True), ('term_start__isnull', True), ('term_end__gte', models.F('term_start')), _connector='OR'), name='official_term_ends_after_start', violation_error_message='A term cannot end before it starts.'),
        ),
        migrations.AddIndex(
            model_name='policy',
            index=models.Index(fields=['title', 'id'], name='policy_title_keyset'),
        ),
        migrations.AddConstraint(
            model_name='policy',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('enacted_on__isnull', True), ('ended_on__gte', models.F('enacted_on')), _connector='OR'), name='policy_ends_after_enacted', violation_error_message='A policy cannot end before it was enacted.'),
        ),
    ]

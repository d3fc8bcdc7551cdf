"""PostgreSQL's planner told that a random read costs about a sequential one (``random_page_cost`` 1.1).

The default, 4, describes spinning disks. With it, the planner read a page of
letters' 2,550 recipients by walking all 100,000 jurisdictions in key order
and merging (36 ms at 1m rows) rather than looking each one up (13 ms). The
setting is the database's own (``ALTER DATABASE``), so every connection gets
it, PgBouncer's and a replica's included. A role that does not own the
database leaves it as it was, with a notice: the server's configuration then
decides.
"""

from django.db import migrations

DATABASE_SETTING = """
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET random_page_cost = {value}', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'random_page_cost left as configured: this role does not own the database';
END $$
"""


def setting(value: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(DATABASE_SETTING.replace("{value}", value), params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_plausible_values")]

    operations = [migrations.RunPython(setting("1.1"), setting("DEFAULT"))]

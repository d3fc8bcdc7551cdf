"""Two measures of how current the record is.

``write_count(alias)``: the count of writes to the record, which the database itself moves in every
writing transaction. Each table of the record (history and many-to-many tables included) has a trigger
that counts its writes in ``tracker_dataversion``, one row per table, in the writer's own transaction;
the count is their sum. So the API, the admin, imports, ``loaddata``, COPY and raw SQL all move it, and
a reader never sees a count whose data it cannot see. Answers are cached and tagged by it
(tracker/api/responsecache.py).
The triggers are installed after every ``migrate`` (and ``flush``), as Django makes permissions, so a
new table, or one SQLite rebuilt to alter it (which drops its triggers), is counted again.

``last_change_stamp()``: the time of the last change, ``YYYYMMDDTHHMMSSZ``, from the audit history; it is
the data version that names a release of the dataset.
"""

import datetime

from django.apps import apps
from django.db import connections
from django.db.models import Max, Value
from simple_history.models import registered_models

from tracker.models import record_apps

VERSION_FORMAT = "%Y%m%dT%H%M%SZ"
TABLE = "tracker_dataversion"

POSTGRESQL_SETUP = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (table_name text PRIMARY KEY, version bigint NOT NULL);
CREATE OR REPLACE FUNCTION tracker_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} AS counted VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (table_name) DO UPDATE SET version = counted.version + 1;
    RETURN NULL;
END $$;
"""
POSTGRESQL_TRIGGER = """
CREATE OR REPLACE TRIGGER tracker_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_data_changed();
"""
SQLITE_SETUP = f"CREATE TABLE IF NOT EXISTS {TABLE} (table_name text PRIMARY KEY, version integer NOT NULL)"
SQLITE_TRIGGER = f"""
CREATE TRIGGER IF NOT EXISTS {{name}} AFTER {{event}} ON {{table}} BEGIN
    INSERT INTO {TABLE} VALUES ({{literal}}, 1) ON CONFLICT (table_name) DO UPDATE SET version = version + 1;
END
"""


def record_tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for label in record_apps()
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        }
    )


def install_triggers(sender=None, using: str = "default", **kwargs) -> None:
    """Count the writes of every table of the record (post_migrate: idempotent)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_SETUP)
            for table in filter(existing.__contains__, record_tables()):
                cursor.execute(POSTGRESQL_TRIGGER.format(table=quote(table)))
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_SETUP)
            for table in filter(existing.__contains__, record_tables()):
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = quote(f"tracker_data_changed_{table}_{event.lower()}")
                    literal = "'" + table.replace("'", "''") + "'"
                    cursor.execute(SQLITE_TRIGGER.format(name=name, event=event, table=quote(table), literal=literal))


def write_count(using: str = "default") -> int:
    """The count of writes to the record so far, as the database at ``using`` has them (one query)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(version), 0) FROM {TABLE}")
        return int(cursor.fetchone()[0])


def last_change_stamp() -> str | None:
    """The latest history time over every tracked model, to the second; None while nothing was ever recorded."""
    latest = latest_change()
    return latest.strftime(VERSION_FORMAT) if latest else None


def latest_change() -> datetime.datetime | None:
    """The time of the last change to the record, to the microsecond (one query)."""
    # Grouped by a constant, which Django leaves out of GROUP BY: one row per table, its latest time.
    latest = [
        model.history.order_by().annotate(whole=Value(1)).values("whole").values(latest=Max("history_date"))
        for model in registered_models.values()
        # The through models of tracked many-to-many fields are registered too; their changes are in their owner's.
        if hasattr(model, "history")
    ]
    times = [row["latest"] for row in latest[0].union(*latest[1:], all=True) if row["latest"] is not None]
    return max(times) if times else None

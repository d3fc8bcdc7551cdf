"""The SQL functions that write CSV cells (0007), as ``tracker.reading.sql.csv_cells_sql`` now generates them from
the formula prefixes (tracker/reading/spreadsheet.py), DRF's time format (tracker/reading/times.py) and what
Python's csv module quotes: the same cells. The text is kept here as generated today;
tests/test_generated_sql.py compares it with what the code generates."""

from django.db import migrations

CSV_CELLS = r"""CREATE OR REPLACE FUNCTION tracker_csv_text(value text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT CASE
    WHEN value IS NULL THEN ''
    WHEN strpos(value, ',') > 0 OR strpos(value, '"') > 0 OR strpos(value, chr(13)) > 0 OR strpos(value, chr(10)) > 0
        THEN '"' || replace(CASE WHEN left(value, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || value ELSE value END, '"', '""') || '"'
    ELSE CASE WHEN left(value, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || value ELSE value END
END
$$;
CREATE OR REPLACE FUNCTION tracker_csv_number(value text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT coalesce(value, '')
$$;
CREATE OR REPLACE FUNCTION tracker_csv_boolean(value boolean) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT CASE WHEN value THEN 'True' WHEN NOT value THEN 'False' ELSE '' END
$$;
CREATE OR REPLACE FUNCTION tracker_csv_date(value date) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT coalesce(to_char(value, 'YYYY-MM-DD'), '')
$$;
CREATE OR REPLACE FUNCTION tracker_csv_time(value timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT coalesce(replace(to_char(value AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z'), '')
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CSV_CELLS, params=None)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0013_idempotency_keys")]

    # The functions before were the same functions: going back keeps these.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

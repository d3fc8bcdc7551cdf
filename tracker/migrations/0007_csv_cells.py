"""The SQL functions that write an export's CSV cells in PostgreSQL (tracker/reading/csvsql.py).

Each is one SQL expression, declared STABLE, so the planner inlines it into
the export's query: no function call per cell. Each writes what
``tracker.api.renderers.cell`` writes for DRF's value of the column:

- text: NULL as nothing; a leading ``=``, ``+``, ``-``, ``@``, tab or carriage
  return behind a ``'`` (tracker/reading/spreadsheet.py); in double quotes, doubled
  inside, when it holds a comma, a double quote or a line break (Python's csv,
  QUOTE_MINIMAL);
- numbers as the column holds them (a numeric column has the field's places);
- booleans as Python writes them (``True``, ``False``);
- dates as ``YYYY-MM-DD``; times in UTC as DRF writes them
  (``2018-01-24T15:30:00Z``, with ``.ffffff`` unless the microseconds are 0).
"""

from django.db import migrations

NEUTRALIZED = "CASE WHEN left(value, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || value ELSE value END"

FUNCTIONS = {
    "tracker_csv_text(value text)": f"""
        SELECT CASE
            WHEN value IS NULL THEN ''
            WHEN strpos(value, ',') > 0 OR strpos(value, '"') > 0 OR strpos(value, chr(10)) > 0
                OR strpos(value, chr(13)) > 0
                THEN '"' || replace({NEUTRALIZED}, '"', '""') || '"'
            ELSE {NEUTRALIZED}
        END""",
    "tracker_csv_number(value text)": "SELECT coalesce(value, '')",
    "tracker_csv_boolean(value boolean)": "SELECT CASE WHEN value THEN 'True' WHEN NOT value THEN 'False' ELSE '' END",
    "tracker_csv_date(value date)": "SELECT coalesce(to_char(value, 'YYYY-MM-DD'), '')",
    # The fraction is dropped where it is zero, as Python's isoformat drops it.
    "tracker_csv_time(value timestamptz)": """
        SELECT coalesce(replace(to_char(value AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z'), '')""",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for signature, body in FUNCTIONS.items():
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {signature} RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$ {body} $$",
                params=None,
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for signature in FUNCTIONS:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {signature}", params=None)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0006_planner_costs")]

    operations = [migrations.RunPython(create, drop)]

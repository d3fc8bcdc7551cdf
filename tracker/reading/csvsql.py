"""CSV lines written by PostgreSQL, for exports of records whose every field is a column.

``CSVRenderer`` writes a record's cells in Python from what the serializer
made of it: some 30 µs a row. Where every field the export shows is a column,
a link's or the sources' (``ReadPlan.read_paths``, tracker/reading/plan.py), PostgreSQL can
write each line itself in the export's query, and the worker only joins the
lines it reads: the same bytes, written as ``flat_columns`` and ``cell`` would
write them (tests/test_csv_sql.py compares them for every resource and shape).

Each cell is made by one of the SQL functions of migration
``tracker/0007_csv_cells``: text formula-neutralized (tracker/reading/spreadsheet.py)
and quoted where Python's csv module quotes (a comma, a double quote, a line
break), dates in ISO 8601, times in UTC as DRF writes them.
"""

from django.conf import settings
from django.db import connections
from django.db.models import F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast, Collate
from rest_framework import serializers
from rest_framework.settings import api_settings

from tracker.reading.fields import CitedSourcesField, LinkField, SelfLinkField, api_url

TEXT = TextField()


def call(function: str, expression) -> Func:
    return Func(expression, function=function, output_field=TEXT)


def text_cell(expression) -> Func:
    return call("tracker_csv_text", Cast(expression, TEXT))


def scalar_cell(field, expression) -> Func | None:
    """A scalar field's cell, as ``cell`` writes DRF's value of it; None for a kind written in Python only."""
    kind = type(field)
    if kind in (serializers.CharField, serializers.SlugField, serializers.URLField, serializers.ChoiceField):
        return text_cell(expression)
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)  # a string is text
    if kind is serializers.IntegerField or (kind is serializers.DecimalField and not coerce):
        return call("tracker_csv_number", Cast(expression, TEXT))  # a numeric column has the field's places
    if kind is serializers.BooleanField:
        return call("tracker_csv_boolean", expression)
    if kind is serializers.DateField:
        return call("tracker_csv_date", expression)
    if kind is serializers.DateTimeField and settings.TIME_ZONE == "UTC":
        return call("tracker_csv_time", expression)
    return None


def sources_cell(model) -> Func:
    """The URLs of a record's sources, in the order Python sorts them (by code point: collation "C")."""
    from django.contrib.postgres.aggregates import StringAgg

    field = model._meta.get_field("sources")
    through, owner = field.remote_field.through, field.m2m_field_name()
    links = StringAgg(Collate(F("source__url"), "C"), " ", order_by=Collate(F("source__url"), "C"))
    rows = through.objects.filter(**{owner: OuterRef("id")}).values(owner).annotate(links=links).values("links")
    return text_cell(Subquery(rows, output_field=TEXT))


def field_cells(serializer, field, model) -> list[Func] | None:
    """The cells of one field, as ``flat_columns`` lists them; None for a field PostgreSQL cannot write."""
    if isinstance(field, SelfLinkField):
        head, tail = api_url(serializer.context, field.view_name, "\0").split("\0")
        return [text_cell(Func(Value(head), Cast(F(field.lookup_field), TEXT), Value(tail), function="CONCAT"))]
    if isinstance(field, LinkField):
        return [text_cell(F(f"{field.source}__{attr}")) for attr in field.shown_attrs()]
    if isinstance(field, CitedSourcesField):
        return [sources_cell(model)]
    made = scalar_cell(field, F(field.source)) if len(field.source_attrs) == 1 else None
    return None if made is None else [made]


def csv_cells(serializer, model) -> tuple[list[Func] | None, str]:
    """The cells of a record of ``model`` as ``serializer`` shows it; None and why when a field has none."""
    cells = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        made = field_cells(serializer, field, model)
        if made is None:
            return None, f"field `{name}` ({type(field).__name__}) is written in Python only"
        cells += made
    return cells, ""


def csv_line(serializer, queryset) -> Func | None:
    """The expression of each record's CSV line (without its line break), cell for cell as ``flat_columns``
    lists them; None when the database is not PostgreSQL or a field is not one PostgreSQL can write."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    cells, _ = csv_cells(serializer, queryset.model)
    if cells is None:
        return None
    line = Func(*cells, template="concat_ws(',', %(expressions)s)", output_field=TEXT)
    # Python's csv writes a row of one empty cell as "" (a blank line would read as no row at all).
    return (
        Func(line, template="""coalesce(nullif(%(expressions)s, ''), '""')""", output_field=TEXT)
        if len(cells) == 1
        else line
    )

"""The SQL that PostgreSQL runs to show records and write CSV cells, generated from the declarations the Python
reads: a serializer's fields, DRF's time format (tracker/reading/times.py), the brief source
(``tracker.models.BRIEF_SOURCE``) and the formula prefixes (tracker/reading/spreadsheet.py).

A migration installs the generated text as a literal (a migration must not change when the code does later);
tests/test_generated_sql.py checks that today's declarations generate what the newest such migration holds, so
a changed declaration fails the suite until a new migration installs its SQL.
"""

import csv
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers

from tracker.models import BRIEF_SOURCE, LISTED_BY, Source
from tracker.reading.fields import CitedSourcesField, LinkField, brief_sources
from tracker.reading.spreadsheet import FORMULA_PREFIXES, INERT
from tracker.reading.times import TO_CHAR_PATTERN, UTC_MARK, ZERO_FRACTION

# DRF fields whose value PostgreSQL's JSON writes as DRF does (text, a number, a boolean, a date in ISO 8601).
AS_THEY_ARE = (
    serializers.CharField,
    serializers.SlugField,
    serializers.URLField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.DateField,
)
# What Python's csv module quotes (QUOTE_MINIMAL, the excel dialect CSVRenderer writes).
QUOTED = (csv.excel.delimiter, csv.excel.quotechar, *csv.excel.lineterminator)


def literal(text: str) -> str:
    """``text`` as a SQL string."""
    return "'" + text.replace("'", "''") + "'"


def character(char: str) -> str:
    """One character as SQL writes it: a control character as ``chr(n)``."""
    return literal(char) if char.isprintable() else f"chr({ord(char)})"


def utc_time(value: str) -> str:
    """The ``timestamptz`` expression ``value`` as DRF writes a time in UTC (NULL stays NULL)."""
    return (
        f"replace(to_char({value} AT TIME ZONE 'UTC', {literal(TO_CHAR_PATTERN)}), "
        f"{literal(ZERO_FRACTION + UTC_MARK)}, {literal(UTC_MARK)})"
    )


def json_value(field: serializers.Field, column: str) -> str:
    """The JSON of a plain field's ``column``, as DRF shows the field."""
    if type(field) is serializers.DateTimeField:
        return utc_time(column)
    if type(field) in AS_THEY_ARE:
        return column
    raise ValueError(f"No SQL shows {field.field_name!r} ({type(field).__name__}) as DRF does.")


def json_object(pairs: dict[str, str], indent: str = "") -> str:
    """A JSON object of these keys and values, in this order; a pair a line at ``indent`` if given."""
    shown = [f"{literal(key)}, {value}" for key, value in pairs.items()]
    if indent:
        return f"json_build_object(\n{indent}" + f",\n{indent}".join(shown) + ")"
    return f"json_build_object({', '.join(shown)})"


def own_column(model, field: serializers.Field) -> str:
    """The model's column a plain field shows."""
    try:
        return model._meta.get_field(field.source).column
    except FieldDoesNotExist:
        raise ValueError(f"{field.field_name!r} shows no column of {model.__name__}.") from None


def key_column(model, lookup: str) -> str:
    return model._meta.pk.column if lookup == "pk" else model._meta.get_field(lookup).column


def link_columns(link: LinkField) -> list[str]:
    """The columns of the related record a link shows: its key, its name, its state."""
    attrs = [link.lookup_field, link.name_attr, *(["state"] if link.with_state else [])]
    return [key_column(link.model, attr) for attr in attrs]


def link_json(link: LinkField, alias: str) -> str:
    """A link as ``LinkField`` shows it, its ``url`` kept as its key and ``/`` (the host and path in front are
    the request's: ``TrackerSerializer.stored_shower`` puts them there)."""
    key, name, *state = (f"{alias}.{column}" for column in link_columns(link))
    shown = {link.key_name: key, "name": name}
    if state:
        shown["state"] = state[0]
    shown["url"] = f"{key} || '/'"
    return json_object(shown)


def brief_columns() -> dict[str, tuple[str, str]]:
    """Each brief source's key → its table and column: ``cited`` the through table's row, ``source`` the source."""
    columns = {}
    for key, path in BRIEF_SOURCE.items():
        table, _, name = path.rpartition("__")
        columns[key] = ("source", Source._meta.get_field(name).column) if table else ("cited", name)
    return columns


def cited_json(model, row: str) -> str:
    """The sources the record in ``row`` cites, as the API lists them: brief sources in URL order."""
    through, owner, cited = cited_through(model)
    columns = {key: f"{table}.{column}" for key, (table, column) in brief_columns().items()}
    shown = brief_sources().fields
    brief = json_object({key: json_value(shown[key], column) for key, column in columns.items()})
    return (
        f"COALESCE(\n{' ' * 12}(SELECT json_agg({brief}\n{' ' * 29}"
        f'ORDER BY {columns[LISTED_BY]} COLLATE "C")'
        f"\n{' ' * 13}FROM {through} cited JOIN {Source._meta.db_table} source ON source.id = cited.{cited}"
        f"\n{' ' * 13}WHERE cited.{owner} = {row}.id),\n{' ' * 12}'[]'::json)"
    )


def cited_through(model) -> tuple[str, str, str]:
    """The table of the model's citations, its column naming the record and the one naming the source."""
    sources = model._meta.get_field("sources")
    through = sources.remote_field.through._meta
    owner, cited = (
        through.get_field(name).column for name in (sources.m2m_field_name(), sources.m2m_reverse_field_name())
    )
    return through.db_table, owner, cited


def differ(columns: list[str]) -> str:
    """Whether an updated row's ``columns`` changed (a statement trigger's ``old_rows`` and ``new_rows``)."""
    new, old = (", ".join(f"{rows}.{column}" for column in columns) for rows in ("new_rows", "old_rows"))
    return f"({new})\n              IS DISTINCT FROM ({old})"


def plpgsql(name: str, body: str) -> str:
    return f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nEND $$;\n"


@dataclass(frozen=True)
class StoredJSON:
    """A record kept by PostgreSQL as ``serializer`` shows it, in its model's ``stored_shown`` column, by the
    trigger functions named here: ``written`` builds a row's JSON before it is written; ``reshown(ids)`` has
    rows written again; ``sources_edited`` and ``links_edited`` (by link field) find those whose cited source or
    linked record changed what they show, ``sources_added`` and ``links_added`` those naming a source or a record
    written after them (loaddata writes in any order). The triggers on the other tables (the sources', the
    linked records') are generated here with their functions, each named as its function; the triggers on the
    model's own tables are its migration's."""

    serializer: type[serializers.ModelSerializer]
    written: str
    reshown: str
    sources_edited: str
    sources_added: str
    links_edited: dict[str, str] = field(default_factory=dict)
    links_added: dict[str, str] = field(default_factory=dict)

    def fields(self) -> list[serializers.Field]:
        return [shown for shown in self.serializer().fields.values() if not shown.write_only]

    def row_json(self) -> tuple[str, list[str]]:
        """The JSON of the row ``NEW`` and the joins to the records its links show."""
        model, pairs, joins = self.serializer.Meta.model, {}, []
        for shown in self.fields():
            if isinstance(shown, LinkField):
                pairs[shown.field_name] = link_json(shown, shown.source)
                column = model._meta.get_field(shown.source).column
                joins.append(
                    f"LEFT JOIN {shown.model._meta.db_table} {shown.source} "
                    f"ON {shown.source}.{shown.model._meta.pk.column} = NEW.{column}"
                )
            elif isinstance(shown, CitedSourcesField):
                pairs[shown.field_name] = cited_json(model, "NEW")
            else:
                pairs[shown.field_name] = json_value(shown, f"NEW.{own_column(model, shown)}")
        return json_object(pairs, " " * 8), joins

    def written_sql(self) -> str:
        shown, joins = self.row_json()
        # A linked record a transaction has yet to write (foreign keys are checked at its end): a LEFT JOIN.
        return plpgsql(
            self.written,
            f"    SELECT {shown}::text\n    INTO NEW.{self.serializer.Meta.model.stored_shown}\n"
            f"    FROM (VALUES (1)) AS one {' '.join(joins)};\n    RETURN NEW;",
        )

    def reshow_sql(self, name: str, select: str) -> str:
        """The function ``name``: has the rows whose ids ``select`` finds written again."""
        return plpgsql(name, f"    PERFORM {self.reshown}(ARRAY(\n        {select}));\n    RETURN NULL;")

    def sources_edited_sql(self) -> str:
        through, owner, cited = cited_through(self.serializer.Meta.model)
        shown = [column for table, column in brief_columns().values() if table == "source"]
        return self.reshow_sql(
            self.sources_edited,
            f"SELECT DISTINCT cited.{owner} FROM {through} cited\n"
            f"        JOIN new_rows ON new_rows.id = cited.{cited} JOIN old_rows ON old_rows.id = new_rows.id\n"
            f"        WHERE {differ(shown)}",
        )

    def showing(self, link: LinkField) -> tuple[str, str]:
        """The query of this model's rows, as ``shown``, and their column keying ``link``'s record."""
        model = self.serializer.Meta.model
        return f"SELECT shown.id FROM {model._meta.db_table} shown", model._meta.get_field(link.source).column

    def link_edited_sql(self, link: LinkField) -> str:
        rows, column = self.showing(link)
        return self.reshow_sql(
            self.links_edited[link.field_name],
            f"{rows}\n"
            f"        JOIN new_rows ON new_rows.id = shown.{column} JOIN old_rows ON old_rows.id = new_rows.id\n"
            f"        WHERE {differ(link_columns(link))}",
        )

    def sources_added_sql(self) -> str:
        through, owner, cited = cited_through(self.serializer.Meta.model)
        return self.reshow_sql(
            self.sources_added,
            f"SELECT DISTINCT cited.{owner} FROM {through} cited\n        JOIN added ON added.id = cited.{cited}",
        )

    def link_added_sql(self, link: LinkField) -> str:
        rows, column = self.showing(link)
        return self.reshow_sql(
            self.links_added[link.field_name],
            f"{rows} JOIN added ON added.{link.model._meta.pk.column} = shown.{column}",
        )

    def other_tables(self) -> list[tuple[str, str, str]]:
        """``(function, event, table)`` of each trigger on another table: the sources' and each linked record's,
        updated (``old_rows`` and ``new_rows``) or inserted (``added``)."""
        links = [shown for shown in self.fields() if isinstance(shown, LinkField)]
        sources = Source._meta.db_table
        return [
            (self.sources_edited, "UPDATE", sources),
            (self.sources_added, "INSERT", sources),
            *((self.links_edited[link.field_name], "UPDATE", link.model._meta.db_table) for link in links),
            *((self.links_added[link.field_name], "INSERT", link.model._meta.db_table) for link in links),
        ]

    def triggers_sql(self) -> str:
        rows = {"UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows", "INSERT": "NEW TABLE AS added"}
        return "".join(
            f"DROP TRIGGER IF EXISTS {name} ON {table};\nCREATE TRIGGER {name} AFTER {event} ON {table}\n"
            f"    REFERENCING {rows[event]} FOR EACH STATEMENT EXECUTE FUNCTION {name}();\n"
            for name, event, table in self.other_tables()
        )

    def sql(self) -> str:
        """The functions, each ``CREATE OR REPLACE``d, and the triggers on the other tables: the text a
        migration installs."""
        links = [shown for shown in self.fields() if isinstance(shown, LinkField)]
        return "\n".join(
            [
                self.written_sql(),
                self.sources_edited_sql(),
                self.sources_added_sql(),
                *(self.link_edited_sql(link) for link in links),
                *(self.link_added_sql(link) for link in links),
                self.triggers_sql(),
            ]
        )


def neutralized(value: str) -> str:
    """The text ``value`` behind the inert prefix where a spreadsheet would run it as a formula (``neutralize``)."""
    prefixes = ", ".join(character(prefix) for prefix in FORMULA_PREFIXES)
    return f"CASE WHEN left({value}, 1) IN ({prefixes}) THEN {literal(INERT)} || {value} ELSE {value} END"


def csv_text(value: str) -> str:
    """The text ``value`` as a CSV cell: neutralized, and quoted where Python's csv module quotes."""
    quote = literal(csv.excel.quotechar)
    special = " OR ".join(f"strpos({value}, {character(char)}) > 0" for char in QUOTED)
    inert = neutralized(value)
    return (
        f"CASE\n    WHEN {value} IS NULL THEN ''\n    WHEN {special}\n"
        f"        THEN {quote} || replace({inert}, {quote}, {literal(csv.excel.quotechar * 2)}) || {quote}\n"
        f"    ELSE {inert}\nEND"
    )


def csv_cell_functions() -> dict[str, str]:
    """The SQL functions of CSV cells (tracker/reading/csvsql.py), ``{signature: body}``: each writes what
    ``tracker.api.renderers.cell`` writes for DRF's value of a column."""
    return {
        "tracker_csv_text(value text)": f"SELECT {csv_text('value')}",
        "tracker_csv_number(value text)": "SELECT coalesce(value, '')",
        "tracker_csv_boolean(value boolean)": (
            f"SELECT CASE WHEN value THEN {literal(str(True))} WHEN NOT value THEN {literal(str(False))} ELSE '' END"
        ),
        "tracker_csv_date(value date)": "SELECT coalesce(to_char(value, 'YYYY-MM-DD'), '')",
        "tracker_csv_time(value timestamptz)": f"SELECT coalesce({utc_time('value')}, '')",
    }


def csv_cells_sql() -> str:
    """The cell functions, each ``CREATE OR REPLACE``d: one SQL expression, STABLE, so the planner inlines it
    into an export's query (no function call per cell)."""
    return "".join(
        f"CREATE OR REPLACE FUNCTION {signature} RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$\n{body}\n$$;\n"
        for signature, body in csv_cell_functions().items()
    )

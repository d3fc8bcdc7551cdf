"""How a serializer's records are read: its read plan, made once and asked once per request.

A record is shown in one of three ways, the fastest that its fields allow:

- **rows**: when every field is a column, a link's (its key, name and state), the sources' annotation, a
  field that names the columns it reads (``record_columns``) or an expanded record made of those, the
  records are read as ``values_list`` rows (tracker/reading/rows.py) and each field's value is made
  straight from its cells: no model instance in between;
- **instances**: otherwise (a ``SerializerMethodField``, a many-relation, a path through a link, children),
  model instances go through DRF's fields, each plain column still read by a getter made once;
- children read as rows (a letter's recipients) are **stored JSON** where the database keeps each row as
  the API shows it (``stored_shown``: a column PostgreSQL's triggers keep, in UTC), joined and not decoded;
  else **built JSON**, from their rows.

An export's CSV lines are written by PostgreSQL (**SQL CSV**, tracker/reading/csvsql.py) when its records
are rows and every cell has an SQL form; else by ``CSVRenderer`` (**Python CSV**).

A ``ReadPlan`` belongs to one serializer: a resource's serializer class in one shape (fields=, omit=,
expand=, brief) for one format, which ``ReadViewSet.read_serializer`` keeps. Each choice comes with its
reason (``Decision``): ``manage.py explain_reads <resource>`` prints them.
"""

from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter, itemgetter
from types import SimpleNamespace
from typing import Any, NamedTuple

import orjson
from django.db import connections
from django.db.models import Manager
from django.db.models.expressions import RawSQL
from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import ManyRelatedField
from rest_framework.settings import api_settings

from tracker.models import CITED_SOURCES, cited_list, with_sources
from tracker.reading.csvsql import csv_cells, csv_line
from tracker.reading.fields import CitedSourcesField, LinkField, SelfLinkField, url_template
from tracker.reading.rows import RecordIterable, Row
from tracker.reading.times import ISO_UTC, as_drf_writes

# Where a record keeps its children read as rows, as the serializer that read them shows them:
# {serializer: {relation: [shown child, …]}} (ReadPlan.read_children).
CHILD_ROWS = "_child_rows"


class Decision(NamedTuple):
    """A choice of the plan and why it was made."""

    choice: str
    why: str

    def __str__(self) -> str:
        return f"{self.choice} — {self.why}"


class FieldStep(NamedTuple):
    """How one field's value is made from a model instance: ``convert(getter(instance))`` when the field is a
    direct conversion of one attribute (``getter`` set); else through the DRF field."""

    name: str
    getter: Any
    convert: Any
    field: serializers.Field


class ChildRelation(NamedTuple):
    """Children a record lists and that are read as rows: where they hang, their model, the column keying
    them to their record, and the paths of their rows."""

    relation: str
    model: type
    parent_key: str
    paths: list[str]


def unchanged(value):
    return value


def iso_datetime_in_zone():
    """DRF's ``DateTimeField`` output, in the current time zone (UTC written with ``Z``)."""
    zone = timezone.get_current_timezone()
    utc = zone.utcoffset(None) == timedelta(0)

    def iso_datetime(value) -> str:
        text = value.isoformat()
        if utc and text.endswith(ISO_UTC):  # in the zone already: as DRF writes UTC
            return as_drf_writes(text)
        return as_drf_writes(value.astimezone(zone).isoformat())

    return iso_datetime


def decimal_conversion(field):
    exponent = Decimal(1).scaleb(-field.decimal_places)
    if getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING):
        return lambda value: format(value.quantize(exponent), "f")
    return lambda value: value.quantize(exponent)


DIRECT = {
    serializers.CharField: str,
    serializers.SlugField: str,
    serializers.URLField: str,
    serializers.ChoiceField: unchanged,
    serializers.IntegerField: int,
    serializers.BooleanField: bool,
    serializers.DateField: date.isoformat,
}


def direct_conversion(field):
    """For a DRF field whose ``to_representation`` only converts its value, that conversion; else None.
    Each returns exactly what DRF's own field would."""
    kind = type(field)
    if kind in DIRECT:
        return DIRECT[kind]
    if kind is serializers.DateTimeField:
        return iso_datetime_in_zone()
    if kind is serializers.DecimalField and field.decimal_places is not None:
        return decimal_conversion(field)
    if isinstance(field, LinkField):
        return field.to_representation
    return None


def field_step(field) -> FieldStep:
    if isinstance(field, SelfLinkField):
        return FieldStep(field.field_name, unchanged, field.to_representation, field)
    convert = direct_conversion(field)
    direct = convert is not None and len(field.source_attrs) == 1
    return FieldStep(field.field_name, attrgetter(field.source) if direct else None, convert, field)


def expanded_sources(name: str) -> str:
    """Where a record's query leaves the sources of the record it expands as ``name`` (``expand=name``)."""
    return f"{name}_{CITED_SOURCES}"


def why_instances(name: str, field) -> str:
    """Why ``field`` needs the model instance."""
    if isinstance(field, serializers.SerializerMethodField):
        return f"field `{name}` is a SerializerMethodField"
    if isinstance(field, serializers.ListSerializer):
        return f"field `{name}` lists children"
    if isinstance(field, CitedSourcesField):
        return f"field `{name}`: the query does not read the sources"
    if isinstance(field, ManyRelatedField):
        return f"field `{name}` is a many-relation"
    if isinstance(field, LinkField):
        return f"link `{name}` reads `{field.source}`, not a column of the query"
    if len(field.source_attrs) > 1:
        return f"field `{name}` reads `{field.source}` through a relation"
    return f"field `{name}` ({type(field).__name__}) is not a column of the query"


def why_not_stored(model, db: str) -> str:
    """Why the database does not keep each of the model's records as the API shows it ("" when it does: the
    ``stored_shown`` column, on PostgreSQL, written as DRF writes times in UTC; the model's migration)."""
    if not hasattr(model, "stored_shown"):
        return f"{model.__name__} keeps no shown JSON"
    if connections[db].vendor != "postgresql":
        return "only PostgreSQL keeps the shown JSON"
    if timezone.get_current_timezone().utcoffset(None) != timedelta(0):
        return "the shown JSON has its times in UTC, the time zone is not"
    return ""


class RepresentedChildren(list):
    """Children shown already, each as its serializer shows it (``ReadPlan.row_representer``)."""


class ReadPlan:
    """How one serializer's records are read and shown (the module's docstring): made once per serializer."""

    def __init__(self, serializer):
        self.serializer = serializer
        # private: DRF's fields that are shown (not write-only): no public accessor; DRF's own
        # to_representation loops over the same.
        self.steps = [field_step(field) for field in serializer._readable_fields]
        self.representers = {}
        self.stored_reader = None

    def rows_or_instances(self, columns: set[str]) -> tuple[list[str] | None, Decision]:
        """The ``values()`` paths this answer reads when every field is one of ``columns`` (the model's and
        the query's), a link's, the sources' annotation, a field naming its ``record_columns`` or an expanded
        record of those: then ``row_representer`` shows a row of them. None when a field needs the instance."""
        paths = []
        for step in self.steps:
            found, why = self.field_paths(step, columns)
            if found is None:
                return None, Decision("instances", why)
            paths += found
        return paths, Decision("rows", "every field is a column, a link's, the sources' or an expanded record's")

    def read_paths(self, columns: set[str]) -> list[str] | None:
        return self.rows_or_instances(columns)[0]

    def field_paths(self, step: FieldStep, columns: set[str]) -> tuple[list[str] | None, str]:
        """The paths one field reads, or None and why it needs the instance."""
        field = step.field
        if isinstance(field, SelfLinkField):
            return [field.lookup_field], ""
        if isinstance(field, LinkField):
            if field.source not in columns:
                return None, why_instances(step.name, field)
            return [f"{field.source}__{attr}" for attr in field.shown_attrs()], ""
        if isinstance(field, CitedSourcesField) and CITED_SOURCES in columns:
            return [CITED_SOURCES], ""
        if hasattr(field, "record_columns") and set(field.record_columns) <= columns:
            return list(field.record_columns), ""  # a field of the whole record that reads only these columns
        if isinstance(field, PlannedSerializer) and field.source in columns:
            return expanded_paths(field, columns)
        if step.getter is not None and field.source in columns:
            return [field.source], ""
        return None, why_instances(step.name, field)

    def record_columns(self, queryset, keys: tuple[str, ...]) -> tuple[str, ...] | None:
        """The columns to read ``queryset`` as rows, when it can be (``read_paths``): those, the ``keys`` that
        are columns (what a page's keys and Last-Modified read), and its annotations. None otherwise."""
        selected = queryset.query.annotation_select  # not an alias(), which a query cannot select
        readable = {field.name for field in queryset.model._meta.concrete_fields} | set(selected)
        paths = self.read_paths(readable)
        if paths is None:
            return None
        extra = [name for name in keys if name in readable | {"pk"}]
        return tuple(dict.fromkeys([*paths, *extra, *selected]))

    def csv_line(self, queryset):
        """The expression of each record's CSV line when PostgreSQL writes them: ``queryset`` is read as rows
        (``record_columns``) and every cell has an SQL form (tracker/reading/csvsql.py); else None."""
        # private: the class of a queryset's results, which as_rows sets: no public accessor.
        return csv_line(self.serializer, queryset) if queryset._iterable_class is RecordIterable else None

    def sql_or_python_csv(self, model, columns: set[str], db: str) -> Decision:
        """Whether an export of these records has its CSV lines written by the database, and why."""
        paths, rows = self.rows_or_instances(columns)
        if paths is None:
            return Decision("Python CSV", f"the records are instances: {rows.why}")
        cells, why = csv_cells(self.serializer, model)
        if cells is None:
            return Decision("Python CSV", why)
        if connections[db].vendor != "postgresql":
            return Decision("Python CSV", f"only PostgreSQL writes CSV lines (this database: {connections[db].vendor})")
        return Decision("SQL CSV", "the records are rows and PostgreSQL writes every cell")

    def row_representer(self, paths: list[str]):
        """What ``to_representation`` shows of a record, made straight from its ``values_list`` row of
        ``paths`` (``read_paths``): a page's rows and thousands of children need no model instance, and each
        field is one step reading its cells. Made once per ``paths``."""
        key = tuple(paths)
        if key not in self.representers:
            self.representers[key] = self.representer_at({path: index for index, path in enumerate(paths)})
        return self.representers[key]

    def representer_at(self, at: dict):
        """``row_representer`` for a row whose columns are found ``at`` their paths' indexes."""
        cells = [(step.name, self.cell_representer(step, at)) for step in self.steps]
        return lambda row: {name: represent(row) for name, represent in cells}

    def cell_representer(self, step: FieldStep, at: dict):
        """``row_representer``'s step for one field: its shown value from the row."""
        field, context = step.field, self.serializer.context
        if isinstance(field, SelfLinkField):
            head, tail = url_template(context, field.view_name)
            key = itemgetter(at[field.lookup_field])
            return lambda row: f"{head}/{key(row)}/{tail}"
        if isinstance(field, LinkField):
            return link_representer(field, context, at)
        if isinstance(field, CitedSourcesField):
            cited = itemgetter(at[CITED_SOURCES])
            return lambda row: cited_list(cited(row))
        if isinstance(field, PlannedSerializer):  # an expanded record, from its columns in the row (read_paths)
            return expanded_representer(field, at)
        if hasattr(field, "record_columns"):
            columns = {column: at[column] for column in field.record_columns}
            return lambda row: field.to_representation(SimpleNamespace(**{c: row[i] for c, i in columns.items()}))
        value = itemgetter(at[field.source])
        if step.convert in (str, int, bool, unchanged):
            return value  # the column's value is shown as it is (text, a number, a boolean, a choice's value)
        return lambda row: None if value(row) is None else step.convert(value(row))

    def read_children(self, instances: list) -> None:
        """Reads the children this answer shows that are read as rows (``children_read_as_rows``) for
        ``instances`` (model instances), one query per relation, unless a prefetch already did (an ``as_of``
        snapshot reads them from the history)."""
        serializer = self.serializer
        found = children_read_as_rows(type(serializer))
        relations = [(name, child) for name, child in found.items() if name in serializer.fields]
        # private: a model instance's state (Django documents _state.db): tells an instance from a row.
        if not relations or not instances or not hasattr(instances[0], "_state"):
            return
        # Shown by this serializer already (a record shown again)? Another shows them with its own request.
        instances = [instance for instance in instances if serializer not in instance.__dict__.get(CHILD_ROWS, {})]
        if not instances:
            return
        for instance in instances:
            instance.__dict__.setdefault(CHILD_ROWS, {})[serializer] = {}
        # private: the relations a prefetch_related() filled: Django has no public accessor.
        prefetched = getattr(instances[0], "_prefetched_objects_cache", {})
        keys, db = [instance.pk for instance in instances], instances[0]._state.db
        for name, child in relations:
            if child.relation not in prefetched:
                grouped = self.children_by_record(name, child, keys, db)
                for instance in instances:
                    instance.__dict__[CHILD_ROWS][serializer][child.relation] = grouped[instance.pk]

    def children_by_record(self, name: str, child: ChildRelation, keys: list, db: str) -> dict:
        """The children of the records of ``keys``, shown, by record."""
        query = child.model._default_manager.using(db).filter(**{f"{child.parent_key}__in": keys})
        plan = self.serializer.fields[name].child.read_plan
        read_stored = not why_not_stored(child.model, db) and plan.stored_json_reader()
        if read_stored:
            texts = {key: [] for key in keys}
            table = connections[db].ops.quote_name(child.model._meta.db_table)
            column = RawSQL(f"{table}.{child.model.stored_shown}", [])
            for text, key in query.annotate(shown=column).order_by("pk").values_list("shown", child.parent_key):
                texts[key].append(text)
            return {key: read_stored(found) for key, found in texts.items()}
        if CITED_SOURCES in child.paths:
            query = with_sources(query)
        grouped = {key: RepresentedChildren() for key in keys}
        represent = plan.row_representer(child.paths)
        for values in query.order_by("pk").values_list(*child.paths, child.parent_key):
            grouped[values[-1]].append(represent(values))
        return grouped

    def stored_json_reader(self):
        """Shows records from the JSON the database keeps of each as this serializer shows it (``stored_shown``),
        each link's ``url`` kept as its key and ``/``: the host and path this request names are put in front in
        one step (a ``"url" : "`` is never a string's content: its quotes would be escaped). A JSON answer
        takes the result as it is (``orjson.Fragment``, not decoded and encoded again); any other format gets
        it decoded. None when a link's URL goes on past its key. Made once per serializer."""
        if self.stored_reader is None:
            context = self.serializer.context
            links = [url_template(context, f.view_name) for _, _, _, f in self.steps if isinstance(f, LinkField)]
            read_texts = False
            if len(links) <= 1 and not any(tail for _, tail in links):
                front = '"url" : "'
                url = front + "".join(orjson.dumps(f"{head}/").decode()[1:-1] for head, _ in links)
                renderer = getattr(context.get("request"), "accepted_renderer", None)
                as_is = getattr(renderer, "encodes_json_fragments", False)
                read = orjson.Fragment if as_is else lambda text: RepresentedChildren(orjson.loads(text))

                def read_texts(texts: list[str]):
                    return read(f"[{','.join(texts)}]".replace(front, url))

            self.stored_reader = read_texts
        return self.stored_reader or None

    def stored_or_built(self, model, db: str) -> Decision:
        """Whether these records, children read as rows, are shown from the JSON the database keeps, and why."""
        why = why_not_stored(model, db)
        if why:
            return Decision("built JSON", why)
        if self.stored_json_reader() is None:
            return Decision("built JSON", "a link's URL goes on past its key")
        return Decision("stored JSON", f"the database keeps each row as shown (`{model.stored_shown}`)")


def link_representer(field: LinkField, context: dict, at: dict):
    """A link's value from its record's columns in the row: ``LinkField.to_representation``'s dict."""
    head, tail = url_template(context, field.view_name)
    key_name, key_at = field.key_name, at[f"{field.source}__{field.lookup_field}"]
    name_at = at[f"{field.source}__{field.name_attr}"]
    state_at = at[f"{field.source}__state"] if field.with_state else None

    def link(row):
        key = row[key_at]
        if key is None:
            return None
        shown = {key_name: key, "name": row[name_at]}
        if state_at is not None:
            shown["state"] = row[state_at]
        shown["url"] = f"{head}/{key}/{tail}"
        return shown

    return link


def expanded_paths(field, columns: set[str]) -> tuple[list[str] | None, str]:
    """The paths of an expanded record: its key (null when there is no record to show), then its own."""
    own = {column.name for column in field.Meta.model._meta.concrete_fields}
    cited = {CITED_SOURCES} if expanded_sources(field.source) in columns else set()
    inner, decision = field.read_plan.rows_or_instances(own | cited)
    if inner is None:
        return None, f"expanded `{field.field_name}`: {decision.why}"
    paths = [expanded_sources(field.source) if path in cited else f"{field.source}__{path}" for path in inner]
    return [field.source, *paths], ""


def expanded_representer(field, at: dict):
    prefix, key = f"{field.source}__", itemgetter(at[field.source])
    inner = {path.removeprefix(prefix): index for path, index in at.items() if path.startswith(prefix)}
    if expanded_sources(field.source) in at:
        inner[CITED_SOURCES] = at[expanded_sources(field.source)]
    represent = field.read_plan.representer_at(inner)
    return lambda row: None if key(row) is None else represent(row)


def children_read_as_rows(serializer_class) -> dict[str, ChildRelation]:
    """The nested lists of children read as rows, by field name. A child whose every field is a column, a
    link's or its sources (a letter's recipients) is read with the ``values()`` of its ``read_paths``, for a
    whole page in one query, and shown through its plan: thousands of recipients cost no model instances.
    Found once per serializer class."""
    found = serializer_class.__dict__.get("_children_read_as_rows")
    if found is None:
        found = {}
        for name, field in serializer_class().fields.items():
            child = getattr(field, "child", None)
            if isinstance(child, PlannedSerializer) and hasattr(child.Meta, "parent_field"):
                model = child.Meta.model
                columns = {column.name for column in model._meta.concrete_fields} | {CITED_SOURCES}
                paths = child.read_plan.read_paths(columns)
                if paths is not None:
                    parent = model._meta.get_field(child.Meta.parent_field).attname
                    found[name] = ChildRelation(field.source, model, parent, paths)
        serializer_class._children_read_as_rows = found
    return found


class ChildrenSerializer(serializers.ListSerializer):
    """A list of records: the children of a page of records are read in one query before any is shown
    (``ReadPlan.read_children``); a nested list shows its record's children from there."""

    def get_attribute(self, instance):
        children = instance.__dict__.get(CHILD_ROWS, {}).get(self.parent, {})
        return children[self.source] if self.source in children else super().get_attribute(instance)

    def to_representation(self, data) -> list:
        if isinstance(data, RepresentedChildren | orjson.Fragment):
            return data
        records = list(data.all() if isinstance(data, Manager) else data)
        if records and isinstance(records[0], Row):  # a page read as rows (ReadViewSet.as_records)
            represent = self.child.read_plan.row_representer(records[0].paths)
            return [represent(row) for row in records]
        self.child.read_plan.read_children(records)
        return [self.child.to_representation(record) for record in records]


class PlannedSerializer(serializers.ModelSerializer):
    """A model serializer that shows its records through its read plan: rows straight from their cells, a
    model instance's plain columns by getters made once, the rest through DRF's fields as DRF does."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            meta.list_serializer_class = ChildrenSerializer  # what many=True builds

    @property
    def read_plan(self) -> ReadPlan:
        """This serializer's plan, made once."""
        return self.__dict__.get("_read_plan") or self.__dict__.setdefault("_read_plan", ReadPlan(self))

    def to_representation(self, instance) -> dict:
        """DRF's loop, with each plain model field read by a getter made once (``ReadPlan.steps``): a page of
        letters with its recipients is thousands of records. A row (a detail read as one,
        ``ReadViewSet.get_record``) is shown from its cells."""
        if isinstance(instance, Row):
            return self.read_plan.row_representer(instance.paths)(instance)
        shown = {}
        for name, getter, convert, field in self.read_plan.steps:
            if getter is None:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:  # as DRF's own loop: a field with nothing to show is left out
                    continue
                shown[name] = None if attribute is None else field.to_representation(attribute)
            else:
                value = getter(instance)
                shown[name] = None if value is None else convert(value)
        return shown

    @property
    def data(self):
        # private: DRF keeps a failed validation's errors there; the public ``errors`` asserts is_valid() ran.
        if self.instance is not None and not getattr(self, "_errors", None):
            self.read_plan.read_children([self.instance])  # a record shown alone: a detail, a written record
        return super().data

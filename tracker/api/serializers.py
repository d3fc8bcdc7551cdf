"""Serializer plumbing shared by every resource.

- a related record is ``{"slug", "name", "url"}`` unless ``expand=`` embeds it;
  writes name it by its slug (``"jurisdiction": "chicago-il"``);
- ``fields=`` / ``omit=`` choose the fields of a response;
- every record lists its sources; writes cite them by id or URL;
- writes are validated by the model itself (``full_clean``: choices, unique
  and check constraints), so a broken rule is a 400 naming the field;
- ``Meta.nested`` children (a letter's recipients) are written with their
  parent, in one transaction;
- every record shows its review state and when it was checked; a write
  takes a ``change_reason`` for the history (required to edit a published
  record) and may move the record a step in review (tracker/review.py).
"""

from collections import Counter
from collections.abc import Mapping
from copy import copy, deepcopy
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from operator import attrgetter, itemgetter
from types import SimpleNamespace

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, transaction
from django.db.models import Manager
from django.db.models.expressions import RawSQL
from django.db.models.query import ValuesListIterable
from django.urls import get_script_prefix
from django.urls import reverse as django_reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField
from rest_framework.settings import api_settings

from tracker import review
from tracker.api.links import absolute_url
from tracker.models import (
    BRIEF_SOURCE,
    CITED_SOURCES,
    ReviewState,
    Source,
    TrackedModel,
    cited_list,
    uri_characters,
    with_sources,
)
from tracker.reading.times import ISO_UTC, UTC_MARK

# The most items one write may list in a field (a letter's recipients, a record's sources): each costs
# queries, and a body of thousands would hold a worker for as long.
MAX_ITEMS = 500


class LinkField(serializers.RelatedField):
    """A related record as its key, a readable name and its API URL (a place also gives its state).

    The key and the view come from the related model (``api_lookup``). A write names the record by its key.
    """

    default_error_messages = {
        "does_not_exist": "No record with {lookup} {value!r}.",
        "invalid": "Give the related record's {lookup} as a string.",
    }

    def __init__(self, queryset, name_attr: str = "name", **kwargs):
        self.model = model = queryset.model
        self.view_name = f"{model._meta.model_name}-detail"
        self.lookup_field = model.api_lookup()
        self.key_name = "id" if self.lookup_field == "pk" else self.lookup_field
        self.name_attr = name_attr
        self.with_state = any(field.name == "state" for field in model._meta.fields)
        if kwargs.pop("read_only", False):
            queryset = None
            kwargs["read_only"] = True
        super().__init__(queryset=queryset, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get(self.key_name)
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid", lookup=self.key_name)
        try:
            return self.get_queryset().get(**{self.lookup_field: data})
        except (self.get_queryset().model.DoesNotExist, ValueError, TypeError, DjangoValidationError):
            self.fail("does_not_exist", lookup=self.key_name, value=data)

    def to_representation(self, value) -> dict:
        key = getattr(value, self.lookup_field)
        link = {self.key_name: key, "name": getattr(value, self.name_attr)}
        if self.with_state:
            link["state"] = value.state
        link["url"] = api_url(self.context, self.view_name, key)
        return link


@cache
def view_path(view_name: str, prefix: str) -> str:
    """A record's view's path, its key ``0``, under the script ``prefix``: reversed once per process.
    Django's reverse, not DRF's: links should not carry this request's ?format=csv."""
    return django_reverse(view_name, args=["0"])


def url_template(context: dict, view_name: str) -> tuple[str, str]:
    """The absolute URL of a record's view around its key, ``(head, tail)``: made once per response."""
    templates = context.setdefault("_url_templates", {})
    if view_name not in templates:
        path = view_path(view_name, get_script_prefix())
        request = context.get("request")
        head, _, tail = (absolute_url(request, path) if request else path).rpartition("/0/")
        templates[view_name] = head, tail
    return templates[view_name]


def api_url(context: dict, view_name: str, key) -> str:
    """The absolute URL of a record's view."""
    head, tail = url_template(context, view_name)
    return f"{head}/{key}/{tail}"


class SelfLinkField(serializers.Field):
    """The record's own URL in the API, or another view of it (``view="timeline"``)."""

    def __init__(self, view: str = "detail", **kwargs):
        self.view = view
        super().__init__(read_only=True, source="*", **kwargs)

    def bind(self, field_name: str, parent) -> None:
        super().bind(field_name, parent)
        model = parent.Meta.model
        self.view_name, self.lookup_field = f"{model._meta.model_name}-{self.view}", model.api_lookup()

    def to_representation(self, instance) -> str:
        return api_url(self.context, self.view_name, getattr(instance, self.lookup_field))


class SourceBriefSerializer(serializers.ModelSerializer):
    link = serializers.URLField(source="url", read_only=True, help_text="Where the source was read.")

    class Meta:
        model = Source
        fields = list(BRIEF_SOURCE)

    def to_representation(self, instance) -> dict:
        # A source read as JSON in its record's query (tracker.models.cited_sources) is this already.
        return instance if isinstance(instance, dict) else super().to_representation(instance)


@cache
def brief_sources() -> SourceBriefSerializer:
    """One serializer for every cited source: building its fields per source costs more than using them."""
    return SourceBriefSerializer()


class CitedSourcesField(ManyRelatedField):
    """A record's sources, read from what its query left on it when there: ``with_sources``' brief
    sources (in URL order, as a prefetch gives them), or ``prefetch_sources``' list of sources."""

    def get_attribute(self, instance):
        if CITED_SOURCES not in instance.__dict__:
            return super().get_attribute(instance)
        cited = instance.__dict__[CITED_SOURCES]
        return cited if isinstance(cited, list) else cited_list(cited)


class SourceField(serializers.RelatedField):
    """Reads as a brief source; a write cites a source by id or by URL."""

    default_error_messages = {"does_not_exist": "No source with id or URL {value!r}; add the source first."}

    @classmethod
    def many_init(cls, *args, **kwargs):
        child_kwargs = {key: value for key, value in kwargs.items() if key not in MANY_RELATION_KWARGS}
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return CitedSourcesField(child_relation=cls(*args, **child_kwargs), **list_kwargs)

    def to_representation(self, value) -> dict:
        return brief_sources().to_representation(value)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id", data.get("link"))
        lookup = {"pk": data} if isinstance(data, int) and not isinstance(data, bool) else {"url": str(data)}
        try:
            return self.get_queryset().get(**lookup)
        except Source.DoesNotExist:
            self.fail("does_not_exist", value=data)


def itself(value):
    return value


def plain_converter(field):
    """For a DRF field whose to_representation is a plain conversion, that conversion; else None.

    Each returns exactly what DRF's own field would.
    """
    kind = type(field)
    if kind in (serializers.CharField, serializers.SlugField, serializers.URLField):
        return str
    if kind is serializers.ChoiceField:
        return itself
    if kind is serializers.IntegerField:
        return int
    if kind is serializers.BooleanField:
        return bool
    if kind is serializers.DateField:
        return date.isoformat
    if kind is serializers.DateTimeField:
        zone = timezone.get_current_timezone()
        utc = zone.utcoffset(None) == timedelta(0)

        def iso_datetime(value) -> str:
            text = value.isoformat()
            if utc and text.endswith(ISO_UTC):  # in the zone already: as DRF writes UTC
                return text.removesuffix(ISO_UTC) + UTC_MARK
            text = value.astimezone(zone).isoformat()
            return text.removesuffix(ISO_UTC) + UTC_MARK if text.endswith(ISO_UTC) else text

        return iso_datetime
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if kind is serializers.DecimalField and field.decimal_places is not None:
        exponent = Decimal(1).scaleb(-field.decimal_places)
        if coerce:
            return lambda value: format(value.quantize(exponent), "f")
        return lambda value: value.quantize(exponent)
    if isinstance(field, LinkField):
        return field.to_representation
    return None


class Row(tuple):
    """A ``values_list`` row that also answers its columns by name (a page's keys, its ``updated_at``);
    ``RecordIterable`` makes a subclass per query, whose ``paths`` name the columns."""

    __slots__ = ()
    paths: list[str] = []
    at: dict[str, int] = {}

    @classmethod
    @cache
    def of(cls, paths: tuple[str, ...]) -> type:
        """The rows of these columns: one class per process for each."""
        at = {path: i for i, path in enumerate(paths)}
        return type("Row", (cls,), {"__slots__": (), "paths": list(paths), "at": at})

    def __getattr__(self, name: str):
        try:
            return self[self.at[name]]
        except KeyError:
            raise AttributeError(name) from None


class RecordIterable(ValuesListIterable):
    """A ``values_list`` queryset's rows as ``Row``s, by the names of its columns: those given, then the
    annotations added after (a sort key, a search rank). A list shows them with ``row_shower``."""

    def __iter__(self):
        return map(row_class(self.queryset), super().__iter__())


def row_class(queryset) -> type:
    """The ``Row`` of an ``as_rows`` queryset: its columns named as given, then its later annotations."""
    given = queryset._fields
    return Row.of((*given, *(name for name in queryset.query.annotation_select if name not in given)))


def as_rows(queryset, *names: str):
    """``queryset.values_list(*names)``, its rows answering by name (``Row``)."""
    rows = queryset.values_list(*names)
    rows._iterable_class = RecordIterable
    return rows


# Where a record keeps its children read as plain rows, as the serializer that read them shows them:
# {serializer: {relation: [shown child, …]}} (TrackerSerializer.read_children).
CHILD_ROWS = "_child_rows"


def expanded_sources(name: str) -> str:
    """Where a record's query leaves the sources of the record it expands as ``name`` (``expand=name``)."""
    return f"{name}_{CITED_SOURCES}"


def shown_by_database(model, db: str) -> bool:
    """Whether the database keeps each of the model's records as the API shows it (``stored_shown``: the
    column, on PostgreSQL, written as DRF writes times in UTC; the model's migration)."""
    return (
        hasattr(model, "stored_shown")
        and connections[db].vendor == "postgresql"
        and timezone.get_current_timezone().utcoffset(None) == timedelta(0)
    )


class ShownRows(list):
    """Children shown already, each as its serializer shows it (``TrackerSerializer.row_shower``)."""


class ChildrenSerializer(serializers.ListSerializer):
    """A list of records: the children of a page of records are read in one query before any is shown
    (``read_children``); a nested list shows its record's children from there."""

    def get_attribute(self, instance):
        rows = instance.__dict__.get(CHILD_ROWS, {}).get(self.parent, {})
        return rows[self.source] if self.source in rows else super().get_attribute(instance)

    def to_representation(self, data) -> list:
        if isinstance(data, ShownRows | orjson.Fragment):
            return data
        records = list(data.all() if isinstance(data, Manager) else data)
        if records and isinstance(records[0], Row):  # a page read as rows (ReadViewSet.as_records)
            show = self.child.row_shower(records[0].paths)
            return [show(row) for row in records]
        self.child.read_children(records)
        return [self.child.to_representation(record) for record in records]


class TrackerSerializer(serializers.ModelSerializer):
    """Base of every resource's serializer.

    ``Meta.expandable`` maps a field to a callable returning the serializer
    that ``expand=<field>`` embeds in place of the link. ``Meta.nested``
    names the many-valued fields written with the record; the child
    serializer's ``Meta.parent_field`` is its foreign key to the record and
    ``Meta.child_key`` the field that tells its children apart.
    """

    sources = SourceField(
        many=True, queryset=Source.objects.all(), required=False, help_text="Where the facts come from."
    )
    review_state = serializers.ChoiceField(
        choices=ReviewState.choices,
        required=False,
        help_text=(
            "draft → checked → published. A new record is a draft; an editor other than the last one to change it "
            "sets checked; a checked record can be published; a substantive edit makes it a draft again."
        ),
    )
    checked_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When a second editor last checked it against its sources (null for a draft).",
    )
    change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=review.REASON_MAX_LENGTH,
        help_text="Why you make this change; kept in the history. Required to edit a published record.",
    )
    REVIEW_FIELDS = ("review_state", "checked_at", "change_reason")

    def __init__(self, *args, fields=(), omit=(), expand=(), brief=False, **kwargs):
        super().__init__(*args, **kwargs)
        if hasattr(self.Meta, "parent_field") and "review_state" in self.fields:
            # A nested child is written with its record, under its reason; it is checked in the admin.
            self.fields.pop("change_reason")
            self.fields["review_state"].read_only = True
        expandable = getattr(self.Meta, "expandable", {})
        self.check_names("fields", fields, self.fields)
        self.check_names("omit", omit, self.fields)
        self.check_names("expand", expand, expandable)
        for name in expand:
            self.fields[name] = expandable[name]()(read_only=True, brief=True)
        if brief:
            # An embedded record: its own values and sources, without links onward.
            omit = [
                name
                for name, field in self.fields.items()
                if isinstance(field, LinkField | ManyRelatedField | serializers.ListSerializer) and name != "sources"
            ]
        for name in set(self.fields) - set(fields) if fields else omit:
            self.fields.pop(name, None)

    def get_attribute(self, instance):
        """An expanded record, with the sources its parent's query read for it (``expanded_sources``)."""
        related = super().get_attribute(instance)
        cited = expanded_sources(self.field_name)
        if related is not None and cited in getattr(instance, "__dict__", {}):
            related.__dict__[CITED_SOURCES] = instance.__dict__[cited]
        return related

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            meta.list_serializer_class = ChildrenSerializer  # what many=True builds

    def get_fields(self) -> dict:
        """DRF's fields, built once per class and copied for each serializer.

        DRF builds a model serializer's fields from the model for every
        instance (deep-copying the declared ones, mapping each model field);
        for a detail that is a third of the request. The fields depend on the
        class alone, so the first ones built are kept unbound and each
        serializer gets copies: a plain field shallowly (binding sets only its
        own attributes), a field holding fields of its own (a nested
        serializer, a many-relation) deeply, as DRF copies it.
        """
        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = cls._field_prototypes = super().get_fields()
        return {
            name: deepcopy(field) if isinstance(field, ManyRelatedField | serializers.BaseSerializer) else copy(field)
            for name, field in prototypes.items()
        }

    def get_field_names(self, declared_fields, info) -> list[str]:
        names = super().get_field_names(declared_fields, info)
        if not issubclass(self.Meta.model, TrackedModel):
            return names  # not an editors' record (the courts directory): nothing to review
        return [*names, *(name for name in self.REVIEW_FIELDS if name not in names)]

    def to_representation(self, instance) -> dict:
        """DRF's loop, with each plain model field read by a precompiled getter.

        DRF asks every field of every row to find its attribute and convert
        it; a page of letters with its recipients is thousands of rows, so
        the plan is made once per serializer and reused for every row.
        Fields it does not know go through DRF unchanged.
        """
        if isinstance(instance, Row):  # a detail read as a row (ReadViewSet.get_record)
            return self.row_shower(instance.paths)(instance)
        row = {}
        for name, read, convert, field in self.plan():
            if read is None:
                attribute = field.get_attribute(instance)
                row[name] = None if attribute is None else field.to_representation(attribute)
            else:
                value = read(instance)
                row[name] = None if value is None else convert(value)
        return row

    @property
    def data(self):
        if self.instance is not None and not getattr(self, "_errors", None):
            self.read_children([self.instance])  # a record shown alone: a detail, a written record
        return super().data

    def plan(self) -> list[tuple]:
        """The representation plan, made once per serializer."""
        return self.__dict__.get("_plan") or self.__dict__.setdefault("_plan", self.representation_plan())

    def representation_plan(self) -> list[tuple]:
        plan = []
        for field in self._readable_fields:
            if isinstance(field, SelfLinkField):
                plan.append((field.field_name, itself, field.to_representation, field))
                continue
            convert = plain_converter(field)
            plain = convert is not None and field.source_attrs and len(field.source_attrs) == 1
            plan.append((field.field_name, attrgetter(field.source) if plain else None, convert, field))
        return plan

    def read_paths(self, columns: set[str]) -> list[str] | None:
        """The ``values()`` paths this answer reads, when every field is one of ``columns`` (the model's and
        the queryset's), a link's (a place's slug, name and state), the sources' annotation or a field that
        says which columns it reads (``record_columns``): then ``row_shower`` shows a row of those values as
        the record would be shown, without a model instance. None when a field needs the instance
        (children, a many-relation, a method or property, a path through a link)."""
        paths = []
        for _, read, _, field in self.plan():
            if isinstance(field, SelfLinkField):
                paths.append(field.lookup_field)
            elif isinstance(field, LinkField):
                if field.source not in columns:
                    return None
                attrs = [field.lookup_field, field.name_attr, *(["state"] if field.with_state else [])]
                paths += [f"{field.source}__{attr}" for attr in attrs]
            elif isinstance(field, CitedSourcesField) and CITED_SOURCES in columns:
                paths.append(CITED_SOURCES)
            elif hasattr(field, "record_columns") and set(field.record_columns) <= columns:
                paths += field.record_columns  # a field of the whole record that reads only these columns
            elif isinstance(field, TrackerSerializer) and field.source in columns:  # an expanded record
                own = {column.name for column in field.Meta.model._meta.concrete_fields}
                cited = {CITED_SOURCES} if expanded_sources(field.source) in columns else set()
                inner = field.read_paths(own | cited)
                if inner is None:
                    return None
                paths.append(field.source)  # its key: null when there is no record to show
                paths += [
                    expanded_sources(field.source) if path in cited else f"{field.source}__{path}" for path in inner
                ]
            elif read is not None and field.source in columns:
                paths.append(field.source)
            else:
                return None
        return paths

    def row_shower(self, paths: list[str]):
        """What ``to_representation`` shows of the record, made straight from its ``values_list`` row of
        ``paths`` (``read_paths``): a page's rows and thousands of children need no model instance or record
        in between, and each field is one step reading its cells. Made once per serializer and ``paths``."""
        showers = self.__dict__.setdefault("_showers", {})
        if tuple(paths) not in showers:
            showers[tuple(paths)] = self.shower({path: index for index, path in enumerate(paths)})
        return showers[tuple(paths)]

    def shower(self, at: dict):
        """``row_shower`` for a row whose columns are found ``at`` their paths' indexes."""
        steps = [(name, self.cell_reader(field, convert, at)) for name, _, convert, field in self.plan()]
        return lambda row: {name: read(row) for name, read in steps}

    def cell_reader(self, field, convert, at: dict):
        """``row_shower``'s step for one field: the shown value from the row."""
        if isinstance(field, SelfLinkField):
            head, tail = url_template(self.context, field.view_name)
            key = itemgetter(at[field.lookup_field])
            return lambda row: f"{head}/{key(row)}/{tail}"
        if isinstance(field, LinkField):
            head, tail = url_template(self.context, field.view_name)
            key_name, key_at = field.key_name, at[f"{field.source}__{field.lookup_field}"]
            name_at = at[f"{field.source}__{field.name_attr}"]
            state_at = at[f"{field.source}__state"] if field.with_state else None

            def link(row):  # LinkField.to_representation's dict
                key = row[key_at]
                if key is None:
                    return None
                shown = {key_name: key, "name": row[name_at]}
                if state_at is not None:
                    shown["state"] = row[state_at]
                shown["url"] = f"{head}/{key}/{tail}"
                return shown

            return link
        if isinstance(field, CitedSourcesField):
            cited = itemgetter(at[CITED_SOURCES])
            return lambda row: cited_list(cited(row))
        if isinstance(field, TrackerSerializer):  # an expanded record, from its columns in the row (read_paths)
            prefix, key = f"{field.source}__", itemgetter(at[field.source])
            inner = {path.removeprefix(prefix): index for path, index in at.items() if path.startswith(prefix)}
            if expanded_sources(field.source) in at:
                inner[CITED_SOURCES] = at[expanded_sources(field.source)]
            show = field.shower(inner)
            return lambda row: None if key(row) is None else show(row)
        if hasattr(field, "record_columns"):
            columns = {column: at[column] for column in field.record_columns}
            return lambda row: field.to_representation(SimpleNamespace(**{c: row[i] for c, i in columns.items()}))
        value = itemgetter(at[field.source])
        if convert in (str, int, bool, itself):
            return value  # the column's value is shown as it is (text, a number, a boolean, a choice's value)
        return lambda row: None if value(row) is None else convert(value(row))

    @classmethod
    def row_children(cls) -> dict:
        """The nested lists of children read as plain rows: {field name: (relation, model, parent key, paths)}.

        A child whose every field is a column, a link's or its sources (a letter's recipients) is read
        with the ``values()`` of its ``read_paths``, for a whole page in one query, and shown through the
        same plan a model instance would be: thousands of recipients cost no model instances."""
        found = cls.__dict__.get("_row_children")
        if found is None:
            found = {}
            for name, field in cls().fields.items():
                child = getattr(field, "child", None)
                if isinstance(child, TrackerSerializer) and hasattr(child.Meta, "parent_field"):
                    model = child.Meta.model
                    columns = {column.name for column in model._meta.concrete_fields} | {CITED_SOURCES}
                    paths = child.read_paths(columns)
                    if paths is not None:
                        parent = model._meta.get_field(child.Meta.parent_field).attname
                        found[name] = (field.source, model, parent, paths)
            cls._row_children = found
        return found

    def read_children(self, instances: list) -> None:
        """Reads the ``row_children`` this answer shows for ``instances`` (model instances), one query per
        relation, unless a prefetch already did (an ``as_of`` snapshot reads them from the history)."""
        children = [(name, *spec) for name, spec in self.row_children().items() if name in self.fields]
        if not children or not instances or not hasattr(instances[0], "_state"):
            return
        # Shown by this serializer already (a record shown again)? Another shows them with its own request.
        instances = [instance for instance in instances if self not in instance.__dict__.get(CHILD_ROWS, {})]
        if not instances:
            return
        for instance in instances:
            instance.__dict__.setdefault(CHILD_ROWS, {})[self] = {}
        prefetched = getattr(instances[0], "_prefetched_objects_cache", {})
        db = instances[0]._state.db
        for name, relation, model, parent, paths in children:
            if relation in prefetched:
                continue
            rows = model._default_manager.using(db).filter(**{f"{parent}__in": [instance.pk for instance in instances]})
            child = self.fields[name].child
            show_kept = shown_by_database(model, db) and child.stored_shower()
            if show_kept:
                texts = {instance.pk: [] for instance in instances}
                column = RawSQL(f"{connections[db].ops.quote_name(model._meta.db_table)}.{model.stored_shown}", [])
                for text, key in rows.annotate(shown=column).order_by("pk").values_list("shown", parent):
                    texts[key].append(text)
                grouped = {key: show_kept(found) for key, found in texts.items()}
            else:
                if CITED_SOURCES in paths:
                    rows = with_sources(rows)
                grouped = {instance.pk: ShownRows() for instance in instances}
                show = child.row_shower(paths)
                for values in rows.order_by("pk").values_list(*paths, parent):
                    grouped[values[-1]].append(show(values))
            for instance in instances:
                instance.__dict__[CHILD_ROWS][self][relation] = grouped[instance.pk]

    def stored_shower(self):
        """Shows records from the JSON the database keeps of each as this serializer shows it (``stored_shown``),
        each link's ``url`` kept as its key and ``/``: the host and path this request names are put in front in
        one step (a ``"url" : "`` is never a string's content: its quotes would be escaped). A JSON answer
        takes the result as it is (``orjson.Fragment``, not decoded and encoded again); any other format gets
        it decoded. None when a link's URL goes on past its key. Made once per serializer."""
        if "_stored_shower" not in self.__dict__:
            links = [url_template(self.context, f.view_name) for f in self._readable_fields if isinstance(f, LinkField)]
            show = None
            if len(links) <= 1 and not any(tail for _, tail in links):
                front = '"url" : "'
                url = front + "".join(orjson.dumps(f"{head}/").decode()[1:-1] for head, _ in links)
                renderer = getattr(self.context.get("request"), "accepted_renderer", None)
                as_is = getattr(renderer, "encodes_json_fragments", False)
                read = orjson.Fragment if as_is else lambda text: ShownRows(orjson.loads(text))

                def show(texts: list[str]):
                    return read(f"[{','.join(texts)}]".replace(front, url))

            self.__dict__["_stored_shower"] = show
        return self.__dict__["_stored_shower"]

    def to_internal_value(self, data):
        """A field the resource does not have is an error, not silently dropped (a typo would be lost);
        so is a list longer than MAX_ITEMS, refused before any of its items is looked at."""
        if isinstance(data, Mapping):
            errors = {name: ["Unknown field."] for name in data if name not in self.fields}
            errors |= {
                name: [f"At most {MAX_ITEMS} items."]
                for name, value in data.items()
                if isinstance(value, list) and len(value) > MAX_ITEMS
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def validate(self, attrs: dict) -> dict:
        """Run the model's own validation: choices, unique and check constraints."""
        instance = copy(self.instance) if self.instance is not None else self.Meta.model()
        relations = {field.name for field in self.Meta.model._meta.many_to_many}
        relations |= {self.fields[name].source for name in getattr(self.Meta, "nested", ())}
        for name, value in attrs.items():
            if name not in relations and name != "change_reason":
                setattr(instance, name, value)
        parent_field = getattr(self.Meta, "parent_field", None)
        try:
            instance.full_clean(exclude=[parent_field] if parent_field else None)
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {("non_field_errors" if key == "__all__" else key): value for key, value in error.message_dict.items()}
            ) from error
        for name in getattr(self.Meta, "nested", ()):
            self.check_unique_children(name, attrs.get(self.fields[name].source, []))
        if "change_reason" in self.fields:
            self.check_review(attrs)
        return attrs

    def check_review(self, attrs: dict) -> None:
        """A new record starts as a draft; a review step comes alone (TrackerViewSet.update takes it)."""
        state = attrs.get("review_state")
        if self.instance is None:
            if state not in (None, ReviewState.DRAFT):
                raise serializers.ValidationError({"review_state": ["A new record is a draft until checked."]})
            return
        if state is not None and state != self.instance.review_state:
            refused = "Check or publish a record without changing it: send review_state alone."
            raise serializers.ValidationError({"review_state": [refused]})

    def check_unique_children(self, name: str, children: list[dict]) -> None:
        key = self.fields[name].child.Meta.child_key
        counts = Counter(child[key] for child in children)
        duplicates = {str(value) for value, count in counts.items() if count > 1}
        if duplicates:
            raise serializers.ValidationError({name: [f"Listed twice: {', '.join(sorted(duplicates))}."]})

    @transaction.atomic
    def create(self, validated_data: dict):
        nested = self.pop_nested(validated_data)
        instance = super().create(self.without_review(validated_data))
        self.write_nested(instance, nested)
        return instance

    @transaction.atomic
    def update(self, instance, validated_data: dict):
        nested = self.pop_nested(validated_data)
        instance = super().update(instance, self.without_review(validated_data))
        self.write_nested(instance, nested)
        return instance

    @staticmethod
    def without_review(validated_data: dict) -> dict:
        """The record's values: the review state and the reason belong to its revision (tracker/review)."""
        return {name: value for name, value in validated_data.items() if name not in ("review_state", "change_reason")}

    def pop_nested(self, validated_data: dict) -> dict:
        return {
            name: validated_data.pop(self.fields[name].source)
            for name in getattr(self.Meta, "nested", ())
            if self.fields[name].source in validated_data
        }

    def write_nested(self, instance, nested: dict) -> None:
        """Make each nested list the record's children: update, add, and delete the rest."""
        for name, children in nested.items():
            child_serializer = self.fields[name].child
            parent_field, key = child_serializer.Meta.parent_field, child_serializer.Meta.child_key
            existing = {getattr(child, key): child for child in getattr(instance, self.fields[name].source).all()}
            for data in children:
                current = existing.pop(data[key], None)
                data = {**data, parent_field: instance}
                if current is None:
                    child_serializer.create(data)
                else:
                    child_serializer.update(current, data)
            for child in existing.values():
                child.delete()

    @staticmethod
    def check_names(param: str, names, allowed) -> None:
        unknown = [name for name in names if name not in allowed]
        if unknown:
            choices = ", ".join(allowed) or "none"
            raise serializers.ValidationError({param: [f"Unknown field {unknown[0]!r}. Choose from: {choices}."]})


class SourceSerializer(TrackerSerializer):
    url = SelfLinkField()
    sources = None
    link = serializers.URLField(
        source="url", max_length=1000, validators=[uri_characters], help_text="Where the source was read."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "link",
            "title",
            "publisher",
            "published_on",
            "kind",
            "provenance",
            "copy_of",
            "copy_of_read",
            "archived_url",
            "accessed_on",
            "notes",
            "created_at",
            "updated_at",
        ]

"""``as_of=``: the records as they stood at a past time, read from the audit history.

A record's latest history row at or before that time gives its fields; a
record created later is absent, one deleted later is present. Children
shown inside a record (a letter's recipients) come from their own history
the same way. Many-to-many links (a record's sources, an event's
jurisdictions) are read as they are now.

The snapshot is a queryset of the history tables that yields ordinary model
instances (django-simple-history's ``as_of``), so the viewsets' filters,
ordering, pages, shapes and formats apply unchanged.
"""

import datetime

from django import forms
from django.db.models import Prefetch, QuerySet
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from simple_history.manager import HistoricalQuerySet

from tracker.models import CITED_SOURCES, cited_sources
from tracker.reading.times import as_drf_writes

PARAM = "as_of"
HELP = "A date (YYYY-MM-DD, meaning the end of that day, UTC) or an ISO 8601 time, e.g. 2018-01-24T12:00:00Z."


def storable_datetime(value) -> None:
    """A time whose offset would carry it past year 9999 (or before year 1) in UTC is refused. Any other
    offset ISO 8601 allows is fine: each use reads the time in UTC (PostgreSQL refuses 16 hours or more)."""
    try:
        value.astimezone(datetime.UTC)
    except OverflowError:
        raise forms.ValidationError("Out of range.") from None


def as_of_param(queryset: QuerySet) -> set[str]:
    """``{"as_of"}`` where a resource can be read as it stood: its model keeps a history (the court
    directory, restored from code by every migrate, keeps none)."""
    # Registered models name their history manager in their options; reading the manager itself builds one.
    return {PARAM} if getattr(queryset.model._meta, "simple_history_manager_attribute", None) else set()


def requested_moment(request, model) -> datetime.datetime | None:
    """The time ``as_of=`` asks for: a time to come reads as now; a 400 naming the parameter when it is not a
    time, or when it is before the history of ``model`` begins (naming the first time it can answer)."""
    raw = request.query_params.get(PARAM)
    if raw is None:
        return None
    try:
        if len(raw) == len("YYYY-MM-DD"):
            moment = datetime.datetime.combine(datetime.date.fromisoformat(raw), datetime.time.max, datetime.UTC)
        else:
            moment = parse_datetime(raw)
        if moment is None:
            raise ValueError(raw)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        storable_datetime(moment)
        moment = moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError, forms.ValidationError):
        raise ValidationError({PARAM: [f"Not a date or time. {HELP}"]}) from None
    first = model.history.order_by("history_date").values_list("history_date", flat=True).first()
    if first is not None and moment < first:
        start = as_drf_writes(first.astimezone(datetime.UTC).isoformat())
        raise ValidationError(
            {PARAM: [f"The history begins at {start}, when the data was loaded; ask for that time or later."]}
        )
    if request.query_params.get("search"):
        raise ValidationError({"search": ["Search reads the present record: leave out either search or as_of."]})
    return min(moment, timezone.now())


def as_instance(record, annotations):
    """The record a history row describes, with its annotations (a sort key, a search rank) and the related
    records select_related joined to it."""
    instance = record.instance
    # private: Model._state documents only adding and db; no public hook hands a row's select_related
    # objects to another instance (tests/test_framework_privates.py).
    instance._state.fields_cache.update(record._state.fields_cache)
    for name in annotations:
        setattr(instance, name, getattr(record, name))
    return instance


class SnapshotIterable(ModelIterable):
    """A snapshot's history rows as the model instances they describe. Django runs a queryset's prefetches
    on what its iterable yields (also page by page for ``iterator()``), so they run on the instances."""

    def __iter__(self):
        annotations = self.queryset.query.annotations
        for record in super().__iter__():
            yield as_instance(record, annotations)


class SnapshotQuerySet(HistoricalQuerySet):
    """History rows as of a time, yielded as model instances (``SnapshotIterable``)."""

    def order_by(self, *fields) -> "SnapshotQuerySet":
        # "pk" of a history table is the history row's id; callers mean the record's.
        pk = self.model.instance_type._meta.pk.attname
        record_key = {"pk": pk, "-pk": f"-{pk}"}
        return super().order_by(*(record_key.get(name, name) if isinstance(name, str) else name for name in fields))


def child_snapshot(lookup, moment: datetime.datetime):
    """A prefetch of the children shown inside a record (a letter's recipients) reads them as of ``moment`` too."""
    if isinstance(lookup, Prefetch) and lookup.queryset is not None and getattr(lookup.queryset.model, "PARENT", None):
        return Prefetch(lookup.prefetch_through, snapshot(lookup.queryset, moment), to_attr=lookup.to_attr)
    return lookup


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, also for a snapshot: its rows are history rows, its filters the record's."""

    def get_filterset_class(self, view, queryset=None):
        if isinstance(queryset, SnapshotQuerySet):
            return view.filterset_class
        return super().get_filterset_class(view, queryset)

    def filter_queryset(self, request, queryset, view):
        # No filter asked for (a cursor page, a plain list): nothing to filter, and no form of every filter
        # to build and validate for it.
        filterset = self.get_filterset_class(view, queryset)
        if filterset is None or not any(name in request.query_params for name in filterset.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


def snapshot(queryset: QuerySet, moment: datetime.datetime, annotations: dict | None = None) -> SnapshotQuerySet:
    """``queryset``'s records as they stood at ``moment``, with its joins, prefetches and ordering, and
    ``annotations`` (the expressions ``queryset`` was annotated with: a parent's date on a child row)."""
    history = SnapshotQuerySet(queryset.model.history.model, using=queryset.db).filter(history_date__lte=moment)
    # private: simple_history's as_of() sets it on its own queryset class, not on a subclass; the filters read
    # it (tracker/api/filters.py).
    history._as_of = moment
    annotations = dict(annotations or {})
    if CITED_SOURCES in queryset.query.annotations:
        annotations[CITED_SOURCES] = cited_sources(queryset.model)  # the record's sources (current)
    history = history.latest_of_each().as_instances().annotate(**annotations)
    # private: the one hook for what a queryset yields, kept by every chained call but values().
    history._iterable_class = SnapshotIterable
    if queryset.query.select_related:
        related = queryset.query.select_related
        history = history.select_related(*related) if isinstance(related, dict) else history.select_related()
    # private: a queryset's prefetches are read nowhere else.
    lookups = [child_snapshot(lookup, moment) for lookup in queryset._prefetch_related_lookups]
    return history.prefetch_related(*lookups).order_by(*queryset.query.order_by)


def stamp(response, moment: datetime.datetime) -> None:
    """Say which time the answer reflects: RFC 7089's Memento-Datetime, and ``as_of`` in a JSON list's body."""
    response["Memento-Datetime"] = http_date(moment.timestamp())
    if isinstance(getattr(response, "data", None), dict) and "results" in response.data:
        response.data[PARAM] = as_drf_writes(moment.isoformat())

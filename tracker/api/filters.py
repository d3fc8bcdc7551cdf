"""Shared filtering: the same words mean the same thing on every list.

- comma lists: ``state=CA,IL`` (every exact filter takes one or several values)
- exclusion: ``state__not=CA``
- ranges: ``<date>_after`` / ``<date>_before``, ``<number>_min`` / ``<number>_max``
- ``updated_since=<ISO datetime>`` on every list, for incremental sync
- ``search=``: full text with ranking on PostgreSQL, a contains on SQLite
"""

import datetime
import re
from copy import copy
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db import connection
from django.db.models import F, FloatField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django_filters.filters import BaseCSVFilter
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter

from tracker.api.params import FALSE, TRUE
from tracker.models import ReviewState, Source, cites_sources
from tracker.reading.asof import storable_datetime


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, in any case); anything else is an error, not a silent "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise forms.ValidationError("Must be true or false.")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


def list_filters(filterset_class) -> set[str]:
    """The filters of a list that take several values."""
    return {name for name, filter_ in filterset_class.base_filters.items() if isinstance(filter_, BaseCSVFilter)}


def matching(model, path: str, values) -> Q:
    """``path IN values`` on ``model``; a slug path also matches the records that had one of those slugs
    before a rename (their history), so a filter given an earlier slug still finds its record."""
    current = Q(**{f"{path}__in": values})
    if not path.endswith("__slug"):
        return current
    related, target = path.removesuffix("__slug"), model
    for hop in related.split("__"):
        target = target._meta.get_field(hop).related_model
    if not hasattr(target, "history"):
        return current
    return current | Q(**{f"{related}__in": target.history.filter(slug__in=values).values("id")})


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    def filter(self, qs, value):
        if not value or not self.field_name.endswith("__slug"):
            return super().filter(qs, value)
        condition = matching(qs.model, self.field_name, value)
        return qs.exclude(condition) if self.exclude else qs.filter(condition)


class ChoiceListField(django_filters.fields.ChoiceField):
    default_error_messages = {"invalid_choice": "Unknown value %(value)r. Choose from: %(choices)s."}

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as error:
            choices = ", ".join(str(key) for key, _ in self.choices if key != "")
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value, "choices": choices},
            ) from error


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    field_class = ChoiceListField


def record_model(qs):
    """The model of the records ``qs`` lists, also when they are an as_of= snapshot's history rows
    (tracker/reading/asof.py)."""
    # private: simple_history's only mark of an as_of() queryset, and its time (no public getter).
    return qs.model.instance_type if getattr(qs, "_as_of", None) else qs.model


class SemiJoinMixin:
    """Across a to-many relation: ``pk IN (rows with a match)``, a semi-join.

    A plain join repeats a row once per match and needs DISTINCT over the
    whole result, which defeats the index the page is read in.
    """

    def filter(self, qs, value):
        if not value:
            return qs
        first, _, rest = self.field_name.partition("__")
        moment = getattr(qs, "_as_of", None)  # private: as in record_model
        model = record_model(qs)
        relation = model._meta.get_field(first)
        if relation.one_to_many and rest:
            # Straight from the child table: letter_id IN (recipients matching).
            child = relation.related_model
            rows = child.history.as_of(moment) if moment else child._default_manager
            children = rows.filter(matching(child, rest, value))
            found = children.values(relation.field.attname)
        else:
            found = model._default_manager.filter(matching(model, self.field_name, value)).values("pk")
        key = f"{model._meta.pk.attname}__in"
        return qs.exclude(**{key: found}) if self.exclude else qs.filter(**{key: found})


class ManyCharInFilter(SemiJoinMixin, CharInFilter):
    pass


class ManyChoiceInFilter(SemiJoinMixin, ChoiceInFilter):
    pass


class CitesOriginalFilter(BooleanFilter):
    """true: the records citing at least one original source (``Source.provenance``); false: those citing none.
    A semi-join on the record's id, as the citations stand now (an as_of= snapshot too)."""

    def filter(self, qs, value):
        if value is None:
            return qs
        model = record_model(qs)
        found = model._default_manager.filter(sources__provenance=Source.Provenance.ORIGINAL).values("pk")
        return qs.filter(id__in=found) if value else qs.exclude(id__in=found)


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


# Numbers a filter takes stay within what every database compares without overflowing.
NUMBER_BOUNDS = {"min_value": -(10**15), "max_value": 10**15}


def in_filter(field_name: str, help_text: str, choices=None, exclude: bool = False, many: bool = False):
    """An exact filter that also takes a comma list; ``choices`` validates each value.

    ``many``: the field lies across a to-many relation (a letter's recipients).
    """
    kwargs = {"field_name": field_name, "lookup_expr": "in", "exclude": exclude, "help_text": help_text}
    if choices is not None:
        return (ManyChoiceInFilter if many else ChoiceInFilter)(choices=choices, **kwargs)
    return (ManyCharInFilter if many else CharInFilter)(**kwargs)


def not_in_filter(field_name: str, label: str, choices=None):
    """``<name>__not``: exclude the given values (comma list)."""
    return in_filter(field_name, f"Exclude these {label} values (comma list).", choices, exclude=True)


def after_filter(field_name: str, label: str):
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr="gte", help_text=f"{label} on or after this date (YYYY-MM-DD)."
    )


def before_filter(field_name: str, label: str):
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr="lte", help_text=f"{label} on or before this date (YYYY-MM-DD)."
    )


def min_filter(field_name: str, label: str):
    return django_filters.NumberFilter(
        field_name=field_name, lookup_expr="gte", help_text=f"{label} at least this.", **NUMBER_BOUNDS
    )


def max_filter(field_name: str, label: str):
    return django_filters.NumberFilter(
        field_name=field_name, lookup_expr="lte", help_text=f"{label} at most this.", **NUMBER_BOUNDS
    )


class ShallowCopies(dict):
    """Declarations (a filter set's filters, its form's fields) as each request copies them.

    django-filter deep-copies every filter, and Django's forms every field, for
    every request, each choice list included. Nothing here changes a filter or
    a form field once declared; what a request sets on its copy (a filter's
    model and filter set, a field's value) is set on the copy alone, so shallow
    copies do.
    """

    def __deepcopy__(self, memo) -> dict:
        return {name: self.copied(declared) for name, declared in self.items()}

    @staticmethod
    def copied(declared):
        return copy(declared)


class DeclaredFilters(ShallowCopies):
    """A filter set's filters: a filter with a method gets it again, bound to the copy."""

    @staticmethod
    def copied(declared):
        filter_ = copy(declared)
        if declared.method is not None:
            filter_.method = declared.method
        return filter_


class TrackerFilterSet(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        validators=[storable_datetime],
        help_text="Only records changed at or after this ISO 8601 time (incremental sync).",
        method=lambda queryset, name, value: queryset.filter(updated_at__gte=value.astimezone(datetime.UTC)),
    )
    review_state = in_filter(
        "review_state", "Review state: draft, checked or published (e.g. checked,published).", ReviewState.choices
    )
    # Every list of records that cite sources takes it (get_filters drops it for the rest: sources/ itself).
    cites_original = CitesOriginalFilter(
        help_text="true: only records citing at least one original source (published by the body that made "
        "the document); false: only records citing none."
    )

    @classmethod
    def get_filters(cls) -> DeclaredFilters:
        filters = super().get_filters()
        if cls._meta.model is not None and not cites_sources(cls._meta.model):
            del filters["cites_original"]
        return DeclaredFilters(filters)

    def get_form_class(self):
        """django-filter's form class, made once per filter set: it builds a form field for every filter and
        a new class on every request, from the declarations alone (no filter here reads the request)."""
        cls = type(self)
        form = cls.__dict__.get("_form_class")
        if form is None:
            form = cls._form_class = super().get_form_class()
            form.base_fields = ShallowCopies(form.base_fields)
        return form


class StrictOrderingFilter(OrderingFilter):
    """One ordering field from the documented list; anything else is a 400."""

    ordering_description = "Sort by one field; prefix with - for descending."

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            ranked = connection.vendor == "postgresql" and request.query_params.get(SearchFilter.param, "").strip()
            return ["-rank"] if ranked else self.get_default_ordering(view)
        allowed = [field for field, _ in self.get_valid_fields(queryset, view, {"request": request})]
        if raw.removeprefix("-") not in allowed:
            choices = ", ".join(allowed)
            raise ValidationError({self.ordering_param: [f"Unknown ordering {raw!r}. Choose one of: {choices}."]})
        return [raw]

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [field for field in view.ordering_fields]
        for parameter in parameters:
            parameter["schema"] = {"type": "string", "enum": fields + [f"-{field}" for field in fields]}
        return parameters


# A search of one word that PostgreSQL's parser reads as one word (letters and digits, no punctuation).
ONE_WORD = re.compile(r"[A-Za-z0-9]+")


class SearchFilter(BaseFilterBackend):
    """``search=``: ranked full-text search on PostgreSQL, contains on SQLite.

    The switch between the two lives here and nowhere else.
    """

    param = "search"
    max_length = 200

    def filter_queryset(self, request, queryset, view):
        terms = request.query_params.get(self.param, "").strip()
        if not terms:
            return queryset
        if len(terms) > self.max_length:
            raise ValidationError({self.param: [f"At most {self.max_length} characters."]})
        model = queryset.model
        own = [path for path in view.search_fields if not model._meta.get_field(path.split("__")[0]).one_to_many]
        children = [path for path in view.search_fields if path not in own]
        if connection.vendor == "postgresql":
            return self.full_text(queryset, view.search_fields, terms, own, children)
        return self.contains(queryset, terms, own, children)

    def full_text(self, queryset, search_fields: list[str], terms: str, own: list[str], children: list[str]):
        """PostgreSQL: the records whose words match ``terms`` (websearch syntax), ranked (``rank``)."""
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField

        model = queryset.model
        query = SearchQuery(terms, config="english", search_type="websearch")
        stored = getattr(model, "stored_search_vector", None) == search_fields
        if stored and hasattr(model, "stored_search_terms") and ONE_WORD.fullmatch(terms):
            return self.ranked_word(queryset, model.stored_search_terms, terms)
        if stored:
            # Kept by the database and GIN-indexed, the child rows' names too (the model's migration).
            column = f"{connection.ops.quote_name(model._meta.db_table)}.search_vector"
            vector, children = RawSQL(column, [], output_field=SearchVectorField()), []
        else:
            vector = SearchVector(*own, config="english")
        # ts_rank is a 4-byte real; as a double it survives the cursor's round trip exactly.
        queryset = queryset.alias(search_vector=vector).annotate(
            rank=Cast(SearchRank(F("search_vector"), query), FloatField())
        )

        def found_in(far_model, field):
            return far_model._default_manager.alias(found=SearchVector(field, config="english")).filter(found=query)

        return queryset.filter(Q(search_vector=query) | self.found_through_children(model, children, found_in))

    def contains(self, queryset, terms: str, own: list[str], children: list[str]):
        """SQLite: the records with ``terms`` in one of their fields, in any case."""

        def found_in(far_model, field):
            return far_model._default_manager.filter(**{f"{field}__icontains": terms})

        match = reduce(or_, (Q(**{f"{path}__icontains": terms}) for path in own))
        return queryset.filter(match | self.found_through_children(queryset.model, children, found_in))

    @staticmethod
    def found_through_children(model, children: list[str], found_in) -> Q:
        """The records whose child rows match (``found_in`` a far model's field); an empty Q without children.

        Names on child rows (a letter's recipients' places) are found in their own table first (by its index),
        then the child rows pointing there: a union of the records' ids, no record repeated.
        """
        found_ids = []
        for relation, *hops, field in (path.split("__") for path in children):
            child = model._meta.get_field(relation)
            far = child.related_model
            for hop in hops:
                far = far._meta.get_field(hop).related_model
            rows = child.related_model._default_manager.filter(
                **{"__".join([*hops, "in"]) if hops else "pk__in": found_in(far, field).values("pk")}
            )
            found_ids.append(rows.order_by().values(child.field.attname))
        return Q(pk__in=found_ids[0].union(*found_ids[1:])) if found_ids else Q()

    @staticmethod
    def ranked_word(queryset, terms_table: str, word: str):
        """One word, read from the model's stored words (``stored_search_terms``, one row per word of each
        record, with its rank; the model's migration): the matches in rank order straight from that table's
        index, the page read without ranking the rest. The rank is the one ``ts_rank`` gives the word."""
        quote = connection.ops.quote_name
        terms, records = quote(terms_table), quote(queryset.model._meta.db_table)
        # No model stands for the stored words, so the ORM has no relation to join them by: extra() joins them.
        return queryset.extra(
            tables=[terms_table],
            where=[
                f"{terms}.record_id = {records}.id",
                f"{terms}.term = (tsvector_to_array(to_tsvector('english'::regconfig, %s)))[1]",
            ],
            params=[word],
        ).annotate(rank=RawSQL(f"{terms}.rank", [], output_field=FloatField()))

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(view.search_fields)
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": f"Full-text search in {fields}; ranked by relevance on PostgreSQL.",
                "schema": {"type": "string", "maxLength": self.max_length},
            }
        ]


class SourceFilter(TrackerFilterSet):
    kind = in_filter("kind", "Kind: one or a comma list.", Source.Kind.choices)
    kind__not = not_in_filter("kind", "kind", Source.Kind.choices)
    provenance = in_filter(
        "provenance", "Provenance: original, report or copy (comma list).", Source.Provenance.choices
    )
    provenance__not = not_in_filter("provenance", "provenance", Source.Provenance.choices)
    copy_of_read = BooleanFilter(help_text="Copies whose named original was (true) or was not (false) read.")
    publisher = django_filters.CharFilter(lookup_expr="icontains", help_text="Publisher's name contains.")
    published_after = after_filter("published_on", "Published")
    published_before = before_filter("published_on", "Published")

    class Meta:
        model = Source
        fields = []

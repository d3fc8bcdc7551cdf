"""The fields whose values a read plan knows how to read without the model instance (tracker/reading/plan.py):
a related record's link, a record's own URL, its sources. They are DRF fields; the API's serializers
(tracker/api/serializers.py) declare them, and a read plan makes each one's value straight from a row.
"""

from functools import cache

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import get_script_prefix
from django.urls import reverse as django_reverse
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from tracker.models import BRIEF_SOURCE, CITED_SOURCES, Source, cited_list
from tracker.reading.links import absolute_url


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

    def shown_attrs(self) -> list[str]:
        """What a link shows of its record: its key, its name, and a place's state."""
        return [self.lookup_field, self.name_attr, *(["state"] if self.with_state else [])]

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

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

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

from tracker import review
from tracker.models import CITED_SOURCES, ReviewState, Source, TrackedModel, uri_characters
from tracker.reading.fields import LinkField, SelfLinkField, SourceField
from tracker.reading.plan import PlannedSerializer, expanded_sources

# The most items one write may list in a field (a letter's recipients, a record's sources): each costs
# queries, and a body of thousands would hold a worker for as long.
MAX_ITEMS = 500


class TrackerSerializer(PlannedSerializer):
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

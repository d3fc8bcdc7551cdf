"""Serializer plumbing shared by every resource.

- a related record is ``{"slug", "name", "url"}`` unless ``expand=`` embeds it;
- ``fields=`` / ``omit=`` choose the fields of a response;
- every record lists its sources.
"""

from rest_framework import serializers
from rest_framework.relations import ManyRelatedField
from rest_framework.reverse import reverse

from tracker.models import Source


def comma_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class LinkField(serializers.RelatedField):
    """A related record as its key, a readable name and its API URL."""

    def __init__(self, view_name: str, name_attr: str = "name", lookup_field: str = "slug", **kwargs):
        self.view_name, self.name_attr, self.lookup_field = view_name, name_attr, lookup_field
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> dict:
        key = getattr(value, self.lookup_field)
        return {self.lookup_field: key, "name": getattr(value, self.name_attr), "url": self.url(key)}

    def url(self, key) -> str:
        # Reverse once per response, then fill in each key.
        template = self.context.get("_url_templates", {}).get(self.view_name)
        if template is None:
            template = reverse(self.view_name, kwargs={self.lookup_field: 0}, request=self.context.get("request"))
            self.context.setdefault("_url_templates", {})[self.view_name] = template
        head, _, tail = template.rpartition("/0/")
        return f"{head}/{key}/{tail}"


class SourceBriefSerializer(serializers.ModelSerializer):
    link = serializers.URLField(source="url", read_only=True, help_text="Where the source was read.")

    class Meta:
        model = Source
        fields = ["id", "link", "title", "publisher", "published_on", "kind"]


class TrackerSerializer(serializers.ModelSerializer):
    """Base of every resource's serializer.

    ``Meta.expandable`` maps a field to a callable returning the serializer
    that ``expand=<field>`` embeds in place of the link.
    """

    sources = SourceBriefSerializer(many=True, read_only=True, help_text="Where the facts come from.")

    def __init__(self, *args, fields=(), omit=(), expand=(), brief=False, **kwargs):
        super().__init__(*args, **kwargs)
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

    @staticmethod
    def check_names(param: str, names, allowed) -> None:
        unknown = [name for name in names if name not in allowed]
        if unknown:
            choices = ", ".join(allowed) or "none"
            raise serializers.ValidationError({param: [f"Unknown field {unknown[0]!r}. Choose from: {choices}."]})


class SourceSerializer(TrackerSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="source-detail", lookup_field="pk")
    sources = None
    link = serializers.URLField(source="url", read_only=True, help_text="Where the source was read.")

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
            "archived_url",
            "accessed_on",
            "notes",
            "created_at",
            "updated_at",
        ]

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cities.models import Jurisdiction, Official, Policy
from tracker.api.serializers import TrackerSerializer
from tracker.reading.fields import LinkField, SelfLinkField, api_url
from tracker.reading.links import absolute_url


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "timeline": {"type": "string", "format": "uri", "description": "Atom feed of its timeline."},
            "changes": {"type": "string", "format": "uri", "description": "Atom feed of changes to records about it."},
        },
    }
)
class FeedsField(serializers.Field):
    """The Atom feeds about a jurisdiction."""

    record_columns = ("slug",)  # all it reads of the jurisdiction (tracker.reading.plan.ReadPlan.read_paths)

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, jurisdiction: Jurisdiction) -> dict[str, str]:
        if "_changes_feed" not in self.context:  # reversed once per response
            request = self.context.get("request")
            path = reverse("feed-changes")
            self.context["_changes_feed"] = absolute_url(request, path) if request else path
        return {
            "timeline": api_url(self.context, "feed-timeline", jurisdiction.slug),
            "changes": f"{self.context['_changes_feed']}?jurisdiction={jurisdiction.slug}",
        }


@extend_schema_field({"type": "string", "format": "uri"})
class PageField(serializers.Field):
    """The jurisdiction's page for people (``html_url``, as GitHub's API names a resource's page)."""

    record_columns = ("slug",)  # all it reads of the jurisdiction (tracker.reading.plan.ReadPlan.read_paths)

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, jurisdiction: Jurisdiction) -> str:
        return api_url(self.context, "place", jurisdiction.slug)


class JurisdictionSerializer(TrackerSerializer):
    url = SelfLinkField()
    html_url = PageField(help_text="Its page for people: facts, timeline, map and grants.")
    parent = LinkField(
        queryset=Jurisdiction.objects.all(),
        required=False,
        allow_null=True,
        help_text="The jurisdiction it lies in (its slug, on writes).",
    )
    timeline = SelfLinkField("timeline")
    feeds = FeedsField(help_text="Atom feeds about it: its timeline, and changes to records about it.")

    class Meta:
        model = Jurisdiction
        fields = [
            "slug",
            "url",
            "html_url",
            "name",
            "kind",
            "state",
            "fips",
            "population",
            "population_year",
            "parent",
            "latitude",
            "longitude",
            "point_kind",
            "notes",
            "sources",
            "timeline",
            "feeds",
            "created_at",
            "updated_at",
        ]
        expandable = {"parent": lambda: JurisdictionSerializer}


class OfficialSerializer(TrackerSerializer):
    url = SelfLinkField()
    jurisdiction = LinkField(queryset=Jurisdiction.objects.all(), help_text="The jurisdiction the official serves.")

    class Meta:
        model = Official
        fields = [
            "slug",
            "url",
            "name",
            "role",
            "title",
            "jurisdiction",
            "party",
            "term_start",
            "term_end",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]
        expandable = {"jurisdiction": lambda: JurisdictionSerializer}


class PolicySerializer(TrackerSerializer):
    url = SelfLinkField()
    jurisdiction = LinkField(queryset=Jurisdiction.objects.all(), help_text="The jurisdiction that adopted it.")

    class Meta:
        model = Policy
        fields = [
            "slug",
            "url",
            "title",
            "kind",
            "jurisdiction",
            "citation",
            "enacted_on",
            "ended_on",
            "summary",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]
        expandable = {"jurisdiction": lambda: JurisdictionSerializer}

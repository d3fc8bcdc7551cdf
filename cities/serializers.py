from cities.models import Jurisdiction, Official, Policy
from tracker.serializers import LinkField, SelfLinkField, TrackerSerializer


class JurisdictionSerializer(TrackerSerializer):
    url = SelfLinkField()
    parent = LinkField(
        queryset=Jurisdiction.objects.all(),
        required=False,
        allow_null=True,
        help_text="The jurisdiction it lies in (its slug, on writes).",
    )
    timeline = SelfLinkField("timeline")

    class Meta:
        model = Jurisdiction
        fields = [
            "slug",
            "url",
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

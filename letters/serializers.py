from rest_framework import serializers

from cities.models import Jurisdiction
from cities.serializers import JurisdictionSerializer
from letters.models import (
    CaseParty,
    CourtCase,
    Designation,
    DesignationList,
    Event,
    EventParticipant,
    GrantAward,
    Letter,
    LetterRecipient,
    Ruling,
)
from tracker.serializers import LinkField, SelfLinkField, TrackerSerializer


def jurisdiction_link(help_text: str, **kwargs) -> LinkField:
    return LinkField("jurisdiction-detail", queryset=Jurisdiction.objects.all(), help_text=help_text, **kwargs)


class LetterRecipientSerializer(TrackerSerializer):
    jurisdiction = jurisdiction_link("The jurisdiction the letter went to.")

    class Meta:
        model = LetterRecipient
        fields = ["jurisdiction", "addressee", "determination", "responded_on", "notes", "sources"]
        parent_field = "letter"
        child_key = "jurisdiction"


class LetterSerializer(TrackerSerializer):
    url = SelfLinkField("letter-detail", lookup_field="slug")
    recipients = LetterRecipientSerializer(
        source="letter_recipients", many=True, required=False, help_text="Every recipient and DOJ's finding on it."
    )

    class Meta:
        model = Letter
        fields = [
            "slug",
            "url",
            "sent_on",
            "kind",
            "subject",
            "sender_office",
            "sender_name",
            "summary",
            "response_due",
            "document_url",
            "recipients",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]
        nested = ["recipients"]


class GrantAwardSerializer(TrackerSerializer):
    url = SelfLinkField("grantaward-detail", lookup_field="pk")
    jurisdiction = jurisdiction_link("The grantee.")

    class Meta:
        model = GrantAward
        fields = [
            "id",
            "url",
            "jurisdiction",
            "program",
            "fiscal_year",
            "amount",
            "status",
            "status_date",
            "award_number",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]
        expandable = {"jurisdiction": lambda: JurisdictionSerializer}


class CasePartySerializer(TrackerSerializer):
    jurisdiction = jurisdiction_link("The party.")

    class Meta:
        model = CaseParty
        fields = ["jurisdiction", "role", "sources"]
        parent_field = "case"
        child_key = "jurisdiction"


class CourtCaseSerializer(TrackerSerializer):
    url = SelfLinkField("courtcase-detail", lookup_field="slug")
    appeal_of = LinkField(
        "courtcase-detail",
        name_attr="caption",
        queryset=CourtCase.objects.all(),
        required=False,
        allow_null=True,
        help_text="The case below (its slug, on writes).",
    )
    parties = CasePartySerializer(
        source="case_parties", many=True, required=False, help_text="Jurisdictions that are parties."
    )
    courtlistener_url = serializers.URLField(read_only=True, help_text="Search for the docket on CourtListener.")

    class Meta:
        model = CourtCase
        fields = [
            "slug",
            "url",
            "caption",
            "court",
            "docket_number",
            "filed_on",
            "appeal_of",
            "status",
            "parties",
            "other_parties",
            "summary",
            "courtlistener_url",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]
        nested = ["parties"]
        expandable = {"appeal_of": lambda: CourtCaseSerializer}


class RulingSerializer(TrackerSerializer):
    url = SelfLinkField("ruling-detail", lookup_field="slug")
    case = LinkField("courtcase-detail", name_attr="caption", queryset=CourtCase.objects.all(), help_text="The case.")

    class Meta:
        model = Ruling
        fields = [
            "slug",
            "url",
            "case",
            "decided_on",
            "kind",
            "judge",
            "outcome",
            "scope",
            "citation",
            "summary",
            "opinion_url",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]
        expandable = {"case": lambda: CourtCaseSerializer}


class EventParticipantSerializer(TrackerSerializer):
    jurisdiction = jurisdiction_link("Their jurisdiction, when it is in the dataset.", required=False, allow_null=True)

    class Meta:
        model = EventParticipant
        fields = ["name", "role", "jurisdiction", "place", "participation", "notes", "sources"]
        parent_field = "event"
        child_key = "name"


class EventSerializer(TrackerSerializer):
    url = SelfLinkField("event-detail", lookup_field="slug")
    jurisdictions = jurisdiction_link("Jurisdictions involved.", many=True, required=False)
    participants = EventParticipantSerializer(many=True, required=False, help_text="Who took part, and how.")

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "date",
            "kind",
            "title",
            "summary",
            "jurisdictions",
            "participants",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]
        nested = ["participants"]


class DesignationListSerializer(TrackerSerializer):
    url = SelfLinkField("designationlist-detail", lookup_field="slug")
    list_url = serializers.URLField(
        source="url", required=False, allow_blank=True, help_text="Where the authority published it."
    )

    class Meta:
        model = DesignationList
        fields = [
            "slug",
            "url",
            "authority",
            "title",
            "published_on",
            "withdrawn_on",
            "list_url",
            "criteria",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]


class DesignationSerializer(TrackerSerializer):
    url = SelfLinkField("designation-detail", lookup_field="pk")
    designation_list = LinkField(
        "designationlist-detail", name_attr="title", queryset=DesignationList.objects.all(), help_text="The list."
    )
    jurisdiction = jurisdiction_link("The listed jurisdiction.")

    class Meta:
        model = Designation
        fields = [
            "id",
            "url",
            "designation_list",
            "jurisdiction",
            "label",
            "disputed",
            "response",
            "removed_on",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]
        expandable = {
            "jurisdiction": lambda: JurisdictionSerializer,
            "designation_list": lambda: DesignationListSerializer,
        }

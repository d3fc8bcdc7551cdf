from rest_framework import serializers

from cities.models import Jurisdiction
from cities.serializers import JurisdictionSerializer
from letters.models import (
    CaseParty,
    Court,
    CourtCase,
    Designation,
    DesignationList,
    Event,
    EventParticipant,
    GrantAward,
    Letter,
    LetterRecipient,
    Ruling,
    responded_before_sent,
)
from tracker.api.serializers import TrackerSerializer
from tracker.models import uri_characters
from tracker.reading.fields import LinkField, SelfLinkField


def jurisdiction_link(help_text: str, **kwargs) -> LinkField:
    return LinkField(queryset=Jurisdiction.objects.all(), help_text=help_text, **kwargs)


class LetterRecipientSerializer(TrackerSerializer):
    jurisdiction = jurisdiction_link("The jurisdiction the letter went to.")

    class Meta:
        model = LetterRecipient
        fields = ["jurisdiction", "basis", "addressee", "determination", "responded_on", "notes", "sources"]
        parent_field = "letter"
        child_key = "jurisdiction"


class LetterSerializer(TrackerSerializer):
    url = SelfLinkField()
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

    def validate(self, attrs: dict) -> dict:
        """No recipient answered before the letter was sent: the recipients written with it, or else those
        it has (a new sent_on is checked against them)."""
        attrs = super().validate(attrs)
        sent_on = attrs.get("sent_on", getattr(self.instance, "sent_on", None))
        recipients = attrs.get("letter_recipients")
        if recipients is None:
            recipients = self.instance.letter_recipients.values("responded_on") if self.instance else []
        early = sorted(row["responded_on"] for row in recipients if row.get("responded_on"))
        if sent_on and early and early[0] < sent_on:
            field = "recipients" if "letter_recipients" in attrs else "sent_on"
            raise serializers.ValidationError({field: [responded_before_sent(early[0], sent_on)]})
        return attrs


class GrantAwardSerializer(TrackerSerializer):
    url = SelfLinkField()
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
    url = SelfLinkField()
    appeal_of = LinkField(
        name_attr="caption",
        queryset=CourtCase.objects.all(),
        required=False,
        allow_null=True,
        help_text="The case below (its slug, on writes).",
    )
    court = LinkField(queryset=Court.objects.all(), help_text="The court (its CourtListener id, on writes).")
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
    url = SelfLinkField()
    case = LinkField(name_attr="caption", queryset=CourtCase.objects.all(), help_text="The case.")
    court = LinkField(queryset=Court.objects.all(), source="case.court", read_only=True, help_text="The case's court.")

    class Meta:
        model = Ruling
        fields = [
            "slug",
            "url",
            "case",
            "court",
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
    url = SelfLinkField()
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
    url = SelfLinkField()
    list_url = serializers.URLField(
        source="url",
        required=False,
        allow_blank=True,
        validators=[uri_characters],
        help_text="Where the authority published it.",
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
    url = SelfLinkField()
    designation_list = LinkField(name_attr="title", queryset=DesignationList.objects.all(), help_text="The list.")
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


def letter_link(**kwargs) -> LinkField:
    return LinkField(queryset=Letter.objects.all(), name_attr="subject", read_only=True, **kwargs)


class LetterRecipientRowSerializer(TrackerSerializer):
    """A recipient as a row of its own, with its letter's date and kind."""

    url = SelfLinkField()
    letter = letter_link(help_text="The letter.")
    sent_on = serializers.DateField(read_only=True, help_text="When the letter was sent.")
    letter_kind = serializers.ChoiceField(Letter.Kind.choices, source="letter.kind", help_text="The letter's kind.")
    jurisdiction = jurisdiction_link("The jurisdiction the letter went to.", read_only=True)
    jurisdiction_kind = serializers.ChoiceField(
        Jurisdiction.Kind.choices, source="jurisdiction.kind", help_text="City, county, state…"
    )

    class Meta:
        model = LetterRecipient
        fields = [
            "id",
            "url",
            "letter",
            "sent_on",
            "letter_kind",
            "jurisdiction",
            "jurisdiction_kind",
            "basis",
            "addressee",
            "determination",
            "responded_on",
            "notes",
            "sources",
            "created_at",
            "updated_at",
        ]


class CasePartyRowSerializer(TrackerSerializer):
    """A jurisdiction's part in a case, as a row of its own."""

    url = SelfLinkField()
    case = LinkField(queryset=CourtCase.objects.all(), name_attr="caption", read_only=True, help_text="The case.")
    court = LinkField(queryset=Court.objects.all(), source="case.court", read_only=True, help_text="The case's court.")
    filed_on = serializers.DateField(read_only=True, allow_null=True, help_text="When the case was filed.")
    jurisdiction = jurisdiction_link("The party.", read_only=True)

    class Meta:
        model = CaseParty
        fields = ["id", "url", "case", "court", "filed_on", "jurisdiction", "role", "notes", "sources", "updated_at"]


class EventParticipantRowSerializer(TrackerSerializer):
    """Someone's part in an event, as a row of its own."""

    url = SelfLinkField()
    event = LinkField(queryset=Event.objects.all(), name_attr="title", read_only=True, help_text="The event.")
    date = serializers.DateField(read_only=True, help_text="When the event happened.")
    event_kind = serializers.ChoiceField(Event.Kind.choices, source="event.kind", help_text="The event's kind.")
    jurisdiction = jurisdiction_link("Their jurisdiction, when it is in the dataset.", read_only=True, allow_null=True)

    class Meta:
        model = EventParticipant
        fields = [
            "id",
            "url",
            "event",
            "date",
            "event_kind",
            "name",
            "role",
            "jurisdiction",
            "place",
            "participation",
            "notes",
            "sources",
            "updated_at",
        ]


class CourtSerializer(TrackerSerializer):
    url = SelfLinkField()
    sources = None
    circuit = LinkField(
        queryset=Court.objects.all(), read_only=True, allow_null=True, help_text="The court of appeals above it."
    )
    courtlistener_url = serializers.URLField(read_only=True, help_text="The court in CourtListener's API.")

    class Meta:
        model = Court
        fields = ["id", "url", "name", "level", "circuit", "courtlistener_url"]

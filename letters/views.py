"""The letters app's resources."""

from django.db.models import F, Prefetch

from cities.geojson import PlaceGeoJSONRenderer
from letters.filters import (
    CasePartyFilter,
    CourtCaseFilter,
    CourtFilter,
    DesignationFilter,
    DesignationListFilter,
    EventFilter,
    EventParticipantFilter,
    GrantAwardFilter,
    LetterFilter,
    LetterRecipientFilter,
    RulingFilter,
)
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
)
from letters.serializers import (
    CasePartyRowSerializer,
    CourtCaseSerializer,
    CourtSerializer,
    DesignationListSerializer,
    DesignationSerializer,
    EventParticipantRowSerializer,
    EventSerializer,
    GrantAwardSerializer,
    LetterRecipientRowSerializer,
    LetterSerializer,
    RulingSerializer,
)
from tracker.api.viewsets import ReadViewSet, TrackerViewSet
from tracker.models import with_sources


class LetterViewSet(TrackerViewSet):
    """DOJ letters as issued, each with its recipients and DOJ's finding on each."""

    queryset = Letter.objects.prefetch_related(
        Prefetch(
            "letter_recipients", with_sources(LetterRecipient.objects.select_related("jurisdiction")).order_by("pk")
        ),
    )
    serializer_class = LetterSerializer
    filterset_class = LetterFilter
    ordering = ["-sent_on"]
    ordering_fields = ["sent_on", "response_due", "slug", "updated_at"]
    search_fields = Letter.stored_search_vector
    facet_fields = ["kind", "sender_office"]


class GrantAwardViewSet(TrackerViewSet):
    """Federal grant money at stake: one row per jurisdiction, program and fiscal year."""

    queryset = GrantAward.objects.select_related("jurisdiction")
    serializer_class = GrantAwardSerializer
    filterset_class = GrantAwardFilter
    ordering = ["-fiscal_year"]
    ordering_fields = ["fiscal_year", "amount", "status_date", "status", "program", "updated_at"]
    search_fields = ["jurisdiction__name", "award_number", "notes"]
    facet_fields = ["program", "status", "fiscal_year", "jurisdiction__state"]
    renderer_classes = [*TrackerViewSet.renderer_classes, PlaceGeoJSONRenderer]


class CourtCaseViewSet(TrackerViewSet):
    """Each docket in each court, with its parties."""

    queryset = CourtCase.objects.select_related("appeal_of", "court").prefetch_related(
        Prefetch("case_parties", with_sources(CaseParty.objects.select_related("jurisdiction")).order_by("pk")),
    )
    serializer_class = CourtCaseSerializer
    filterset_class = CourtCaseFilter
    ordering = ["caption"]
    ordering_fields = ["caption", "filed_on", "slug", "court", "updated_at"]
    search_fields = ["caption", "docket_number", "summary", "other_parties", "case_parties__jurisdiction__name"]
    facet_fields = ["court", "status"]


class RulingViewSet(TrackerViewSet):
    """Court rulings: date, judge, kind, outcome and scope."""

    queryset = Ruling.objects.select_related("case__court")
    serializer_class = RulingSerializer
    filterset_class = RulingFilter
    ordering = ["-decided_on"]
    ordering_fields = ["decided_on", "slug", "updated_at"]
    search_fields = ["summary", "judge", "citation", "case__caption"]
    facet_fields = ["kind", "outcome", "scope", "case__court"]


class EventViewSet(TrackerViewSet):
    """Meetings, boycotts, executive orders, directives and statements."""

    queryset = Event.objects.prefetch_related(
        "jurisdictions",
        Prefetch("participants", with_sources(EventParticipant.objects.select_related("jurisdiction")).order_by("pk")),
    )
    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering = ["-date"]
    ordering_fields = ["date", "slug", "updated_at"]
    search_fields = ["title", "summary", "participants__name"]
    facet_fields = ["kind"]


class DesignationListViewSet(TrackerViewSet):
    """Lists of 'sanctuary' jurisdictions, each one authority's designation on a date."""

    queryset = DesignationList.objects.all()
    serializer_class = DesignationListSerializer
    filterset_class = DesignationListFilter
    ordering = ["-published_on"]
    ordering_fields = ["published_on", "withdrawn_on", "slug", "updated_at"]
    search_fields = ["title", "authority", "criteria"]
    facet_fields = ["authority"]


class DesignationViewSet(TrackerViewSet):
    """One jurisdiction on one list, with its label, dispute and removal."""

    queryset = Designation.objects.select_related("designation_list", "jurisdiction")
    serializer_class = DesignationSerializer
    filterset_class = DesignationFilter
    ordering = ["pk"]
    ordering_fields = ["pk", "removed_on", "updated_at"]
    search_fields = ["jurisdiction__name", "label", "response"]
    facet_fields = ["designation_list__slug", "disputed", "jurisdiction__state"]
    renderer_classes = [*TrackerViewSet.renderer_classes, PlaceGeoJSONRenderer]


class LetterRecipientViewSet(ReadViewSet):
    """Every letter's recipients as rows of their own: one row per letter and jurisdiction.

    Written through their letter (``recipients`` in a letter's body).
    """

    parent_columns = {"sent_on": F("letter__sent_on")}
    queryset = LetterRecipient.objects.select_related("letter", "jurisdiction").annotate(**parent_columns)
    serializer_class = LetterRecipientRowSerializer
    filterset_class = LetterRecipientFilter
    ordering = ["-sent_on"]
    ordering_fields = ["sent_on", "responded_on", "updated_at"]
    search_fields = ["jurisdiction__name", "addressee", "notes", "letter__subject"]
    facet_fields = ["determination", "letter__kind", "jurisdiction__state"]
    renderer_classes = [*ReadViewSet.renderer_classes, PlaceGeoJSONRenderer]


class CasePartyViewSet(ReadViewSet):
    """Every case's jurisdiction parties as rows of their own. Written through their case."""

    parent_columns = {"filed_on": F("case__filed_on")}
    queryset = CaseParty.objects.select_related("case__court", "jurisdiction").annotate(**parent_columns)
    serializer_class = CasePartyRowSerializer
    filterset_class = CasePartyFilter
    ordering = ["pk"]
    ordering_fields = ["pk", "filed_on", "updated_at"]
    search_fields = ["jurisdiction__name", "case__caption"]
    facet_fields = ["role", "case__court", "jurisdiction__state"]


class EventParticipantViewSet(ReadViewSet):
    """Every event's participants as rows of their own. Written through their event."""

    parent_columns = {"date": F("event__date")}
    queryset = EventParticipant.objects.select_related("event", "jurisdiction").annotate(**parent_columns)
    serializer_class = EventParticipantRowSerializer
    filterset_class = EventParticipantFilter
    ordering = ["-date"]
    ordering_fields = ["date", "name", "updated_at"]
    search_fields = ["name", "role", "place", "notes"]
    facet_fields = ["participation", "event__kind", "jurisdiction__state"]


class CourtViewSet(ReadViewSet):
    """The federal courts, keyed by CourtListener's court id (``ilnd``, ``ca7``, ``scotus``)."""

    queryset = Court.objects.all()
    serializer_class = CourtSerializer
    filterset_class = CourtFilter
    ordering = ["id"]
    ordering_fields = ["id", "name"]
    search_fields = ["name"]
    facet_fields = ["level", "circuit"]

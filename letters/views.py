from django import forms
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from cities.models import Jurisdiction
from letters.filters import (
    CourtCaseFilter,
    DesignationFilter,
    DesignationListFilter,
    EventFilter,
    GrantAwardFilter,
    LetterFilter,
    RulingFilter,
)
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
from letters.reports import TRACKED, changes, stats
from letters.serializers import (
    CourtCaseSerializer,
    DesignationListSerializer,
    DesignationSerializer,
    EventSerializer,
    GrantAwardSerializer,
    LetterSerializer,
    RulingSerializer,
)
from letters.timeline import timeline
from tracker.filters import storable_datetime
from tracker.models import prefetch_sources
from tracker.renderers import FastJSONRenderer
from tracker.viewsets import TrackerViewSet, check_query_params


class LetterViewSet(TrackerViewSet):
    """DOJ letters as issued, each with its recipients and DOJ's finding on each."""

    queryset = Letter.objects.prefetch_related(
        prefetch_sources(),
        Prefetch("letter_recipients", LetterRecipient.objects.select_related("jurisdiction").order_by("pk")),
        prefetch_sources("letter_recipients__sources"),
    ).order_by("-sent_on")
    serializer_class = LetterSerializer
    filterset_class = LetterFilter
    ordering = ["-sent_on"]
    ordering_fields = ["sent_on", "slug", "updated_at"]
    search_fields = ["subject", "summary", "sender_office", "sender_name"]
    facet_fields = ["kind", "sender_office"]


class GrantAwardViewSet(TrackerViewSet):
    """Federal grant money at stake: one row per jurisdiction, program and fiscal year."""

    lookup_field = "pk"
    queryset = (
        GrantAward.objects.select_related("jurisdiction").prefetch_related(prefetch_sources()).order_by("-fiscal_year")
    )
    serializer_class = GrantAwardSerializer
    filterset_class = GrantAwardFilter
    ordering = ["-fiscal_year"]
    ordering_fields = ["fiscal_year", "status", "program", "updated_at"]
    search_fields = ["jurisdiction__name", "award_number", "notes"]
    facet_fields = ["program", "status", "fiscal_year", "jurisdiction__state"]


class CourtCaseViewSet(TrackerViewSet):
    """Each docket in each court, with its parties."""

    queryset = (
        CourtCase.objects.select_related("appeal_of")
        .prefetch_related(
            prefetch_sources(),
            Prefetch("case_parties", CaseParty.objects.select_related("jurisdiction").order_by("pk")),
            prefetch_sources("case_parties__sources"),
        )
        .order_by("caption")
    )
    serializer_class = CourtCaseSerializer
    filterset_class = CourtCaseFilter
    ordering = ["caption"]
    ordering_fields = ["caption", "slug", "court", "updated_at"]
    search_fields = ["caption", "docket_number", "summary", "other_parties"]
    facet_fields = ["court", "status"]


class RulingViewSet(TrackerViewSet):
    """Court rulings: date, judge, kind, outcome and scope."""

    queryset = Ruling.objects.select_related("case").prefetch_related(prefetch_sources()).order_by("-decided_on")
    serializer_class = RulingSerializer
    filterset_class = RulingFilter
    ordering = ["-decided_on"]
    ordering_fields = ["decided_on", "slug", "updated_at"]
    search_fields = ["summary", "judge", "citation", "case__caption"]
    facet_fields = ["kind", "outcome", "scope", "case__court"]


class EventViewSet(TrackerViewSet):
    """Meetings, boycotts, executive orders, directives and statements."""

    queryset = Event.objects.prefetch_related(
        prefetch_sources(),
        "jurisdictions",
        Prefetch("participants", EventParticipant.objects.select_related("jurisdiction").order_by("pk")),
        prefetch_sources("participants__sources"),
    ).order_by("-date")
    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering = ["-date"]
    ordering_fields = ["date", "slug", "updated_at"]
    search_fields = ["title", "summary"]
    facet_fields = ["kind"]


class DesignationListViewSet(TrackerViewSet):
    """Lists of 'sanctuary' jurisdictions, each one authority's designation on a date."""

    queryset = DesignationList.objects.prefetch_related(prefetch_sources()).order_by("-published_on")
    serializer_class = DesignationListSerializer
    filterset_class = DesignationListFilter
    ordering = ["-published_on"]
    ordering_fields = ["published_on", "slug", "updated_at"]
    search_fields = ["title", "authority", "criteria"]
    facet_fields = ["authority"]


class DesignationViewSet(TrackerViewSet):
    """One jurisdiction on one list, with its label, dispute and removal."""

    lookup_field = "pk"
    queryset = Designation.objects.select_related("designation_list", "jurisdiction").prefetch_related(
        prefetch_sources()
    )
    serializer_class = DesignationSerializer
    filterset_class = DesignationFilter
    ordering = ["pk"]
    ordering_fields = ["pk", "updated_at"]
    search_fields = ["jurisdiction__name", "label", "response"]
    facet_fields = ["designation_list__slug", "disputed", "jurisdiction__state"]


class TimelineEntrySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="When it happened.")
    kind = serializers.CharField(help_text="letter, designation, grant, case_filed, ruling, event, policy_enacted…")
    title = serializers.CharField(help_text="What happened, in a line.")
    detail = serializers.CharField(help_text="The jurisdiction's part in it (determination, status, role…).")
    url = serializers.URLField(help_text="The record in the API.")


@extend_schema(responses=TimelineEntrySerializer(many=True))
class JurisdictionTimelineView(GenericAPIView):
    """Everything that happened to one place, in date order."""

    queryset = Jurisdiction.objects.all()
    lookup_field = "slug"
    renderer_classes = [FastJSONRenderer]
    pagination_class = None

    def get(self, request, slug):
        check_query_params(request, {"format"})
        jurisdiction = get_object_or_404(Jurisdiction, slug=slug)
        return Response({"jurisdiction": slug, "name": jurisdiction.name, "entries": timeline(jurisdiction, request)})


class ChangesForm(forms.Form):
    since = forms.DateTimeField(help_text="Changes at or after this ISO 8601 time.", validators=[storable_datetime])
    model = forms.TypedMultipleChoiceField(choices=[(name, name) for name in TRACKED], required=False)
    page_size = forms.IntegerField(min_value=1, max_value=1000, required=False)

    def __init__(self, params):
        data = {**params.dict(), "model": [name for name in params.get("model", "").split(",") if name]}
        super().__init__(data)


class ChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When the change was made.")
    model = serializers.ChoiceField(choices=list(TRACKED), help_text="Which kind of record.")
    key = serializers.CharField(help_text="The record's slug or id.")
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    url = serializers.URLField(help_text="The record in the API (gone if deleted).")


@extend_schema(
    parameters=[
        OpenApiParameter("since", OpenApiTypes.DATETIME, required=True, description="Inclusive ISO 8601 time."),
        OpenApiParameter("model", str, description=f"Comma list from: {', '.join(TRACKED)}."),
        OpenApiParameter("page_size", int, description="Rows, 1 to 1000 (default 100)."),
    ],
    responses=inline_serializer("Changes", {"results": ChangeSerializer(many=True)}),
)
class ChangesView(GenericAPIView):
    """What changed since a time, from the audit history, deletions included.

    ``since`` (ISO 8601, required) is inclusive; ``model`` narrows to a comma
    list of models; ``page_size`` caps the rows (default 100, at most 1000).
    To read on, pass the last row's ``at`` as the next ``since``.
    """

    renderer_classes = [FastJSONRenderer]
    pagination_class = None

    def get(self, request):
        check_query_params(request, {"since", "model", "page_size", "format"})
        form = ChangesForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        models = form.cleaned_data["model"] or list(TRACKED)
        limit = form.cleaned_data["page_size"] or 100
        return Response({"results": changes(form.cleaned_data["since"], models, limit, request)})


@extend_schema(responses=OpenApiTypes.OBJECT)
class StatsView(GenericAPIView):
    """Summary figures: grant dollars by state, program, year and status; letters and rulings."""

    renderer_classes = [FastJSONRenderer]
    pagination_class = None

    def get(self, request):
        check_query_params(request, {"format"})
        return Response(stats())

"""The API's reports over the whole record: a place's timeline, the changes feed and the stats."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from cities.models import Jurisdiction
from letters.filters import (
    GrantAwardFilter,
    LetterRecipientFilter,
    RulingFilter,
)
from letters.models import (
    GrantAward,
    LetterRecipient,
    Ruling,
)
from reports.changes import TRACKED, Cursor, changes, decode_cursor, encode_cursor, start_at
from reports.stats import determination_figures, grant_figures, ruling_figures, source_figures, stats
from reports.timeline import KINDS, timeline
from tracker.api.filters import list_filters
from tracker.api.pagination import CURSOR_SCHEMA
from tracker.api.params import comma_list, normalize
from tracker.api.renderers import CSVRenderer, FastJSONRenderer, NDJSONRenderer, StreamingRenderer
from tracker.api.responsecache import shared_cache
from tracker.api.viewsets import MethodCheckedFirst
from tracker.reading.asof import storable_datetime
from tracker.reading.fields import SourceBriefSerializer
from tracker.reading.links import absolute_url
from tracker.serving.replicas import read_the_primary


class ReportView(MethodCheckedFirst, GenericAPIView):
    """A read-only figure or feed: JSON, or its rows as CSV or NDJSON; anyone may read, no one writes."""

    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer, CSVRenderer, NDJSONRenderer]
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends: list = []

    def checked(self, request, form_class: type[forms.Form], lists: set[str] = frozenset()) -> dict:
        """The query, checked by the shared vocabulary, then by `form_class`."""
        normalize(request, {*form_class.base_fields, "format"}, set(lists))
        data = {name: comma_list(value) if name in lists else value for name, value in request.query_params.items()}
        form = form_class(data)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return form.cleaned_data

    def rows(self, request, body: dict, rows: list[dict]) -> Response:
        """`body` as JSON; only its `rows` as CSV or NDJSON, one line each."""
        return Response(rows if isinstance(request.accepted_renderer, StreamingRenderer) else body)


class TimelineEntrySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="When it happened.")
    kind = serializers.ChoiceField(KINDS, help_text="What kind of entry.")
    title = serializers.CharField(help_text="What happened, in a line.")
    detail = serializers.CharField(help_text="The jurisdiction's part in it (determination, status, role…).")
    url = serializers.URLField(help_text="The record in the API.")
    sources = SourceBriefSerializer(many=True, help_text="Where the facts come from.")


class TimelineSerializer(serializers.Serializer):
    jurisdiction = serializers.SlugField(help_text="The place's slug.")
    name = serializers.CharField(help_text="The place's name.")
    entries = TimelineEntrySerializer(many=True)


class TimelineForm(forms.Form):
    kind = forms.MultipleChoiceField(choices=KINDS, required=False)
    date_after = forms.DateField(required=False, help_text="Entries on or after this date (YYYY-MM-DD).")
    date_before = forms.DateField(required=False, help_text="Entries on or before this date (YYYY-MM-DD).")


@extend_schema(
    parameters=[
        OpenApiParameter("kind", {"type": "array", "items": {"type": "string", "enum": [k for k, _ in KINDS]}}),
        OpenApiParameter("date_after", OpenApiTypes.DATE, description="Entries on or after this date."),
        OpenApiParameter("date_before", OpenApiTypes.DATE, description="Entries on or before this date."),
    ],
    responses=TimelineSerializer,
)
class JurisdictionTimelineView(ReportView):
    """Everything that happened to one place, in date order, each entry with its sources.

    As CSV or NDJSON, the entries alone, one per line.
    """

    slug_model = Jurisdiction  # a place renamed since answers its earlier slug with a 301 (tracker/api/exceptions.py)

    @shared_cache
    def get(self, request, slug: str) -> Response:
        query = self.checked(request, TimelineForm, lists={"kind"})
        jurisdiction = get_object_or_404(Jurisdiction, slug=slug)
        context = self.get_serializer_context()
        entries = timeline(jurisdiction, context, set(query["kind"]) or None, query["date_after"], query["date_before"])
        # As TimelineEntrySerializer shows them (the schema; tested equal): each value is its JSON already
        # but the date, and rendering hundreds of entries field by field cost a third of the answer.
        entries = [entry | {"date": entry["date"].isoformat()} for entry in entries]
        return self.rows(request, {"jurisdiction": slug, "name": jurisdiction.name, "entries": entries}, entries)


class ChangesForm(forms.Form):
    since = forms.DateTimeField(required=False, validators=[storable_datetime])
    cursor = forms.CharField(required=False)
    model = forms.MultipleChoiceField(choices=[(name, name) for name in TRACKED], required=False)
    page_size = forms.IntegerField(min_value=1, max_value=1000, required=False)


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class KeyField(serializers.Field):
    def to_representation(self, value):
        return value


class ChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When the change was made.")
    model = serializers.ChoiceField(choices=list(TRACKED), help_text="Which kind of record.")
    key = KeyField(help_text="The record's slug, or its id for grants, designations and sources.")
    action = serializers.ChoiceField(
        choices=["created", "changed", "deleted"],
        help_text="A renamed record appears twice: its old key deleted, its new key changed.",
    )
    reason = serializers.CharField(help_text="Why the editor made the change, when they said.")
    url = serializers.URLField(help_text="The record in the API (gone if deleted).")


class ChangesPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page; null once you have every change so far.")
    resume = serializers.URLField(help_text="Where your next sync run starts: keep it, and call it next time.")
    results = ChangeSerializer(many=True)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.DATETIME,
            description="Start a sync: changes at or after this time. Neither since nor cursor: from the beginning; "
            "with a cursor, the cursor goes on from where it stands and since is not read.",
        ),
        OpenApiParameter("cursor", CURSOR_SCHEMA, description="Go on with a sync: from a next or resume link."),
        OpenApiParameter(
            "model", {"type": "array", "items": {"type": "string", "enum": list(TRACKED)}}, description="Models."
        ),
        OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 1000}, description="Default 100."),
        OpenApiParameter(
            "Link",
            str,
            OpenApiParameter.HEADER,
            response=True,
            description='The next and resume links (rel="next", rel="resume"), in every format.',
        ),
    ],
    responses=ChangesPageSerializer,
)
class ChangesView(ReportView):
    """Every change to the record, oldest first, from the audit history: a sync protocol.

    Start with ``since=<ISO time>`` (or with neither, from the beginning of the history); follow ``next``
    until it is null; keep ``resume`` and call it on your next run (as CSV or NDJSON, the ``Link`` header
    carries both). Each change is reached exactly once, in the order the changes were committed, however
    long the transactions that made them. Deletions are changes too, and a renamed record (a new slug) is
    the deletion of its old key and a change of its new one.
    """

    @shared_cache
    def get(self, request) -> Response:
        query = self.checked(request, ChangesForm, lists={"model"})
        # A hot standby's snapshot lists no transaction in progress (PostgreSQL keeps them apart from the
        # snapshot's xip there), so a batch's bounds come from the primary, and its rows with them.
        read_the_primary("changes")
        if query["cursor"]:
            cursor = decode_cursor(query["cursor"])
        else:  # a sync starts at since=, or at the history's beginning; a cursor goes on whatever since says
            cursor = Cursor(after=start_at(query["since"]) if query["since"] else None)
        models = query["model"] or list(TRACKED)
        context = self.get_serializer_context()
        rows, last, more = changes(cursor, models, query["page_size"] or 100, context)
        rows = ChangeSerializer(rows, many=True, context=context).data

        def link(cursor: Cursor) -> str:
            params = {"cursor": encode_cursor(cursor)} | ({"model": ",".join(query["model"])} if query["model"] else {})
            if query["page_size"]:
                params["page_size"] = query["page_size"]
            if "format" in request.query_params:  # CSV and NDJSON pages link to the next in their format
                params["format"] = request.query_params["format"]
            return absolute_url(request, f"{request.path}?{urlencode(params)}")

        body = {"next": link(last) if more else None, "resume": link(last), "results": rows}
        response = self.rows(request, body, rows)
        # The links again for CSV and NDJSON, which carry the rows alone (RFC 8288).
        links = {"next": body["next"], "resume": body["resume"]}
        response["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
        return response


class StatsView(ReportView):
    """Summary figures over the whole record; ``stats/grants/``, ``stats/determinations/`` and
    ``stats/rulings/`` give each table alone, with the filters of the list it sums; ``stats/sources/`` counts
    each resource's records by the best provenance of their sources."""

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[])
    @shared_cache
    def get(self, request) -> Response:
        normalize(request, {"format"}, set())
        return Response(stats())


class SourceStatsView(ReportView):
    """Per resource, its records counted by the best provenance they rest on: original (at least one source
    published by the body that made the document), else report, else copy; none: citing no source."""

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[])
    @shared_cache
    def get(self, request) -> Response:
        normalize(request, {"format"}, set())
        rows = source_figures()
        return self.rows(request, {"results": rows}, rows)


class FilteredStatsView(ReportView):
    """One table of figures over a list, narrowed by that list's own filters."""

    filter_backends = [DjangoFilterBackend]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @shared_cache
    def get(self, request) -> Response:
        normalize(request, {*self.filterset_class.base_filters, "format"}, list_filters(self.filterset_class))
        rows = self.figures(self.filter_queryset(self.get_queryset()))
        return self.rows(request, {"results": rows}, rows)


class GrantStatsView(FilteredStatsView):
    """Grant rows and dollars by state, program, fiscal year and status (the grants/ filters apply)."""

    queryset = GrantAward.objects.all()
    filterset_class = GrantAwardFilter
    figures = staticmethod(grant_figures)


class DeterminationStatsView(FilteredStatsView):
    """Letter recipients by letter kind and determination (the letter-recipients/ filters apply)."""

    queryset = LetterRecipient.objects.all()
    filterset_class = LetterRecipientFilter
    figures = staticmethod(determination_figures)


class RulingStatsView(FilteredStatsView):
    """Rulings by outcome (the rulings/ filters apply)."""

    queryset = Ruling.objects.all()
    filterset_class = RulingFilter
    figures = staticmethod(ruling_figures)

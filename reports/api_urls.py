"""``/api/v1/``: every resource of every app, their exports, the reports over the whole record, the schema and
the releases. It lives in the top app, which alone may import them all."""

from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from cities.views import JurisdictionViewSet, OfficialViewSet, PolicyViewSet
from letters.views import (
    CasePartyViewSet,
    CourtCaseViewSet,
    CourtViewSet,
    DesignationListViewSet,
    DesignationViewSet,
    EventParticipantViewSet,
    EventViewSet,
    GrantAwardViewSet,
    LetterRecipientViewSet,
    LetterViewSet,
    RulingViewSet,
)
from reports.api import (
    ChangesView,
    DeterminationStatsView,
    GrantStatsView,
    JurisdictionTimelineView,
    RulingStatsView,
    SourceStatsView,
    StatsView,
)
from tracker.api.views import APIRootView, DatasetView, ReleaseView, SchemaView, SourceViewSet, checked_query


class Router(DefaultRouter):
    """The API root lists every endpoint, the registered resources and the views beside them."""

    APIRootView = APIRootView
    include_format_suffixes = False


router = Router()
router.register("jurisdictions", JurisdictionViewSet)
router.register("officials", OfficialViewSet)
router.register("policies", PolicyViewSet)
router.register("letters", LetterViewSet)
router.register("letter-recipients", LetterRecipientViewSet)
router.register("grants", GrantAwardViewSet)
router.register("cases", CourtCaseViewSet)
router.register("case-parties", CasePartyViewSet)
router.register("courts", CourtViewSet)
router.register("rulings", RulingViewSet)
router.register("events", EventViewSet)
router.register("event-participants", EventParticipantViewSet)
router.register("designation-lists", DesignationListViewSet)
router.register("designations", DesignationViewSet)
router.register("sources", SourceViewSet)

# Each list's exports as operations of their own (letters.csv, letters.ndjson), so that a client
# generated from the schema reads each format with the right parser.
exports = [
    path(
        f"{prefix}.{fmt}",
        viewset.as_view({"get": "list"}, pagination_class=None, basename=basename),  # an export is never paged
        {"format": fmt},
        name=f"{basename}-list-{fmt}",
    )
    for prefix, viewset, basename in router.registry
    for fmt in ("csv", "ndjson")
]

# The schema's pages to read: no OPTIONS, which their HTML template has no page for (it was a 500).
PAGE = {"url_name": "schema", "http_method_names": ["get", "head"]}

# The resources first: they are most of the traffic, and Django tries the patterns in order. No resource's
# pattern matches another route here (a detail is one segment: ``jurisdictions/<slug>/`` is not its timeline).
urlpatterns = [
    path("", include(router.urls)),
    path("jurisdictions/<slug:slug>/timeline/", JurisdictionTimelineView.as_view(), name="jurisdiction-timeline"),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("stats/grants/", GrantStatsView.as_view(), name="stats-grants"),
    path("stats/determinations/", DeterminationStatsView.as_view(), name="stats-determinations"),
    path("stats/rulings/", RulingStatsView.as_view(), name="stats-rulings"),
    path("stats/sources/", SourceStatsView.as_view(), name="stats-sources"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", checked_query(SpectacularSwaggerView.as_view(**PAGE)), name="docs"),
    path("redoc/", checked_query(SpectacularRedocView.as_view(**PAGE)), name="redoc"),
    path("dataset/", DatasetView.as_view(), name="dataset"),
    path("dataset/<str:version>.zip", ReleaseView.as_view(), name="release"),
    path("feeds/", include("reports.feeds")),
    *exports,
]

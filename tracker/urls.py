from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from cities.views import JurisdictionViewSet, OfficialViewSet, PolicyViewSet
from letters.feeds import APIRootView
from letters.views import (
    ChangesView,
    CourtCaseViewSet,
    DesignationListViewSet,
    DesignationViewSet,
    EventViewSet,
    GrantAwardViewSet,
    JurisdictionTimelineView,
    LetterViewSet,
    RulingViewSet,
    StatsView,
)
from tracker.views import DatasetView, ReleaseView, SourceViewSet, health

router = DefaultRouter()
router.APIRootView = APIRootView
router.register("jurisdictions", JurisdictionViewSet)
router.register("officials", OfficialViewSet)
router.register("policies", PolicyViewSet)
router.register("letters", LetterViewSet)
router.register("grants", GrantAwardViewSet)
router.register("cases", CourtCaseViewSet)
router.register("rulings", RulingViewSet)
router.register("events", EventViewSet)
router.register("designation-lists", DesignationListViewSet)
router.register("designations", DesignationViewSet)
router.register("sources", SourceViewSet)

api = [
    path("jurisdictions/<slug:slug>/timeline/", JurisdictionTimelineView.as_view(), name="jurisdiction-timeline"),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("dataset/", DatasetView.as_view(), name="dataset"),
    path("dataset/<str:version>.zip", ReleaseView.as_view(), name="release"),
    path("feeds/", include("letters.feeds")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health", health, name="health"),
    path("api/v1/", include(api)),
]

handler400 = "tracker.exceptions.bad_request"
handler404 = "tracker.exceptions.not_found"
handler500 = "tracker.exceptions.server_error"

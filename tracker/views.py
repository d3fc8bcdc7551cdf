from functools import wraps

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers

from tracker.exceptions import json_error
from tracker.filters import SourceFilter
from tracker.models import Source
from tracker.params import normalize
from tracker.serializers import SourceSerializer
from tracker.viewsets import TrackerViewSet

# Views beside the resources, as the root lists them: name → URL name (and its arguments, as a template).
ROOT_EXTRAS = {
    "jurisdiction-timeline": ("jurisdiction-timeline", ["{slug}"]),
    "changes": ("changes", []),
    "stats": ("stats", []),
    "stats-grants": ("stats-grants", []),
    "stats-determinations": ("stats-determinations", []),
    "stats-rulings": ("stats-rulings", []),
    "schema": ("schema", []),
    "docs": ("docs", []),
}


class APIRootView(routers.APIRootView):
    """Every endpoint of the API: the resources, then the timeline, changes, stats, schema and docs."""

    def get(self, request, *args, **kwargs):
        normalize(request, {"format"}, set())
        response = super().get(request, *args, **kwargs)
        for key, (name, args) in ROOT_EXTRAS.items():
            # A template's braces survive as such: clients fill in {slug}.
            url = request.build_absolute_uri(reverse(name, args=["SLUG"] * len(args)))
            response.data[key] = url.replace("SLUG", "{slug}")
        return response


class SchemaView(SpectacularAPIView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        normalize(request, {"format", "lang"}, set())
        return super().get(request, *args, **kwargs)


def checked_query(view):
    """A page that takes no query parameters says so, instead of ignoring them."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.GET:
            name = next(iter(request.GET))
            return json_error(request, 400, "invalid", f"Unknown parameter {name!r}: this page takes none.")
        return view(request, *args, **kwargs)

    return checked


@require_safe
@never_cache
def health(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class SourceViewSet(TrackerViewSet):
    """The published sources every fact cites."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering = ["title"]
    ordering_fields = ["title", "published_on", "updated_at"]
    search_fields = ["title", "publisher", "url"]
    facet_fields = ["kind", "publisher"]

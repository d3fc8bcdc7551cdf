from functools import wraps
from typing import ClassVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers, serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from tracker.api.exceptions import json_error
from tracker.api.filters import SourceFilter
from tracker.api.params import normalize
from tracker.api.renderers import FastJSONRenderer
from tracker.api.serializers import SourceSerializer
from tracker.api.viewsets import MethodCheckedFirst, TrackerViewSet
from tracker.models import Release, Source
from tracker.reading.links import absolute_url
from tracker.releases import current_release, release_name
from tracker.serving.cache import degraded
from tracker.serving.replicas import PRIMARY, read_the_primary, reading_from

# Views beside the resources, as the root lists them: name → URL name (and its arguments, as a template).
ROOT_EXTRAS = {
    "jurisdiction-timeline": ("jurisdiction-timeline", ["{slug}"]),
    "changes": ("changes", []),
    "stats": ("stats", []),
    "stats-grants": ("stats-grants", []),
    "stats-determinations": ("stats-determinations", []),
    "stats-rulings": ("stats-rulings", []),
    "stats-sources": ("stats-sources", []),
    "schema": ("schema", []),
    "docs": ("docs", []),
    "dataset": ("dataset", []),
    "feed-changes": ("feed-changes", []),
    "feed-letters": ("feed-letters", []),
    "feed-rulings": ("feed-rulings", []),
    "feed-designations": ("feed-designations", []),
    "feed-timeline": ("feed-timeline", ["{slug}"]),
}


class APIRootView(MethodCheckedFirst, routers.APIRootView):
    """Every endpoint of the API: the resources, then the timeline, changes, stats, schema and docs."""

    def get(self, request, *args, **kwargs):
        normalize(request, {"format"}, set())
        # DRF's own root links follow the request's host: each is rebuilt from its path.
        response = Response({key: absolute_url(request, reverse(name)) for key, name in self.api_root_dict.items()})
        for key, (name, args) in ROOT_EXTRAS.items():
            # A template's braces survive as such: clients fill in {slug}.
            url = absolute_url(request, reverse(name, args=["SLUG"] * len(args)))
            response.data[key] = url.replace("SLUG", "{slug}")  # after absolute_url, which may escape braces
        return response


class OncePerProcessGenerator(SchemaGenerator):
    """The schema changes only with the code: generated once per process, version and language, as it
    costs seconds of CPU that any anonymous client could otherwise make a worker spend at will."""

    generated: ClassVar[dict] = {}

    def get_schema(self, request=None, public=False):
        key = (self.api_version, translation.get_language(), public)
        if key not in self.generated:
            self.generated[key] = super().get_schema(request=request, public=public)
        return self.generated[key]


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, YAML unless asked for JSON; an error is the API's JSON error, not YAML."""

    generator_class = OncePerProcessGenerator

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer, request.accepted_media_type = FastJSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

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


@never_cache
def health(request):
    """200 when the database answers, 503 when it does not; ``cache`` says whether Redis is shared now
    (``unavailable``: each process counts and caches on its own until it answers, tracker/serving/cache.py)."""
    if request.method not in ("GET", "HEAD"):
        response = json_error(request, 405, "method_not_allowed", f"Method {request.method!r} not allowed.")
        response["Allow"] = "GET, HEAD"
        return response
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503, headers={"Retry-After": "5"})
    if not settings.REDIS_URL:
        return JsonResponse({"status": "ok", "database": "ok", "cache": "per-process"})
    cache.has_key("health")
    if degraded():
        return JsonResponse({"status": "degraded", "database": "ok", "cache": "unavailable"})
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok"})


class SourceViewSet(TrackerViewSet):
    """The published sources every fact cites."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering = ["title"]
    ordering_fields = ["title", "published_on", "updated_at"]
    search_fields = ["title", "publisher", "url"]
    facet_fields = ["kind", "publisher"]


class ReleaseSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where to download the zip.")

    class Meta:
        model = Release
        fields = ["version", "url", "built_at", "size", "sha256", "tables", "files"]

    def get_url(self, release: Release) -> str:
        return absolute_url(self.context["request"], reverse("release", kwargs={"version": release.version}))


@extend_schema(
    responses=inline_serializer(
        "Releases",
        {"version": serializers.CharField(allow_null=True), "results": ReleaseSerializer(many=True)},
    )
)
class DatasetView(MethodCheckedFirst, GenericAPIView):
    """The dataset's releases, newest first: the current data version's, built on the first request, and
    every earlier one, so that a published analysis can be reproduced."""

    renderer_classes = [FastJSONRenderer]
    pagination_class = None

    def get(self, request):
        normalize(request, {"format"}, set())
        try:
            current = current_release(source_url=absolute_url(request, reverse("api-root")))
        except OSError:
            response = json_error(request, 503, "release_unavailable", "The release could not be built; retry soon.")
            response["Retry-After"] = "60"
            return response
        releases = Release.objects.defer("archive")
        context = {"request": request}
        return Response(
            {
                "version": current.version if current else None,
                "results": ReleaseSerializer(releases, many=True, context=context).data,
            }
        )


@extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
class ReleaseView(MethodCheckedFirst, GenericAPIView):
    """One release as a zip: tracker.sqlite, metadata.json, csv/, datapackage.json, README.md, SHA256SUMS."""

    renderer_classes = [FastJSONRenderer]

    def get(self, request, version: str):
        normalize(request, set(), set())
        release = Release.objects.filter(version=version).first()
        if release is None and reading_from.get() != PRIMARY:
            read_the_primary("release")  # stored there, not replayed here yet
            release = Release.objects.filter(version=version).first()
        if release is None:
            raise NotFound(f"No release {version!r}; the list is at /api/v1/dataset/.")
        response = HttpResponse(bytes(release.archive), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{release_name(release.version)}.zip"'
        return response

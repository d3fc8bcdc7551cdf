from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from tracker.filters import SourceFilter
from tracker.models import Release, Source
from tracker.releases import current_release, release_name
from tracker.renderers import FastJSONRenderer
from tracker.serializers import SourceSerializer
from tracker.viewsets import TrackerViewSet, check_query_params


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

    lookup_field = "pk"
    queryset = Source.objects.order_by("title")
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering = ["title"]
    ordering_fields = ["title", "updated_at"]
    search_fields = ["title", "publisher", "url"]
    facet_fields = ["kind", "publisher"]


class ReleaseSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where to download the zip.")

    class Meta:
        model = Release
        fields = ["version", "url", "built_at", "size", "sha256", "tables", "files"]

    def get_url(self, release: Release) -> str:
        return self.context["request"].build_absolute_uri(reverse("release", kwargs={"version": release.version}))


@extend_schema(
    responses=inline_serializer(
        "Releases",
        {"version": serializers.CharField(allow_null=True), "results": ReleaseSerializer(many=True)},
    )
)
class DatasetView(GenericAPIView):
    """The dataset's releases, newest first: the current data version's, built on the first request, and
    every earlier one, so that a published analysis can be reproduced."""

    renderer_classes = [FastJSONRenderer]
    pagination_class = None

    def get(self, request):
        check_query_params(request, {"format"})
        current = current_release(source_url=request.build_absolute_uri(reverse("api-root")))
        releases = Release.objects.defer("archive")
        context = {"request": request}
        return Response(
            {
                "version": current.version if current else None,
                "results": ReleaseSerializer(releases, many=True, context=context).data,
            }
        )


@extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
class ReleaseView(GenericAPIView):
    """One release as a zip: tracker.sqlite, metadata.json, csv/, datapackage.json, README.md, SHA256SUMS."""

    renderer_classes = [FastJSONRenderer]

    def get(self, request, version: str):
        check_query_params(request, set())
        release = Release.objects.filter(version=version).first()
        if release is None:
            raise NotFound(f"No release {version!r}; the list is at /api/v1/dataset/.")
        response = HttpResponse(bytes(release.archive), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{release_name(release.version)}.zip"'
        return response

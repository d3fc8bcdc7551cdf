from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tracker.filters import SourceFilter
from tracker.models import Source
from tracker.serializers import SourceSerializer
from tracker.viewsets import TrackerViewSet


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

from cities.filters import JurisdictionFilter, OfficialFilter, PolicyFilter
from cities.geojson import PlaceGeoJSONRenderer
from cities.models import Jurisdiction, Official, Policy
from cities.serializers import JurisdictionSerializer, OfficialSerializer, PolicySerializer
from tracker.api.viewsets import TrackerViewSet


class JurisdictionViewSet(TrackerViewSet):
    """US cities, counties and states, with their sources."""

    queryset = Jurisdiction.objects.select_related("parent")
    serializer_class = JurisdictionSerializer
    filterset_class = JurisdictionFilter
    ordering = ["name"]
    ordering_fields = ["name", "slug", "population", "updated_at"]
    search_fields = ["name", "slug"]
    facet_fields = ["state", "kind"]
    renderer_classes = [*TrackerViewSet.renderer_classes, PlaceGeoJSONRenderer]


class OfficialViewSet(TrackerViewSet):
    """Mayors, governors, county executives and other officials."""

    queryset = Official.objects.select_related("jurisdiction")
    serializer_class = OfficialSerializer
    filterset_class = OfficialFilter
    ordering = ["name"]
    ordering_fields = ["name", "slug", "term_start", "term_end", "updated_at"]
    search_fields = ["name", "title"]
    facet_fields = ["role", "party", "jurisdiction__state"]


class PolicyViewSet(TrackerViewSet):
    """Local and state policies limiting cooperation with immigration enforcement."""

    queryset = Policy.objects.select_related("jurisdiction")
    serializer_class = PolicySerializer
    filterset_class = PolicyFilter
    ordering = ["title"]
    ordering_fields = ["title", "slug", "enacted_on", "ended_on", "updated_at"]
    search_fields = ["title", "summary", "citation"]
    facet_fields = ["kind", "jurisdiction__state"]

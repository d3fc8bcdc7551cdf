"""GeoJSON for the lists that name one place per row: the point comes from the jurisdiction."""

from cities.models import Jurisdiction
from tracker.api.geojson import GeoJSONRenderer, Point


class PlaceGeoJSONRenderer(GeoJSONRenderer):
    """Finds the rows' jurisdictions' points in one query per streamed batch."""

    def locate(self, slugs: set[str]) -> dict[str, Point]:
        places = Jurisdiction.objects.filter(slug__in=slugs, latitude__isnull=False, longitude__isnull=False)
        return {
            slug: (float(longitude), float(latitude), point_kind)
            for slug, latitude, longitude, point_kind in places.values_list(
                "slug", "latitude", "longitude", "point_kind"
            )
        }

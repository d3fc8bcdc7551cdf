"""GeoJSON: a filtered list as one FeatureCollection, streamed, so a newsroom map is one request.

Each row becomes a Feature whose properties are flat, one value each, as the CSV's columns are
(``flat_columns``: ``jurisdiction``, ``jurisdiction_name``, ``jurisdiction_state``, sources as their URLs),
so spreadsheets and geopandas take them as columns; ``properties=nested`` gives the row as JSON gives it.
Its point is the row's own ``latitude``/``longitude`` (a jurisdiction), or
its jurisdiction's (a grant row, a designation): embedded with
``expand=jurisdiction``, or found by ``locate``, which a subclass that knows
where places are overrides. A row whose place has no point is a Feature with
``"geometry": null``, as RFC 7946 allows, so nothing is silently dropped.
"""

from collections.abc import Iterable, Iterator

import orjson
from rest_framework.exceptions import ValidationError

from tracker.api.renderers import Column, StreamingRenderer, flat_columns, json_default, readable

Point = tuple[float, float, str]  # longitude, latitude, what the point marks


def coordinate(value) -> float | None:
    return None if value in (None, "") else float(value)


def own_point(row: dict) -> Point | None:
    longitude, latitude = coordinate(row.get("longitude")), coordinate(row.get("latitude"))
    if longitude is None or latitude is None:
        return None
    return longitude, latitude, row.get("point_kind") or ""


def scalar(value):
    """A property's value as one value: a number, text, true/false or null as it is, anything else as the
    CSV's cell reads it (a feed's addresses, for one)."""
    return readable(value) if isinstance(value, dict | list) else value


def place_slug(row: dict) -> str | None:
    """The slug of the jurisdiction a row names, if it names one."""
    place = row.get("jurisdiction")
    return place.get("slug") if isinstance(place, dict) else None


PROPERTIES = "properties"


def nested(request) -> bool:
    """Whether the request asks for the properties as JSON gives them (``properties=nested``)."""
    shape = request.query_params.get(PROPERTIES, "flat")
    if shape not in ("flat", "nested"):
        raise ValidationError({PROPERTIES: ["Choose flat (one value per property, the default) or nested."]})
    return shape == "nested"


class GeoJSONRenderer(StreamingRenderer):
    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        context = renderer_context or {}
        response = context.get("response")
        if response is not None and response.status_code >= 400:
            return orjson.dumps(data, default=json_default)  # errors keep their one JSON shape
        columns = None if nested(context["request"]) else flat_columns(context["view"].get_serializer())
        return b"".join(self.stream([data if isinstance(data, list) else [data]], columns))

    def locate(self, slugs: set[str]) -> dict[str, Point]:
        """Points of the jurisdictions with these slugs; this base knows none."""
        return {}

    def stream(self, batches: Iterable[list[dict]], columns: list[Column] | None = None) -> Iterator[bytes]:
        """The features; flat properties read by ``columns``, or the rows as they are when there are none."""
        yield b'{"type":"FeatureCollection","features":['
        separator = b""
        for rows in batches:
            wanted = {slug for row in rows if own_point(row) is None and (slug := place_slug(row))}
            found = self.locate(wanted) if wanted else {}
            features = [orjson.dumps(self.feature(row, found, columns), default=json_default) for row in rows]
            if features:
                yield separator + b",".join(features)
                separator = b","
        yield b"]}"

    def feature(self, row: dict, found: dict[str, Point], columns: list[Column] | None) -> dict:
        point = own_point(row)
        properties = dict(row) if columns is None else {header: scalar(read(row)) for header, read in columns}
        if point is None:
            place = row.get("jurisdiction")
            point = own_point(place) if isinstance(place, dict) else None
            point = point or found.get(place_slug(row) or "")
            if point is not None:
                properties["point_kind"] = point[2]
        feature: dict = {"type": "Feature"}
        identifier = row.get("slug", row.get("id"))
        if identifier is not None:  # RFC 7946: an id is a string or a number, else left out
            feature["id"] = identifier
        feature["geometry"] = None if point is None else {"type": "Point", "coordinates": [point[0], point[1]]}
        feature["properties"] = properties
        return feature

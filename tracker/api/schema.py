"""The OpenAPI schema says exactly what the API takes and gives, through drf-spectacular's public hooks.

- Every query parameter follows the shared vocabulary (tracker/api/params.py): list filters are arrays sent
  as repeated parameters (``state=CA&state=IL``; a comma list works too), empty values are refused.
- A JSON operation answers JSON only; each list's CSV and NDJSON are operations of their own
  (``/api/v1/letters.csv``), so a generated client parses each with the right parser.
- Reads need no token; writes need an editor's.
- Every operation lists the error answers it can give, in the API's one error shape.
- Every write takes an Idempotency-Key (tracker/api/idempotency.py).
"""

import django_filters
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from tracker.api import idempotency
from tracker.api.params import MAX_LENGTH
from tracker.api.renderers import StreamingRenderer
from tracker.api.serializers import TrackerSerializer
from tracker.api.viewsets import TrackerViewSet
from tracker.reading import asof
from tracker.reading.fields import SourceBriefSerializer

# Numbers a filter takes (tracker.api.filters.NUMBER_BOUNDS).
NUMBER_LIMIT = 10**15


class LinkFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "tracker.api.serializers.LinkField"

    def map_serializer_field(self, auto_schema, direction):
        target = self.target
        if direction == "request":
            link = build_basic_type(OpenApiTypes.STR)
            link["description"] = f"The related record's {target.key_name}."
        else:
            properties = {
                target.key_name: build_basic_type(OpenApiTypes.STR),
                "name": build_basic_type(OpenApiTypes.STR),
            }
            if target.with_state:
                properties["state"] = build_basic_type(OpenApiTypes.STR)
            properties["url"] = build_basic_type(OpenApiTypes.URI)
            link = {"type": "object", "description": "A related record; expand= embeds it in full where offered."}
            link["properties"] = properties
        return {**link, "nullable": True} if target.allow_null else link


class SelfLinkFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "tracker.api.serializers.SelfLinkField"

    def map_serializer_field(self, auto_schema, direction):
        return {**build_basic_type(OpenApiTypes.URI), "readOnly": True}


class SourceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "tracker.api.serializers.SourceField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"oneOf": [build_basic_type(OpenApiTypes.INT), build_basic_type(OpenApiTypes.URI)]}
        return auto_schema.resolve_serializer(SourceBriefSerializer, direction).ref


# The API's one error shape (tracker/api/exceptions.py), JSON whatever format the operation answers in.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status code, repeated."},
        "error": {"type": "string", "description": "A stable machine-readable code: invalid, not_found, throttled…"},
        "detail": {"type": "string", "description": "What went wrong, for people."},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "Only on 400: each parameter or field named, with what is wrong and what is allowed.",
        },
    },
    "required": ["status", "error", "detail"],
}

ERRORS = {
    "400": "Bad input: an unknown, repeated, empty, malformed or over-long parameter, or an invalid body.",
    "401": "An invalid token, or none where a write needs an editor's.",
    "403": "The token's user may not do this (editors add and change; only superusers delete).",
    "404": "No record with this key.",
    "409": "The database refused the change (a unique key, or other records depend on this one), or a request "
    "with this Idempotency-Key is still being answered: retry once it is.",
    "412": "If-Match does not match the record's current ETag: it changed since you read it.",
    "415": "The body is not JSON (Content-Type: application/json).",
    "422": "This Idempotency-Key was used for another request (another method, path or body): send a new key.",
    "429": "Past the rate limit; retry after Retry-After seconds.",
    "503": "The database is unavailable; retry after Retry-After seconds.",
}


IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_LENGTH, "pattern": f"^{idempotency.KEY.pattern}$"},
    OpenApiParameter.HEADER,
    description="Makes a retry safe: a new random value (a UUID) per write, sent again with its retries. A retry "
    "with the same key, method, path and body within 24 hours gets the first successful answer again, with "
    f"{idempotency.REPLAYED}: true, and changes nothing. The same key with another request is a 422; while "
    "its first request is still being answered, a 409. Keys are each client's own.",
)
REPLAYED_HEADER = {
    "description": "true: the kept answer to an earlier request with this Idempotency-Key; nothing was changed.",
    "schema": {"type": "string", "enum": ["true"]},
}


def text(**schema) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH, **schema}


def array(items: dict) -> dict:
    return {"type": "array", "minItems": 1, "items": items}


def filter_schema(filter_) -> dict:
    """A filter's parameter as the vocabulary reads it."""
    if isinstance(filter_, django_filters.BaseCSVFilter):
        item = text()
        choices = filter_.extra.get("choices")
        if choices is not None:
            item["enum"] = [value for value, _ in choices]
        elif isinstance(filter_, django_filters.NumberFilter):
            item = {"type": "number", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT}
        return array(item)
    if isinstance(filter_, django_filters.IsoDateTimeFilter):
        return {"type": "string", "format": "date-time"}
    if isinstance(filter_, django_filters.DateFilter):
        return {"type": "string", "format": "date"}
    if isinstance(filter_, django_filters.NumberFilter):
        # A NumberFilter compares decimals: fiscal_year_min=2017.5 is a valid bound.
        return {"type": "number", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT}
    if isinstance(filter_, django_filters.BooleanFilter):
        return {"type": "boolean"}
    return text()


def parameter(name: str, schema: dict, description: str) -> OpenApiParameter:
    # Arrays go as repeated parameters (explode), which is what generated clients send.
    explode = True if schema.get("type") == "array" else None
    return OpenApiParameter(name, schema, description=description, explode=explode)


class TrackerAutoSchema(AutoSchema):
    def export_format(self) -> str | None:
        """csv or ndjson for an export operation (letters.csv), else None."""
        tail = self.path.rstrip("/").rpartition(".")[2]
        return tail if tail in ("csv", "ndjson") else None

    def map_renderers(self, attribute):
        renderers = [renderer for renderer in self.view.get_renderers() if renderer.format != "api"]
        fmt = self.export_format()
        chosen = [renderer for renderer in renderers if renderer.format == (fmt or "json")] or renderers[:1]
        return [getattr(renderer, attribute) for renderer in chosen]

    def get_tags(self) -> list[str]:
        """One group per resource, its formats in it (``letters.csv`` beside ``letters/``)."""
        return [tag.split(".")[0] for tag in super().get_tags()]

    def get_auth(self):
        # Anyone reads without a token; a token still works (and counts against its own rate).
        return [] if self.method in SAFE_METHODS else super().get_auth()

    def get_response_serializers(self):
        main = super().get_response_serializers()
        if self.export_format():
            renderer = next(r for r in self.view.get_renderers() if r.format == self.export_format())
            assert isinstance(renderer, StreamingRenderer)
            main = OpenApiResponse(OpenApiTypes.STR, description=f"The whole filtered list as {renderer.format}.")
        return main

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        view = self.view
        if self.method not in SAFE_METHODS and isinstance(view, TrackerViewSet):
            return [*parameters, IDEMPOTENCY_KEY]
        if self.method != "GET" or not hasattr(view, "facet_fields"):
            return parameters
        filterset = getattr(view, "filterset_class", None)
        serializer = view.get_serializer_class()
        names = list(serializer().fields)
        expandable = list(getattr(serializer.Meta, "expandable", {}))
        shape = {
            "fields": (array(text(enum=names)), "Fields to return (repeat, or a comma list)."),
            "omit": (array(text(enum=names)), "Fields to leave out (repeat, or a comma list)."),
        }
        if expandable:
            shape["expand"] = (array(text(enum=expandable)), "Related records to embed in full.")
        if view.action == "list":
            for name, filter_ in filterset.base_filters.items() if filterset else ():
                description = str(filter_.extra.get("help_text", ""))
                shape[name] = (filter_schema(filter_), description)
            if view.search_fields:
                shape["search"] = (text(maxLength=200), f"Full-text search in {', '.join(view.search_fields)}.")
            if not self.export_format():
                shape["facet"] = (array(text(enum=view.facet_fields)), "Count the values of these fields.")
        if asof.as_of_param(view.queryset):
            shape[asof.PARAM] = (
                {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]},
                f"The records as they stood then, from the audit history. {asof.HELP} A time before the "
                "history begins is a 400 naming the first time it can answer; a time to come reads as now.",
            )
        shape["public"] = (
            {"type": "boolean", "default": False},
            "For a signed-in editor: read what the public reads (published versions) instead of the working "
            "versions (drafts and pending edits). Anonymous clients always read published versions.",
        )
        return parameters + [parameter(name, schema, description) for name, (schema, description) in shape.items()]


class URLFieldExtension(OpenApiSerializerFieldExtension):
    """A URL that may be left blank (where no copy exists) is "" or a URI: "" itself is no "uri"."""

    target_class = "rest_framework.fields.URLField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "format": "uri"}
        if self.target.max_length is not None:
            schema["maxLength"] = self.target.max_length
        if self.target.allow_blank:
            # No "type" at the top: drf-spectacular would add the URL validator's "format": "uri" there,
            # which "" fails whatever the branches say.
            return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
        return schema


def error_codes(method: str) -> list[str]:
    codes = ["400", "401", "404", "429", "503"]  # 401: a token that is wrong, even on a read
    if method not in ("GET", "HEAD", "OPTIONS"):
        codes += ["403", "409"] + (["415"] if method != "DELETE" else [])
    if method in ("PUT", "PATCH", "DELETE"):
        codes.append("412")
    if method not in ("GET", "HEAD", "OPTIONS"):
        codes.append("422")
    return sorted(codes)


def tidy_components(result, generator, request, public):
    """Postprocessing: a record as read may lack any of its fields (fields=, omit=), and every operation
    lists the errors it can answer with, as JSON, whatever the format of its rows."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    readable = {cls.__name__.removesuffix("Serializer") for cls in all_subclasses(TrackerSerializer)}
    for name, component in schemas.items():
        if name in readable:
            component.pop("required", None)
    schemas["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] == "query":
                    refuse_empty(param["schema"])
            for code in error_codes(method.upper()):
                operation.setdefault("responses", {})[code] = {"description": ERRORS[code], "content": error}
            if any(parameter["name"] == idempotency.HEADER for parameter in operation.get("parameters", [])):
                for code, response in operation["responses"].items():
                    if code.startswith("2"):
                        response.setdefault("headers", {})[idempotency.REPLAYED] = REPLAYED_HEADER
    return result


def refuse_empty(schema: dict) -> None:
    """A query parameter given empty is a 400 (tracker/api/params.py): its text, or each item of its list, is
    at least one character, wherever it was declared."""
    for text_schema in (schema, schema.get("items", {}), *schema.get("anyOf", [])):
        if text_schema.get("type") == "string" and not {"format", "enum"} & set(text_schema):  # "" is neither
            text_schema.setdefault("minLength", 1)


def all_subclasses(cls) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in (direct, *all_subclasses(direct))}

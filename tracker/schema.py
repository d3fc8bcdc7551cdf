"""OpenAPI details drf-spectacular cannot infer: link objects, the shared parameters, who may
call anonymously, and the error answers every operation can give."""

import django_filters
from drf_spectacular.extensions import (
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
    OpenApiViewExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from tracker.serializers import SourceBriefSerializer, TrackerSerializer


class LinkFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "tracker.serializers.LinkField"

    def map_serializer_field(self, auto_schema, direction):
        link = {
            "type": "object",
            "description": "A related record; expand= embeds it in full where offered.",
            "properties": {
                self.target.lookup_field: build_basic_type(OpenApiTypes.STR),
                "name": build_basic_type(OpenApiTypes.STR),
                "url": build_basic_type(OpenApiTypes.URI),
            },
        }
        if direction == "request":
            link = build_basic_type(OpenApiTypes.STR)
            link["description"] = f"The related record's {self.target.lookup_field}."
        return {**link, "nullable": True} if self.target.allow_null else link


class SelfLinkFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "tracker.serializers.SelfLinkField"

    def map_serializer_field(self, auto_schema, direction):
        return {**build_basic_type(OpenApiTypes.URI), "readOnly": True}


class SourceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "tracker.serializers.SourceField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"oneOf": [build_basic_type(OpenApiTypes.INT), build_basic_type(OpenApiTypes.URI)]}
        return auto_schema.resolve_serializer(SourceBriefSerializer, direction).ref


class ChangeExtension(OpenApiSerializerExtension):
    """A change's key is a slug, or an integer id for grants, designations and sources."""

    target_class = "letters.views.ChangeSerializer"

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        description = schema["properties"]["key"].get("description", "")
        schema["properties"]["key"] = {"oneOf": [{"type": "string"}, {"type": "integer"}], "description": description}
        return schema


class TimelineViewExtension(OpenApiViewExtension):
    """The timeline answers one object (the place, and its entries), not a bare list."""

    target_class = "letters.views.JurisdictionTimelineView"

    def view_replacement(self):
        from letters.views import TimelineEntrySerializer

        timeline = inline_serializer(
            "Timeline",
            {
                "jurisdiction": serializers.SlugField(help_text="The place's slug."),
                "name": serializers.CharField(help_text="The place's name."),
                "entries": TimelineEntrySerializer(many=True),
            },
        )

        @extend_schema(responses=timeline)
        class Fixed(self.target_class):
            pass

        return Fixed


class ErrorSerializer(serializers.Serializer):
    """The API's one error shape (tracker/exceptions.py)."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    error = serializers.CharField(help_text="A stable machine-readable code: invalid, not_found, throttled…")
    detail = serializers.CharField(help_text="What went wrong, for people.")
    errors = serializers.DictField(
        required=False,
        help_text="Only on 400: each parameter or field named, with what is wrong and what is allowed.",
    )

    class Meta:
        ref_name = "Error"


ERRORS = {
    "400": "Bad input: an unknown, repeated, malformed or over-long parameter, or an invalid body.",
    "401": "No or an invalid token (writes need an editor's token).",
    "403": "The token's user may not do this (editors add and change; only superusers delete).",
    "404": "No record with this key, or an unknown format=.",
    "409": "The database refused the change (a unique key, or other records depend on this one).",
    "412": "If-Match does not match the record's current ETag: it changed since you read it.",
    "415": "The body is not JSON (Content-Type: application/json).",
    "429": "Past the rate limit; retry after Retry-After seconds.",
    "503": "The database is unavailable; retry after Retry-After seconds.",
}


class TrackerAutoSchema(AutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and isinstance(serializer, TrackerSerializer):
            # fields= and omit= may leave out any field of a record read.
            schema.pop("required", None)
        # A blank URL (allowed where no copy exists) is "", which is no "uri".
        for name, field in serializer.fields.items():
            prop = schema["properties"].get(field.field_name or name)
            if isinstance(field, serializers.URLField) and field.allow_blank and prop and prop.get("format") == "uri":
                del prop["format"]
                prop["anyOf"] = [{"format": "uri"}, {"maxLength": 0}]
        return schema

    def _get_parameters(self):
        parameters = super()._get_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        filters = filterset.base_filters if filterset else {}
        for parameter in parameters:
            if parameter["in"] != "query":
                continue
            name, schema = parameter["name"], parameter.get("schema", {})
            if isinstance(filters.get(name), django_filters.NumberFilter) and schema.get("type") == "integer":
                # A NumberFilter compares decimals: fiscal_year_min=2017.5 is a valid bound.
                schema["type"] = "number"
            if name == "page_size" and schema.get("type") == "integer":
                schema.setdefault("minimum", 1)
                schema.setdefault("maximum", 1000)
            if self.empty_means_absent(name, parameter.get("required", False), filters):
                parameter["allowEmptyValue"] = True
        return parameters

    def empty_means_absent(self, name: str, required: bool, filters: dict) -> bool:
        """Whether `name=` is the same as leaving the parameter out.

        django-filter and Django forms read an empty value as "not given" (as an
        HTML form sends it), and so do format= and count=; the paginator's
        page_size=, cursor= and ordering= refuse it.
        """
        if name in filters or name in ("format", "count"):
            return True
        return not filters and not self._is_list_view() and not required

    def get_auth(self):
        # Every resource reads anonymously (DjangoModelPermissionsOrAnonReadOnly, IsAuthenticatedOrReadOnly).
        auths = list(super().get_auth())
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def error_codes(self) -> list[str]:
        # 404 also answers an unknown format= (DRF's content negotiation).
        codes = ["400", "404", "429", "503"]
        if self.method not in SAFE_METHODS:
            codes += ["401", "403", "409"] + (["415"] if self.method != "DELETE" else [])
        if self.method in ("PUT", "PATCH", "DELETE"):
            codes.append("412")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            responses.setdefault(code, {**response, "description": ERRORS[code]})
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        view = self.view
        if not hasattr(view, "facet_fields") or self.method != "GET":
            return parameters
        serializer = view.get_serializer_class()
        names = ", ".join(serializer.Meta.fields)
        expandable = ", ".join(getattr(serializer.Meta, "expandable", {})) or "none"
        parameters += [
            OpenApiParameter("fields", str, description=f"Comma list of fields to return, from: {names}."),
            OpenApiParameter("omit", str, description=f"Comma list of fields to leave out, from: {names}."),
            OpenApiParameter("expand", str, description=f"Comma list of related records to embed: {expandable}."),
            OpenApiParameter("format", str, enum=["json", "csv", "ndjson"], description="Response format."),
        ]
        if self._is_list_view():
            facets = ", ".join(view.facet_fields)
            parameters.append(
                OpenApiParameter("facet", str, description=f"Comma list of fields to count values of: {facets}.")
            )
        return parameters

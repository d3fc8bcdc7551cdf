"""OpenAPI details drf-spectacular cannot infer: link objects, the shared parameters, who may
call anonymously, and the error answers every operation can give."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from tracker.serializers import SourceBriefSerializer


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


class SourceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "tracker.serializers.SourceField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"oneOf": [build_basic_type(OpenApiTypes.INT), build_basic_type(OpenApiTypes.URI)]}
        return auto_schema.resolve_serializer(SourceBriefSerializer, direction).ref


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
    "404": "No record with this key.",
    "409": "The database refused the change (a unique key, or other records depend on this one).",
    "412": "If-Match does not match the record's current ETag: it changed since you read it.",
    "429": "Past the rate limit; retry after Retry-After seconds.",
    "503": "The database is unavailable; retry after Retry-After seconds.",
}


class TrackerAutoSchema(AutoSchema):
    def get_auth(self):
        # Every resource reads anonymously (DjangoModelPermissionsOrAnonReadOnly, IsAuthenticatedOrReadOnly).
        auths = list(super().get_auth())
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def error_codes(self) -> list[str]:
        codes = ["400", "429", "503"]
        if "{" in self.path:
            codes.append("404")
        if self.method not in SAFE_METHODS:
            codes += ["401", "403", "409"]
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

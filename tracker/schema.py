"""OpenAPI details drf-spectacular cannot infer: link objects and the shared parameters."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

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


class TrackerAutoSchema(AutoSchema):
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

"""The base of every API resource: viewsets stay declarations.

A resource declares queryset, serializer_class, filterset_class,
ordering_fields, search_fields and facet_fields; this base adds what every
list shares: strict query parameters, facets, streamed CSV/NDJSON and
Last-Modified.
"""

from itertools import islice

from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from tracker.filters import SearchFilter, StrictOrderingFilter
from tracker.pagination import KeysetPagination
from tracker.renderers import CSVRenderer, FastJSONRenderer, NDJSONRenderer, StreamingRenderer
from tracker.serializers import comma_list

MAX_PARAM_LENGTH = 1000
SHAPE_PARAMS = ("format", "fields", "omit", "expand")
LIST_PARAMS = ("cursor", "page_size", "count", "ordering", "search", "facet")
STREAM_CHUNK = 2000


def check_query_params(request, allowed: set[str]) -> None:
    """Unknown, repeated, over-long or NUL-bearing parameters are a 400, never ignored."""
    for name, values in request.query_params.lists():
        if name not in allowed:
            choices = ", ".join(sorted(allowed))
            raise ValidationError({name: [f"Unknown parameter. Allowed here: {choices}."]})
        if len(values) > 1:
            raise ValidationError({name: ["Given more than once; pass several values as a comma list."]})
        if len(values[0]) > MAX_PARAM_LENGTH:
            raise ValidationError({name: [f"At most {MAX_PARAM_LENGTH} characters."]})
        if "\x00" in values[0]:
            raise ValidationError({name: ["Contains a NUL character."]})


class TrackerViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    pagination_class = KeysetPagination
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer, CSVRenderer, NDJSONRenderer]
    filter_backends = [
        DjangoFilterBackend,
        SearchFilter,
        StrictOrderingFilter,
    ]
    ordering_fields: list[str] = []
    search_fields: list[str] = []
    facet_fields: list[str] = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_params(request)

    def allowed_params(self) -> set[str]:
        if self.action != "list":
            return set(SHAPE_PARAMS)
        filters = set(self.filterset_class.base_filters) if self.filterset_class else set()
        return filters | set(SHAPE_PARAMS) | set(LIST_PARAMS)

    def check_query_params(self, request) -> None:
        check_query_params(request, self.allowed_params())

    def get_serializer(self, *args, **kwargs):
        params = self.request.query_params
        kwargs.update(fields=comma_list(params.get("fields")), omit=comma_list(params.get("omit")))
        kwargs["expand"] = comma_list(params.get("expand"))
        return super().get_serializer(*args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        expandable = getattr(self.get_serializer_class().Meta, "expandable", {})
        expand = [name for name in comma_list(self.request.query_params.get("expand")) if name in expandable]
        if expand:
            queryset = queryset.prefetch_related(*(f"{name}__sources" for name in expand))
        return queryset

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if isinstance(request.accepted_renderer, StreamingRenderer):
            return self.stream(queryset, request.accepted_renderer)
        facets = self.facets(queryset)
        page = self.paginate_queryset(queryset)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        if facets is not None:
            response.data["facets"] = facets
        if page:
            response["Last-Modified"] = http_date(max(row.updated_at for row in page).timestamp())
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["Last-Modified"] = http_date(instance.updated_at.timestamp())
        return response

    def facets(self, queryset) -> dict | None:
        """``facet=state,kind``: counts of each value over the whole filtered list."""
        names = comma_list(self.request.query_params.get("facet"))
        if not names:
            return None
        unknown = [name for name in names if name not in self.facet_fields]
        if unknown:
            choices = ", ".join(self.facet_fields) or "none"
            raise ValidationError({"facet": [f"Cannot facet on {unknown[0]!r}. Choose from: {choices}."]})
        base = queryset.order_by()
        return {
            name: [
                {"value": row[name], "count": row["count"]}
                for row in base.values(name).annotate(count=Count("pk", distinct=True)).order_by("-count", name)
            ]
            for name in names
        }

    def stream(self, queryset, renderer: StreamingRenderer) -> StreamingHttpResponse:
        """The whole filtered list, in chunks, so no table sits in memory."""
        ordering = self.filter_backends[-1]().get_ordering(self.request, queryset, self)
        rows = queryset.order_by(*ordering, "pk").iterator(chunk_size=STREAM_CHUNK)

        def serialized():
            while chunk := list(islice(rows, STREAM_CHUNK)):
                yield from self.get_serializer(chunk, many=True).data

        response = StreamingHttpResponse(renderer.stream(serialized()), content_type=renderer.media_type)
        name = self.basename
        response["Content-Disposition"] = f'attachment; filename="{name}.{renderer.format}"'
        return response

"""The base of every API resource: viewsets stay declarations.

A resource declares queryset, serializer_class, filterset_class,
ordering_fields, search_fields and facet_fields; this base adds what every
resource shares: strict query parameters, facets, streamed CSV/NDJSON,
Last-Modified, and writes for editors (model permissions, If-Match, one
transaction per write, database conflicts as JSON errors).
"""

import datetime
import threading
from contextlib import ExitStack, contextmanager
from hashlib import md5
from itertools import islice

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import quote_etag
from django.utils.http import http_date
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from tracker import review
from tracker.api import idempotency
from tracker.api.conditional import check_if_match, etag
from tracker.api.filters import SearchFilter, StrictOrderingFilter, list_filters
from tracker.api.geojson import PROPERTIES, GeoJSONRenderer, nested
from tracker.api.pagination import KeysetPagination
from tracker.api.params import comma_list, normalize, parse_bool
from tracker.api.renderers import CSVRenderer, FastJSONRenderer, NDJSONRenderer, StreamingRenderer, flat_columns
from tracker.api.responsecache import shared_cache
from tracker.models import IdempotencyKey, cited_sources, cites_sources, prefetch_sources, with_sources
from tracker.reading.asof import FilterBackend, as_of_param, requested_moment, snapshot, stamp
from tracker.reading.links import absolute_url
from tracker.reading.plan import children_read_as_rows, expanded_sources
from tracker.reading.rows import as_rows
from tracker.reading.statements import CompiledQuery
from tracker.review.revisions import pending, root_of
from tracker.review.working import current, editing, reading_working_versions, working_versions
from tracker.serving.dataversion import write_count
from tracker.serving.replicas import PRIMARY

SHAPE_PARAMS = {"fields", "omit", "expand"}
# An editor reads the working versions (drafts and pending edits); public=true shows what the public reads.
PUBLIC_PARAM = "public"
REVIEW_STEP = {"review_state", "change_reason"}  # a write of these alone is a review step
READ_SERIALIZERS = threading.local()  # ReadViewSet.read_serializer
PAGE_PARAMS = {"cursor", "page_size", "count", "facet"}
LIST_PARAMS = PAGE_PARAMS | {"ordering", "search"}
STREAM_CHUNK = 2000


def kept_per_shape(cls, name: str) -> dict:
    """A resource class's own dict ``name`` of what it builds once per shape and keeps (not its parent's)."""
    if name not in cls.__dict__:
        setattr(cls, name, {})
    return cls.__dict__[name]


def relation_of(lookup) -> str:
    """The relation a prefetch starts from ("letter_recipients" for "letter_recipients__sources")."""
    return getattr(lookup, "prefetch_through", lookup).split("__")[0]


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


@contextmanager
def conflicts_as_errors():
    """A rule the database enforces at commit time is a 409 naming it, never a 500."""
    try:
        yield
    except ProtectedError as error:
        names = sorted({str(obj) for obj in error.protected_objects})[:5]
        raise Conflict(f"Other records depend on this one: {'; '.join(names)}.") from error
    except IntegrityError as error:
        raise Conflict(f"The database refused the change: {error}".splitlines()[0]) from error


class MethodCheckedFirst:
    """A method the route does not have is a 405 before anything else looks at the request.

    DRF authenticates and checks permissions first, so an anonymous PUT on a
    list or POST on stats/ would be a 401, as if logging in could make it work.
    """

    def initial(self, request, *args, **kwargs):
        if getattr(self, request.method.lower(), None) is None:
            self.http_method_not_allowed(request)
        super().initial(request, *args, **kwargs)


class ReadViewSet(MethodCheckedFirst, viewsets.ReadOnlyModelViewSet):
    """Lists and details with the shared conventions; writes are added by ``TrackerViewSet``.

    A resource is keyed as its model says (``api_lookup``); its list's order is ``ordering``.
    """

    pagination_class = KeysetPagination
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer, CSVRenderer, NDJSONRenderer]
    filter_backends = [
        FilterBackend,
        SearchFilter,
        StrictOrderingFilter,
    ]
    ordering: list[str] = []
    ordering_fields: list[str] = []
    search_fields: list[str] = []
    facet_fields: list[str] = []
    as_of: datetime.datetime | None = None  # the time as_of= asks for (tracker/reading/asof.py)
    read_key: tuple | None = None  # the shape of the kept serializer this read shows its records with
    # A parent's field on each child row (a letter's date on its recipients): the queryset's annotations,
    # given again to an as_of= snapshot, whose rows come from the history tables.
    parent_columns: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.queryset is not None:
            cls.lookup_field = cls.queryset.model.api_lookup()

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self.working:
            response = super().dispatch(request, *args, **kwargs)
            if current.get() is not None and hasattr(response, "render"):
                response.render()  # while the working versions are there to read
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is not None:  # None: a method this route does not allow, answered 405
            normalize(request, *self.query_vocabulary())
            self.as_of = requested_moment(request, self.queryset.model)
            if self.reads_working_versions(request):
                self.working.enter_context(working_versions())
                self.answer_at_published_key()

    def reads_working_versions(self, request) -> bool:
        """An editor's read, unless it asks for what the public reads (``public=true``)."""
        public = parse_bool(PUBLIC_PARAM, request.query_params.get(PUBLIC_PARAM))  # not true or false: a 400, for all
        return request.method in SAFE_METHODS and reading_working_versions(request.user) and not public

    def answer_at_published_key(self) -> None:
        """A record renamed in its pending revision still answers at its published slug."""
        key = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        pk = key and self.lookup_field == "slug" and current.get().published_pk(self.queryset.model, key)
        if pk:
            self.kwargs[self.lookup_field] = self.queryset.model._default_manager.get(pk=pk).slug

    def query_vocabulary(self) -> tuple[set[str], set[str]]:
        """The parameters this request may take, and which of them are lists."""
        formats = (set() if self.format_kwarg else {"format"}) | {PUBLIC_PARAM}
        if isinstance(self.request.accepted_renderer, GeoJSONRenderer):
            formats.add(PROPERTIES)
        if self.action in ("create", "update", "partial_update", "destroy"):
            return set(), set()
        if self.action != "list":
            return SHAPE_PARAMS | formats | as_of_param(self.queryset), SHAPE_PARAMS
        filters = self.filterset_class.base_filters
        lists = list_filters(self.filterset_class)
        # An export is the whole filtered list: page parameters would have no effect, so they are refused.
        paged = set() if isinstance(self.request.accepted_renderer, StreamingRenderer) else PAGE_PARAMS
        allowed = (
            set(filters) | SHAPE_PARAMS | formats | (LIST_PARAMS - PAGE_PARAMS) | paged | as_of_param(self.queryset)
        )
        return allowed, lists | SHAPE_PARAMS | {"facet"}

    def filter_queryset(self, queryset):
        # Filters, search and ordering are for lists; a detail is found by its key alone.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer(self, *args, **kwargs):
        params = self.request.query_params
        kwargs.update(fields=comma_list(params.get("fields")), omit=comma_list(params.get("omit")))
        kwargs["expand"] = comma_list(params.get("expand"))
        return super().get_serializer(*args, **kwargs)

    def read_serializer(self, many: bool = False):
        """The serializer a read shows its records with. Building one (DRF's fields copied, a step planned for
        each field) cost as much as reading the record, and it depends only on the resource, the shape asked
        for (fields=, omit=, expand=), the format and the base of its links: so each thread keeps those it
        built (the last 256) and gives one each request's context. Not the browsable API's: its forms read
        the serializer's record after the view has answered."""
        params, request = self.request.query_params, self.request
        if isinstance(request.accepted_renderer, BrowsableAPIRenderer):
            return self.get_serializer(many=many)
        shape = tuple(params.get(name) for name in sorted(SHAPE_PARAMS))
        key = self.read_key = (type(self), many, shape, request.accepted_renderer.format, absolute_url(request, "/"))
        kept = getattr(READ_SERIALIZERS, "kept", None)
        if kept is None or len(kept) >= 256:
            kept = READ_SERIALIZERS.kept = {}
        if key not in kept:
            kept[key] = self.get_serializer(many=many)
        kept[key]._context = self.get_serializer_context()  # private: see shown()
        return kept[key]

    def get_queryset(self):
        hidden = self.hidden_relations()
        expandable = getattr(self.get_serializer_class().Meta, "expandable", {})
        expand = sorted({name for name in comma_list(self.request.query_params.get("expand")) if name in expandable})
        cited = cites_sources(self.queryset.model) and "sources" not in hidden
        queryset = self.base_queryset(cited, () if self.as_of else tuple(expand))
        # Only what the answer shows: fields=slug,subject reads no recipients and no sources. Children the
        # serializer reads as plain rows are not prefetched, except from the history for an as_of= snapshot.
        skipped = hidden if self.as_of else hidden | self.row_relations()
        if skipped:
            # private: a queryset's prefetch lookups; Django has no public accessor (only prefetch_related(None)).
            lookups = [lookup for lookup in queryset._prefetch_related_lookups if relation_of(lookup) not in skipped]
            queryset = queryset.prefetch_related(None).prefetch_related(*lookups)
        if self.as_of:
            queryset = queryset.prefetch_related(*(prefetch_sources(f"{name}__sources") for name in expand))
            return snapshot(queryset, self.as_of, self.parent_columns)
        return queryset

    @classmethod
    def base_queryset(cls, cited: bool, expand: tuple[str, ...]):
        """The resource's queryset with its records' sources (``cited``) and its ``expand``ed records' sources
        read in its own query, on their keys (``TrackerSerializer.get_attribute``). The annotations are
        resolved once per class and shape; each request gets a clone, as DRF's ``queryset.all()``."""
        bases = kept_per_shape(cls, "_bases")
        if (cited, expand) not in bases:
            queryset = with_sources(cls.queryset) if cited else cls.queryset
            related = {name: queryset.model._meta.get_field(name) for name in expand}
            bases[cited, expand] = queryset.annotate(
                **{expanded_sources(name): cited_sources(f.related_model, f.attname) for name, f in related.items()}
            )
        return bases[cited, expand].all()

    def row_relations(self) -> set[str]:
        return {child.relation for child in children_read_as_rows(self.get_serializer_class()).values()}

    def hidden_relations(self) -> set[str]:
        """The relations a read's fields=/omit= leave out of its answer (by the names the queryset uses)."""
        params = self.request.query_params
        if self.action not in ("list", "retrieve") or not ({"fields", "omit"} & set(params)):
            return set()
        declared = self.get_serializer_class()._declared_fields  # private: DRF's declared fields, not built ones

        def relation(name: str) -> str:
            return (getattr(declared.get(name), "source", None) or name).split(".")[0]

        related = {relation_of(lookup) for lookup in self.queryset._prefetch_related_lookups}  # private: as above
        related |= {"sources"} if cites_sources(self.queryset.model) else set()
        chosen = comma_list(params.get("fields"))
        if chosen:
            return related - {relation(name) for name in chosen}
        return related & {relation(name) for name in comma_list(params.get("omit"))}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.as_of and response.status_code == status.HTTP_200_OK:
            stamp(response, self.as_of)
        return response

    @shared_cache
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if isinstance(request.accepted_renderer, StreamingRenderer):
            return self.stream(queryset, request.accepted_renderer)
        facets = self.facets(queryset)
        serializer = self.read_serializer(many=True)
        page = self.paginate_queryset(self.as_records(queryset, serializer.child))
        response = self.get_paginated_response(self.shown(serializer, page))
        if facets is not None:
            response.data["facets"] = facets
        if page and hasattr(page[0], "updated_at"):  # the court directory keeps no times
            response["Last-Modified"] = http_date(max(row.updated_at for row in page).timestamp())
        return response

    @shared_cache
    def retrieve(self, request, *args, **kwargs):
        serializer = self.read_serializer()
        record = self.get_record(serializer)
        response = Response(self.shown(serializer, record))
        if hasattr(record, "updated_at"):
            response["Last-Modified"] = http_date(record.updated_at.timestamp())
        return response

    def shown(self, serializer, records):
        """``records`` as ``serializer`` shows them. A kept serializer (``read_serializer``) lets go of them."""
        serializer.instance = records
        data = serializer.data
        if self.read_key is not None:
            # private: DRF keeps a serializer's context and its made data there, with no public way to set or
            # drop them; a kept serializer takes each request's context and must not answer with the last data.
            serializer.instance, serializer._context = None, {}
            del serializer._data
        return data

    def get_record(self, serializer):
        """What a detail shows: its row when its answer is all columns (``record_columns``), found by a query
        compiled once per resource and expand= (tracker.reading.statements); else (fields=, omit=, as_of=, a record
        with children, the browsable API's forms) the model instance, as DRF finds it."""
        params = self.request.query_params
        if self.as_of or {"fields", "omit"} & set(params) or self.read_key is None:
            return self.get_object()
        expand = tuple(sorted(set(comma_list(params.get("expand")))))
        details = kept_per_shape(type(self), "_details")
        if expand not in details:
            queryset = self.get_queryset()
            names = self.record_columns(queryset, serializer)
            unprefetched, lookup = queryset.prefetch_related(None), self.lookup_field
            details[expand] = names and CompiledQuery(
                queryset.model, lambda key: as_rows(unprefetched.filter(**{lookup: key}).order_by(), *names)
            )
        if not details[expand]:
            return self.get_object()
        meta = self.queryset.model._meta
        try:  # a key that cannot be one is a 404, as DRF's get_object_or_404 has it
            key = (meta.pk if self.lookup_field == "pk" else meta.get_field(self.lookup_field)).to_python(
                self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            )
            if isinstance(key, int) and not -(2**63) <= key < 2**63:
                raise ValueError("no record has a key beyond the database's largest integer")
            found = details[expand].rows(key)
        except (TypeError, ValueError, DjangoValidationError):
            raise Http404 from None
        if not found:
            raise Http404(f"No {meta.object_name} matches the given query.")  # as Django's get_object_or_404
        return found[0]

    @classmethod
    def row_keys(cls) -> tuple[str, ...]:
        """What a page's keys and Last-Modified read of a record."""
        return tuple(name.lstrip("-") for name in (*cls.ordering, *cls.ordering_fields, "pk", "updated_at"))

    def record_columns(self, queryset, serializer) -> tuple[str, ...] | None:
        """The columns to read ``queryset`` as rows, no model instances, when its plan reads them so
        (``ReadPlan.record_columns``); None otherwise (children, a method field, an ``as_of`` snapshot)."""
        return None if self.as_of else serializer.read_plan.record_columns(queryset, self.row_keys())

    def as_records(self, queryset, serializer):
        """``queryset`` read as plain records (``record_columns``), or as it was."""
        names = self.record_columns(queryset, serializer)
        return queryset if names is None else as_rows(queryset.prefetch_related(None), *names)

    def facets(self, queryset) -> dict | None:
        """``facet=state,kind``: counts of each value over the whole filtered list."""
        names = comma_list(self.request.query_params.get("facet"))
        if not names:
            return None
        unknown = [name for name in names if name not in self.facet_fields]
        if unknown:
            choices = ", ".join(self.facet_fields) or "none"
            raise ValidationError({"facet": [f"Cannot facet on {unknown[0]!r}. Choose from: {choices}."]})
        # Filters across to-many relations are semi-joins, so no row is counted twice.
        base = queryset.order_by()
        return {
            name: [
                {"value": row[name], "count": row["count"]}
                for row in base.values(name).annotate(count=Count("pk")).order_by("-count", name)
            ]
            for name in names
        }

    def stream(self, queryset, renderer: StreamingRenderer) -> StreamingHttpResponse:
        """The whole filtered list, in chunks, so no table sits in memory."""
        serializer = self.get_serializer()
        columns = flat_columns(serializer)  # a bad fields=/omit=/expand= is a 400 now, not mid-stream
        if isinstance(renderer, GeoJSONRenderer) and nested(self.request):
            columns = None
        ordering = self.filter_backends[-1]().get_ordering(self.request, queryset, self)
        queryset = self.as_records(queryset.order_by(*ordering, "pk"), serializer)
        # Records whose every cell PostgreSQL can write: their CSV lines come from the database as they are.
        line = serializer.read_plan.csv_line(queryset) if isinstance(renderer, CSVRenderer) else None
        if line is not None:
            queryset = queryset.annotate(csv_line=line).values_list("csv_line", flat=True)

        working = current.get() is not None

        def chunks():
            # One transaction holds the server-side cursor: PostgreSQL declares it without HOLD (no copy of
            # the whole result first), and PgBouncer's transaction pooling keeps it on one server connection.
            # An editor's export reads the working versions, written in again in its own transaction.
            with working_versions() if working else transaction.atomic(using=queryset.db):
                rows = queryset.iterator(chunk_size=STREAM_CHUNK)
                while chunk := list(islice(rows, STREAM_CHUNK)):
                    yield chunk if line is not None else self.get_serializer(chunk, many=True).data

        stream = renderer.stream_lines(chunks(), columns) if line is not None else renderer.stream(chunks(), columns)
        content_type = f"{renderer.media_type}; charset={renderer.charset}"
        response = StreamingHttpResponse(headers_first(stream), content_type=content_type)
        name = reverse(f"{self.basename}-list").rstrip("/").rpartition("/")[2]  # the resource: letters.csv
        response["Content-Disposition"] = f'attachment; filename="{name}.{renderer.format}"'
        # A whole export is not hashed before it is sent: its tag is the data version and the request (as its
        # links are built), so ConditionalGetMiddleware answers a repeat with 304 before any row is read.
        key = f"{write_count(queryset.db)} {renderer.format} {absolute_url(self.request)}"
        if working:  # the editor's working versions: the pending revisions as they are now
            key += " " + current.get().fingerprint
        response["ETag"] = quote_etag(md5(key.encode(), usedforsecurity=False).hexdigest())
        return response


def headers_first(stream):
    """A streamed export's headers go out before any row is read. The database can fail while it streams
    (a dropped connection, a restart): once the 200 is sent, the server can only cut the connection, so the
    client sees a truncated transfer (no final chunk) and knows to retry. Were the headers still unsent,
    gunicorn would answer with its own HTML 500 page instead. gunicorn (as wsgiref) sends the headers at the
    first write, even an empty one."""
    yield b""
    yield from stream


class ModelPermissionsOrAnonReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's rule, answering a read before it builds the view's queryset to look up the model: a read
    needs no permission (DRF's map gives GET, HEAD and OPTIONS none), so every request may read."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or super().has_permission(request, view)


class TrackerViewSet(ReadViewSet, viewsets.ModelViewSet):
    """A resource editors write: model permissions, If-Match, one transaction per write, safe retries."""

    # Anonymous clients read; writes need the model's add/change/delete permission
    # (the editors group has add and change; only superusers delete).
    permission_classes = [ModelPermissionsOrAnonReadOnly]
    idempotency_key: IdempotencyKey | None = None  # where this write keeps its answer (tracker/api/idempotency.py)

    def dispatch(self, request, *args, **kwargs):
        """A write sent with an Idempotency-Key is one transaction with its kept answer."""
        if request.method in SAFE_METHODS or idempotency.HEADER not in request.headers:
            return super().dispatch(request, *args, **kwargs)
        try:
            with conflicts_as_errors(), transaction.atomic(using=PRIMARY):
                response = super().dispatch(request, *args, **kwargs)
                if self.idempotency_key is not None:
                    idempotency.keep(self.idempotency_key, response)
        except Conflict as conflict:  # a rule the database checks at commit (a deferred foreign key)
            response = self.finalize_response(self.request, self.handle_exception(conflict), *args, **kwargs)
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        key = idempotency.sent_key(request)  # after authentication: a key is the client's own
        if key is not None:
            self.idempotency_key = idempotency.claim(request, key)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response
        return super().handle_exception(exc)

    def create(self, request, *args, **kwargs):
        with conflicts_as_errors(), editing(request.user) as working:
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            instance = serializer.save()
            working.stage(serializer.validated_data.get("change_reason"))
            return self.written(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if isinstance(request.data, dict) and "review_state" in request.data and set(request.data) <= REVIEW_STEP:
            return self.review(request.data["review_state"])
        with conflicts_as_errors(), editing(request.user) as working:
            self.answer_at_published_key()
            instance = self.locked_object()
            serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
            serializer.is_valid(raise_exception=True)
            serializer.save()
            working.stage(serializer.validated_data.get("change_reason"))
            return self.written(instance, status.HTTP_200_OK)

    def review(self, state) -> Response:
        """A review step (``{"review_state": "checked"}``) for the record's pending revision (tracker/review)."""
        field = self.get_serializer().fields["review_state"]
        try:
            state = field.run_validation(state)
        except ValidationError as error:
            raise ValidationError({"review_state": error.detail}) from error
        with working_versions():
            self.answer_at_published_key()
            model, pk = root_of(self.get_object())
        with conflicts_as_errors():
            review.step(model, pk, self.request.user, state)
        with working_versions():
            return self.written(model._default_manager.get(pk=pk), status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        """A superuser's deletion takes effect at once, the record's pending revision with it; an editor's
        draft that was never published is discarded."""
        with working_versions() as working:
            self.answer_at_published_key()
            record = self.get_object()
            draft = root_of(record) == (type(record), record.pk) and not working.is_published(type(record), record.pk)
        with transaction.atomic(), conflicts_as_errors():
            revision = pending(type(record), record.pk)
            if revision is not None and revision.model is type(record):
                revision.delete()
            if not draft:
                review.deletion_reason(request, self.locked_object()).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def locked_object(self):
        """The record, locked until the write commits, after checking If-Match against it."""
        instance = self.get_object()
        self.get_queryset().model.objects.select_for_update().filter(pk=instance.pk).exists()
        instance = self.get_object()
        check_if_match(self.request, etag(self.get_serializer(instance).data))
        return instance

    def written(self, instance, status_code: int) -> Response:
        """The record as a GET would now show it, with its new ETag."""
        data = self.get_serializer(self.get_queryset().get(pk=instance.pk)).data
        return Response(data, status=status_code, headers={"ETag": etag(data), "Location": data.get("url", "")})

"""Keyset (cursor) pagination that stays exact and fast at any depth.

DRF's CursorPagination keeps only the first ordering field in the cursor and
falls back to an OFFSET for ties, capped at 1,000 rows: with many rows sharing
a date it skips or repeats rows. Here the cursor carries the ordering value
and the primary key, so each page is one indexed range scan, however deep.
"""

import datetime
import json
import re
from base64 import urlsafe_b64decode, urlsafe_b64encode
from binascii import Error as Base64Error
from contextlib import nullcontext

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, models, transaction
from django.db.models import F, Value
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from tracker.api.params import parse_bool, parse_whole_number
from tracker.reading.links import absolute_url

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000

# What every cursor the API makes looks like (its state as JSON, in URL-safe base64), as the schema declares it.
CURSOR = re.compile(r"[A-Za-z0-9_-]+={0,2}")
CURSOR_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 1000, "pattern": f"^{CURSOR.pattern}$"}
CURSOR_HELP = "Use a cursor as a next, previous or resume link gives it."


def read_cursor(encoded: str, name: str = "cursor"):
    """The state a cursor carries. Text that is no cursor at all is a 400; a well-formed one the API did not
    make (or no longer can read) is a 404, as a page no link leads to, as DRF's own cursors answer."""
    if not CURSOR.fullmatch(encoded):
        raise ValidationError({name: [f"Invalid cursor: not URL-safe base64. {CURSOR_HELP}"]})
    try:
        return json.loads(urlsafe_b64decode(encoded.encode("ascii")))
    except (ValueError, Base64Error):
        raise unknown_cursor() from None


def unknown_cursor() -> NotFound:
    return NotFound(f"Invalid cursor: no page starts there. {CURSOR_HELP}")


class KeysetPagination(CursorPagination):
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    count_query_param = "count"
    ordering = "-pk"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return parse_whole_number(self.page_size_query_param, raw, 1, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = absolute_url(request)
        self.count = self.total(queryset, request)
        queryset = self.keyed(queryset, request, view)
        cursor = self.decode_cursor(request)
        self.reverse = bool(cursor and cursor["r"])
        results = self.rows_after(queryset, cursor)
        self.page = results[: self.page_size]
        more = len(results) > self.page_size
        if self.reverse:
            self.page.reverse()
        self.set_positions(more, bool(cursor))
        return self.page

    def total(self, queryset, request) -> int | None:
        """The number of rows, when the request asks for it (``count=true``: it costs a COUNT)."""
        wanted = parse_bool(self.count_query_param, request.query_params.get(self.count_query_param))
        return queryset.count() if wanted else None

    def keyed(self, queryset, request, view):
        """The queryset ready to be paged, and its keys (``self.keys``): the ordering's first field, then the
        primary key to break ties."""
        first = self.get_ordering(request, queryset, view)[0]
        queryset, first = sortable(queryset, first)
        pk = getattr(queryset, "_pk_attr", "pk")  # an as_of= snapshot pages by its records' id, not its history rows'
        self.keys = (first, f"-{pk}" if first.startswith("-") else pk)
        return queryset

    def rows_after(self, queryset, cursor: dict | None) -> list:
        """A page and one row more (whether there is a next page), from the cursor's position on, in the
        direction it reads."""
        order = [flip(key) for key in self.keys] if self.reverse else list(self.keys)
        queryset = queryset.order_by(*order)
        try:
            if cursor:
                queryset = queryset.filter(after(order, cursor["p"]))
            # A cursor's value the column cannot hold fails in the database. In a transaction (a test's, or
            # ATOMIC_REQUESTS') it is read inside a savepoint, so the transaction stays usable for the 400;
            # in autocommit the failed statement spoils nothing, and no BEGIN/COMMIT is spent on a read.
            savepoint = cursor and transaction.get_connection(queryset.db).in_atomic_block
            with transaction.atomic(using=queryset.db) if savepoint else nullcontext():
                return list(queryset[: self.page_size + 1])
        except (DjangoValidationError, DataError, ValueError, TypeError) as error:
            if not cursor:
                raise
            raise unknown_cursor() from error

    def set_positions(self, more: bool, from_cursor: bool) -> None:
        """Where the next and the previous pages start (None: no such page)."""
        has_next = self.page and (more or self.reverse)
        has_previous = self.page and ((from_cursor and not self.reverse) or (more and self.reverse))
        self.next_position = self.position(self.page[-1]) if has_next else None
        self.previous_position = self.position(self.page[0]) if has_previous else None

    def position(self, instance) -> list:
        return [str(getattr(instance, key.lstrip("-"))) for key in self.keys]

    def decode_cursor(self, request) -> dict | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        cursor = read_cursor(encoded, self.cursor_query_param)
        valid = isinstance(cursor, dict) and cursor.get("r") in (0, 1)
        valid = valid and isinstance(cursor.get("p"), list) and len(cursor["p"]) == 2
        if not (valid and all(isinstance(value, str) for value in cursor["p"])):
            raise unknown_cursor()
        return cursor

    def link(self, position, reverse: bool) -> str | None:
        if position is None:
            return None
        encoded = urlsafe_b64encode(json.dumps({"r": int(reverse), "p": position}).encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_next_link(self) -> str | None:
        return self.link(self.next_position, reverse=False)

    def get_previous_link(self) -> str | None:
        return self.link(self.previous_position, reverse=True)

    def get_paginated_response(self, data) -> Response:
        body = {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        if self.count is not None:
            body = {"count": self.count, **body}
        return Response(body)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"] = {"type": "integer", "description": "Total rows; only with count=true."}
        response["properties"]["facets"] = {
            "type": "object",
            "description": "Counts per value over the whole filtered list; only with facet=.",
            "additionalProperties": {"type": "array", "items": {"type": "object"}},
        }
        return response

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"] = {**CURSOR_SCHEMA}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"Rows per page, 1 to {self.max_page_size} (default {self.page_size})."
        parameters.append(
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": "Include the total number of rows (costs a COUNT).",
                "schema": {"type": "boolean"},
            }
        )
        return parameters


SORT_KEY = "sort_key"


# What stands for "unknown" when ordering by a column that may be empty: below every real value.
def lowest(field):
    if isinstance(field, models.DateField):
        return datetime.date.min
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return -(10**15)
    return ""


def sortable(queryset, key: str):
    """The queryset and the key to order it by, with a nullable column's NULLs as its lowest value.

    A row comparison with NULL is neither true nor false, so a page boundary at a row of unknown
    amount would lose the rows after it.
    """
    name = key.lstrip("-")
    annotation = queryset.query.annotations.get(name)
    field = getattr(annotation, "target", None) if annotation is not None else None
    if field is None and annotation is None:
        field = queryset.model._meta.get_field(name) if name != "pk" else None
    if field is None or not field.null:
        return queryset, key
    queryset = queryset.annotate(**{SORT_KEY: Coalesce(F(name), Value(lowest(field), output_field=field))})
    return queryset, key.replace(name, SORT_KEY)


def flip(key: str) -> str:
    return key[1:] if key.startswith("-") else f"-{key}"


def after(order: list[str], position: list[str]):
    """Rows strictly after `position` in `order`: the row comparison (a, pk) > (x, y).

    As one row comparison the database seeks straight to (x, y) in the
    (a, id) index; spelled out as a > x OR (a = x AND pk > y) it scans from
    the start of a's range.
    """
    (first, key), (value, pk) = order, position
    comparison = TupleLessThan if first.startswith("-") else TupleGreaterThan
    return comparison((F(first.lstrip("-")), F(key.lstrip("-"))), (value, pk))

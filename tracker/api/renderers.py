"""CSV and NDJSON renderers that stream whole filtered tables row by row."""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

import orjson
from django.urls import reverse
from rest_framework.relations import ManyRelatedField
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.serializers import ListSerializer

from tracker.reading.links import absolute_url
from tracker.reading.spreadsheet import neutralize

# A CSV column: its header, and how to read its cell from a record as the API serializes it.
Column = tuple[str, Callable[[dict], object]]


def json_default(value):
    # Money and other decimals are JSON numbers, written exactly as the database holds them.
    return orjson.Fragment(str(value)) if isinstance(value, Decimal) else str(value)


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer with orjson doing the encoding; indented when asked (the browsable API asks)."""

    encodes_json_fragments = True  # JSON kept whole by the database goes in as it is (orjson.Fragment)

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        compact = orjson.dumps(data, default=json_default)
        if not self.get_indent(accepted_media_type, renderer_context or {}):
            return compact
        # Read back, so that JSON kept whole (a record's stored JSON) is indented too; amounts keep their digits.
        return orjson.dumps(json.loads(compact, parse_float=Decimal), default=json_default, option=orjson.OPT_INDENT_2)


class StreamingRenderer(BaseRenderer):
    """Renders batches of rows, one chunk of bytes per batch; the viewset feeds it a generator."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Errors and answers that are not a record list (stats, a timeline) still need a body.
        rows = data if isinstance(data, list) else [data]
        return b"".join(self.stream([rows]))

    def stream(self, batches: Iterable[list[dict]], columns: list[Column] | None = None) -> Iterator[bytes]:
        raise NotImplementedError


class NDJSONRenderer(StreamingRenderer):
    media_type = "application/x-ndjson"
    format = "ndjson"
    encodes_json_fragments = True

    def stream(self, batches: Iterable[list[dict]], columns: list[Column] | None = None) -> Iterator[bytes]:
        for rows in batches:
            yield b"".join(orjson.dumps(row, default=json_default) + b"\n" for row in rows)


class CSVRenderer(StreamingRenderer):
    """One row per record, one value per cell (see ``flat_columns``); spreadsheet formulas neutralized."""

    media_type = "text/csv"
    format = "csv"

    def stream(self, batches: Iterable[list[dict]], columns: list[Column] | None = None) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        started = False
        for rows in batches:
            if columns is None:
                if not rows:
                    continue
                columns = [(key, plain(key)) for key in rows[0]]
            if not started:
                writer.writerow([header for header, _ in columns])
                started = True
            writer.writerows([cell(read(row)) for _, read in columns] for row in rows)
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
        if not started and columns is not None:
            writer.writerow([header for header, _ in columns])
            yield buffer.getvalue().encode()

    def stream_lines(self, batches: Iterable[list[str]], columns: list[Column]) -> Iterator[bytes]:
        """The header, then the lines PostgreSQL wrote (tracker/reading/csvsql.py), each ended as csv ends a row."""
        yield from self.stream([], columns)  # no rows: the header alone
        for lines in batches:
            yield "".join(f"{line}\r\n" for line in lines).encode()


def plain(key: str) -> Callable[[dict], object]:
    return lambda row: row.get(key)


def link_key(link: dict | None):
    return None if link is None else link.get("slug", link.get("id"))


def flat_columns(serializer) -> list[Column]:
    """The CSV columns of a record: every value in a cell of its own, nothing packed.

    - a related record is two columns, ``<field>`` (its key) and ``<field>_name``, and a place a third,
      ``<field>_state``;
    - several related records (an event's places) are their keys, space-separated;
    - ``sources`` are the sources' URLs, space-separated;
    - children (a letter's recipients) are ``<field>_count`` and ``<field>_url``, the list of them
      as rows of their own resource.
    """
    return [
        column
        for name, field in serializer.fields.items()
        if not field.write_only  # a write's change_reason: never in an answer
        for column in field_columns(serializer, name, field)
    ]


def field_columns(serializer, name: str, field) -> list[Column]:
    """The CSV columns of one field of a record (see ``flat_columns``)."""
    from tracker.api.serializers import TrackerSerializer
    from tracker.reading.fields import CitedSourcesField, LinkField

    if isinstance(field, CitedSourcesField):
        return [(name, lambda row: " ".join(source["link"] for source in row.get(name) or []))]
    if isinstance(field, LinkField):
        return link_columns(name, field.model)
    if isinstance(field, TrackerSerializer):
        return link_columns(name, field.Meta.model)
    if isinstance(field, ManyRelatedField):
        return [(name, lambda row: " ".join(str(link_key(link)) for link in row.get(name) or []))]
    if isinstance(field, ListSerializer):
        return [
            (f"{name}_count", lambda row: len(row.get(name) or [])),
            (f"{name}_url", children_url(serializer, field)),
        ]
    return [(name, plain(name))]


def link_columns(name: str, model) -> list[Column]:
    """A related record's key and name, and its state when it has one (a place)."""
    columns: list[Column] = [
        (name, lambda row: link_key(row.get(name))),
        (f"{name}_name", lambda row: (row.get(name) or {}).get("name")),
    ]
    if any(model_field.name == "state" for model_field in model._meta.fields):
        columns.append((f"{name}_state", lambda row: (row.get(name) or {}).get("state")))
    return columns


def children_url(parent, field) -> Callable[[dict], str]:
    """Where a record's children are listed as rows: ``/api/v1/letter-recipients/?letter=<slug>``."""
    child_meta = field.child.Meta
    path = reverse(f"{child_meta.model._meta.model_name}-list")
    request = parent.context.get("request")
    base = absolute_url(request, path) if request else path
    key = "slug" if parent.Meta.model.api_lookup() == "slug" else "id"
    return lambda row: f"{base}?{child_meta.parent_field}={row.get(key)}" if row.get(key) is not None else None


def readable(value) -> str:
    if isinstance(value, dict):
        for key in ("name", "title", "slug", "url"):
            if value.get(key):
                return str(value[key])
        return ", ".join(readable(item) for item in value.values() if item not in (None, "", []))
    if isinstance(value, list):
        if value and all(isinstance(item, dict) and "link" in item for item in value):
            return " ".join(item["link"] for item in value)  # sources: their URLs
        return "; ".join(readable(item) for item in value)
    return "" if value is None else str(value)


def cell(value) -> str:
    """Text as it is, unless a spreadsheet would run it as a formula; numbers and dates as they are."""
    if value.__class__ is str:
        return neutralize(value)
    if isinstance(value, int | float | Decimal):
        return str(value)
    return cell(readable(value)) if value is not None else ""

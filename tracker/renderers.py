"""CSV and NDJSON renderers that stream whole filtered tables row by row."""

import csv
import io
from collections.abc import Iterable, Iterator

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer

# Spreadsheets run cells that start with these as formulas.
FORMULA_PREFIXES = ("=", "+", "@", "\t", "\r")


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer with orjson doing the encoding."""

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=str)


class StreamingRenderer(BaseRenderer):
    """Renders batches of rows, one chunk of bytes per batch; the viewset feeds it a generator."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Errors and non-list answers in this format still need a body.
        rows = data if isinstance(data, list) else [data]
        return b"".join(self.stream([rows]))

    def stream(self, batches: Iterable[list[dict]]) -> Iterator[bytes]:
        raise NotImplementedError


class NDJSONRenderer(StreamingRenderer):
    media_type = "application/x-ndjson"
    format = "ndjson"

    def stream(self, batches: Iterable[list[dict]]) -> Iterator[bytes]:
        for rows in batches:
            yield b"".join(orjson.dumps(row, default=str) + b"\n" for row in rows)


class CSVRenderer(StreamingRenderer):
    """Flat columns: a related record becomes its readable name, a list is joined with '; '."""

    media_type = "text/csv"
    format = "csv"

    def stream(self, batches: Iterable[list[dict]]) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        header = None
        for rows in batches:
            if header is None and rows:
                header = list(rows[0])
                writer.writerow(header)
            writer.writerows([cell(row.get(key)) for key in header] for row in rows)
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()


def readable(value) -> str:
    if isinstance(value, dict):
        for key in ("name", "title", "slug", "url"):
            if value.get(key):
                return str(value[key])
        return ", ".join(readable(item) for item in value.values() if item not in (None, "", []))
    if isinstance(value, list):
        return "; ".join(readable(item) for item in value)
    return "" if value is None else str(value)


def cell(value) -> str:
    text = value if value.__class__ is str else readable(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text

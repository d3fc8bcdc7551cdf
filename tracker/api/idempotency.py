"""Safe retries: the ``Idempotency-Key`` header on writes (IETF draft-ietf-httpapi-idempotency-key-header,
as Stripe uses it).

A write (POST, PUT, PATCH, DELETE) sent with a key runs in one transaction that also stores its answer
under the client (its user) and the key, so a write that committed always has its answer kept:

- a retry with the same key, method, path and body is answered as the first request was (status, body,
  Content-Type, ETag, Location) with ``Idempotent-Replayed: true``, and changes nothing;
- the same key with another method, path or body is a 422 naming what differs;
- the same key while its first request is still running is a 409 (on PostgreSQL a transaction-scoped
  advisory lock on the client and key, tried without waiting; SQLite runs one write at a time);
- a key that is empty, longer than 255 characters or not printable ASCII is a 400; it is otherwise
  opaque (the draft's quoted string and Stripe's bare token alike).

Only successful (2xx) answers are kept: any other answer changed nothing (its write rolled back), so
the same request is simply run again, and a corrected one may reuse its key. A key is kept for ``KEPT``
(24 hours): an older one is unknown, and ``manage.py purge_idempotency_keys`` deletes them.
"""

import datetime
import hashlib
import json
import re

from django.db import connections
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS

from tracker.models import IdempotencyKey
from tracker.serving.replicas import PRIMARY

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 255
# Printable ASCII, spaces inside only (HTTP drops them at either end).
KEY = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
KEPT = datetime.timedelta(hours=24)
KEPT_HEADERS = ("Content-Type", "ETag", "Location")


class KeyInUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_use"
    default_detail = f"A request with this {HEADER} is still being answered: retry once it is."


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class Replay(Exception):
    """The kept answer to a retried request, given instead of running it again."""

    def __init__(self, kept: IdempotencyKey):
        super().__init__(kept.key)
        self.response = HttpResponse(bytes(kept.body), status=kept.status, headers={**kept.headers, REPLAYED: "true"})


def sent_key(request) -> str | None:
    """The key a write was sent with, or None. Taken as sent: the draft's quoted string ("…") and Stripe's
    bare token each work, as long as a client's retry sends what it sent first."""
    value = request.headers.get(HEADER) if request.method not in SAFE_METHODS else None
    if value is None:
        return None
    if len(value) > MAX_LENGTH or not KEY.fullmatch(value):
        message = f"Give 1 to {MAX_LENGTH} printable ASCII characters, a new random value (a UUID) per write."
        raise ValidationError({HEADER: [message]})
    return value


def body_fingerprint(request) -> str:
    """The body as canonical JSON (keys sorted, no spacing), hashed: the same data however it was spaced."""
    canonical = json.dumps(request.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(request, key: str) -> IdempotencyKey:
    """The key's row for this request, to keep its answer in (unsaved); ``Replay`` if it was answered.

    Run in the write's transaction: the key stays claimed until that transaction ends."""
    user, fingerprint = request.user, body_fingerprint(request)
    connection = connections[PRIMARY]
    if connection.vendor == "postgresql":
        lock = int.from_bytes(hashlib.sha256(f"{HEADER} {user.pk} {key}".encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock])
            if not cursor.fetchone()[0]:
                raise KeyInUse()
    kept = IdempotencyKey.objects.filter(user=user, key=key).first()
    if kept is not None and kept.created_at < timezone.now() - KEPT:
        kept.delete()
        kept = None
    if kept is None:
        return IdempotencyKey(user=user, key=key, method=request.method, path=request.path, fingerprint=fingerprint)
    if (kept.method, kept.path) != (request.method, request.path):
        raise KeyReused(f"This {HEADER} was used for {kept.method} {kept.path}: send a new key with a new request.")
    if kept.fingerprint != fingerprint:
        raise KeyReused(f"This {HEADER} was used with another body: send a new key with a new request.")
    raise Replay(kept)


def keep(row: IdempotencyKey, response) -> None:
    """Keep a successful answer under its key (the caller's transaction commits it with the write)."""
    if status.is_success(response.status_code):
        response.render()
        row.status, row.body = response.status_code, response.content
        row.headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        row.save()


def purge() -> int:
    """Delete the keys older than ``KEPT``; how many."""
    return IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEPT).delete()[0]

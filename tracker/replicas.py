"""Which database answers a request: a replica for reads, the primary for everything else.

ReplicaMiddleware picks once per request and tracker/routers.py routes every read of the request
there, so one answer never mixes two databases. The primary answers writes, the admin, a client's
reads for READ_YOUR_WRITES_SECONDS after its own write, and any read when no replica is up and
within REPLICA_MAX_LAG_SECONDS. The ``X-Read-From`` header says which, and why.
"""

import hashlib
import random
import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import Error, connections
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

PRIMARY = "default"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Caught up when everything received has been replayed; otherwise behind by the age of the last replayed
# commit (an overestimate after the primary sat idle, which errs towards the primary). NULL: not a standby.
LAG_SQL = """
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""

reading_from: ContextVar[str] = ContextVar("reading_from", default=PRIMARY)
# Why a request the middleware sent to a replica reads the primary after all (an editor's working versions).
moved_to_primary: ContextVar[str] = ContextVar("moved_to_primary", default="")
# Per process: a replica that failed is left alone until then (time.monotonic()), so an outage costs
# each process one failed connection per REPLICA_RETRY_SECONDS, not one per request.
down_until: dict[str, float] = {}


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != PRIMARY]


def replica_lag(alias: str) -> float | None:
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        seconds = cursor.fetchone()[0]
    return None if seconds is None else float(seconds)


def choose_replica() -> tuple[str, str]:
    """A replica within the lag bound, or the primary and the reason none was."""
    reason = "replica-unavailable"
    aliases = replicas()
    for alias in random.sample(aliases, len(aliases)):
        if down_until.get(alias, 0) > time.monotonic():
            continue
        try:
            lag = replica_lag(alias)
        except Error:
            down_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
            connections[alias].close()
            continue
        if lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS:
            return alias, ""
        reason = "replica-lagging"
    return PRIMARY, reason


def writer_key(request: HttpRequest) -> str | None:
    """The client as read-your-writes knows it: its token, or its session (the admin, a browser)."""
    credential = request.headers.get("Authorization") or request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not credential:
        return None
    return "read-your-writes:" + hashlib.sha256(credential.encode()).hexdigest()


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replicas():
            return self.get_response(request)
        alias, reason = self.route(request)
        reading_from.set(alias)
        moved_to_primary.set("")
        response = self.get_response(request)
        if alias != PRIMARY and moved_to_primary.get():
            alias, reason = PRIMARY, moved_to_primary.get()
        response["X-Read-From"] = alias if alias != PRIMARY else f"primary; reason={reason}"
        key = writer_key(request)
        if key and request.method not in SAFE_METHODS and response.status_code < 400:
            # In the shared cache, so the client's next read finds it on any app server.
            cache.set(key, True, settings.READ_YOUR_WRITES_SECONDS)
        return response

    def route(self, request: HttpRequest) -> tuple[str, str]:
        if request.method not in SAFE_METHODS:
            return PRIMARY, "write"
        if request.path.startswith(self.admin_prefix):
            return PRIMARY, "admin"
        key = writer_key(request)
        if key and cache.get(key):
            return PRIMARY, "recent-write"
        return choose_replica()


def read_the_primary(reason: str) -> None:
    """The rest of this request reads the primary (a hot standby cannot take a transaction's writes)."""
    if reading_from.get() != PRIMARY:
        reading_from.set(PRIMARY)
        moved_to_primary.set(reason)


def read_from_primary(**kwargs) -> None:
    # At the end of the response (a streamed one included), not when the view returns.
    reading_from.set(PRIMARY)


request_finished.connect(read_from_primary)

"""Which database answers a request: a replica for reads, the primary for everything else.

ReplicaMiddleware picks once per request and tracker/serving/routers.py routes every read of the request
there, so one answer never mixes two databases. The primary answers writes, the admin, a client's
reads for READ_YOUR_WRITES_SECONDS after its own write, and any read when no replica is up and
within REPLICA_MAX_LAG_SECONDS. The ``X-Read-From`` header says which, and why.
"""

import hashlib
import math
import random
import time
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import Error, connections
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from tracker.serving.cache import degraded

PRIMARY = "default"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Positions in the write-ahead log, in bytes: how far the primary has written, how far a standby has replayed
# (NULL: not a standby).
WRITTEN_SQL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')"
REPLAYED_SQL = """
SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0'), EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""
# While the primary does not answer nothing new is written: a standby is behind by what it received and
# has not replayed yet, as old as its last replayed commit.
OWN_LAG_SQL = """
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""
SAMPLE_SECONDS = 1.0

reading_from: ContextVar[str] = ContextVar("reading_from", default=PRIMARY)
# Why a request the middleware sent to a replica reads the primary after all (an editor's working versions).
moved_to_primary: ContextVar[str] = ContextVar("moved_to_primary", default="")
# Per process: a database that failed is left alone until then (time.monotonic()), so an outage costs
# each process one failed connection per REPLICA_RETRY_SECONDS, not one per request.
down_until: dict[str, float] = {}
# Per process: the primary's written position, sampled at most once a SAMPLE_SECONDS, as (time.monotonic(),
# position), newest last, going back REPLICA_MAX_LAG_SECONDS.
written: deque[tuple[float, float]] = deque()


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != PRIMARY]


def query(alias: str, sql: str) -> tuple:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def sample_the_primary() -> bool:
    """Adds the primary's written position to `written` when the newest sample is older than SAMPLE_SECONDS;
    whether the primary answered."""
    now = time.monotonic()
    if written and now - written[-1][0] < SAMPLE_SECONDS:
        return True
    if down_until.get(PRIMARY, 0) > now:
        return False
    try:
        written.append((now, float(query(PRIMARY, WRITTEN_SQL)[0])))
    except Error:
        down_until[PRIMARY] = now + settings.REPLICA_RETRY_SECONDS
        connections[PRIMARY].close()
        return False
    while written[0][0] < now - settings.REPLICA_MAX_LAG_SECONDS - SAMPLE_SECONDS:
        written.popleft()
    return True


def replica_lag(alias: str) -> float | None:
    """How stale the replica's data may be, in seconds, never less than it is: the age of the newest sample of
    the primary's position the replica has replayed, or of the last commit it replayed (nothing committed
    since is there), whichever is younger. So a replica cut off from its primary falls behind as the
    primary writes on, and an idle one that keeps up reads as fresh. None: not a standby."""
    primary_answers = sample_the_primary()  # first, so that a replica that keeps up has replayed the sample
    replayed, since_commit = query(alias, REPLAYED_SQL)
    if replayed is None:
        return None
    if not primary_answers:
        return float(query(alias, OWN_LAG_SQL)[0])
    reached = next((time.monotonic() - at for at, written_to in reversed(written) if replayed >= written_to), math.inf)
    return reached if since_commit is None else min(reached, max(float(since_commit), 0.0))


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
        if key and degraded():
            return PRIMARY, "cache-unavailable"  # a write of this client's may be marked only in Redis
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

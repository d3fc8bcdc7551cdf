"""The changes feed: every change to the record, in commit order.

It reads the audit history of every tracked model in commit order, as PgQ reads its
queues: in batches between two snapshots of the database. A batch is the history rows written by the
transactions committed in the later snapshot but not in the earlier one (each history row records its
transaction: tracker.models.HistoryRow), so a change made by a long transaction is delivered in the
batch its commit falls in, whatever its time. Within a batch, rows come in (time, model, history id)
order, and a cursor holds the two snapshots and the last row delivered: a sync reaches every change
exactly once however many share a time or however the transactions overlap, and picks up where it
stopped. The first batch of a sync (``since=``) is every row at or after that time committed when it
starts. SQLite serializes writes, so there the feed is one batch in (time, model, history id) order.
"""

import heapq
import json
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Self

from django.apps import apps
from django.db import connections
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.fields.tuple_lookups import TupleGreaterThan

from tracker.api.pagination import read_cursor, unknown_cursor
from tracker.models import Source, TrackedModel
from tracker.reading.fields import api_url

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def tracked_models() -> dict:
    """Every record that keeps a history, by its feed name, but for those shown inside their parent's
    (``TrackedModel.IN_FEEDS``): the apps' records in the order the apps and their models are declared, then the
    core's sources. The order breaks ties between changes made at the same time."""
    models = [model for model in apps.get_models() if issubclass(model, TrackedModel) and model.IN_FEEDS]
    return {model.feed_name(): model for model in sorted(models, key=lambda model: model is Source)}


TRACKED = tracked_models()
RANK = {name: rank for rank, name in enumerate(TRACKED)}

BIGINT = 2**63  # what a transaction id and a history id stay below

# A position in a batch: (time, model rank, history id); rows strictly after it come next.
Position = tuple[datetime, int, int]


def start_at(since: datetime) -> Position:
    """The position just before every change at or after `since`."""
    return since.astimezone(UTC), -1, 0


@dataclass(frozen=True)
class Snapshot:
    """Which transactions had committed when a PostgreSQL snapshot was taken (``pg_snapshot``): those
    below ``xmax`` but the ones in progress (``xip``)."""

    xmax: int
    xip: frozenset[int]

    @property
    def xmin(self) -> int:
        return min(self.xip, default=self.xmax)

    @classmethod
    def parse(cls, text: str) -> Self:
        """From PostgreSQL's text form, ``xmin:xmax:xip,…``."""
        xmin, xmax, xip = text.split(":")
        snapshot = cls(int(xmax), frozenset(int(xid) for xid in xip.split(",") if xid))
        if (
            not 0 < int(xmin) <= snapshot.xmin <= snapshot.xmax < BIGINT
            or max(snapshot.xip, default=0) >= snapshot.xmax
        ):
            raise ValueError(text)
        return snapshot

    def __str__(self) -> str:
        return f"{self.xmin}:{self.xmax}:{','.join(map(str, sorted(self.xip)))}"

    def including(self, xid: int) -> Self:
        """With one more transaction committed: the reader's own, whose writes it sees (its xid can be past
        ``xmax``; those between are taken as in progress)."""
        return type(self)(max(self.xmax, xid + 1), (self.xip | frozenset(range(self.xmax, xid))) - {xid})

    def committed(self, xid: int) -> bool:
        return xid < self.xmax and xid not in self.xip

    def __or__(self, other: Self) -> Self:
        """Every transaction committed in either: snapshots of two servers (a primary, a replica behind it)
        need not be in order."""
        later, earlier = (self, other) if self.xmax >= other.xmax else (other, self)
        return type(self)(later.xmax, frozenset(xid for xid in later.xip if not earlier.committed(xid)))

    def rows_committed(self) -> Q:
        return Q(history_xid__lt=self.xmax) & ~Q(history_xid__in=self.xip)

    def rows_not_committed(self) -> Q:
        # The lower bound makes it a range of the history_xid index.
        return Q(history_xid__gte=self.xmin) & (Q(history_xid__gte=self.xmax) | Q(history_xid__in=self.xip))


@dataclass(frozen=True)
class Cursor:
    """Where a sync stands: it has every change committed in ``seen`` and, of the batch committed in
    ``upto`` (but not in ``seen``), the rows up to ``after``. No ``upto``: the next batch ends now. No
    ``seen``: the batch is every row after ``after`` (a sync's first, and SQLite's only, batch)."""

    seen: Snapshot | None = None
    upto: Snapshot | None = None
    after: Position | None = None

    def batch(self) -> Q:
        rows = Q()
        if self.seen:
            rows &= self.seen.rows_not_committed()
        if self.upto:
            rows &= self.upto.rows_committed()
        return rows

    def past(self, last: Position) -> Self:
        return Cursor(self.seen, self.upto, last)

    def delivered(self, last: Position | None) -> Self:
        """The cursor once the batch is delivered, `last` its last row: the next batch starts at its end
        (on SQLite, after its last row)."""
        if self.upto is None:
            return self.past(last) if last else self
        return Cursor(self.seen | self.upto if self.seen else self.upto)


def encode_cursor(cursor: Cursor) -> str:
    state = {"seen": cursor.seen, "upto": cursor.upto}
    state = {key: str(snapshot) for key, snapshot in state.items() if snapshot}
    if cursor.after:
        at, rank, history_id = cursor.after
        state["after"] = [at.isoformat(), rank, history_id]
    return urlsafe_b64encode(json.dumps(state).encode()).decode("ascii")


def decode_cursor(encoded: str) -> Cursor:
    """A cursor from a next or resume link; one made before the feed read batches (a bare position) too."""
    state = read_cursor(encoded)
    try:
        if isinstance(state, list):
            state = {"after": state}
        if not isinstance(state, dict) or set(state) - {"seen", "upto", "after"}:
            raise ValueError(encoded)
        seen, upto = (Snapshot.parse(state[key]) if key in state else None for key in ("seen", "upto"))
        after = None
        if "after" in state:
            at, rank, history_id = state["after"]
            after = datetime.fromisoformat(at), int(rank), int(history_id)
            if after[0].tzinfo is None or not 0 <= after[2] < BIGINT:
                raise ValueError(at)
    except (ValueError, TypeError, AttributeError):
        raise unknown_cursor() from None
    return Cursor(seen, upto, after)


def current_snapshot(alias: str) -> Snapshot | None:
    """What a read of the database at `alias` sees now, its own transaction's writes included (one query);
    None on SQLite."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned()::text")
        snapshot, own = cursor.fetchone()
    return Snapshot.parse(snapshot) if own is None else Snapshot.parse(snapshot).including(int(own))


def after(position: Position | None, model_rank: int) -> Q:
    """This model's rows after `position` in (time, model rank, history id) order."""
    if position is None:
        return Q()
    at, rank, history_id = position
    if model_rank > rank:
        return Q(history_date__gte=at)
    if model_rank < rank:
        return Q(history_date__gt=at)
    return Q(TupleGreaterThan((F("history_date"), F("history_id")), (at, history_id)))


def history_rows(name: str, cursor: Cursor, limit: int):
    """The first `limit` rows of the model's history in the cursor's batch after its position, in order."""
    model, model_rank = TRACKED[name], RANK[name]
    records = model.history.filter(cursor.batch(), after(cursor.after, model_rank)).order_by(
        "history_date", "history_id"
    )
    lookup = "slug" if model.api_lookup() == "slug" else "id"  # on a history row, pk is the history id
    fields = [lookup, "history_type", "history_date", "history_id", "history_change_reason"]
    if lookup == "slug":
        # A slug changed by this edit: the record before it was known by another key.
        before = model.history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
        records = records.annotate(previous_key=Subquery(before.values("slug")[:1]))
        fields.append("previous_key")
    for record in records.values(*fields)[:limit]:
        yield (record["history_date"], model_rank, record["history_id"]), name, lookup, record


def changes(cursor: Cursor, models: list[str], limit: int, context: dict) -> tuple[list[dict], Cursor, bool]:
    """The changes after `cursor`, in commit order: (rows, the cursor after them, whether more follow now)."""
    now = current_snapshot(TRACKED[models[0]].history.all().db)
    if cursor.upto is None:
        cursor = Cursor(cursor.seen, now, cursor.after)
    elif now is not None and now | cursor.upto != now:
        # A replica behind the database that began this batch: some of its rows are not here yet.
        return [], cursor, False
    batch = (history_rows(name, cursor, limit + 1) for name in models)
    merged = list(islice(heapq.merge(*batch, key=lambda row: row[0]), limit + 1))
    if len(merged) > limit:
        return shown(merged[:limit], context), cursor.past(merged[limit - 1][0]), True
    return shown(merged, context), cursor.delivered(merged[-1][0] if merged else None), False


def shown(merged: list, context: dict) -> list[dict]:
    """The history rows as changes: a rename is the deletion of the old key and a change of the new."""
    rows = []
    for _, name, lookup, record in merged:
        key = record[lookup]
        view_name = f"{TRACKED[name]._meta.model_name}-detail"
        change = {
            "at": record["history_date"],
            "model": name,
            "action": ACTIONS[record["history_type"]],
            "reason": record["history_change_reason"] or "",
        }
        previous = record.get("previous_key")
        if record["history_type"] == "~" and previous and previous != key:
            # A rename: to a mirror, the old key is gone and the new one changed.
            rows.append({**change, "key": previous, "action": "deleted", "url": api_url(context, view_name, previous)})
        rows.append({**change, "key": key, "url": api_url(context, view_name, key)})
    return rows

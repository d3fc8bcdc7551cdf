"""Whole-dataset reads: the changes feed and summary statistics.

The changes feed reads the audit history of every tracked model as one sequence, ordered by
(time, model, history id). A cursor is a position in that sequence, so a sync reaches every change
exactly once however many share a time, and picks up where it stopped.
"""

import heapq
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from binascii import Error as Base64Error
from datetime import datetime
from itertools import islice

from django.db.models import Case, Count, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.fields.tuple_lookups import TupleGreaterThan
from django.urls import reverse
from rest_framework.exceptions import ValidationError

from cities.models import Jurisdiction, Official, Policy
from letters.models import CourtCase, Designation, DesignationList, Event, GrantAward, Letter, LetterRecipient, Ruling
from tracker.models import Source, citing_models
from tracker.serializers import api_url

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

# The feed's model names, in the order that breaks ties between changes made at the same time.
TRACKED = {
    "jurisdiction": Jurisdiction,
    "official": Official,
    "policy": Policy,
    "letter": Letter,
    "grant": GrantAward,
    "case": CourtCase,
    "ruling": Ruling,
    "event": Event,
    "designation-list": DesignationList,
    "designation": Designation,
    "source": Source,
}
RANK = {name: rank for rank, name in enumerate(TRACKED)}

# A position in the feed: (time, model rank, history id); rows strictly after it come next.
Position = tuple[datetime, int, int]


def start_at(since: datetime) -> Position:
    """The position just before every change at or after `since`."""
    return since, -1, 0


def encode_cursor(position: Position) -> str:
    at, rank, history_id = position
    return urlsafe_b64encode(json.dumps([at.isoformat(), rank, history_id]).encode()).decode("ascii")


def decode_cursor(encoded: str) -> Position:
    try:
        at, rank, history_id = json.loads(urlsafe_b64decode(encoded.encode("ascii")))
        position = datetime.fromisoformat(at), int(rank), int(history_id)
    except (ValueError, TypeError, UnicodeError, Base64Error):
        raise ValidationError({"cursor": ["Invalid cursor."]}) from None
    if position[0].tzinfo is None:
        raise ValidationError({"cursor": ["Invalid cursor."]})
    return position


def changes(position: Position, models: list[str], limit: int, context: dict) -> tuple[list[dict], Position, bool]:
    """The changes after `position`, oldest first: (rows, the position after the last row, whether more follow)."""
    at, rank, history_id = position

    def history_rows(name: str):
        model, model_rank = TRACKED[name], RANK[name]
        records = model.history.order_by("history_date", "history_id")
        if model_rank > rank:
            records = records.filter(history_date__gte=at)
        elif model_rank < rank:
            records = records.filter(history_date__gt=at)
        else:
            records = records.filter(TupleGreaterThan((F("history_date"), F("history_id")), (at, history_id)))
        lookup = "slug" if model.api_lookup() == "slug" else "id"  # on a history row, pk is the history id
        fields = [lookup, "history_type", "history_date", "history_id", "history_change_reason"]
        if lookup == "slug":
            # A slug changed by this edit: the record before it was known by another key.
            before = model.history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
                "-history_id"
            )
            records = records.annotate(previous_key=Subquery(before.values("slug")[:1]))
            fields.append("previous_key")
        for record in records.values(*fields)[: limit + 1]:
            yield (record["history_date"], model_rank, record["history_id"]), name, lookup, record

    merged = list(islice(heapq.merge(*(history_rows(name) for name in models), key=lambda row: row[0]), limit + 1))
    more = len(merged) > limit
    merged = merged[:limit]
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
    return rows, (merged[-1][0] if merged else position), more


def grant_figures(grants) -> list[dict]:
    """Grant rows and dollars by state, program, fiscal year and status."""
    rows = (
        grants.values("jurisdiction__state", "program", "fiscal_year", "status")
        .annotate(rows=Count("pk"), amount=Sum("amount"))
        .order_by("jurisdiction__state", "program", "fiscal_year", "status")
    )
    return [
        {
            "state": row["jurisdiction__state"],
            "program": row["program"],
            "fiscal_year": row["fiscal_year"],
            "status": row["status"],
            "rows": row["rows"],
            # SQLite's SUM drops the cents; every amount keeps two places, as the records do.
            "amount": None if row["amount"] is None else round(row["amount"], 2),
        }
        for row in rows
    ]


def determination_figures(recipients) -> list[dict]:
    """Letter recipients by the letter's kind and DOJ's determination."""
    rows = (
        recipients.values("letter__kind", "determination")
        .annotate(recipients=Count("pk"))
        .order_by("letter__kind", "determination")
    )
    return [
        {"letter_kind": row["letter__kind"], "determination": row["determination"], "recipients": row["recipients"]}
        for row in rows
    ]


def ruling_figures(rulings) -> list[dict]:
    """Rulings by outcome."""
    return list(rulings.values("outcome").annotate(rulings=Count("pk")).order_by("outcome"))


# The grades a record can rest on, best first; "none": it cites no source.
BEST_FIRST = [*Source.Provenance.values, "none"]


def best_provenance(model) -> Subquery:
    """Each record's best-graded source's provenance (original > report > copy); NULL when it cites none."""
    field = model._meta.get_field("sources")
    through, owner = field.remote_field.through, field.m2m_field_name()
    rank = Case(*(When(source__provenance=grade, then=Value(at)) for at, grade in enumerate(Source.Provenance.values)))
    cited = through.objects.filter(**{owner: OuterRef("pk")}).order_by(rank).values("source__provenance")
    return Subquery(cited[:1])


def source_figures() -> list[dict]:
    """Per resource that cites sources: its records, counted by the best provenance among their sources."""
    rows = []
    for model in citing_models():
        counts = dict.fromkeys(BEST_FIRST, 0)
        grouped = model._default_manager.annotate(best=best_provenance(model)).values("best").order_by()
        for row in grouped.annotate(records=Count("pk")):
            counts[row["best"] or "none"] = row["records"]
        resource = reverse(f"{model._meta.model_name}-list").rstrip("/").rsplit("/", 1)[1]
        rows.append({"resource": resource, "records": sum(counts.values()), **counts})
    return sorted(rows, key=lambda row: row["resource"])


def stats() -> dict:
    return {
        "grants": grant_figures(GrantAward.objects.all()),
        "letter_determinations": determination_figures(LetterRecipient.objects.all()),
        "rulings_by_outcome": ruling_figures(Ruling.objects.all()),
    }

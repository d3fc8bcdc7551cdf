"""Whole-dataset reads: what changed since a time, and summary statistics.

Both run a fixed number of queries: one per model for changes, one per
table of figures for stats.
"""

import heapq
from decimal import Decimal
from itertools import islice

from django.db.models import Count, Sum
from rest_framework.reverse import reverse

from cities.models import Jurisdiction, Official, Policy
from letters.models import CourtCase, Designation, DesignationList, Event, GrantAward, Letter, LetterRecipient, Ruling
from tracker.models import Source

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

# model name → (model, detail view, lookup field)
TRACKED = {
    "jurisdiction": (Jurisdiction, "jurisdiction-detail", "slug"),
    "official": (Official, "official-detail", "slug"),
    "policy": (Policy, "policy-detail", "slug"),
    "letter": (Letter, "letter-detail", "slug"),
    "grant": (GrantAward, "grantaward-detail", "id"),
    "case": (CourtCase, "courtcase-detail", "slug"),
    "ruling": (Ruling, "ruling-detail", "slug"),
    "event": (Event, "event-detail", "slug"),
    "designation-list": (DesignationList, "designationlist-detail", "slug"),
    "designation": (Designation, "designation-detail", "id"),
    "source": (Source, "source-detail", "id"),
}


def changes(since, models: list[str], limit: int, request) -> list[dict]:
    """History records at or after `since`, oldest first, across the tracked models."""

    def rows(name):
        model, view_name, lookup = TRACKED[name]
        records = model.history.filter(history_date__gte=since).order_by("history_date", "history_id")
        for record in records.values(lookup, "history_type", "history_date", "history_id")[:limit]:
            key = record[lookup]
            yield {
                "at": record["history_date"],
                "model": name,
                "key": key,
                "action": ACTIONS[record["history_type"]],
                "url": reverse(view_name, kwargs={"pk" if lookup == "id" else lookup: key}, request=request),
            }

    merged = heapq.merge(*(rows(name) for name in models), key=lambda row: row["at"])
    return list(islice(merged, limit))


def stats() -> dict:
    grants = (
        GrantAward.objects.values("jurisdiction__state", "program", "fiscal_year", "status")
        .annotate(rows=Count("pk"), amount=Sum("amount"))
        .order_by("jurisdiction__state", "program", "fiscal_year", "status")
    )
    determinations = (
        LetterRecipient.objects.values("letter__kind", "determination")
        .annotate(recipients=Count("pk"))
        .order_by("letter__kind", "determination")
    )
    rulings = Ruling.objects.values("outcome").annotate(rulings=Count("pk")).order_by("outcome")
    return {
        "grants": [
            {
                "state": row["jurisdiction__state"],
                "program": row["program"],
                "fiscal_year": row["fiscal_year"],
                "status": row["status"],
                "rows": row["rows"],
                # As the API writes every amount: a string with cents (SQLite's SUM drops them).
                "amount": None if row["amount"] is None else f"{Decimal(row['amount']):.2f}",
            }
            for row in grants
        ],
        "letter_determinations": [
            {"letter_kind": row["letter__kind"], "determination": row["determination"], "recipients": row["recipients"]}
            for row in determinations
        ],
        "rulings_by_outcome": list(rulings),
    }

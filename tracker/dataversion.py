"""The data version: the time of the last change to the record, as ``YYYYMMDDTHHMMSSZ``.

Computed from the audit history (every create, edit and delete writes a row
there), so it is the one place to swap in a version the database maintains.
"""

import datetime

from django.db.models import Max, Value
from simple_history.models import registered_models

VERSION_FORMAT = "%Y%m%dT%H%M%SZ"


def data_version() -> str | None:
    """The latest history time over every tracked model, to the second; None while nothing was ever recorded."""
    latest = latest_change()
    return latest.strftime(VERSION_FORMAT) if latest else None


def latest_change() -> datetime.datetime | None:
    """The time of the last change to the record, to the microsecond (one query)."""
    # Grouped by a constant, which Django leaves out of GROUP BY: one row per table, its latest time.
    latest = [
        model.history.order_by().annotate(whole=Value(1)).values("whole").values(latest=Max("history_date"))
        for model in registered_models.values()
        # The through models of tracked many-to-many fields are registered too; their changes are in their owner's.
        if hasattr(model, "history")
    ]
    times = [row["latest"] for row in latest[0].union(*latest[1:], all=True) if row["latest"] is not None]
    return max(times) if times else None

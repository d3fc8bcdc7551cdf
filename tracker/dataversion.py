"""The data version: the time of the last change to the record, as ``YYYYMMDDTHHMMSSZ``.

Computed from the audit history (every create, edit and delete writes a row
there), so it is the one place to swap in a version the database maintains.
"""

from django.db.models import Max
from simple_history.models import registered_models

VERSION_FORMAT = "%Y%m%dT%H%M%SZ"


def data_version() -> str | None:
    """The latest history time over every tracked model; None while nothing was ever recorded."""
    latest = [
        model.history.aggregate(latest=Max("history_date"))["latest"] for model in registered_models.values()
    ]
    latest = [moment for moment in latest if moment is not None]
    return max(latest).strftime(VERSION_FORMAT) if latest else None

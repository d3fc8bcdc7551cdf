"""A time as DRF writes it in UTC: Python's ISO 8601 with ``Z`` for the zone, the microseconds only when there
are any (``2018-01-24T15:30:00Z``, ``2018-01-24T15:30:00.250000Z``).

Declared here once for the Python that shows times (the read plan, ``as_of``, dumps, the release) and the SQL
that writes them (tracker/reading/sql.py: the stored JSON's times, the CSV cells').
"""

ISO_UTC = "+00:00"  # how Python's isoformat ends a time in UTC
UTC_MARK = "Z"  # how DRF ends it instead
# PostgreSQL's to_char pattern of the same time, its microseconds always written: the SQL drops a zero fraction.
TO_CHAR_PATTERN = f'YYYY-MM-DD"T"HH24:MI:SS.US"{UTC_MARK}"'
ZERO_FRACTION = ".000000"


def as_drf_writes(iso_text: str) -> str:
    """An ISO 8601 time from Python's ``isoformat``, its UTC zone written as DRF writes it."""
    return iso_text.removesuffix(ISO_UTC) + UTC_MARK if iso_text.endswith(ISO_UTC) else iso_text

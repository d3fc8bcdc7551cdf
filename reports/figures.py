"""The numbers the public pages show and draw: what the record holds, when things happened, and where.

Each function is a fixed number of queries over the live tables, which hold published records only.
The grant figures are ``reports.stats.grant_figures``, the very rows ``/api/v1/stats/grants/`` gives.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from cities.models import Jurisdiction, State
from letters.models import (
    CaseParty,
    CourtCase,
    Designation,
    DesignationList,
    Event,
    GrantAward,
    Letter,
    LetterRecipient,
    Ruling,
)
from reports.stats import grant_figures
from tracker.models import Source

# What the record holds: (what a row is, its model, the date it is dated by, or None, its API list's name).
HOLDINGS = [
    ("jurisdictions", Jurisdiction, None, "jurisdiction-list"),
    ("letters from DOJ", Letter, "sent_on", "letter-list"),
    ("designation lists", DesignationList, "published_on", "designationlist-list"),
    ("grant awards", GrantAward, "status_date", "grantaward-list"),
    ("court cases", CourtCase, "filed_on", "courtcase-list"),
    ("rulings", Ruling, "decided_on", "ruling-list"),
    ("events", Event, "date", "event-list"),
    ("sources cited", Source, None, "source-list"),
]


def holdings() -> list[dict]:
    """Each kind of record: how many, and the first and last date among them (a query each)."""
    found = []
    for label, model, dated_by, view_name in HOLDINGS:
        dates = {"first": Min(dated_by), "last": Max(dated_by)} if dated_by else {}
        found.append({"label": label, "view_name": view_name, **model.objects.aggregate(count=Count("pk"), **dates)})
    return found


def span(rows: list[dict]) -> tuple:
    """The first and the last date of ``holdings``."""
    firsts = [row["first"] for row in rows if row.get("first")]
    lasts = [row["last"] for row in rows if row.get("last")]
    return (min(firsts), max(lasts)) if firsts else (None, None)


# Letters, suits and rulings by year: (the column, its model, the date it is counted by).
ACTIVITY = [("letters", Letter, "sent_on"), ("cases", CourtCase, "filed_on"), ("rulings", Ruling, "decided_on")]


def activity() -> list[dict]:
    """Letters sent, cases filed and rulings made in each year (a query each), every year from the first
    to the last, oldest first."""
    years: dict[int, dict] = defaultdict(dict)
    for column, model, dated_by in ACTIVITY:
        counted = model.objects.filter(**{f"{dated_by}__isnull": False}).annotate(year=ExtractYear(dated_by))
        for row in counted.values("year").annotate(count=Count("pk")).order_by("year"):
            years[row["year"]][column] = row["count"]
    columns = [column for column, _, _ in ACTIVITY]
    every = range(min(years), max(years) + 1) if years else []
    return [{"year": year, **{column: years[year].get(column, 0) for column in columns}} for year in every]


def counted(model, key: str) -> Coalesce:
    """How many distinct records of ``model`` name the outer jurisdiction, by ``key``."""
    rows = model.objects.filter(jurisdiction=OuterRef("pk")).order_by().values("jurisdiction")
    return Coalesce(Subquery(rows.annotate(n=Count(key, distinct=True)).values("n")), 0, output_field=IntegerField())


COUNTS = ("list_count", "letter_count", "suit_count")


def with_counts(queryset):
    """``queryset``'s jurisdictions, each with the designation lists that named it (``list_count``), the
    DOJ letters it received (``letter_count``) and the suits it is a party to (``suit_count``), in its own
    query."""
    return queryset.annotate(
        list_count=counted(Designation, "designation_list"),
        letter_count=counted(LetterRecipient, "letter"),
        suit_count=counted(CaseParty, "case"),
    )


def places() -> list[dict]:
    """Every jurisdiction with its counts (``with_counts``), by name (one query)."""
    rows = with_counts(Jurisdiction.objects.order_by("name", "slug"))
    return list(rows.values("slug", "name", "kind", "state", "latitude", "longitude", *COUNTS))


def state_name(code: str) -> str:
    return State(code).label if code in State.values else code


def grant_totals(rows: list[dict], by: str) -> list[dict]:
    """``grant_figures`` rows summed by ``by`` (``state`` or ``fiscal_year``) and program, in ``by`` order:
    [{"key": …, "amounts": {program: dollars}, "total": dollars}]; a key whose every amount is unknown
    (or zero) is left out."""
    totals: dict = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        totals[row[by]][row["program"]] += row["amount"] or 0
    return [
        {"key": key, "amounts": dict(amounts), "total": sum(amounts.values())}
        for key, amounts in sorted(totals.items())
        if any(amounts.values())
    ]


def grants(queryset=None) -> list[dict]:
    return grant_figures(GrantAward.objects.all() if queryset is None else queryset)

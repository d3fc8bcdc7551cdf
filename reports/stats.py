"""Summary figures over the whole record (``stats/``), and the grant figures the landing page draws."""

from django.db.models import Case, Count, OuterRef, Subquery, Sum, Value, When
from django.urls import reverse

from letters.models import GrantAward, LetterRecipient, Ruling
from tracker.models import Source, citing_models


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

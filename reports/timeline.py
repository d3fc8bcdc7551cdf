"""One jurisdiction's history across every kind of record, in date order, each entry with its sources.

A fixed number of queries, one per kind of record, whatever the history's length: each entry's sources
are read in its record's query (tracker.models.cited_sources), and only the columns it shows, as rows.
"""

import datetime
from collections.abc import Iterator
from functools import cache, reduce
from operator import or_
from typing import NamedTuple

from django.db.models import Q

from cities.models import Jurisdiction, Official, Policy
from letters.models import CaseParty, CourtCase, Designation, Event, GrantAward, Letter, LetterRecipient, Ruling
from tracker.models import CITED_SOURCES, cited_list, cited_sources, with_sources
from tracker.reading.fields import api_url
from tracker.reading.rows import as_rows
from tracker.reading.statements import CompiledQuery

KINDS = [
    ("letter", "A letter sent to it"),
    ("designation", "Named on a designation list"),
    ("designation_removed", "Removed from a designation list"),
    ("grant", "A grant's status"),
    ("case_filed", "A case it is a party to was filed"),
    ("ruling", "A ruling in such a case"),
    ("event", "An event it took part in"),
    ("policy_enacted", "A policy enacted"),
    ("policy_ended", "A policy ended"),
    ("took_office", "An official took office"),
]


@cache
def labels(model, name: str) -> dict:
    """A choice field's labels by value (what ``get_<name>_display`` shows)."""
    return dict(model._meta.get_field(name).flatchoices)


def rows(queryset, *paths: str, **cited):
    """``queryset``'s rows of ``paths``, its records' sources and ``cited`` (other records' sources, read
    on a key), each answering by name: no model instance for an entry."""
    return as_rows(with_sources(queryset).annotate(**cited), *paths, CITED_SOURCES, *cited)


def per_place(queryset, *lookups: str) -> CompiledQuery:
    """``queryset``'s rows about one place, given its key, reached by any of ``lookups`` (``jurisdiction``
    when none is given)."""
    lookups = lookups or ("jurisdiction",)

    def about(place):
        return queryset.filter(reduce(or_, (Q(**{lookup: place}) for lookup in lookups)))

    return CompiledQuery(queryset.model, about)


@cache
def kind_rows() -> dict[str, CompiledQuery]:
    """Each kind's rows about a place. Built and compiled once per process (resolving the sources'
    subqueries and the columns, then compiling, is most of running a query): each timeline runs the same
    SQL with its place's key (tracker.reading.statements)."""
    return {
        "letter": per_place(
            rows(
                LetterRecipient.objects.all(),
                "letter__sent_on",
                "letter__subject",
                "letter__slug",
                "determination",
                letter_sources=cited_sources(Letter, "letter_id"),
            )
        ),
        "designation": per_place(
            rows(
                Designation.objects.all(),
                *("pk", "label", "disputed", "removed_on", "designation_list__published_on", "designation_list__title"),
            )
        ),
        "grant": per_place(
            rows(
                GrantAward.objects.filter(status_date__isnull=False),
                *("pk", "program", "fiscal_year", "amount", "status", "status_date"),
            )
        ),
        "case_filed": per_place(
            rows(
                CaseParty.objects.filter(case__filed_on__isnull=False),
                *("case__filed_on", "case__caption", "case__slug", "role"),
                case_sources=cited_sources(CourtCase, "case_id"),
            )
        ),
        "ruling": per_place(
            rows(Ruling.objects.distinct(), "slug", "decided_on", "kind", "outcome", "case__caption"),
            "case__case_parties__jurisdiction",
        ),
        "event": per_place(
            rows(Event.objects.distinct(), "slug", "date", "title", "kind"),
            "jurisdictions",
            "participants__jurisdiction",
        ),
        "policy": per_place(rows(Policy.objects.all(), "slug", "title", "citation", "enacted_on", "ended_on")),
        "took_office": per_place(
            rows(Official.objects.filter(term_start__isnull=False), "slug", "name", "role", "title", "term_start")
        ),
    }


class Entry(NamedTuple):
    """One dated thing that happened to a place, before it is shown: ``key`` is the record's API key,
    ``cited`` the sources (as read by ``cited_sources``) of the records the entry rests on."""

    date: datetime.date
    kind: str
    title: str
    detail: str
    model: type
    key: object
    cited: tuple


def letter_entries(rows, wanted) -> Iterator[Entry]:
    determinations = labels(LetterRecipient, "determination")
    for row in rows:
        detail = f"Determination: {determinations.get(row.determination, row.determination)}"
        cited = (row.cited_sources, row.letter_sources)
        yield Entry(row.letter__sent_on, "letter", row.letter__subject, detail, Letter, row.letter__slug, cited)


def designation_entries(rows, wanted) -> Iterator[Entry]:
    for row in rows:
        title, cited = row.designation_list__title, (row.cited_sources,)
        if wanted("designation"):
            detail = row.label + (" (disputed)" if row.disputed else "")
            published = row.designation_list__published_on
            yield Entry(published, "designation", title, detail, Designation, row.pk, cited)
        if row.removed_on and wanted("designation_removed"):
            removed = "Removed from the list"
            yield Entry(row.removed_on, "designation_removed", title, removed, Designation, row.pk, cited)


def grant_entries(rows, wanted) -> Iterator[Entry]:
    programs, statuses = labels(GrantAward, "program"), labels(GrantAward, "status")
    for row in rows:
        title = f"{programs.get(row.program, row.program)} FY{row.fiscal_year}"
        amount = f"${row.amount:,.0f}: " if row.amount is not None else ""
        detail = amount + statuses.get(row.status, row.status)
        yield Entry(row.status_date, "grant", title, detail, GrantAward, row.pk, (row.cited_sources,))


def case_filed_entries(rows, wanted) -> Iterator[Entry]:
    roles = labels(CaseParty, "role")
    for row in rows:
        cited = (row.cited_sources, row.case_sources)
        role, caption = roles.get(row.role, row.role), row.case__caption
        yield Entry(row.case__filed_on, "case_filed", caption, role, CourtCase, row.case__slug, cited)


def ruling_entries(rows, wanted) -> Iterator[Entry]:
    kinds, outcomes = labels(Ruling, "kind"), labels(Ruling, "outcome")
    for row in rows:
        title = f"{kinds.get(row.kind, row.kind)}: {row.case__caption}"
        outcome = outcomes.get(row.outcome, row.outcome)
        yield Entry(row.decided_on, "ruling", title, outcome, Ruling, row.slug, (row.cited_sources,))


def event_entries(rows, wanted) -> Iterator[Entry]:
    kinds = labels(Event, "kind")
    for row in rows:
        kind = kinds.get(row.kind, row.kind)
        yield Entry(row.date, "event", row.title, kind, Event, row.slug, (row.cited_sources,))


def policy_entries(rows, wanted) -> Iterator[Entry]:
    for row in rows:
        for kind, date in (("policy_enacted", row.enacted_on), ("policy_ended", row.ended_on)):
            if date and wanted(kind):
                yield Entry(date, kind, row.title, row.citation, Policy, row.slug, (row.cited_sources,))


def took_office_entries(rows, wanted) -> Iterator[Entry]:
    roles = labels(Official, "role")
    for row in rows:
        role = row.title or roles.get(row.role, row.role)
        yield Entry(row.term_start, "took_office", row.name, role, Official, row.slug, (row.cited_sources,))


# Each kind of rows (kind_rows): the kinds of entry it gives, and how its rows become entries.
ENTRIES_OF_ROWS = {
    "letter": (("letter",), letter_entries),
    "designation": (("designation", "designation_removed"), designation_entries),
    "grant": (("grant",), grant_entries),
    "case_filed": (("case_filed",), case_filed_entries),
    "ruling": (("ruling",), ruling_entries),
    "event": (("event",), event_entries),
    "policy": (("policy_enacted", "policy_ended"), policy_entries),
    "took_office": (("took_office",), took_office_entries),
}


def shown(entry: Entry, context: dict) -> dict:
    """An entry as the timeline shows it, its sources once each."""
    sources = {source["id"]: source for item in entry.cited for source in cited_list(item)}
    return {
        "date": entry.date,
        "kind": entry.kind,
        "title": entry.title,
        "detail": entry.detail,
        "url": api_url(context, f"{entry.model._meta.model_name}-detail", entry.key),
        "sources": list(sources.values()),
    }


def timeline(
    jurisdiction: Jurisdiction,
    context: dict,
    kinds: set[str] | None = None,
    after: datetime.date | None = None,
    before: datetime.date | None = None,
) -> list[dict]:
    """The entries of `kinds` (all when None) dated within [after, before]."""

    def wanted(kind: str) -> bool:
        return kinds is None or kind in kinds

    entries = [
        shown(entry, context)
        for rows_kind, (entry_kinds, entries_of) in ENTRIES_OF_ROWS.items()
        if any(wanted(kind) for kind in entry_kinds)
        for entry in entries_of(kind_rows()[rows_kind].rows(jurisdiction.pk), wanted)
        if (after or entry.date) <= entry.date <= (before or entry.date)
    ]
    return sorted(entries, key=lambda item: (item["date"], item["kind"], item["title"]))


def anchor(entry: dict) -> str:
    """Where an entry is on its place's page (``#letter-2017-04-21-ojp-1373``): its kind and its record's key."""
    return f"{entry['kind']}-{entry['url'].rstrip('/').rpartition('/')[2]}"

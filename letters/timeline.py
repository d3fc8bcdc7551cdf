"""One jurisdiction's history across every kind of record, in date order, each entry with its sources.

A fixed number of queries: one per kind of record (and one for its sources), whatever the history's length.
"""

import datetime

from django.db.models import Q

from cities.models import Jurisdiction
from letters.models import CaseParty, Designation, Event, GrantAward, LetterRecipient, Ruling
from tracker.models import PREFETCHED_SOURCES, prefetch_sources
from tracker.serializers import api_url

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


def timeline(
    jurisdiction: Jurisdiction,
    context: dict,
    kinds: set[str] | None = None,
    after: datetime.date | None = None,
    before: datetime.date | None = None,
) -> list[dict]:
    """The entries of `kinds` (all when None) dated within [after, before]."""

    def entry(date, kind: str, title: str, detail: str, record, *cited) -> dict:
        sources = {source.pk: source for item in cited for source in getattr(item, PREFETCHED_SOURCES)}
        return {
            "date": date,
            "kind": kind,
            "title": title,
            "detail": detail,
            "url": api_url(context, f"{record._meta.model_name}-detail", getattr(record, record.api_lookup())),
            "sources": list(sources.values()),
        }

    def wanted(kind: str) -> bool:
        return kinds is None or kind in kinds

    entries = []
    if wanted("letter"):
        recipients = LetterRecipient.objects.filter(jurisdiction=jurisdiction).select_related("letter")
        for recipient in recipients.prefetch_related(prefetch_sources(), prefetch_sources("letter__sources")):
            letter = recipient.letter
            detail = f"Determination: {recipient.get_determination_display()}"
            entries.append(entry(letter.sent_on, "letter", letter.subject, detail, letter, recipient, letter))
    if wanted("designation") or wanted("designation_removed"):
        designations = Designation.objects.filter(jurisdiction=jurisdiction).select_related("designation_list")
        for designation in designations.prefetch_related(prefetch_sources()):
            listed = designation.designation_list
            if wanted("designation"):
                detail = designation.label + (" (disputed)" if designation.disputed else "")
                entries.append(
                    entry(listed.published_on, "designation", listed.title, detail, designation, designation)
                )
            if designation.removed_on and wanted("designation_removed"):
                removed = "Removed from the list"
                entries.append(
                    entry(
                        designation.removed_on, "designation_removed", listed.title, removed, designation, designation
                    )
                )
    if wanted("grant"):
        grants = GrantAward.objects.filter(jurisdiction=jurisdiction, status_date__isnull=False)
        for grant in grants.prefetch_related(prefetch_sources()):
            title = f"{grant.get_program_display()} FY{grant.fiscal_year}"
            amount = f"${grant.amount:,.0f}: " if grant.amount is not None else ""
            entries.append(entry(grant.status_date, "grant", title, amount + grant.get_status_display(), grant, grant))
    if wanted("case_filed"):
        parties = CaseParty.objects.filter(jurisdiction=jurisdiction, case__filed_on__isnull=False).select_related(
            "case"
        )
        for party in parties.prefetch_related(prefetch_sources(), prefetch_sources("case__sources")):
            case = party.case
            entries.append(
                entry(case.filed_on, "case_filed", case.caption, party.get_role_display(), case, party, case)
            )
    if wanted("ruling"):
        rulings = Ruling.objects.filter(case__case_parties__jurisdiction=jurisdiction).select_related("case").distinct()
        for ruling in rulings.prefetch_related(prefetch_sources()):
            title = f"{ruling.get_kind_display()}: {ruling.case.caption}"
            entries.append(entry(ruling.decided_on, "ruling", title, ruling.get_outcome_display(), ruling, ruling))
    if wanted("event"):
        involved = Q(jurisdictions=jurisdiction) | Q(participants__jurisdiction=jurisdiction)
        for event in Event.objects.filter(involved).distinct().prefetch_related(prefetch_sources()):
            entries.append(entry(event.date, "event", event.title, event.get_kind_display(), event, event))
    if wanted("policy_enacted") or wanted("policy_ended"):
        for policy in jurisdiction.policies.prefetch_related(prefetch_sources()):
            for kind, date in (("policy_enacted", policy.enacted_on), ("policy_ended", policy.ended_on)):
                if date and wanted(kind):
                    entries.append(entry(date, kind, policy.title, policy.citation, policy, policy))
    if wanted("took_office"):
        for official in jurisdiction.officials.filter(term_start__isnull=False).prefetch_related(prefetch_sources()):
            role = official.title or official.get_role_display()
            entries.append(entry(official.term_start, "took_office", official.name, role, official, official))
    entries = [item for item in entries if (after or item["date"]) <= item["date"] <= (before or item["date"])]
    return sorted(entries, key=lambda item: (item["date"], item["kind"], item["title"]))

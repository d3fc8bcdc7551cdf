"""One jurisdiction's history across every kind of record, in date order, each entry with its sources.

A fixed number of queries, one per kind of record, whatever the history's length: each entry's sources
are read in its record's query (tracker.models.cited_sources).
"""

import datetime
from operator import itemgetter

from django.db.models import Q

from cities.models import Jurisdiction
from letters.models import CaseParty, CourtCase, Designation, Event, GrantAward, Letter, LetterRecipient, Ruling
from tracker.models import PREFETCHED_SOURCES, cited_sources, with_sources
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
        """``cited``: the sources (as read by ``cited_sources``) of the records the entry rests on."""
        sources = {source["id"]: source for item in cited for source in sorted(item or [], key=itemgetter("link"))}
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
        recipients = with_sources(LetterRecipient.objects.filter(jurisdiction=jurisdiction).select_related("letter"))
        for recipient in recipients.annotate(letter_sources=cited_sources(Letter, "letter_id")):
            letter = recipient.letter
            detail = f"Determination: {recipient.get_determination_display()}"
            cited = (getattr(recipient, PREFETCHED_SOURCES), recipient.letter_sources)
            entries.append(entry(letter.sent_on, "letter", letter.subject, detail, letter, *cited))
    if wanted("designation") or wanted("designation_removed"):
        designations = Designation.objects.filter(jurisdiction=jurisdiction).select_related("designation_list")
        for designation in with_sources(designations):
            listed = designation.designation_list
            cited = getattr(designation, PREFETCHED_SOURCES)
            if wanted("designation"):
                detail = designation.label + (" (disputed)" if designation.disputed else "")
                entries.append(entry(listed.published_on, "designation", listed.title, detail, designation, cited))
            if designation.removed_on and wanted("designation_removed"):
                removed = "Removed from the list"
                entries.append(
                    entry(designation.removed_on, "designation_removed", listed.title, removed, designation, cited)
                )
    if wanted("grant"):
        grants = GrantAward.objects.filter(jurisdiction=jurisdiction, status_date__isnull=False)
        for grant in with_sources(grants):
            title = f"{grant.get_program_display()} FY{grant.fiscal_year}"
            amount = f"${grant.amount:,.0f}: " if grant.amount is not None else ""
            detail = amount + grant.get_status_display()
            entries.append(entry(grant.status_date, "grant", title, detail, grant, getattr(grant, PREFETCHED_SOURCES)))
    if wanted("case_filed"):
        parties = CaseParty.objects.filter(jurisdiction=jurisdiction, case__filed_on__isnull=False).select_related(
            "case"
        )
        for party in with_sources(parties).annotate(case_sources=cited_sources(CourtCase, "case_id")):
            case = party.case
            cited = (getattr(party, PREFETCHED_SOURCES), party.case_sources)
            entries.append(entry(case.filed_on, "case_filed", case.caption, party.get_role_display(), case, *cited))
    if wanted("ruling"):
        rulings = Ruling.objects.filter(case__case_parties__jurisdiction=jurisdiction).select_related("case").distinct()
        for ruling in with_sources(rulings):
            title = f"{ruling.get_kind_display()}: {ruling.case.caption}"
            outcome, cited = ruling.get_outcome_display(), getattr(ruling, PREFETCHED_SOURCES)
            entries.append(entry(ruling.decided_on, "ruling", title, outcome, ruling, cited))
    if wanted("event"):
        involved = Q(jurisdictions=jurisdiction) | Q(participants__jurisdiction=jurisdiction)
        for event in with_sources(Event.objects.filter(involved).distinct()):
            cited = getattr(event, PREFETCHED_SOURCES)
            entries.append(entry(event.date, "event", event.title, event.get_kind_display(), event, cited))
    if wanted("policy_enacted") or wanted("policy_ended"):
        for policy in with_sources(jurisdiction.policies.all()):
            for kind, date in (("policy_enacted", policy.enacted_on), ("policy_ended", policy.ended_on)):
                if date and wanted(kind):
                    cited = getattr(policy, PREFETCHED_SOURCES)
                    entries.append(entry(date, kind, policy.title, policy.citation, policy, cited))
    if wanted("took_office"):
        for official in with_sources(jurisdiction.officials.filter(term_start__isnull=False)):
            role, cited = official.title or official.get_role_display(), getattr(official, PREFETCHED_SOURCES)
            entries.append(entry(official.term_start, "took_office", official.name, role, official, cited))
    entries = [item for item in entries if (after or item["date"]) <= item["date"] <= (before or item["date"])]
    return sorted(entries, key=lambda item: (item["date"], item["kind"], item["title"]))

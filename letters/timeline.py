"""One jurisdiction's history across every kind of record, in date order.

A fixed number of queries: one per kind of record, whatever the history's length.
"""

from django.db.models import Q
from rest_framework.reverse import reverse

from cities.models import Jurisdiction
from letters.models import CaseParty, Designation, Event, GrantAward, LetterRecipient, Ruling


def timeline(jurisdiction: Jurisdiction, request) -> list[dict]:
    def url(view_name: str, key) -> str:
        lookup = "pk" if view_name in ("grantaward-detail", "designation-detail") else "slug"
        return reverse(view_name, kwargs={lookup: key}, request=request)

    def entry(date, kind: str, title: str, detail: str, view_name: str, key) -> dict:
        return {"date": date, "kind": kind, "title": title, "detail": detail, "url": url(view_name, key)}

    entries = []
    for recipient in LetterRecipient.objects.filter(jurisdiction=jurisdiction).select_related("letter"):
        letter = recipient.letter
        detail = f"Determination: {recipient.get_determination_display()}"
        entries.append(entry(letter.sent_on, "letter", letter.subject, detail, "letter-detail", letter.slug))
    for designation in Designation.objects.filter(jurisdiction=jurisdiction).select_related("designation_list"):
        listed = designation.designation_list
        detail = designation.label + (" (disputed)" if designation.disputed else "")
        entries.append(
            entry(listed.published_on, "designation", listed.title, detail, "designation-detail", designation.pk)
        )
        if designation.removed_on:
            entries.append(
                entry(
                    designation.removed_on,
                    "designation_removed",
                    listed.title,
                    "Removed from the list",
                    "designation-detail",
                    designation.pk,
                )
            )
    for grant in GrantAward.objects.filter(jurisdiction=jurisdiction, status_date__isnull=False):
        title = f"{grant.get_program_display()} FY{grant.fiscal_year}"
        amount = f"${grant.amount:,.0f}: " if grant.amount is not None else ""
        entries.append(
            entry(grant.status_date, "grant", title, amount + grant.get_status_display(), "grantaward-detail", grant.pk)
        )
    for party in CaseParty.objects.filter(jurisdiction=jurisdiction, case__filed_on__isnull=False).select_related(
        "case"
    ):
        case = party.case
        entries.append(
            entry(case.filed_on, "case_filed", case.caption, party.get_role_display(), "courtcase-detail", case.slug)
        )
    rulings = Ruling.objects.filter(case__case_parties__jurisdiction=jurisdiction).select_related("case").distinct()
    for ruling in rulings:
        title = f"{ruling.get_kind_display()}: {ruling.case.caption}"
        entries.append(
            entry(ruling.decided_on, "ruling", title, ruling.get_outcome_display(), "ruling-detail", ruling.slug)
        )
    events = Event.objects.filter(Q(jurisdictions=jurisdiction) | Q(participants__jurisdiction=jurisdiction)).distinct()
    for event in events:
        entries.append(entry(event.date, "event", event.title, event.get_kind_display(), "event-detail", event.slug))
    for policy in jurisdiction.policies.all():
        if policy.enacted_on:
            entries.append(
                entry(policy.enacted_on, "policy_enacted", policy.title, policy.citation, "policy-detail", policy.slug)
            )
        if policy.ended_on:
            entries.append(
                entry(policy.ended_on, "policy_ended", policy.title, policy.citation, "policy-detail", policy.slug)
            )
    for official in jurisdiction.officials.all():
        if official.term_start:
            role = official.title or official.get_role_display()
            entries.append(
                entry(official.term_start, "took_office", official.name, role, "official-detail", official.slug)
            )
    return sorted(entries, key=lambda item: (item["date"], item["kind"], item["title"]))

import django_filters

from cities.models import State
from letters.courts import COURTS
from letters.models import (
    CaseParty,
    Court,
    CourtCase,
    Designation,
    DesignationList,
    Event,
    EventParticipant,
    GrantAward,
    Letter,
    LetterRecipient,
    Ruling,
)
from tracker.api.filters import (
    NUMBER_BOUNDS,
    BooleanFilter,
    NumberInFilter,
    TrackerFilterSet,
    after_filter,
    before_filter,
    in_filter,
    max_filter,
    min_filter,
    not_in_filter,
)

STATE_HELP = "State (USPS code): one or a comma list, e.g. CA,IL."
JURISDICTION_HELP = "Jurisdiction slug: one or a comma list."


class LetterFilter(TrackerFilterSet):
    kind = in_filter("kind", "Kind: one or a comma list.", Letter.Kind.choices)
    kind__not = not_in_filter("kind", "kind", Letter.Kind.choices)
    sent_after = after_filter("sent_on", "Sent")
    sent_before = before_filter("sent_on", "Sent")
    response_due_after = after_filter("response_due", "Response due")
    response_due_before = before_filter("response_due", "Response due")
    recipient = in_filter(
        "letter_recipients__jurisdiction__slug", "Letters sent to this jurisdiction (slug).", many=True
    )
    recipient__not = in_filter(
        "letter_recipients__jurisdiction__slug", "Letters not sent to these jurisdictions.", exclude=True, many=True
    )
    recipient_state = in_filter(
        "letter_recipients__jurisdiction__state",
        "Letters sent to a jurisdiction in this state.",
        State.choices,
        many=True,
    )
    determination = in_filter(
        "letter_recipients__determination",
        "Letters with a recipient given this determination.",
        LetterRecipient.Determination.choices,
        many=True,
    )
    basis = in_filter(
        "letter_recipients__basis",
        "Letters with a recipient of this basis (inferred: a recipient no cited source names).",
        LetterRecipient.Basis.choices,
        many=True,
    )

    class Meta:
        model = Letter
        fields = []


class GrantAwardFilter(TrackerFilterSet):
    jurisdiction = in_filter("jurisdiction__slug", JURISDICTION_HELP)
    state = in_filter("jurisdiction__state", STATE_HELP, State.choices)
    state__not = not_in_filter("jurisdiction__state", "state", State.choices)
    program = in_filter("program", "Program: one or a comma list.", GrantAward.Program.choices)
    status = in_filter("status", "Status: one or a comma list.", GrantAward.Status.choices)
    status__not = not_in_filter("status", "status", GrantAward.Status.choices)
    fiscal_year = NumberInFilter(
        field_name="fiscal_year", lookup_expr="in", help_text="Fiscal year(s), comma list.", **NUMBER_BOUNDS
    )
    fiscal_year_min = min_filter("fiscal_year", "Fiscal year")
    fiscal_year_max = max_filter("fiscal_year", "Fiscal year")
    amount_min = min_filter("amount", "Amount in USD")
    amount_max = max_filter("amount", "Amount in USD")
    status_date_after = after_filter("status_date", "Status reported")
    status_date_before = before_filter("status_date", "Status reported")

    class Meta:
        model = GrantAward
        fields = []


# The court directory is kept as the code has it (letters/courts.py): the schema lists the ids a filter takes.
COURT_CHOICES = [(court_id, name) for court_id, name, _, _ in COURTS]


COURT_HELP = "CourtListener court id(s), e.g. ilnd,ca7 (courts/ lists them)."


class CourtCaseFilter(TrackerFilterSet):
    court = in_filter("court", COURT_HELP, COURT_CHOICES)
    court__not = in_filter("court", "Exclude these courts (comma list).", COURT_CHOICES, exclude=True)
    docket_number = in_filter("docket_number", "Docket number(s).")
    status = in_filter("status", "Status: one or a comma list.", CourtCase.Status.choices)
    party = in_filter("case_parties__jurisdiction__slug", "Cases with this jurisdiction as a party.", many=True)
    party_state = in_filter(
        "case_parties__jurisdiction__state", "Cases with a party in this state.", State.choices, many=True
    )
    appeal_of = in_filter("appeal_of__slug", "Appeals and petitions from this case (slug).")
    filed_after = after_filter("filed_on", "Filed")
    filed_before = before_filter("filed_on", "Filed")

    class Meta:
        model = CourtCase
        fields = []


class RulingFilter(TrackerFilterSet):
    case = in_filter("case__slug", "Case slug: one or a comma list.")
    court = in_filter("case__court", COURT_HELP, COURT_CHOICES)
    party = in_filter("case__case_parties__jurisdiction__slug", "Rulings in cases with this party.", many=True)
    kind = in_filter("kind", "Kind: one or a comma list.", Ruling.Kind.choices)
    outcome = in_filter("outcome", "Outcome: one or a comma list.", Ruling.Outcome.choices)
    outcome__not = not_in_filter("outcome", "outcome", Ruling.Outcome.choices)
    scope = in_filter("scope", "Scope: one or a comma list.", Ruling.Scope.choices)
    judge = django_filters.CharFilter(field_name="judge", lookup_expr="icontains", help_text="Judge's name contains.")
    decided_after = after_filter("decided_on", "Decided")
    decided_before = before_filter("decided_on", "Decided")

    class Meta:
        model = Ruling
        fields = []


class EventFilter(TrackerFilterSet):
    kind = in_filter("kind", "Kind: one or a comma list.", Event.Kind.choices)
    kind__not = not_in_filter("kind", "kind", Event.Kind.choices)
    jurisdiction = in_filter("jurisdictions__slug", "Events involving this jurisdiction.", many=True)
    state = in_filter(
        "jurisdictions__state", "Events involving a jurisdiction in this state.", State.choices, many=True
    )
    date_after = after_filter("date", "Happened")
    date_before = before_filter("date", "Happened")

    class Meta:
        model = Event
        fields = []


class DesignationListFilter(TrackerFilterSet):
    authority = django_filters.CharFilter(
        field_name="authority", lookup_expr="icontains", help_text="Authority's name contains."
    )
    jurisdiction = in_filter("designations__jurisdiction__slug", "Lists naming this jurisdiction.", many=True)
    published_after = after_filter("published_on", "Published")
    published_before = before_filter("published_on", "Published")
    withdrawn = BooleanFilter(
        field_name="withdrawn_on", lookup_expr="isnull", exclude=True, help_text="true: only withdrawn lists."
    )

    class Meta:
        model = DesignationList
        fields = []


class DesignationFilter(TrackerFilterSet):
    designation_list = in_filter("designation_list__slug", "Designation list slug: one or a comma list.")
    jurisdiction = in_filter("jurisdiction__slug", JURISDICTION_HELP)
    state = in_filter("jurisdiction__state", STATE_HELP, State.choices)
    state__not = not_in_filter("jurisdiction__state", "state", State.choices)
    disputed = BooleanFilter(help_text="true: only designations the jurisdiction disputes.")
    removed = BooleanFilter(
        field_name="removed_on", lookup_expr="isnull", exclude=True, help_text="true: only entries later removed."
    )
    removed_after = after_filter("removed_on", "Removed")
    removed_before = before_filter("removed_on", "Removed")

    class Meta:
        model = Designation
        fields = []


class LetterRecipientFilter(TrackerFilterSet):
    letter = in_filter("letter__slug", "Letter slug: one or a comma list.")
    kind = in_filter("letter__kind", "The letter's kind: one or a comma list.", Letter.Kind.choices)
    jurisdiction = in_filter("jurisdiction__slug", JURISDICTION_HELP)
    state = in_filter("jurisdiction__state", STATE_HELP, State.choices)
    determination = in_filter(
        "determination", "Determination: one or a comma list.", LetterRecipient.Determination.choices
    )
    determination__not = not_in_filter("determination", "determination", LetterRecipient.Determination.choices)
    basis = in_filter(
        "basis", "Basis: named (by a cited source) or inferred (from a list).", LetterRecipient.Basis.choices
    )
    sent_after = after_filter("letter__sent_on", "Letter sent")
    sent_before = before_filter("letter__sent_on", "Letter sent")
    responded_after = after_filter("responded_on", "Responded")
    responded_before = before_filter("responded_on", "Responded")

    class Meta:
        model = LetterRecipient
        fields = []


class CasePartyFilter(TrackerFilterSet):
    case = in_filter("case__slug", "Case slug: one or a comma list.")
    court = in_filter("case__court", COURT_HELP, COURT_CHOICES)
    jurisdiction = in_filter("jurisdiction__slug", JURISDICTION_HELP)
    state = in_filter("jurisdiction__state", STATE_HELP, State.choices)
    role = in_filter("role", "Role: one or a comma list.", CaseParty.Role.choices)
    filed_after = after_filter("case__filed_on", "Case filed")
    filed_before = before_filter("case__filed_on", "Case filed")

    class Meta:
        model = CaseParty
        fields = []


class EventParticipantFilter(TrackerFilterSet):
    event = in_filter("event__slug", "Event slug: one or a comma list.")
    kind = in_filter("event__kind", "The event's kind: one or a comma list.", Event.Kind.choices)
    jurisdiction = in_filter("jurisdiction__slug", JURISDICTION_HELP)
    state = in_filter("jurisdiction__state", STATE_HELP, State.choices)
    participation = in_filter(
        "participation", "Participation: one or a comma list.", EventParticipant.Participation.choices
    )
    date_after = after_filter("event__date", "Happened")
    date_before = before_filter("event__date", "Happened")

    class Meta:
        model = EventParticipant
        fields = []


class CourtFilter(django_filters.FilterSet):
    level = in_filter("level", "Level: one or a comma list.", Court.Level.choices)
    circuit = in_filter("circuit", "Court of appeals id(s), e.g. ca7: the courts of that circuit.", COURT_CHOICES)

    class Meta:
        model = Court
        fields = []

import django_filters
from django.db.models import Q

from cities.models import Jurisdiction, Official, Policy, State
from tracker.api.filters import (
    TrackerFilterSet,
    after_filter,
    before_filter,
    in_filter,
    max_filter,
    min_filter,
    not_in_filter,
)

STATE_HELP = "State (USPS code): one or a comma list, e.g. CA,IL."


def serving_on(queryset, name, value):
    return queryset.filter(Q(term_start__isnull=True) | Q(term_start__lte=value)).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=value)
    )


def in_force_on(queryset, name, value):
    return queryset.filter(enacted_on__lte=value).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=value))


class JurisdictionFilter(TrackerFilterSet):
    slug = in_filter("slug", "Jurisdiction slug: one or a comma list.")
    kind = in_filter("kind", "Kind: one or a comma list.", Jurisdiction.Kind.choices)
    kind__not = not_in_filter("kind", "kind", Jurisdiction.Kind.choices)
    state = in_filter("state", STATE_HELP, State.choices)
    state__not = not_in_filter("state", "state", State.choices)
    fips = in_filter("fips", "Census FIPS code: one or a comma list.")
    population_min = min_filter("population", "Population")
    population_max = max_filter("population", "Population")
    parent = in_filter("parent__slug", "Slug of the parent jurisdiction (e.g. california).")
    received_letter = in_filter(
        "letters_received__letter__slug", "Jurisdictions that received this letter (letter slug).", many=True
    )
    designated_by = in_filter(
        "designations__designation_list__slug", "Jurisdictions on this designation list (list slug).", many=True
    )

    class Meta:
        model = Jurisdiction
        fields = []


class OfficialFilter(TrackerFilterSet):
    jurisdiction = in_filter("jurisdiction__slug", "Jurisdiction slug: one or a comma list.")
    state = in_filter("jurisdiction__state", STATE_HELP, State.choices)
    state__not = not_in_filter("jurisdiction__state", "state", State.choices)
    role = in_filter("role", "Role: one or a comma list.", Official.Role.choices)
    role__not = not_in_filter("role", "role", Official.Role.choices)
    party = in_filter("party", "Party: one or a comma list.")
    term_start_after = after_filter("term_start", "Term started")
    term_start_before = before_filter("term_start", "Term started")
    serving_on = django_filters.DateFilter(method=serving_on, help_text="Officials in office on this date.")

    class Meta:
        model = Official
        fields = []


class PolicyFilter(TrackerFilterSet):
    jurisdiction = in_filter("jurisdiction__slug", "Jurisdiction slug: one or a comma list.")
    state = in_filter("jurisdiction__state", STATE_HELP, State.choices)
    state__not = not_in_filter("jurisdiction__state", "state", State.choices)
    kind = in_filter("kind", "Kind: one or a comma list.", Policy.Kind.choices)
    kind__not = not_in_filter("kind", "kind", Policy.Kind.choices)
    enacted_after = after_filter("enacted_on", "Enacted")
    enacted_before = before_filter("enacted_on", "Enacted")
    in_force_on = django_filters.DateFilter(method=in_force_on, help_text="Policies in force on this date.")

    class Meta:
        model = Policy
        fields = []

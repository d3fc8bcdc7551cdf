"""OPTIONS on a list tells a client every filter, its type and choices, and the orderings."""

import django_filters
from rest_framework.metadata import SimpleMetadata

FILTER_TYPES = [
    (django_filters.IsoDateTimeFilter, "datetime"),
    (django_filters.DateFilter, "date"),
    (django_filters.NumberFilter, "number"),
    (django_filters.BooleanFilter, "boolean"),
    (django_filters.ChoiceFilter, "choice"),
]


def filter_type(filter_) -> str:
    kind = next((name for cls, name in FILTER_TYPES if isinstance(filter_, cls)), "string")
    return f"comma list of {kind}" if isinstance(filter_, django_filters.BaseInFilter) else kind


class TrackerMetadata(SimpleMetadata):
    def determine_metadata(self, request, view):
        metadata = super().determine_metadata(request, view)
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return metadata
        metadata["filters"] = {}
        for name, filter_ in filterset_class.base_filters.items():
            description = {"type": filter_type(filter_), "help_text": str(filter_.extra.get("help_text", ""))}
            if "choices" in filter_.extra:
                choices = filter_.extra["choices"]
                # django-filter takes a callable for choices read when asked (the court directory).
                choices = choices() if callable(choices) else choices
                description["choices"] = [{"value": value, "display_name": str(label)} for value, label in choices]
            metadata["filters"][name] = description
        # A report (stats/determinations/) takes filters but has no orderings, search or facets.
        metadata["ordering_fields"] = getattr(view, "ordering_fields", [])
        metadata["search_fields"] = getattr(view, "search_fields", [])
        metadata["facet_fields"] = getattr(view, "facet_fields", [])
        return metadata

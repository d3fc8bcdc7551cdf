"""The query vocabulary: one set of rules for every query parameter, applied once per request.

- Unknown parameters, over-long values, NUL characters and empty values are a 400 naming the parameter.
- A list parameter (every filter that takes several values, and ``fields``, ``omit``, ``expand``, ``facet``,
  ``model``, ``kind``) takes a comma list, repeated parameters, or both: ``state=CA,IL`` is
  ``state=CA&state=IL``. Items are trimmed; empty items are dropped.
- Any other parameter given twice is a 400.
- Booleans are true/false or 1/0, in any case.
- Whole numbers are ASCII digits: a superscript two, or an Arabic-Indic or full-width digit, is no number here.

``normalize`` rewrites the request's query to its canonical form (lists joined by commas), so that
django-filter, the paginator and the serializers all read the same, already checked values.
"""

import re

from django.http import QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer

MAX_LENGTH = 1000
TRUE, FALSE = ("true", "1"), ("false", "0")


def comma_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def parse_bool(name: str, value: str | None) -> bool | None:
    """None when not given; otherwise true or false, in any case."""
    if value is None:
        return None
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ValidationError({name: [f"Must be true or false, got {value!r}."]})


def parse_whole_number(name: str, value: str, low: int, high: int) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", value) or not low <= int(value) <= high:
        raise ValidationError({name: [f"Must be a whole number from {low} to {high}."]})
    return int(value)


def normalize(request, allowed: set[str], lists: set[str]) -> None:
    """Check every parameter of the request and leave its query in canonical form."""
    canonical = QueryDict(mutable=True)
    # The browsable API's Filters form sends every field, the empty ones too: on a page, those mean nothing.
    # JSON clients keep the strict rule (an empty value is a 400 naming it).
    page = isinstance(getattr(request, "accepted_renderer", None), BrowsableAPIRenderer)
    for name, values in request.query_params.lists():
        if page and not any(value.strip() for value in values):
            continue
        check_known(name, allowed)
        check_values(name, values)
        canonical[name] = list_value(name, values) if name in lists else single_value(name, values)
    canonical._mutable = False
    request._request.GET = canonical


def check_known(name: str, allowed: set[str]) -> None:
    if name not in allowed:
        choices = ", ".join(sorted(allowed)) or "none"
        raise ValidationError({name: [f"Unknown parameter. Allowed here: {choices}."]})


def check_values(name: str, values: list[str]) -> None:
    for value in values:
        if len(value) > MAX_LENGTH:
            raise ValidationError({name: [f"At most {MAX_LENGTH} characters."]})
        if "\x00" in value:
            raise ValidationError({name: ["Contains a NUL character."]})


def list_value(name: str, values: list[str]) -> str:
    """A list parameter's items, from comma lists and repeated parameters, once each, joined by commas."""
    items = list(dict.fromkeys(item for value in values for item in comma_list(value)))
    if not items:
        raise ValidationError({name: ["Empty; give one or more values, or leave the parameter out."]})
    return ",".join(items)


def single_value(name: str, values: list[str]) -> str:
    """The one value of a parameter that takes one."""
    if len(values) > 1:
        raise ValidationError({name: ["Given more than once; this parameter takes one value."]})
    if not values[0].strip():
        raise ValidationError({name: ["Empty; give a value, or leave the parameter out."]})
    return values[0]

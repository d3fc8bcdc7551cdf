"""One error shape for the whole API.

{"status": 400, "error": "invalid_parameters", "detail": "…",
 "errors": {"<parameter or field>": ["<what is wrong and what is allowed>"]}}
"""

import logging
import re

from django.db import DataError
from django.http import JsonResponse
from django.views import csrf, defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from tracker.api.renderers import FastJSONRenderer
from tracker.reading.links import absolute_url

logger = logging.getLogger(__name__)

# Django's own exceptions (Http404, PermissionDenied) carry no DRF code.
CODES = {403: "permission_denied", 404: "not_found"}


def api_exception_handler(exc, context):
    if isinstance(exc, RecursionError):
        # JSON nested thousands deep blows Python's parser stack: bad input, not a server fault.
        exc = exceptions.ParseError("The JSON body is nested too deeply.")
    elif isinstance(exc, OverflowError | DataError):
        # A number or time past what the database or Python's datetime can hold (fiscal_year=10**20
        # on SQLite, a time zone offset PostgreSQL refuses): the input's fault, but one the
        # validation should have caught and named, so it is logged.
        logger.warning("Input the validation let through: %s", exc)
        exc = exceptions.ValidationError({"request": ["A value is out of the range this API can store or compare."]})
    response = exception_handler(exc, context)
    if response is None:
        return None
    moved = renamed(context) if response.status_code == status.HTTP_404_NOT_FOUND else None
    if moved is not None:
        response.status_code, response["Location"] = status.HTTP_301_MOVED_PERMANENTLY, moved
        response.data = {"status": 301, "error": "moved_permanently", "detail": f"Renamed: now at {moved}"}
        return response
    code = getattr(exc, "default_code", None) or CODES.get(response.status_code, "error")
    body = {"status": response.status_code, "error": code}
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        first = next(iter(errors), "request")
        body |= {"error": "invalid", "detail": f"Invalid value for {first!r}.", "errors": errors}
    else:
        body["detail"] = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
    response.data = body
    request = context.get("request")
    if request is not None and getattr(request, "accepted_renderer", None) is not None:
        # An error is JSON in the one shape, whatever format the request asked for its rows in.
        request.accepted_renderer, request.accepted_media_type = FastJSONRenderer(), FastJSONRenderer.media_type
    return response


SLUG = re.compile(r"[-a-z0-9_]+")  # what a slug can be (tracker.models.lowercase_slug): nothing else is looked up


def renamed(context) -> str | None:
    """Where a record now answers that had the slug a 404 asked for (its history knows it), or None."""
    view, request = context.get("view"), context.get("request")
    old = getattr(view, "kwargs", {}).get("slug")
    queryset = getattr(view, "queryset", None)
    model = queryset.model if queryset is not None else getattr(view, "slug_model", None)
    if old is None or request is None or not hasattr(model, "history") or not SLUG.fullmatch(old):
        return None
    earlier = model.history.filter(slug=old).order_by("-history_date").values_list("id", flat=True).first()
    current = model._default_manager.filter(pk=earlier).values_list("slug", flat=True).first()
    if current is None or current == old:
        return None
    return absolute_url(request, request.get_full_path().replace(f"/{old}/", f"/{current}/", 1))


def json_error(request, status_code: int, error: str, detail: str) -> JsonResponse:
    return JsonResponse({"status": status_code, "error": error, "detail": detail}, status=status_code)


def is_api(request) -> bool:
    return request.path.startswith("/api/") or request.path == "/health"


def csrf_failure(request, reason: str = ""):
    """A CSRF failure (a POST with a session cookie but no token, or to /health) in the API's JSON shape;
    the admin's pages keep Django's own page."""
    if not is_api(request):
        return csrf.csrf_failure(request, reason)
    return json_error(request, status.HTTP_403_FORBIDDEN, "permission_denied", f"CSRF verification failed: {reason}")


def not_found(request, exception=None):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return json_error(request, status.HTTP_404_NOT_FOUND, "not_found", "No such page.")


def server_error(request) -> JsonResponse:
    return json_error(request, status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", "Server error.")


def bad_request(request, exception=None) -> JsonResponse:
    return json_error(request, status.HTTP_400_BAD_REQUEST, "bad_request", "Bad request.")

"""Answers that must hold for every response, API or not."""

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.middleware import http

# The API's JSON needs nothing; the admin and the docs page need their own scripts and styles
# (Swagger UI starts from an inline script, the admin uses inline styles; ReDoc searches in a worker it
# makes from a blob).
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response (Django 5.2 has none of its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        html = response.get("Content-Type", "").startswith("text/html")
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY if html else API_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """While the database is down: 503 with a JSON body, never a 500 or a stack trace.

    A worker's persistent connection is not checked before each request (Django's health check costs a
    query every time); a read that finds it dropped (the database or PgBouncer restarted) is answered
    again once, on a new connection. Django drops a broken connection at the end of the request and the
    next request reconnects, so the same processes recover when the database returns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.__dict__.pop("_answer_again", False):
            response = self.get_response(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        dropped = [connection for connection in connections.all(initialized_only=True) if lost(connection)]
        if dropped and request.method in ("GET", "HEAD") and not hasattr(request, "_answered_again"):
            for connection in dropped:
                connection.close()  # the next query connects anew
            request._answer_again = request._answered_again = True  # once: __call__ answers it again
        body = {"status": 503, "error": "database_unavailable", "detail": "The database is unavailable; retry soon."}
        return JsonResponse(body, status=503, headers={"Retry-After": "5"})


def lost(connection) -> bool:
    """Whether ``connection``'s link to the server is gone (not a query that failed on a live one)."""
    return connection.connection is not None and bool(getattr(connection.connection, "closed", False))


class RequestSizeLimitMiddleware:
    """An API request whose body is over API_MAX_REQUEST_BYTES: 413 with a JSON body, before it is read.

    DRF reads a body from the stream whatever its size (Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE applies only to what Django itself parses), so
    without this one write could store megabytes that every list then carries.
    The admin keeps Django's own limits (its CSV imports are files).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.API_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django reads it: no body
        if length > limit and request.path.startswith("/api/"):
            body = {"status": 413, "error": "request_too_large", "detail": f"The request body is over {limit} bytes."}
            return JsonResponse(body, status=413)
        return self.get_response(request)


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's ETag and 304s for GET, and for HEAD too; a HEAD answer carries no body.

    Django's computes ETags for GET only, and a WSGI server such as gunicorn
    sends whatever body the application gives a HEAD. The headers are the
    GET's, Content-Length included; a streamed export is not even started.
    """

    def process_response(self, request, response):
        if request.method != "HEAD":
            return super().process_response(request, response)
        request.method = "GET"  # the same validators and 304s as the GET it stands for
        try:
            response = super().process_response(request, response)
        finally:
            request.method = "HEAD"
        if response.streaming:
            response.close()
            response.streaming_content = []
        else:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

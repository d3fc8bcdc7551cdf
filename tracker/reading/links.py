"""Absolute links in the API's answers, the same whoever asks.

Every body carries absolute URLs, and its ETag is the hash of the body. Built
from each request's Host header and scheme, one record would have a body and
an ETag per name it is reached by (127.0.0.1, localhost, the public name; http
or https behind a proxy): a client's If-Match read through one name would fail
through another, and caches would keep copies that differ only in their links.
With PUBLIC_BASE_URL set (the origin clients use, e.g.
https://tracker.example.org), every link starts with it; unset (a local run),
links follow the request, as Django's build_absolute_uri does.
"""

from django.conf import settings


def absolute_url(request, location: str | None = None) -> str:
    """``location`` (a path, or by default the request's own path and query) as an absolute URL."""
    if location is None:
        location = request.get_full_path()
    base = settings.PUBLIC_BASE_URL
    if base and location.startswith("/"):
        return base + location
    return request.build_absolute_uri(location)

"""A method a route does not have is a 405 with ``Allow``, on every URL the project serves.

The routes come from the URL resolver itself, so a new one is covered without touching this file.
The admin is left out: its pages are Django's own HTML forms, behind its login.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# A value for each key a route takes, as the world's records have them.
KEYS = {"slug": "chicago-il", "pk": "1", "version": "20180124T000000Z"}
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def routes(patterns=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from routes(pattern.url_patterns)
        else:
            yield reverse(pattern.name, kwargs={key: KEYS[key] for key in pattern.pattern.regex.groupindex})


URLS = list(routes())


def test_every_route_is_found():
    assert {"/health", "/api/v1/", "/api/v1/feeds/letters/", "/api/v1/dataset/20180124T000000Z.zip"} <= set(URLS)
    assert "/api/v1/letters.csv" in URLS
    assert not [url for url in URLS if url.startswith("/admin/")]


@pytest.mark.parametrize("url", URLS)
def test_a_method_the_route_lacks_is_a_405_with_allow_for_anyone(client, editor_client, world, url):
    for who in (client, editor_client):
        trace = who.generic("TRACE", url)
        assert trace.status_code == 405, (url, trace.status_code)
        allowed = {method.strip() for method in trace["Allow"].split(",")}
        assert {"GET", "HEAD"} <= allowed and "TRACE" not in allowed
        api = url.startswith(("/api/", "/health"))  # the API's errors are JSON; a page's are Django's own
        if api:
            body = trace.json()
            assert (body["status"], body["error"], "TRACE" in body["detail"]) == (405, "method_not_allowed", True)
        for method in sorted(set(WRITES) - allowed):
            response = who.generic(method, url, "{}", content_type="application/json")
            assert response.status_code == 405, (url, method, response.status_code)
            assert response["Allow"] == trace["Allow"]
            assert not api or response.json()["error"] == "method_not_allowed"


@pytest.mark.parametrize("url", URLS)
def test_options_is_answered_or_refused_never_a_500(client, world, url):
    response = client.options(url)
    assert response.status_code in (200, 405), (url, response.status_code)
    if response.status_code == 405:
        assert "OPTIONS" not in response["Allow"]

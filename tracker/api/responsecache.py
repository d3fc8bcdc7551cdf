"""A shared cache of anonymous answers, keyed by the data version and the request.

The thousandth anonymous request for the same page costs the version read and a cache read
(Redis when REDIS_URL is set, so every worker shares it). Every write moves the version
(tracker/serving/dataversion.py), so a cached answer is never stale: the next request after a write
looks under a new key. The version is read from the database that answers the request, before
the records, so an answer is never stored under a version newer than its data (a lagging replica
stores under its own, older version). A list's ETag (and any answer's but a record's detail) is
made from that key, the version and the request, not by hashing the body; a record's detail stays
tagged by the hash of its body, set when the answer is stored, so If-Match still compares a
record's own content. Either way a 304 needs nothing but the version read and the cache read.
``RESPONSE_CACHE_SECONDS=0`` turns the cache off: nothing is looked up or stored.

A read inside an open transaction (which may see its own writes before they commit, or are rolled
back) neither uses nor fills the cache. Only what is the same for every anonymous client is kept:
JSON and GeoJSON answers with status 200 (not the browsable HTML, whose page names the user, nor
streamed exports, which are tagged by the version instead).
"""

from functools import wraps
from hashlib import md5

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.utils.cache import quote_etag, set_response_etag
from rest_framework.renderers import BrowsableAPIRenderer

from tracker.api.renderers import StreamingRenderer
from tracker.models import Source
from tracker.reading.links import absolute_url
from tracker.serving.dataversion import write_count


def cache_key(request) -> str | None:
    """The key of this request's answer, or None when it is not shared."""
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return None
    if isinstance(request.accepted_renderer, BrowsableAPIRenderer | StreamingRenderer):
        return None
    # Every record table is in the database the router picked for this request.
    alias = router.db_for_read(Source)
    if connections[alias].in_atomic_block:
        return None  # inside a transaction a read may see writes that are not committed, and may never be
    current = write_count(alias)
    # The request as its links are built (tracker/reading/links.py): the same for every host and scheme once
    # PUBLIC_BASE_URL is set, the request's own otherwise (its bodies then carry links to its host).
    request_key = f"{absolute_url(request)} {request.accepted_media_type} {translation.get_language()}"
    return f"answer:{current}:{md5(request_key.encode(), usedforsecurity=False).hexdigest()}"


def shared_cache(handler):
    """Serve a view's anonymous GET from the shared cache, and keep its fresh answers there."""

    @wraps(handler)
    def answer(view, request, *args, **kwargs):
        key = cache_key(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        cached = cache.get(key) if settings.RESPONSE_CACHE_SECONDS else None
        if cached is not None:
            return cached
        response = handler(view, request, *args, **kwargs)
        if response.status_code == 200 and isinstance(response, SimpleTemplateResponse):
            if getattr(view, "action", None) != "retrieve":  # a record's detail is tagged by its content, for If-Match
                response["ETag"] = quote_etag(md5(key.encode(), usedforsecurity=False).hexdigest())
            if settings.RESPONSE_CACHE_SECONDS:

                def store(rendered):
                    if not rendered.has_header("ETag"):
                        set_response_etag(rendered)
                    kept = HttpResponse(rendered.content, status=rendered.status_code, headers=dict(rendered.items()))
                    cache.set(key, kept, settings.RESPONSE_CACHE_SECONDS)

                response.add_post_render_callback(store)
        return response

    return answer

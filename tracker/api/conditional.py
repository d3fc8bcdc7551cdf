"""Entity tags for optimistic concurrency: no edit silently overwrites another.

A record's ETag is the MD5 of its JSON detail, exactly as Django's
ConditionalGetMiddleware computes it for a GET, so the tag a client read is
the tag a write is checked against. A write with a stale ``If-Match`` gets 412.
"""

from hashlib import md5

from django.utils.cache import quote_etag
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.exceptions import APIException

from tracker.api.renderers import FastJSONRenderer


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = "The record changed since you read it (If-Match does not match its ETag). Read it again."


def etag(data) -> str:
    return quote_etag(md5(FastJSONRenderer().render(data), usedforsecurity=False).hexdigest())


def check_if_match(request, current: str) -> None:
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = [tag.removeprefix("W/") for tag in parse_etags(header)]
    if "*" not in tags and current not in tags:
        raise PreconditionFailed()

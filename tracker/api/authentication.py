"""Token authentication for the API, and the admin login's attempt counting.

A token expires API_TOKEN_DAYS after it is issued. A wrong (or expired) token
is a 401 before any throttle runs (DRF authenticates first), so without a
limit a client could try tokens as fast as the server answers: each wrong
token counts against its address (THROTTLE_INVALID_TOKEN), and past the limit
every request with a token from that address is a 429 with Retry-After,
before the token is even looked up.
"""

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled

from tracker.api.throttling import InvalidTokenThrottle, client_ip


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once older than API_TOKEN_DAYS, so that a leaked or forgotten token stops working.

    ``manage.py api_token <user>`` rotates it: the new token replaces the old one at once.
    """

    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - timedelta(days=settings.API_TOKEN_DAYS):
            raise AuthenticationFailed(
                f"This token expired {settings.API_TOKEN_DAYS} days after it was issued; "
                "ask for a new one (manage.py api_token)."
            )
        return user, token


class ThrottledTokenAuthentication(ExpiringTokenAuthentication):
    """The expiring token, with a limit on wrong tokens per address."""

    def authenticate(self, request):
        if not request.META.get("HTTP_AUTHORIZATION"):
            return None
        throttle, client = InvalidTokenThrottle(), client_ip(request)
        if throttle.exhausted(client):
            raise Throttled(throttle.wait(), detail="Too many wrong tokens from this address; try again later.")
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle.hit(client)
            raise


class LoginAttemptsBackend(AxesStandaloneBackend):
    """django-axes' lockout check for a login made through a request (the admin's form).

    A login with no request has no client to count: code calling
    ``authenticate()`` itself, such as the test client's ``login()``.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)

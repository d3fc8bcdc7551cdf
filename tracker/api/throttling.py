"""Per-client rates, per minute and per day; anonymous clients and token holders apart.

Each is a fixed-window counter in the shared cache (Redis in production):
one atomic increment per request. DRF's own throttles keep every request's
timestamp in a list they read and write back whole each time, which grows to
the day's limit. The rates come from settings (THROTTLE_* environment
variables); past one, the API answers 429 with Retry-After.

A client is its address as the last trusted proxy saw it: ``X-Forwarded-For``
counts only through the ``NUM_PROXIES`` proxies in front of the app (none by
default: the connection's own address), so a made-up header buys no new
allowance, and no header makes a key longer than an address.
"""

import hashlib
import ipaddress
import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the address the outermost of NUM_PROXIES trusted proxies saw.

    Each proxy appends the address it was called from to X-Forwarded-For, so
    with N proxies the N-th entry from the right is the one no client can
    forge. An IPv6 client is its /64 (one household or server has a whole
    one); anything that is not an address is hashed to a short key.
    Django-axes counts login failures by the same address.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = api_settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = forwarded.split(",")
        address = hops[-min(proxies, len(hops))].strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unparsed-" + hashlib.blake2b(address.encode(errors="replace"), digest_size=8).hexdigest()
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class WindowThrottle(BaseThrottle):
    scope = ""

    def client(self, request) -> str | None:
        """Who is counted; None for a request this throttle does not count."""
        raise NotImplementedError

    def get_ident(self, request) -> str:
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        client = self.client(request)
        if client is None:
            return True
        return self.hit(client) <= self.rate()[0]

    def key(self, client: str) -> tuple[str, int]:
        """The counter's cache key for the current window, and the window's length."""
        period = self.rate()[1]
        now = time.time()
        self.retry_after = period - now % period
        return f"throttle:{self.scope}:{client}:{int(now // period)}", period

    def hit(self, client: str) -> int:
        """Counts one request; the count so far in this window."""
        key, period = self.key(client)
        cache.add(key, 0, period)
        try:
            return cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, period)
            return 1

    def exhausted(self, client: str) -> bool:
        """Whether the client has used up this window, without counting a request."""
        return cache.get(self.key(client)[0], 0) >= self.rate()[0]

    def wait(self) -> float:
        return self.retry_after

    def rate(self) -> tuple[int, int]:
        # Read when asked, not at import, so a settings change applies.
        number, period = api_settings.DEFAULT_THROTTLE_RATES[self.scope].split("/")
        return int(number), PERIODS[period[0]]


class AnonThrottle(WindowThrottle):
    def client(self, request) -> str | None:
        return None if request.user and request.user.is_authenticated else self.get_ident(request)


class TokenThrottle(WindowThrottle):
    def client(self, request) -> str | None:
        return f"user-{request.user.pk}" if request.user and request.user.is_authenticated else None


class AnonMinuteThrottle(AnonThrottle):
    scope = "anon_minute"


class AnonDayThrottle(AnonThrottle):
    scope = "anon_day"


class UserMinuteThrottle(TokenThrottle):
    scope = "user_minute"


class UserDayThrottle(TokenThrottle):
    scope = "user_day"


class InvalidTokenThrottle(WindowThrottle):
    """Wrong API tokens per client address (tracker/api/authentication.py counts them)."""

    scope = "invalid_token"

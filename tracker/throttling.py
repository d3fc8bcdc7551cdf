"""Per-client rates, per minute and per day; anonymous clients and token holders apart.

Each is a fixed-window counter in the shared cache (Redis in production):
one atomic increment per request. DRF's own throttles keep every request's
timestamp in a list they read and write back whole each time, which grows to
the day's limit. The rates come from settings (THROTTLE_* environment
variables); past one, the API answers 429 with Retry-After.
"""

import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class WindowThrottle(BaseThrottle):
    scope = ""

    def client(self, request) -> str | None:
        """Who is counted; None for a request this throttle does not count."""
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        client = self.client(request)
        if client is None:
            return True
        limit, period = self.rate()
        now = time.time()
        key = f"throttle:{self.scope}:{client}:{int(now // period)}"
        cache.add(key, 0, period)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, period)
            count = 1
        self.retry_after = period - now % period
        return count <= limit

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

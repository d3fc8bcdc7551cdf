"""Per-client rates, per minute and per day; anonymous clients and token holders apart.

The rates come from settings (THROTTLE_* environment variables); past one,
the API answers 429 with Retry-After.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class SettingsRateMixin:
    def get_rate(self) -> str:
        # Read the rate when asked, not at import, so a settings change applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class AnonMinuteThrottle(SettingsRateMixin, AnonRateThrottle):
    scope = "anon_minute"


class AnonDayThrottle(SettingsRateMixin, AnonRateThrottle):
    scope = "anon_day"


class TokenRateThrottle(SettingsRateMixin, UserRateThrottle):
    """Counts signed-in clients only; anonymous ones have their own rates."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class UserMinuteThrottle(TokenRateThrottle):
    scope = "user_minute"


class UserDayThrottle(TokenRateThrottle):
    scope = "user_day"

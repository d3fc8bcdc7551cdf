from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


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

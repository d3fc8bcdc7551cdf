from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Issue (or with --revoke, revoke) the API token of an editor. Issuing again rotates it: the old token "
        "stops working. A token expires API_TOKEN_DAYS after it is issued."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Delete the user's token.")

    def handle(self, username, revoke, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        if revoke:
            Token.objects.filter(user=user).delete()
            self.stdout.write(self.style.SUCCESS(f"Token of {username!r} revoked."))
            return
        if not (user.is_superuser or user.groups.filter(name="editors").exists()):
            # Refused before anything changes: the user keeps any token they have.
            raise CommandError(f"{username!r} is not an editor; create editors with create_editor.")
        Token.objects.filter(user=user).delete()
        self.stdout.write(Token.objects.create(user=user).key)

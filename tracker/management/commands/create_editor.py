import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create a newsroom editor: a staff user in the editors group (add, change and view every record). "
        "The password comes from $EDITOR_PASSWORD, or is asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    @transaction.atomic
    def handle(self, username, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"User {username!r} already exists.")
        password = os.environ.get("EDITOR_PASSWORD") or getpass.getpass(f"Password for {username}: ")
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="editors"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Editor {username!r} created; enrol their authenticator app with "
                f"manage.py totp_device {username}, then they can sign in at /admin/."
            )
        )

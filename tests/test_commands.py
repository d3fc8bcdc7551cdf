"""manage.py create_editor and api_token."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_create_editor_makes_a_staff_user_in_the_editors_group(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a long editor passphrase")
    assert "created" in run("create_editor", "ana", "--email", "ana@example.org")
    user = User.objects.get(username="ana")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["editors"]
    assert user.check_password("a long editor passphrase")
    assert user.has_perm("letters.change_letter") and not user.has_perm("letters.delete_letter")


def test_create_editor_refuses_a_weak_password_and_creates_nothing(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        run("create_editor", "ana")
    assert not User.objects.filter(username="ana").exists()


def test_api_token_issues_replaces_and_revokes_a_token(editor):
    first = run("api_token", "editor")
    assert Token.objects.get(user=editor).key == first
    second = run("api_token", "editor")
    assert second != first
    assert Token.objects.get(user=editor).key == second
    run("api_token", "editor", "--revoke")
    assert not Token.objects.filter(user=editor).exists()


def test_api_token_is_only_for_editors():
    User.objects.create_user("reader")
    with pytest.raises(CommandError, match="not an editor"):
        run("api_token", "reader")


def test_api_token_refuses_a_non_editor_without_touching_their_token():
    reader = User.objects.create_user("reader")
    kept = Token.objects.create(user=reader)
    with pytest.raises(CommandError, match="not an editor"):
        run("api_token", "reader")
    assert Token.objects.get(user=reader).key == kept.key
    run("api_token", "reader", "--revoke")
    assert not Token.objects.filter(user=reader).exists()

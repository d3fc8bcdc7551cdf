"""Editors' accounts: a second factor for the admin, API tokens that expire and rotate."""

import datetime
import io
from base64 import b32decode
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def enrol(username: str) -> bytes:
    """Enrol like an editor: run the command, then read the key from the URI the authenticator app scans."""
    out = io.StringIO()
    call_command("totp_device", username, stdout=out)
    uri = urlsplit(out.getvalue().strip())
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    return b32decode(parse_qs(uri.query)["secret"][0])


def log_in(client: Client, **fields):
    return client.post("/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD, **fields})


def test_an_editor_signs_in_on_one_page_with_a_code_from_the_enrolled_authenticator(client, editor):
    key = enrol("editor")
    page = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in page and 'name="otp_device"' not in page and "otp_challenge" not in page

    response = log_in(client, otp_token=f"{totp(key):06d}")

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_user_with_two_authenticators_picks_one_after_the_first_try(client, editor):
    key = enrol("editor")
    TOTPDevice.objects.create(user=editor, name="Spare phone")

    first = log_in(client, otp_token=f"{totp(key):06d}")

    assert first.context["form"].errors == {"__all__": ["Please select a device."]}
    assert 'name="otp_device"' in first.content.decode()
    device = TOTPDevice.objects.get(user=editor, name="Authenticator app")
    assert log_in(client, otp_device=device.persistent_id, otp_token=f"{totp(key):06d}").status_code == 302


def test_a_password_alone_does_not_open_the_admin(client, editor):
    enrol("editor")

    response = log_in(client)

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": ["Please enter your OTP token."]}
    assert client.get("/admin/").status_code == 302


def test_a_wrong_token_does_not_open_the_admin(client, editor):
    key = enrol("editor")
    device = TOTPDevice.objects.get(user=editor)

    response = log_in(client, otp_device=device.persistent_id, otp_token=f"{(totp(key) + 1) % 1_000_000:06d}")

    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_enrolling_again_replaces_the_old_device(editor):
    first = enrol("editor")
    second = enrol("editor")

    assert first != second
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_past_its_lifetime_is_refused_with_a_401_that_says_so(editor, settings, world):
    settings.API_TOKEN_DAYS = 30
    token = Token.objects.create(user=editor)
    Token.objects.filter(pk=token.pk).update(created=token.created - datetime.timedelta(days=31))

    edit = {"notes": "x", "change_reason": "A note"}
    response = token_client(token.key).patch("/api/v1/jurisdictions/chicago-il/", edit, format="json")

    assert response.status_code == 401
    assert response.json()["detail"] == (
        "This token expired 30 days after it was issued; ask for a new one (manage.py api_token)."
    )


def test_a_token_within_its_lifetime_writes(editor, settings, world):
    settings.API_TOKEN_DAYS = 30
    token = Token.objects.create(user=editor)
    Token.objects.filter(pk=token.pk).update(created=token.created - datetime.timedelta(days=29))

    edit = {"notes": "x", "change_reason": "A note"}
    response = token_client(token.key).patch("/api/v1/jurisdictions/chicago-il/", edit, format="json")

    assert response.status_code == 200


def test_rotating_a_token_stops_the_old_one(editor, world):
    old, new = io.StringIO(), io.StringIO()
    call_command("api_token", "editor", stdout=old)
    call_command("api_token", "editor", stdout=new)

    assert (
        token_client(old.getvalue().strip()).patch("/api/v1/jurisdictions/chicago-il/", {}, format="json").status_code
        == 401
    )
    assert (
        token_client(new.getvalue().strip()).patch("/api/v1/jurisdictions/chicago-il/", {}, format="json").status_code
        == 200
    )

"""Security defaults: headers, CORS for reads only, the admin behind login and CSRF, no leaks in errors.

`manage.py check --deploy` under production settings is tests/test_settings.py's.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import sign_in
from tracker.serving.middleware import API_POLICY, PAGE_POLICY

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/api/v1/docs/", "/api/v1/redoc/", "/admin/login/"]
LEAKS = ("Traceback", 'File "', "SELECT", "FROM ", "tracker_source", "psycopg", "sqlite", "django.db", "line ")


@pytest.fixture
def hsts(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def test_hsts_is_sent_over_https_when_configured(client, hsts):
    response = client.get("/api/v1/letters/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_hsts_is_never_sent_over_plain_http(client, hsts):
    assert "Strict-Transport-Security" not in client.get("/api/v1/letters/")


def test_hsts_follows_the_environment():
    env = {**os.environ, "SECURE_HSTS_SECONDS": "31536000"}
    code = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["31536000", "True"], result.stderr


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/letters/", "/api/v1/schema/", "/health", *PAGES])
def test_every_answer_refuses_sniffing_and_framing(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_the_docs_and_admin_pages_have_a_content_security_policy_allowing_only_this_site(client, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == PAGE_POLICY
    assert "default-src 'self'" in PAGE_POLICY
    assert "http" not in PAGE_POLICY and "*" not in PAGE_POLICY


def test_the_admin_pages_behind_login_have_the_page_policy_too(admin_client):
    response = admin_client.get("/admin/letters/letter/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == PAGE_POLICY


@pytest.mark.parametrize("path", ["/api/v1/letters/", "/api/v1/schema/", "/api/v1/nothing-here/"])
def test_the_api_allows_no_scripts_or_anything_else(client, path):
    assert client.get(path)["Content-Security-Policy"] == API_POLICY == "default-src 'none'; frame-ancestors 'none'"


# CORS -------------------------------------------------------------------------------------------

ORIGIN = "https://newsroom.example.com"


def test_a_cross_origin_read_is_allowed(client, world):
    response = client.get("/api/v1/letters/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_cross_origin_write_is_refused_at_the_preflight(client, world, method):
    response = client.options(
        "/api/v1/letters/2018-01-24-demands/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    allowed = [m.strip() for m in response.get("Access-Control-Allow-Methods", "").split(",")]
    assert method not in allowed
    assert set(allowed) <= {"GET", "HEAD", "OPTIONS", ""}


def test_the_admin_is_not_open_to_other_origins(client):
    assert "Access-Control-Allow-Origin" not in client.get("/admin/login/", HTTP_ORIGIN=ORIGIN)


# The admin --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/admin/letters/letter/", "/admin/auth/user/"])
def test_the_admin_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_login_without_a_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": "correct horse battery staple"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_login_with_the_csrf_token_works(editor):
    device = TOTPDevice.objects.create(user=editor, name="Authenticator app")
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/admin/login/",
        {
            "username": "editor",
            "password": "correct horse battery staple",
            "otp_device": device.persistent_id,
            "otp_token": f"{totp(device.bin_key):06d}",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302


def admin_login(client: Client, password: str, **extra):
    return client.post("/admin/login/", {"username": "editor", "password": password}, **extra)


def test_the_admin_login_locks_an_address_out_after_five_wrong_passwords(editor):
    client = Client()
    assert [admin_login(client, f"guess {n}").status_code for n in range(5)] == [200, 200, 200, 200, 429]
    locked = admin_login(client, "correct horse battery staple")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out, and a made-up X-Forwarded-For is not another address.
    assert admin_login(client, "correct horse battery staple", HTTP_X_FORWARDED_FOR="10.1.1.1").status_code == 429
    # Another address gets past the password to the second step: the authenticator's code.
    elsewhere = admin_login(Client(REMOTE_ADDR="198.51.100.9"), "correct horse battery staple")
    assert elsewhere.status_code == 200 and b"otp_token" in elsewhere.content


def test_the_test_clients_login_still_works(client, editor):
    assert client.login(username="editor", password="correct horse battery staple")


def test_an_admin_change_without_a_csrf_token_is_refused(admin_user, world):
    client = sign_in(Client(enforce_csrf_checks=True), admin_user)
    pk = world["chicago"].pk
    response = client.post(f"/admin/cities/jurisdiction/{pk}/change/", {"name": "Hijacked"})
    assert response.status_code == 403
    world["chicago"].refresh_from_db()
    assert world["chicago"].name == "City of Chicago"


def test_an_api_write_with_a_session_cookie_but_no_csrf_token_is_refused(editor, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.patch(
        "/api/v1/jurisdictions/chicago-il/", '{"name": "Hijacked"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_api_write_with_a_bad_token_is_a_401(client, world):
    response = client.patch(
        "/api/v1/jurisdictions/chicago-il/",
        '{"name": "x"}',
        content_type="application/json",
        HTTP_AUTHORIZATION="Token not-a-real-token",
    )
    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"


# Errors leak nothing ----------------------------------------------------------------------------


def test_a_database_error_answers_json_with_no_stack_trace_or_sql(client):
    # A real fault, no mock: the table is gone (the test's transaction brings it back; no row cites it).
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE tracker_source{cascade}")
    client.raise_request_exception = False
    response = client.get("/api/v1/sources/")
    assert response.status_code in (500, 503)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "error", "detail"}
    for leak in LEAKS:
        assert leak not in response.content.decode(), leak


def test_the_server_error_page_is_json_with_no_details(rf):
    from tracker.api.exceptions import server_error

    response = server_error(rf.get("/api/v1/letters/"))
    assert response.status_code == 500
    assert response.content == b'{"status": 500, "error": "server_error", "detail": "Server error."}'


def test_an_unknown_admin_page_shows_no_debug_page(admin_client):
    response = admin_client.get("/admin/no-such-app/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content and b"URLconf" not in response.content


# Secrets ----------------------------------------------------------------------------------------


def test_secrets_come_from_the_environment():
    env = {
        **os.environ,
        "SECRET_KEY": "from-the-environment-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
        "DATABASE_URL": "postgres://tracker:s3cret-from-env@db.example.org:5432/tracker",
    }
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(s.SECRET_KEY, d['PASSWORD'], d['HOST'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [env["SECRET_KEY"], "s3cret-from-env", "db.example.org"], result.stderr


def test_no_secret_is_written_in_the_settings_file():
    source = (ROOT / "tracker" / "settings.py").read_text()
    # The one literal key is the DEBUG-only fallback, refused when DEBUG is off (tests/test_settings.py).
    assert source.count("SECRET_KEY = ") == 2
    assert 'SECRET_KEY = "django-insecure-' in source
    assert "PASSWORD" not in source.replace("AUTH_PASSWORD_VALIDATORS", "").replace("password_validation", "")

"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "tracker.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
}


def manage(*args, **env):
    base = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert result.stderr.startswith("Configuration error: SECRET_KEY must be set")
    assert result.stderr.count("\n") == 1, "one line, no traceback"


@pytest.fixture
def dotenv():
    """The checkout's .env, as `make run` writes it; a developer's own is put back afterwards."""
    path = ROOT / ".env"
    saved = path.read_bytes() if path.exists() else None
    path.write_text("SECRET_KEY=written-by-make-run\n")
    yield path
    if saved is None:
        path.unlink()
    else:
        path.write_bytes(saved)


def test_the_dotenv_file_supplies_the_secret_key_and_the_environment_wins(dotenv):
    code = "from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG)"
    without = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    from_file = manage("shell", "--no-imports", "-c", code, **without)
    assert from_file.stdout.split() == ["written-by-make-run", "False"], from_file.stderr
    from_env = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert from_env.stdout.split() == [PRODUCTION["SECRET_KEY"], "False"], from_env.stderr


def test_it_refuses_a_malformed_boolean():
    result = manage("check", **{**PRODUCTION, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_it_refuses_a_malformed_integer():
    result = manage("check", **{**PRODUCTION, "SECURE_HSTS_SECONDS": "a year"})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be an integer" in result.stderr

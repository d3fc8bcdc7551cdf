"""Backups restore whole: every row and every history record, with the users who made them.

Two procedures (README, "Robustness and operations"): `dumpdata` of the apps
with natural keys, loaded into a fresh database of either engine; and on
PostgreSQL, `pg_dump -Fc` restored with `pg_restore` into a new database.
"""

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import Jurisdiction
from letters.models import Letter
from tests.conftest import cited, publish

# Each restores into a fresh database through manage.py in a subprocess, or with pg_dump and pg_restore.
pytestmark = pytest.mark.realtools

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DUMPED = ["tracker", "cities", "letters", "auth.user", "auth.group", "authtoken"]
DUMP_OPTIONS = ["--natural-foreign", "--natural-primary"]
HISTORY = [model for label in ("tracker", "cities", "letters") for model in apps.get_app_config(label).get_models()]
HISTORY = [model for model in HISTORY if model.__name__.startswith("Historical")]


def edit_through_the_api(editor_client: APIClient, delete: bool = False) -> None:
    """Edits with users in the history: a create with nested rows, a change, and (if asked) a superuser's delete."""
    created = editor_client.post(
        "/api/v1/letters/",
        {
            "slug": "2030-01-02-backup-test",
            "sent_on": "2030-01-02",
            "kind": "warning",
            "subject": "A letter written before the backup",
            "sender_office": "Office of the Attorney General",
            "recipients": [{"jurisdiction": "chicago-il"}, {"jurisdiction": "cook-county-il"}],
            "sources": cited(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    changed = editor_client.patch(
        "/api/v1/jurisdictions/chicago-il/",
        {"notes": "Edited for the backup test.", "change_reason": "A reason the restored history keeps"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    admin = User.objects.create_superuser("restorer", password="a long passphrase for the backup test")
    publish(admin, Letter, slug="2030-01-02-backup-test")  # a second person checks and publishes both edits
    publish(admin, Jurisdiction, slug="chicago-il")
    if not delete:
        return
    superuser = APIClient()
    superuser.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    assert superuser.delete("/api/v1/letters/2030-01-02-backup-test/").status_code == 204


def canonical(dump: str) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in json.loads(dump))


def database_env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": os.environ.get("SECRET_KEY", "tests-only")}


def manage(url: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=database_env(url), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def superuser_connection(dbname: str = "postgres"):
    settings = connection.settings_dict
    conn = psycopg2.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user="postgres", dbname=dbname
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def fresh_database(tmp_path):
    """A new, empty database of the suite's engine, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"tracker_restore_{uuid.uuid4().hex[:8]}"
    settings = connection.settings_dict
    conn = superuser_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    try:
        yield f"postgres://postgres@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
    finally:
        conn = superuser_connection()
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@pytest.mark.django_db
def test_dumpdata_loaded_into_a_fresh_database_reproduces_every_row_and_history_record(
    editor_client, fresh_database, tmp_path
):
    call_command("load_reference_data", verbosity=0)
    edit_through_the_api(editor_client)
    dump = tmp_path / "backup.json"
    call_command("dumpdata", *DUMPED, *DUMP_OPTIONS, "--indent", "1", "--output", str(dump), verbosity=0)
    original = canonical(dump.read_text())

    manage(fresh_database, "migrate", "--noinput", "-v", "0")
    manage(fresh_database, "loaddata", str(dump), "-v", "0")
    restored = canonical(manage(fresh_database, "dumpdata", *DUMPED, *DUMP_OPTIONS))

    assert len(restored) == len(original)
    assert [row for row in original if row not in set(restored)] == []
    assert restored == original

    # The history came along: reference data, the API's edits, by whom, and the delete.
    models = Counter(json.loads(row)["model"] for row in original)
    assert all(models[model._meta.label_lower] > 0 for model in HISTORY if model.objects.exists())
    rows = [json.loads(row) for row in original]
    letter_history = [r["fields"] for r in rows if r["model"] == "letters.historicalletter"]
    by_slug = [r for r in letter_history if r["slug"] == "2030-01-02-backup-test"]
    assert [(r["history_type"], r["history_user"]) for r in by_slug] == [("+", ["restorer"])]
    changes = [r["fields"] for r in rows if r["model"] == "cities.historicaljurisdiction"]
    assert [r["history_user"] for r in changes if r["history_type"] == "~"] == [["restorer"]]


@pytest.mark.django_db
def test_dumpdata_still_exports_after_a_letter_with_recipients_is_deleted(editor_client, tmp_path):
    # The deleted letter's recipients stay in the history, naming a letter that no longer exists:
    # the natural-key export must not need it (or the backup breaks at the first delete).
    call_command("load_reference_data", verbosity=0)
    edit_through_the_api(editor_client, delete=True)
    dump = tmp_path / "backup.json"
    call_command("dumpdata", *DUMPED, *DUMP_OPTIONS, "--output", str(dump), verbosity=0)
    rows = [json.loads(row) for row in canonical(dump.read_text())]
    deleted = [r for r in rows if r["model"] == "letters.historicalletter" and r["fields"]["history_type"] == "-"]
    assert [r["fields"]["history_user"] for r in deleted] == [["restorer"]]


def table_counts(dbname: str) -> dict[str, int]:
    conn = superuser_connection(dbname)
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


# Committed rows (pg_dump reads another session); serialized_rollback brings back the editors group after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="pg_dump and pg_restore are PostgreSQL's tools; the SQLite suite has the dumpdata round trip",
)
def test_pg_dump_restored_with_pg_restore_has_the_same_rows_in_every_table(editor_client, tmp_path):
    call_command("load_reference_data", verbosity=0)
    edit_through_the_api(editor_client, delete=True)
    source = connection.settings_dict["NAME"]
    host, port = connection.settings_dict["HOST"] or "127.0.0.1", str(connection.settings_dict["PORT"] or 5432)
    target = f"{source}_restored_{uuid.uuid4().hex[:6]}"
    archive = tmp_path / "tracker.dump"
    tool = {"host": ["-h", host, "-p", port, "-U", "postgres"]}
    subprocess.run([PG_BIN / "pg_dump", *tool["host"], "-Fc", "-f", archive, source], check=True, timeout=300)
    subprocess.run([PG_BIN / "createdb", *tool["host"], target], check=True, timeout=60)
    try:
        restore = [PG_BIN / "pg_restore", *tool["host"], "--no-owner", "--exit-on-error", "-d", target, archive]
        subprocess.run(restore, check=True, timeout=300)
        original, restored = table_counts(source), table_counts(target)
        assert restored == original
        assert original["letters_historicalletter"] > 0
        assert original["authtoken_token"] == 2
    finally:
        subprocess.run([PG_BIN / "dropdb", *tool["host"], "--force", "--if-exists", target], check=True, timeout=60)

"""Safe retries: a write sent again with its Idempotency-Key is answered as the first time and changes nothing."""

import datetime
import json
import socket
import threading
import time

import pytest
import requests
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import Jurisdiction, Official
from letters.models import Event
from tests import factories as f
from tests.conftest import cited
from tracker.models import IdempotencyKey, Revision

pytestmark = pytest.mark.django_db

OFFICIALS = "/api/v1/officials/"
MAYOR = {"slug": "new-mayor", "name": "New Mayor", "role": "mayor", "jurisdiction": "chicago-il"}
CHICAGO = "/api/v1/jurisdictions/chicago-il/"
JSON = "application/json"
RENAME = {"name": "City of Chicago, Illinois", "change_reason": "Its full name"}


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def post(client, key: str, payload: dict | None = None, path: str = OFFICIALS):
    return client.post(path, payload or {**MAYOR, "sources": cited()}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def answer(response) -> tuple:
    """What a retry must get again: the status, the body and the headers that describe it."""
    return response.status_code, response.content, response["Content-Type"], response["ETag"], response["Location"]


def written() -> tuple[int, int, int]:
    """Revisions (what an editor's write keeps), officials and their history rows."""
    return Revision.objects.count(), Official.objects.count(), Official.history.count()


def test_a_retried_create_gets_the_first_answer_and_writes_once(editor_client, world):
    before = written()
    first = post(editor_client, "create-mayor-1")
    retry = post(editor_client, "create-mayor-1")

    assert first.status_code == 201, first.json()
    assert answer(retry) == answer(first)
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert written() == (before[0] + 1, *before[1:])


def test_the_same_json_spaced_or_ordered_otherwise_is_the_same_request(editor_client, world):
    payload = {**MAYOR, "sources": cited()}
    first = post(editor_client, "k", payload)
    spaced = json.dumps(dict(reversed(payload.items())), indent=4)
    retry = editor_client.post(OFFICIALS, spaced, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert answer(retry) == answer(first)
    assert retry["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_a_422_and_writes_nothing(editor_client, world):
    post(editor_client, "k")
    before = written()
    response = post(editor_client, "k", {**MAYOR, "slug": "another-mayor", "sources": cited()})
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "error": "idempotency_key_reused",
        "detail": "This Idempotency-Key was used with another body: send a new key with a new request.",
    }
    assert written() == before


def test_the_same_key_on_another_path_is_a_422_naming_the_first(editor_client, world):
    post(editor_client, "k")
    response = editor_client.patch(CHICAGO, RENAME, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "This Idempotency-Key was used for POST /api/v1/officials/: send a new key with a new request."
    )
    assert Revision.objects.count() == 1


def test_another_clients_key_is_its_own(editor_client, checker, world):
    first = post(editor_client, "shared-key")
    other = post(token_client(checker), "shared-key", {**MAYOR, "slug": "other-mayor", "sources": cited()})
    assert (first.status_code, other.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in other
    assert other.json()["slug"] == "other-mayor"
    assert Revision.objects.count() == 2


def test_a_retried_delete_gets_the_same_204(world):
    admin = token_client(User.objects.create_superuser("admin", password="x"))
    first = admin.delete("/api/v1/events/eo-14159/", HTTP_IDEMPOTENCY_KEY="delete-eo")
    retry = admin.delete("/api/v1/events/eo-14159/", HTTP_IDEMPOTENCY_KEY="delete-eo")
    assert (first.status_code, retry.status_code, retry["Idempotent-Replayed"]) == (204, 204, "true")
    assert retry.content == first.content == b""
    assert not Event.objects.filter(slug="eo-14159").exists()
    assert Event.history.filter(slug="eo-14159", history_type="-").count() == 1
    assert admin.delete("/api/v1/events/eo-14159/").status_code == 404  # without its key: gone


def test_a_retried_patch_with_if_match_gets_the_first_answer_not_a_412(editor_client, world):
    tag = editor_client.get(CHICAGO)["ETag"]
    first = editor_client.patch(CHICAGO, RENAME, format="json", HTTP_IF_MATCH=tag, HTTP_IDEMPOTENCY_KEY="rename")
    retry = editor_client.patch(CHICAGO, RENAME, format="json", HTTP_IF_MATCH=tag, HTTP_IDEMPOTENCY_KEY="rename")
    assert first.status_code == 200, first.json()
    assert answer(retry) == answer(first)
    assert retry["Idempotent-Replayed"] == "true"
    assert editor_client.patch(CHICAGO, RENAME, format="json", HTTP_IF_MATCH=tag).status_code == 412
    assert Revision.objects.count() == 1


@pytest.mark.parametrize("key", ["", " ", "k" * 256, "clé", "tab\there", "line\nbreak"])
def test_a_malformed_key_is_a_400_naming_the_header(editor_client, world, key):
    response = post(editor_client, key)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "Idempotency-Key": ["Give 1 to 255 printable ASCII characters, a new random value (a UUID) per write."]
    }
    assert Revision.objects.count() == 0


def test_a_key_may_be_the_drafts_quoted_string(editor_client, world):
    first = post(editor_client, '"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    retry = post(editor_client, '"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    assert first.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    longest = post(editor_client, "k" * 255, {**MAYOR, "slug": "another-mayor", "sources": cited()})
    assert longest.status_code == 201


def test_a_refused_write_keeps_no_answer_so_its_corrected_retry_runs(editor_client, world):
    refused = post(editor_client, "k", {**MAYOR, "jurisdiction": "atlantis", "sources": cited()})
    corrected = post(editor_client, "k")
    assert refused.status_code == 400
    assert corrected.status_code == 201, corrected.json()
    assert "Idempotent-Replayed" not in corrected
    assert IdempotencyKey.objects.get().status == 201


def test_a_key_is_forgotten_after_24_hours_and_purged(editor_client, world, capsys):
    post(editor_client, "old")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=24, seconds=1))
    post(editor_client, "fresh", {**MAYOR, "slug": "fresh-mayor", "sources": cited()})

    again = post(editor_client, "old", {**MAYOR, "slug": "another-mayor", "sources": cited()})
    assert again.status_code == 201  # a new request, not a 422
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - datetime.timedelta(days=2))
    call_command("purge_idempotency_keys")
    assert capsys.readouterr().out == "Deleted 1 idempotency keys older than 24 hours.\n"
    assert sorted(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_reads_ignore_the_header(client, world):
    response = client.get(CHICAGO, HTTP_IDEMPOTENCY_KEY="")
    assert response.status_code == 200
    assert IdempotencyKey.objects.count() == 0


def queries_of(write) -> int:
    """The queries ``write()`` runs, rolled back after."""
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        assert write().status_code == 201
        transaction.set_rollback(True)
    return len(captured)


def test_a_write_without_a_key_runs_no_query_more_and_a_key_costs_four_or_five(editor_client, world):
    payload = {**MAYOR, "sources": cited()}
    queries_of(lambda: editor_client.post(OFFICIALS, payload, format="json"))  # Django's caches filled
    plain = queries_of(lambda: editor_client.post(OFFICIALS, payload, format="json"))
    keyed = queries_of(lambda: post(editor_client, "k", payload))
    # The key's: SAVEPOINT and RELEASE (the write's transaction is now inside the key's), SELECT the key,
    # INSERT it, and on PostgreSQL pg_try_advisory_xact_lock.
    assert keyed == plain + (5 if connection.vendor == "postgresql" else 4)


@pytest.fixture
def chicago(transactional_db):
    """Chicago and a source, committed: what the tests with servers and threads of their own read."""
    return f.JurisdictionFactory(slug="chicago-il", name="City of Chicago")


postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and advisory locks: PostgreSQL")


def in_thread(work) -> tuple[threading.Thread, dict]:
    """``work()`` in a thread of its own, on a database connection of its own."""
    result = {}

    def run():
        try:
            result["response"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_key_whose_first_request_is_still_running_is_a_409(editor, chicago):
    def rename():
        return token_client(editor).patch(CHICAGO, RENAME, format="json", HTTP_IDEMPOTENCY_KEY="rename")

    with transaction.atomic():
        # Chicago's row locked here, so the first request holds its key and waits in its transaction.
        Jurisdiction.objects.select_for_update().get(slug="chicago-il")
        first, first_result = in_thread(rename)
        with connection.cursor() as cursor:
            for _ in range(600):  # a lock waited for behind this transaction's
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("the first request never waited for the row")
        second, second_result = in_thread(rename)
        second.join(timeout=30)
        assert first.is_alive()
    first.join(timeout=30)

    assert second_result["response"].status_code == 409
    assert second_result["response"].json()["error"] == "idempotency_key_in_use"
    assert first_result["response"].status_code == 200
    retry = rename()
    assert answer(retry) == answer(first_result["response"])
    assert retry["Idempotent-Replayed"] == "true"
    assert Revision.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_whose_answer_was_lost_is_answered_by_its_retry_and_made_once(live_server, editor, chicago):
    token = Token.objects.create(user=editor).key
    body = json.dumps({**MAYOR, "sources": cited()}).encode()
    host, port = live_server.thread.host, live_server.thread.port
    request = (
        f"POST {OFFICIALS} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Token {token}\r\n"
        f"Idempotency-Key: lost-answer\r\nContent-Type: {JSON}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port)) as client:
        client.sendall(request + body)
    # The connection is closed before a byte of the answer was read; the server writes anyway.
    for _ in range(600):
        if Revision.objects.exists():
            break
        time.sleep(0.1)

    retry = requests.post(
        f"{live_server.url}{OFFICIALS}",
        data=body,
        headers={"Authorization": f"Token {token}", "Idempotency-Key": "lost-answer", "Content-Type": JSON},
        timeout=30,
    )
    assert retry.status_code == 201, retry.text
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["slug"] == "new-mayor"
    assert retry.headers["Location"] == f"{live_server.url}{OFFICIALS}new-mayor/"
    assert Revision.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("key", [None, "k"])
def test_a_rule_the_database_checks_at_commit_is_a_409_and_keeps_no_answer(editor, chicago, key):
    def dangling(sender, instance, **kwargs):
        # A row naming a user that does not exist: the foreign key is checked when the transaction commits.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO tracker_revision_authors (revision_id, user_id) VALUES (%s, %s)", [instance.pk, 10**9]
            )

    post_save.connect(dangling, sender=Revision)
    try:
        response = (
            post(token_client(editor), key)
            if key
            else token_client(editor).post(OFFICIALS, {**MAYOR, "sources": cited()}, format="json")
        )
    finally:
        post_save.disconnect(dangling, sender=Revision)
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert (Revision.objects.count(), IdempotencyKey.objects.count()) == (0, 0)

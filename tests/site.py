"""The service as deployed, on throwaway real servers (tests/servers.py), for the tests that prove it there.

A primary and its streaming replica, PgBouncer in transaction mode in front of both, Redis, and gunicorn
with two workers under production settings, loaded with the reference data; two editors with API tokens
(one writes, the other checks and publishes).
"""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.servers import Process, Stack, free_port, missing_tools, new_stack, wait_for

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long passphrase for the real-servers tests"

REALTOOLS = [
    pytest.mark.realtools,
    # Under CI the tools are installed by .ci/run: a missing one is a failure there, not a skip.
    pytest.mark.skipif(
        bool(missing_tools()) and not os.environ.get("CI"), reason=f"needs {', '.join(missing_tools())}"
    ),
]


@dataclass
class Site:
    base: str
    token: str
    checker_token: str
    stack: Stack

    def read(self, path: str, editor: bool = False) -> requests.Response:
        headers = {"Authorization": f"Token {self.token}"} if editor else {}
        return requests.get(self.base + path, headers=headers, timeout=30)

    def letter(self, slug: str) -> dict:
        """A new letter's body, citing a source of the reference data."""
        cited = self.stack.primary.query("SELECT url FROM tracker_source ORDER BY id LIMIT 1")[0][0]
        return {
            "slug": slug,
            "sent_on": "2030-01-01",
            "kind": "warning",
            "subject": "Written on the primary",
            "sender_office": "Office of the Attorney General",
            "recipients": [{"jurisdiction": "chicago-il"}],
            "sources": [cited],
        }

    def review(self, slug: str, state: str) -> requests.Response:
        """The second editor's review step for a letter."""
        checker = {"Authorization": f"Token {self.checker_token}"}
        step = {"review_state": state}
        return requests.patch(f"{self.base}/api/v1/letters/{slug}/", json=step, headers=checker, timeout=60)

    def write_letter(self, slug: str) -> requests.Response:
        """An editor's new letter, which a second editor checks and publishes; the editor's write's answer."""
        headers = {"Authorization": f"Token {self.token}"}
        written = requests.post(f"{self.base}/api/v1/letters/", json=self.letter(slug), headers=headers, timeout=30)
        for state in ("checked", "published"):
            answer = self.review(slug, state)
            assert answer.status_code == 200, answer.text
        return written

    def replicated(self, slug: str) -> None:
        """Waits until an anonymous read of the letter is answered by the replica."""
        self.from_replica(f"/api/v1/letters/{slug}/")

    def from_replica(self, path: str) -> requests.Response:
        """An anonymous read of `path`, once the replica answers it (within 30 s)."""
        answers = []

        def by_the_replica() -> bool:
            answers.append(self.read(path))
            return served_by(answers[-1]) == (200, "replica_1")

        wait_for(by_the_replica, 30, path)
        return answers[-1]


def served_by(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.headers.get("X-Read-From", "")


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def started_site(prefix: str, settings: dict[str, str]):
    """Yields the running Site, with these settings on top of the defaults; stops everything after."""
    stack = new_stack(prefix)
    try:
        stack.start_primary()
        keep = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
        env = {
            **keep,
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-key-for-the-replica-test-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": stack.primary.url(),
            "EDITOR_PASSWORD": PASSWORD,
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_reference_data")
        manage(env, "create_editor", "replicas", "--email", "replicas@example.org")
        token = manage(env, "api_token", "replicas").strip()
        manage(env, "create_editor", "replicas-checker", "--email", "checker@example.org")
        checker_token = manage(env, "api_token", "replicas-checker").strip()
        stack.start_replica()
        stack.start_pgbouncer(["tracker"])
        stack.start_redis()
        env |= {
            "DATABASE_URL": stack.bouncer_url("tracker"),
            "DATABASE_REPLICA_URLS": stack.bouncer_url("tracker_replica"),
            "REDIS_URL": stack.redis_url,
            "CONN_MAX_AGE": "60",
            "REPLICA_RETRY_SECONDS": "1",
            "READ_YOUR_WRITES_SECONDS": "3",
            "THROTTLE_ANON_MINUTE": "1000000/min",
            "THROTTLE_USER_MINUTE": "1000000/min",
            **settings,
        }
        port = free_port(range(8400, 8410))
        gunicorn = subprocess.Popen(
            [
                *(str(Path(sys.executable).parent / "gunicorn"), "tracker.wsgi", "--workers", "2", "--timeout", "30"),
                *("--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.processes.append(Process(gunicorn))
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: requests.get(base + "/health", timeout=5).status_code == 200, 60, "gunicorn")
        yield Site(base, token, checker_token, stack)
    finally:
        stack.close()

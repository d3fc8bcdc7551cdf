"""The database goes away under a running gunicorn, and comes back; an export's connection is cut.

The test makes its own throwaway PostgreSQL cluster (initdb into a temp dir,
a free port, run as the `postgres` OS user: initdb refuses root), migrates a
database there, serves the app with gunicorn under production settings and
stops the cluster under load. It never touches the machine's own cluster, so
it runs the same in the SQLite and the PostgreSQL suite.
"""

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SECRET = "a-long-random-production-secret-key-for-the-fault-test-0123456789"

pytestmark = [
    pytest.mark.realtools,
    pytest.mark.skipif(
        not (PG_BIN / "initdb").exists() or os.geteuid() != 0 or shutil.which("runuser") is None,
        reason="needs PostgreSQL 15's server binaries and root (to run them as the postgres user)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, timeout=timeout, check=True
    )


@dataclass
class Cluster:
    directory: Path
    port: int

    @property
    def data(self) -> str:
        return str(self.directory / "data")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "server.log")
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", self.data, "-o", options, "-l", log, "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", self.data, "-m", mode, "-w", "-t", "30", "stop")

    def running(self) -> bool:
        status = subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", self.data, "status"],
            capture_output=True,
            timeout=30,
        )
        return status.returncode == 0


@pytest.fixture
def cluster():
    directory = Path(tempfile.mkdtemp(prefix="tracker-faults-"))
    postgres = pwd.getpwnam("postgres")
    os.chown(directory, postgres.pw_uid, postgres.pw_gid)
    made = Cluster(directory, free_port())
    try:
        as_postgres(str(PG_BIN / "initdb"), "-D", made.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        made.start()
        as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(made.port), "-U", "postgres", "tracker")
        yield made
    finally:
        if made.running():
            made.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


def production_env(cluster: Cluster) -> dict[str, str]:
    keep = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    return {
        **keep,
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": cluster.url("tracker"),
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1",
        "THROTTLE_ANON_MINUTE": "1000000/min",
        "THROTTLE_USER_MINUTE": "1000000/min",
        "EDITOR_PASSWORD": "a long passphrase for the fault test",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def server(cluster):
    env = production_env(cluster)
    manage(env, "migrate", "--noinput")
    manage(env, "load_reference_data")
    manage(env, "create_editor", "faults", "--email", "faults@example.org")
    token = manage(env, "api_token", "faults").strip()
    port = free_port()
    gunicorn = subprocess.Popen(
        [
            *(str(Path(sys.executable).parent / "gunicorn"), "tracker.wsgi", "--workers", "2", "--threads", "1"),
            *("--bind", f"127.0.0.1:{port}", "--timeout", "30", "--graceful-timeout", "5"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(base + "/health").status_code == 200, seconds=30)
        yield Server(base, token, cluster)
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=10)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait(timeout=10)


@dataclass
class Server:
    base: str
    token: str
    cluster: Cluster


@dataclass
class Answer:
    status_code: int  # 0: no HTTP answer at all
    body: str = ""
    seconds: float = 0.0


def get(url: str, **kwargs) -> requests.Response | Answer:
    try:
        return requests.get(url, timeout=10, **kwargs)
    except requests.RequestException:
        return Answer(0)


def wait_for(condition, seconds: float) -> float:
    """Seconds until condition() is true; fails after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"not true after {seconds}s")


@dataclass
class Writer:
    """Posts letters with three recipients each, in a bounded loop, until told to stop."""

    server: Server
    slugs: list[str] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        recipients = [{"jurisdiction": slug} for slug in ("chicago-il", "cook-county-il", "new-york-ny")]
        cited = [
            requests.get(f"{self.server.base}/api/v1/sources/?page_size=1", timeout=10).json()["results"][0]["link"]
        ]
        for n in range(2000):
            if self.stop.is_set():
                return
            slug = f"2030-01-01-fault-{n}"
            self.slugs.append(slug)
            body = {
                "slug": slug,
                "sent_on": "2030-01-01",
                "kind": "warning",
                "subject": "Written while the database goes away",
                "sender_office": "Office of the Attorney General",
                "recipients": recipients,
                "sources": cited,
            }
            headers = {"Authorization": f"Token {self.server.token}"}
            try:
                response = requests.post(f"{self.server.base}/api/v1/letters/", json=body, headers=headers, timeout=10)
                self.answers.append(response.status_code)
            except requests.RequestException:
                self.answers.append(0)


def test_the_api_answers_503_while_the_database_is_down_and_recovers_without_a_restart(server):
    headers = {"Authorization": f"Token {server.token}"}
    assert get(server.base + "/api/v1/letters/").status_code == 200
    assert get(server.base + "/api/v1/jurisdictions/chicago-il/").status_code == 200

    # Writes in flight while the cluster stops (fast: active transactions are cut and rolled back).
    writer = Writer(server)
    thread = threading.Thread(target=writer.run, daemon=True)
    thread.start()
    wait_for(lambda: len(writer.answers) >= 5, seconds=30)
    server.cluster.stop("fast")
    down_at = time.monotonic()

    # While it is down: a bounded loop of reads, each a JSON 503, never a 500 or a stack trace.
    outage = []
    for _ in range(40):
        for path in ("/api/v1/letters/", "/api/v1/jurisdictions/chicago-il/", "/health"):
            response = get(server.base + path, headers=headers if path.startswith("/api") else {})
            outage.append((path, response.status_code, getattr(response, "text", "")))
        if time.monotonic() - down_at > 5:
            break
    writer.stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()

    statuses = {status for _, status, _ in outage}
    assert statuses == {503}, statuses
    for path, _, text in outage:
        body = json.loads(text)
        if path == "/health":
            assert body == {"status": "error", "database": "unavailable"}
        else:
            assert body == {
                "status": 503,
                "error": "database_unavailable",
                "detail": "The database is unavailable; retry soon.",
            }
        for leak in ("Traceback", "psycopg", "SELECT", "connection to server", "127.0.0.1"):
            assert leak not in text

    # Back up: the same gunicorn workers reconnect on their own.
    server.cluster.start()
    health_after = wait_for(lambda: get(server.base + "/health").status_code == 200, seconds=30)
    lists_after = wait_for(lambda: get(server.base + "/api/v1/letters/", headers=headers).status_code == 200, 30)
    # Every worker, not just the first to answer: a run of answers in a row.
    for _ in range(20):
        assert get(server.base + "/api/v1/jurisdictions/?page_size=5").status_code == 200
    failed_during_outage = sum(1 for _, status, _ in outage if status != 200)
    print(
        f"\ndatabase outage: {len(outage)} requests while down, {failed_during_outage} answered 503 "
        f"(none 500); writes in flight: {len(writer.answers)} sent, answers {sorted(set(writer.answers))}; "
        f"recovered {health_after:.2f}s after the cluster was up (health), lists {lists_after:.2f}s"
    )

    # Each write in flight is whole or absent: a letter and all three recipients, or nothing.
    for slug, status in zip(writer.slugs, writer.answers, strict=False):
        response = get(f"{server.base}/api/v1/letters/{slug}/", headers=headers)
        if status == 201:
            assert response.status_code == 200, slug
        assert response.status_code in (200, 404), (slug, response.status_code)
        if response.status_code == 200:
            assert len(response.json()["recipients"]) == 3, slug
    assert 201 in writer.answers
    assert set(writer.answers) <= {201, 503, 0}, writer.answers


def test_a_database_restart_between_requests_costs_no_error(server):
    """Workers do not check their connection before every request (a query each); a read that finds its
    connection dropped by a restart is answered again on a new one."""
    path = server.base + "/api/v1/jurisdictions/?page_size=5"
    for _ in range(10):  # each worker holds a connection
        assert get(path).status_code == 200
    server.cluster.stop("fast")
    server.cluster.start()
    assert [get(path).status_code for _ in range(10)] == [200] * 10


@pytest.mark.parametrize("path", ["/api/v1/letters.csv", "/api/v1/letters.ndjson"])
def test_an_export_cut_by_the_database_ends_truncated_never_with_an_html_page(server, path):
    """The export's own connection is terminated while it waits to read its first rows (held back by a lock
    this test takes): the client gets a 200 whose body never ends properly (no final chunk), not a 500 page."""
    cluster = psycopg2.connect(server.cluster.url("tracker"))
    try:
        with cluster.cursor() as cursor:  # in a transaction until the rollback below
            cursor.execute("LOCK TABLE letters_letter IN ACCESS EXCLUSIVE MODE")
            answer: dict = {}

            def export():
                try:
                    with requests.get(server.base + path, stream=True, timeout=30) as response:
                        answer["status"], answer["type"] = response.status_code, response.headers["Content-Type"]
                        answer["body"] = b"".join(response.iter_content(chunk_size=None))
                except requests.RequestException as error:
                    answer["error"] = error

            thread = threading.Thread(target=export, daemon=True)
            thread.start()
            # A client's backend (autovacuum may wait for the table too).
            waiting = (
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = 'tracker' AND wait_event_type = 'Lock' AND backend_type = 'client backend'"
            )
            with psycopg2.connect(server.cluster.url("postgres")) as watcher, watcher.cursor() as watch:
                watcher.autocommit = True
                wait_for(lambda: watch.execute(waiting) or watch.rowcount == 1, seconds=20)
                watch.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = %s", watch.fetchone())
            thread.join(timeout=30)
        cluster.rollback()
    finally:
        cluster.close()

    assert not thread.is_alive()
    assert "body" not in answer, answer  # the body never ended: no final chunk
    assert answer["status"] == 200, answer
    assert isinstance(answer["error"], requests.exceptions.ChunkedEncodingError), answer
    assert get(server.base + path).status_code == 200  # and the next export is whole

"""Throwaway real servers on loopback ports: a PostgreSQL primary and its streaming replica, PgBouncer, Redis.

Used by tests/test_replicas.py and the benchmark's replica mode (tests/bench/run.py --replica). Everything
lives in one temporary directory and is stopped and removed by ``Stack.close()``, which the callers run in
``finally``. The PostgreSQL binaries and PgBouncer refuse to run as root: they run as the ``postgres`` user.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# Preferred ports when free (shared machine), any free port otherwise. Below the kernel's ephemeral range
# (32768-60999 here): a port in it can be taken at any moment as the local end of some client's connection.
PG_PORTS, BOUNCER_PORTS, REDIS_PORTS = range(15432, 15440), range(16432, 16440), range(16390, 16392)


def missing_tools() -> list[str]:
    """What this machine lacks to build the stack (root is needed to run the servers as `postgres`)."""
    missing = [str(path) for path in (PG_BIN / "initdb", PG_BIN / "pg_basebackup") if not path.exists()]
    missing += [
        tool for tool in (PGBOUNCER, REDIS_SERVER, shutil.which("runuser")) if not tool or not Path(tool).exists()
    ]
    return missing + ([] if os.geteuid() == 0 else ["root"])


def free_port(preferred: range) -> int:
    for port in [*preferred, 0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")


def as_postgres(*command: str, timeout: float = 120) -> str:
    done = subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    return done.stdout


def wait_for(condition, seconds: float, what: str = "condition") -> float:
    """Seconds until condition() is true; raises after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with suppress(Exception):
            if condition():
                return time.monotonic() - started
        time.sleep(0.1)
    raise TimeoutError(f"{what}: not true after {seconds:.0f}s")


@dataclass
class Postgres:
    directory: Path
    port: int

    @property
    def data(self) -> str:
        return str(self.directory / "data")

    def url(self, database: str = "tracker") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, attempts: int = 3) -> None:
        """Starts the server; on another free port when this one was taken between the check and the bind."""
        log = self.directory / "server.log"
        for attempt in range(attempts):
            # Django then finds the time zone it wants and issues no SET, which transaction pooling would lose.
            options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off -c timezone=UTC"
            options += " -c wal_keep_size=256MB"  # a stopped replica catches up from the primary's WAL
            try:
                as_postgres(
                    str(PG_BIN / "pg_ctl"), "-D", self.data, "-o", options, "-l", str(log), "-w", "-t", "90", "start"
                )
                return
            except RuntimeError as error:
                server_log = log.read_text(errors="replace")[-3000:] if log.exists() else "(no server log)"
                if attempt == attempts - 1 or "could not bind" not in server_log:
                    raise RuntimeError(f"{error}\nserver log:\n{server_log}") from error
                self.port = free_port(range(self.port + 1, PG_PORTS.stop))

    def stop(self, mode: str = "fast") -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", self.data, "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        command = ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", self.data, "status"]
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0

    def query(self, sql: str, database: str = "tracker") -> list[tuple]:
        conn = psycopg2.connect(self.url(database), connect_timeout=10)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else []
        finally:
            conn.close()


@dataclass
class Process:
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


@dataclass
class Stack:
    """A primary, one streaming replica, PgBouncer in transaction mode in front of both, and Redis."""

    directory: Path
    primary: Postgres | None = None
    replica: Postgres | None = None
    bouncer_port: int = 0
    redis_port: int = 0
    redis: Process | None = None
    processes: list[Process] = field(default_factory=list)

    def bouncer_url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.bouncer_port}/{database}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def start_primary(self, database: str = "tracker") -> None:
        self.primary = Postgres(self.directory / "primary", free_port(PG_PORTS))
        self.primary.directory.mkdir()
        chown_to_postgres(self.primary.directory)
        initdb = [str(PG_BIN / "initdb"), "-D", self.primary.data, "-U", "postgres", "-A", "trust", "--no-sync"]
        as_postgres(*initdb, "-E", "UTF8")
        self.primary.start()
        self.primary.query(f'CREATE DATABASE "{database}"', database="postgres")

    def start_replica(self) -> None:
        """A streaming standby of the primary as it is now (pg_basebackup -R writes the standby settings)."""
        self.replica = Postgres(self.directory / "replica", free_port(range(self.primary.port + 1, PG_PORTS.stop)))
        self.replica.directory.mkdir()
        chown_to_postgres(self.replica.directory)
        source = ["-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres"]
        as_postgres(
            str(PG_BIN / "pg_basebackup"),
            *source,
            "-D",
            self.replica.data,
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",
        )
        self.replica.start()

    def start_pgbouncer(self, databases: list[str]) -> None:
        """Each database on the primary, and as `<database>_replica` on the replica, pooled per transaction.

        DISCARD ALL after every transaction, not only in session mode: any session state the app relied on
        (a SET, a WITH HOLD cursor, a prepared statement) is then lost at once rather than by chance.
        """
        self.bouncer_port = free_port(BOUNCER_PORTS)
        (self.directory / "userlist.txt").write_text('"postgres" ""\n')
        config = self.directory / "pgbouncer.ini"
        entries = [
            f"{name}{suffix} = host=127.0.0.1 port={cluster.port} dbname={name}\n"
            for name in databases
            for suffix, cluster in (("", self.primary), ("_replica", self.replica))
        ]
        config.write_text(
            f"[databases]\n{''.join(entries)}[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.bouncer_port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.directory / 'userlist.txt'}\nadmin_users = postgres\n"
            "pool_mode = transaction\nmax_client_conn = 200\ndefault_pool_size = 10\n"
            "server_reset_query = DISCARD ALL\nserver_reset_query_always = 1\n"
            "server_login_retry = 1\nquery_wait_timeout = 10\n"
            f"logfile = {self.directory / 'pgbouncer.log'}\npidfile = {self.directory / 'pgbouncer.pid'}\n"
        )
        process = subprocess.Popen(
            [PGBOUNCER, "-u", "postgres", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.processes.append(Process(process))
        console = self.bouncer_url("pgbouncer")  # PgBouncer's own admin console: up before any database exists
        wait_for(lambda: psycopg2.connect(console, connect_timeout=2).close() is None, 30, "pgbouncer")

    def start_redis(self) -> None:
        """Redis on a free port, or again on its port after it was killed (`redis`: its process)."""
        self.redis_port = self.redis_port or free_port(REDIS_PORTS)
        command = [REDIS_SERVER, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        process = subprocess.Popen(
            [*command, "no", "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.redis = Process(process)
        self.processes.append(self.redis)
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.redis_port), timeout=1).close() is None, 30)

    def close(self) -> None:
        for process in reversed(self.processes):
            with suppress(Exception):
                process.stop()
        for cluster in (self.replica, self.primary):
            if cluster is not None and cluster.running():
                with suppress(Exception):
                    cluster.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def chown_to_postgres(path: Path) -> None:
    postgres = pwd.getpwnam("postgres")
    os.chown(path, postgres.pw_uid, postgres.pw_gid)


def new_stack(prefix: str) -> Stack:
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    chown_to_postgres(directory)
    return Stack(directory)

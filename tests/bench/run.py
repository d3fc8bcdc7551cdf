"""Benchmark harness: the tracker under gunicorn against a raw psycopg2 + orjson baseline.

    .venv/bin/python tests/bench/run.py                  # 10k, 100k, 1m (make bench)
    .venv/bin/python tests/bench/run.py --quick          # 10k only, 1 s runs (CI)
    .venv/bin/python tests/bench/run.py --scales 100k
    .venv/bin/python tests/bench/run.py --quick --replica   # reads from a streaming replica, through PgBouncer

See tests/bench/README.md for what each figure means and the bars.
"""

import argparse
import http.client
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import Stack, missing_tools, new_stack, wait_for  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
SCALE_ORDER = ["10k", "100k", "1m"]
LIST_QUERIES = ["letters_filtered", "facet", "deep_cursor", "search"]
# Answered by the app as deployed, the shared cache on (every other query is measured cold, the cache off).
CACHED = ["conditional_304", "cached_repeat"]
TITLES = {
    "letters_filtered": "letters: recipient_state + dates, recipients nested, 50",
    "facet": "jurisdictions: state=CA, facet=kind, 50",
    "deep_cursor": "grants: cursor at 90%",
    "detail_expand": "grant detail, expand=jurisdiction",
    "timeline": "jurisdiction timeline (mid-ranked)",
    "search": "letters: search=subpoena, 50",
    "conditional_304": "jurisdiction detail, If-None-Match → 304 (shared cache on)",
    "cached_repeat": "letters filtered again (shared cache on)",
    "csv_export": "grants CSV export, program=byrne_jag",
}
BARS = {
    "copy_ratio": 0.15,
    "growth": 1.5,
    "list_queries": 3,
    "cold_ratio": 0.40,  # app/raw requests/s, answered afresh
    "cached_ratio": 0.70,  # app/raw requests/s for a 304 and a cached repeat read
    "csv_rows": 50_000,  # the app's CSV rows/s at the headline scale
}
# The latency bars of issue #12, at the headline scale and 8 connections.
P50_BARS = {"letters_filtered": 100, "search": 50}
WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p99_us":%d,"mean_us":%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""
README_START, README_END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"


class BenchError(Exception):
    """Something is broken (not merely slow): the run fails."""


def log(message: str) -> None:
    print(message, flush=True)


# -- databases ---------------------------------------------------------------------------------


def db_url(admin_url: str, name: str) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin_execute(admin_url: str, *statements: str) -> None:
    conn = psycopg2.connect(admin_url, connect_timeout=10)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def drop_db(admin_url: str, name: str) -> None:
    admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_env(url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY="bench-only-not-a-secret",
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="600",
        THROTTLE_ANON_MINUTE="1000000000/min",
        THROTTLE_ANON_DAY="1000000000/day",
        THROTTLE_USER_MINUTE="1000000000/min",
        THROTTLE_USER_DAY="1000000000/day",
        # Cold: every request answered afresh. The shared cache (tracker/api/responsecache.py) would answer
        # every repeat of wrk's one URL from memory after the first.
        RESPONSE_CACHE_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_checked(cmd: list[str], env: dict, timeout: float, what: str) -> str:
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{what} took more than {timeout:.0f} s") from error
    if done.returncode != 0:
        raise BenchError(f"{what} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def prepare_db(admin_url: str, scale: str) -> tuple[str, float, float]:
    """A fresh database: migrate, seed, analyze. Returns its URL, the seed's rows/s and seconds."""
    name = f"bench_{scale}"
    drop_db(admin_url, name)
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    url = db_url(admin_url, name)
    env = django_env(url)
    run_checked([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env, 600, "migrate")
    started = time.perf_counter()
    out = run_checked([PYTHON, "manage.py", "seed_synthetic", "--scale", scale], env, 1800, "seed_synthetic")
    seconds = time.perf_counter() - started
    match = re.search(r"([\d,]+) rows/s", out)
    if not match:
        raise BenchError(f"seed_synthetic printed no rows/s: {out!r}")
    log(f"  seed_synthetic --scale {scale}: {out.strip()}")
    # What autovacuum would have done by the time anyone reads: statistics and the visibility map.
    admin_conn = psycopg2.connect(url, connect_timeout=10)
    admin_conn.autocommit = True
    with admin_conn.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    admin_conn.close()
    return url, float(match.group(1).replace(",", "")), seconds


def measure_copy(url: str, rows: int = 1_000_000) -> tuple[float, float]:
    """PostgreSQL COPY's own rate on this machine, for rows like the seed's.

    1,000,000 letter-recipient rows into a logged table made LIKE letters_letterrecipient, with its indexes
    (a bare 3-column temp table COPYs ~10 times faster, and would not be the same work as seeding).
    Returns rows/s of the COPY alone (the bar's denominator) and of generating the text in Python plus the COPY.
    """
    generating = time.perf_counter()
    buffer = io.StringIO()
    buffer.writelines(
        f"{i}\t2026-11-26 00:00:00+00\t2026-11-26 00:00:00+00\t\t\t\\N\tpending\t{i // 50}\t{i % 100_000}\tpublished\n"
        for i in range(rows)
    )
    buffer.seek(0)
    generated = time.perf_counter() - generating
    columns = (
        "id, created_at, updated_at, notes, addressee, responded_on, determination, letter_id, jurisdiction_id, "
        "review_state"
    )
    conn = psycopg2.connect(url, connect_timeout=10)
    try:
        with conn.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_copy (LIKE letters_letterrecipient INCLUDING ALL)")
            # Its shown JSON is the seed's triggers' work (letters/migrations/0010), not COPY's: left empty here.
            cursor.execute("ALTER TABLE bench_copy ALTER COLUMN shown_json DROP NOT NULL")
            conn.commit()
            started = time.perf_counter()
            cursor.copy_expert(f"COPY bench_copy ({columns}) FROM STDIN", buffer)
            conn.commit()
            seconds = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_copy")
            conn.commit()
    finally:
        conn.close()
    return rows / seconds, rows / (seconds + generated)


# -- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, wsgi: str, env: dict, workers: int, logdir: Path, idle_path: str):
        self.name, self.port, self.idle_path, self.worker_count = name, free_port(), idle_path, workers
        self.log = logdir / f"{name}.log"
        # The same flags for both; gunicorn's access log is off unless asked for.
        cmd = [GUNICORN, wsgi, "--workers", str(workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}"]
        cmd += [
            "--timeout",
            "300",
            "--graceful-timeout",
            "5",
            "--error-logfile",
            str(self.log),
            "--log-level",
            "warning",
        ]
        self.output = (logdir / f"{name}.out").open("ab")
        self.process = subprocess.Popen(
            cmd, cwd=ROOT, env=env, start_new_session=True, stdout=self.output, stderr=subprocess.STDOUT
        )
        self.host = f"127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} server exited ({self.process.returncode}):\n{self.log_tail()}")
            with suppress(OSError):
                status, _, _ = self.get(path, timeout=5)
                if status < 500 and len(self.workers()) > 0:
                    return
            time.sleep(0.2)
        raise BenchError(f"{self.name} server not ready in {timeout:.0f} s:\n{self.log_tail()}")

    def drain(self, timeout: float = 240) -> float:
        """Wait until every worker is free again.

        Sync workers keep serving the connections wrk left queued in the backlog after it stopped; the next
        run must not pay for them. Free means: one cheap request per worker, all at once, all answered fast.
        """
        started = time.monotonic()
        with ThreadPoolExecutor(self.worker_count) as pool:
            while time.monotonic() - started < timeout:
                t0 = time.monotonic()
                answers = list(
                    pool.map(lambda _: self.get(self.idle_path, timeout=timeout)[0], range(self.worker_count))
                )
                if time.monotonic() - t0 < 0.25 and all(status < 500 for status in answers):
                    return time.monotonic() - started
        raise BenchError(f"{self.name} server still busy after {timeout:.0f} s")

    def log_tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""

    def get(self, path: str, headers: dict | None = None, timeout: float = 120) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def workers(self) -> list[int]:
        pid = self.process.pid
        with suppress(OSError):
            return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        return []

    def peak_rss_kb(self) -> dict[int, int]:
        peaks = {}
        for pid in self.workers():
            with suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1])
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.output.close()


@contextmanager
def servers(url: str, workers: int, labels: Path, logdir: Path, stack: Stack | None):
    started = []
    try:
        app_env = django_env(url)
        raw_env = {**app_env, "BENCH_RAW_DSN": url, "BENCH_RAW_LABELS": str(labels)}
        if stack:
            # The app through PgBouncer, reading from the replica; the raw baseline reads the replica directly
            # (its timezone startup option and WITH HOLD cursor are what transaction pooling cannot take).
            name = urlsplit(url).path.lstrip("/")
            app_env |= {
                "DATABASE_URL": stack.bouncer_url(name),
                "DATABASE_REPLICA_URLS": stack.bouncer_url(f"{name}_replica"),
                "REPLICA_MAX_LAG_SECONDS": "60",
            }
            raw_env["BENCH_RAW_DSN"] = stack.replica.url(name)
        started.append(Server("app", "tracker.wsgi", app_env, workers, logdir, "/health"))
        started.append(Server("raw", "tests.bench.raw_app:application", raw_env, workers, logdir, "/health"))
        efficient_env = {**raw_env, "BENCH_RAW_SQL": "efficient"}
        started.append(
            Server("efficient", "tests.bench.raw_app:application", efficient_env, workers, logdir, "/health")
        )
        cached_env = {**app_env, "RESPONSE_CACHE_SECONDS": "3600"}
        started.append(Server("cached", "tracker.wsgi", cached_env, workers, logdir, "/health"))
        for server in started:
            server.wait_ready(server.idle_path)
        yield tuple(started)
    finally:
        for server in started:
            server.stop()


# -- measuring ---------------------------------------------------------------------------------


def wrk(server: Server, path: str, connections: int, seconds: int, lua: Path, headers: dict) -> dict:
    cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s", "-s", str(lua)]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(f"http://{server.host}{path}")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 90)
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"wrk did not finish: {' '.join(cmd)}") from error
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line[6:])
    drained = server.drain()
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": errors,
        "requests": raw["requests"],
        "error_detail": {key: raw[key] for key in ("connect", "read", "write", "status", "timeout")},
        "drain_s": drained,
    }


def aggregate(runs: list[dict]) -> dict:
    n = len(runs)
    return {
        "rps": sum(run["rps"] for run in runs) / n,
        "p50_ms": sum(run["p50_ms"] for run in runs) / n,
        "p99_ms": sum(run["p99_ms"] for run in runs) / n,
        "errors": sum(run["errors"] for run in runs),
        "requests": sum(run["requests"] for run in runs),
        "runs": runs,
    }


def first_difference(a, b, path: str = "$") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} {str(a)[:80]!r} != {type(b).__name__} {str(b)[:80]!r}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} != {list(b)}"
        for key in a:
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {str(a)[:80]!r} != {str(b)[:80]!r}"


def check_pair(app: Server, raw: Server, path: str, expect: int = 200, headers=None) -> tuple[dict, dict, str | None]:
    """Both servers answer `path` with `expect` (`headers` by "app" and the baseline's name); returns their
    headers and the first difference in the JSON."""
    answers = {}
    for who, server in (("app", app), (raw.name, raw)):
        status, got_headers, body = server.get(path, headers=(headers or {}).get(who))
        if status != expect:
            raise BenchError(f"{server.name} answered {status} (expected {expect}) to {path}: {body[:500]!r}")
        answers[who] = (got_headers, body.replace(server.host.encode(), b"HOST"))
    difference = None
    if expect == 200:
        difference = first_difference(json.loads(answers["app"][1]), json.loads(answers[raw.name][1]))
    return answers["app"][0], answers[raw.name][0], difference


def csv_export(server: Server, path: str) -> dict:
    """One streamed request: rows/s, and the serving workers' peak RSS before and after."""
    before = server.peak_rss_kb()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    chunks, size = [], 0
    while chunk := response.read(1 << 20):
        chunks.append(chunk)
        size += len(chunk)
    seconds = time.perf_counter() - started
    conn.close()
    after = server.peak_rss_kb()
    if response.status != 200:
        raise BenchError(f"{server.name} CSV export answered {response.status}")
    body = b"".join(chunks).replace(server.host.encode(), b"HOST")
    lines = body.count(b"\n")
    grown = max(after, key=lambda pid: after[pid] - before.get(pid, 0)) if after else None
    return {
        "rows": max(lines - 1, 0),
        "seconds": seconds,
        "rows_per_s": max(lines - 1, 0) / seconds,
        "bytes": size,
        "rss_before_kb": before.get(grown, 0) if grown else 0,
        "rss_after_kb": after.get(grown, 0) if grown else 0,
        "rss_before_all_kb": before,
        "rss_after_all_kb": after,
        "head": body[:200_000].split(b"\n")[:500],
    }


def bench_scale(scale: str, opts, admin_url: str, tmp: Path, state: dict, headline: bool, stack: Stack | None) -> dict:
    log(f"\n== Scale {scale}")
    url, seed_rate, seed_seconds = prepare_db(admin_url, scale)
    if stack:
        caught_up = "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
        wait_for(lambda: stack.replica.query(caught_up, f"bench_{scale}") == [(True,)], 300, "replica caught up")
    result: dict = {"seed_rows_per_s": seed_rate, "seed_seconds": seed_seconds}
    if state.get("copy_rows_per_s") is None:
        state["copy_rows_per_s"], state["copy_generated_rows_per_s"] = measure_copy(url)
        log(
            f"  PostgreSQL COPY on this machine: {state['copy_rows_per_s']:,.0f} rows/s "
            f"({state['copy_generated_rows_per_s']:,.0f} rows/s counting the rows' generation in Python)"
        )
    result["seed_copy_ratio"] = seed_rate / state["copy_rows_per_s"]
    log(f"  seed/COPY ratio: {result['seed_copy_ratio']:.3f} (bar: >= {BARS['copy_ratio']})")

    labels = tmp / f"labels-{scale}.json"
    env = django_env(url)
    out = run_checked([PYTHON, str(BENCH / "probe.py"), "params", str(labels)], env, 300, "probe params")
    params = json.loads(next(line for line in out.splitlines() if line.startswith("PROBE "))[6:])
    result["params"] = params
    paths = {
        "letters_filtered": "/api/v1/letters/?recipient_state=CA&sent_after=2018-01-01&sent_before=2022-12-31"
        "&page_size=50",
        "facet": "/api/v1/jurisdictions/?state=CA&facet=kind&page_size=50",
        "deep_cursor": f"/api/v1/grants/?cursor={params['cursor']}",
        "detail_expand": f"/api/v1/grants/{params['grant_id']}/?expand=jurisdiction",
        "timeline": f"/api/v1/jurisdictions/{params['slug']}/timeline/",
        "search": "/api/v1/letters/?search=subpoena&page_size=50",
        "conditional_304": f"/api/v1/jurisdictions/{params['slug']}/",
        "csv_export": "/api/v1/grants/?format=csv&program=byrne_jag",
    }
    paths["cached_repeat"] = paths["letters_filtered"]
    result["paths"] = paths
    names = [name for name in paths if name != "csv_export"] if headline else LIST_QUERIES
    lua = tmp / "report.lua"
    lua.write_text(WRK_LUA)
    rounds = opts.rounds
    with servers(url, opts.workers, labels, tmp, stack) as (cold, raw, efficient, cached):
        if stack and (read_from := cold.get("/api/v1/jurisdictions/")[1].get("x-read-from")) != "replica_1":
            raise BenchError(f"the app does not read from the replica: X-Read-From {read_from!r}")
        parity, etags = {}, {}
        for name in names:
            app = cached if name in CACHED else cold
            for baseline in (raw, efficient):
                if name == "conditional_304":
                    app_headers, baseline_headers, difference = check_pair(app, baseline, paths[name])
                    etags |= {"app": app_headers.get("etag"), baseline.name: baseline_headers.get("etag")}
                    if not all(etags.values()):
                        raise BenchError(f"no ETag on {paths[name]}: {etags}")
                    check_pair(app, baseline, paths[name], 304, {k: {"If-None-Match": v} for k, v in etags.items()})
                else:
                    _, _, difference = check_pair(app, baseline, paths[name])
                parity[name if baseline is raw else f"{name} (efficient)"] = difference
                if difference:
                    log(f"  DIFFERENT ANSWERS: {baseline.name} and app differ for {name}: {difference}")
        result["parity"] = parity
        result["queries"] = {}
        for name in names:
            by_server = {"app": cached if name in CACHED else cold, "raw": raw}
            if headline:
                by_server["efficient"] = efficient  # the hand-written SQL, at the headline scale
            connection_counts = [opts.connections]
            if name in LIST_QUERIES and headline:
                connection_counts.append(opts.high_connections)
            result["queries"][name] = {}
            for connections in connection_counts:
                runs: dict[str, list] = {who: [] for who in by_server}
                headers = (
                    {key: {"If-None-Match": tag} for key, tag in etags.items()} if name == "conditional_304" else {}
                )
                if opts.warmup:
                    for who in by_server:
                        wrk(by_server[who], paths[name], connections, opts.warmup, lua, headers.get(who, {}))
                for _ in range(rounds):
                    for who in by_server:
                        runs[who].append(
                            wrk(by_server[who], paths[name], connections, opts.duration, lua, headers.get(who, {}))
                        )
                figures = {who: aggregate(runs[who]) for who in runs}
                figures["rps_ratio"] = figures["app"]["rps"] / figures["raw"]["rps"] if figures["raw"]["rps"] else 0
                figures["p99_ratio"] = (
                    figures["app"]["p99_ms"] / figures["raw"]["p99_ms"] if figures["raw"]["p99_ms"] else 0
                )
                if "efficient" in figures:
                    # What the app's SQL costs against the hand-written SQL (1.0: as fast), and the app against it.
                    figures["sql_ratio"] = figures["raw"]["rps"] / figures["efficient"]["rps"]
                    figures["app_efficient_ratio"] = figures["app"]["rps"] / figures["efficient"]["rps"]
                result["queries"][name][str(connections)] = figures
                log(
                    f"  {name:<17} c={connections:<3} raw {figures['raw']['rps']:8.1f} req/s "
                    f"p50 {figures['raw']['p50_ms']:7.1f} ms | app {figures['app']['rps']:8.1f} req/s "
                    f"p50 {figures['app']['p50_ms']:7.1f} ms p99 {figures['app']['p99_ms']:7.1f} ms "
                    f"| app/raw {figures['rps_ratio']:.2f} | errors app {figures['app']['errors']} "
                    f"raw {figures['raw']['errors']}"
                )
                for who in by_server:
                    if figures[who]["errors"]:
                        state["errors"].append(f"{scale} {name} c={connections} {who}: {figures[who]['errors']} errors")
        if headline:
            exports = {}
            for who, server in (("raw", raw), ("app", cold)):
                exports[who] = csv_export(server, paths["csv_export"])
                log(
                    f"  csv_export {who}: {exports[who]['rows']:,} rows in {exports[who]['seconds']:.1f} s, "
                    f"{exports[who]['rows_per_s']:,.0f} rows/s, worker peak RSS "
                    f"{exports[who]['rss_before_kb'] / 1024:.0f} -> {exports[who]['rss_after_kb'] / 1024:.0f} MiB"
                )
            if exports["app"]["rows"] != params["csv_rows"] or exports["raw"]["rows"] != params["csv_rows"]:
                raise BenchError(
                    f"CSV export rows: app {exports['app']['rows']}, raw {exports['raw']['rows']}, "
                    f"expected {params['csv_rows']}"
                )
            head_app, head_raw = exports["app"].pop("head"), exports["raw"].pop("head")
            if head_app != head_raw:
                line = next(i for i, (a, b) in enumerate(zip(head_app, head_raw, strict=False)) if a != b)
                parity["csv_export"] = f"line {line}: {head_app[line][:120]!r} != {head_raw[line][:120]!r}"
                log(f"  DIFFERENT ANSWERS: raw and app CSV differ: {parity['csv_export']}")
            else:
                parity["csv_export"] = None
            exports["rows_ratio"] = exports["app"]["rows_per_s"] / exports["raw"]["rows_per_s"]
            result["csv_export"] = exports
    if headline:
        probe = json.dumps({"urls": paths, "cached": CACHED})
        out = run_checked([PYTHON, str(BENCH / "probe.py"), "queries", probe], env, 900, "probe queries")
        result["sql_queries"] = json.loads(next(line for line in out.splitlines() if line.startswith("PROBE "))[6:])
        for name, counted in result["sql_queries"].items():
            if counted["status"] != (304 if name == "conditional_304" else 200):
                raise BenchError(f"test Client got {counted['status']} for {name}")
    return result


# -- reporting ---------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(int(mem) / 1024 / 1024, 1)}


def versions(admin_url: str) -> dict:
    found = {"python": platform.python_version()}
    for package in ("Django", "djangorestframework", "django-filter", "gunicorn", "psycopg2-binary", "orjson"):
        with suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    conn = psycopg2.connect(admin_url, connect_timeout=10)
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        found["postgresql"] = cursor.fetchone()[0]
    conn.close()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10).stdout.split()
    found["wrk"] = wrk_version[1] if len(wrk_version) > 1 else "?"
    return found


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: dict) -> tuple[str, list[str]]:
    """The tables, as Markdown, and the bars missed."""
    missed = []
    scales = list(results["scales"])
    headline = results["headline_scale"]
    top = results["scales"][headline]
    lines = [
        f"Run {results['date']} ({'quick' if results['quick'] else 'full'}), scales {', '.join(scales)}; "
        f"headline scale {headline}. Machine: {results['machine']['nproc']} CPUs ({results['machine']['cpu']}), "
        f"{results['machine']['memory_gib']} GiB. "
        + ", ".join(f"{key} {value}" for key, value in results["versions"].items())
        + f". gunicorn -w {results['options']['workers']} sync; wrk -t1, {results['options']['duration']} s x "
        f"{results['options']['rounds']} round(s) per server, alternating raw/app/efficient."
        + (
            " Reads from a streaming replica of a throwaway primary; the app through PgBouncer (transaction "
            "mode), the raw baseline straight to the replica."
            if results["replica"]
            else ""
        ),
        "",
        f"### Requests at {headline}",
        "",
        "| Query | conns | raw req/s | app req/s | app/raw req/s | raw p50 ms | app p50 ms | raw p99 ms | app p99 ms "
        "| app/raw p99 | errors app/raw | bar |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, by_conns in top["queries"].items():
        for conns, f in by_conns.items():
            floor = BARS["cached_ratio"] if name in CACHED else BARS["cold_ratio"]
            marks = [f"{verdict(f['rps_ratio'] >= floor)} (app/raw ≥ {floor})"]
            if f["rps_ratio"] < floor:
                missed.append(f"{name} c={conns}: app/raw {f['rps_ratio']:.2f} < {floor}")
            if name in P50_BARS and conns == str(results["options"]["connections"]):
                ok = f["app"]["p50_ms"] <= P50_BARS[name]
                marks.append(f"{verdict(ok)} (p50 ≤ {P50_BARS[name]} ms)")
                if not ok:
                    missed.append(f"{name}: p50 {f['app']['p50_ms']:.0f} ms > {P50_BARS[name]} ms")
            lines.append(
                f"| {TITLES[name]} | {conns} | {f['raw']['rps']:.1f} | {f['app']['rps']:.1f} | {f['rps_ratio']:.2f} "
                f"| {f['raw']['p50_ms']:.1f} | {f['app']['p50_ms']:.1f} | {f['raw']['p99_ms']:.1f} "
                f"| {f['app']['p99_ms']:.1f} | {f['p99_ratio']:.2f} | {f['app']['errors']}/{f['raw']['errors']} "
                f"| {'; '.join(marks)} |"
            )
    efficient = [(name, conns, f) for name, by in top["queries"].items() for conns, f in by.items() if "efficient" in f]
    if efficient:
        lines += [
            "",
            f"### The app's SQL against hand-written SQL at {headline}",
            "",
            "The efficient server answers the same JSON from the SQL an efficient hand-written server would send "
            "(raw_app.py, `BENCH_RAW_SQL=efficient`). raw/efficient is what the app's SQL costs (1.00: nothing); "
            "app/efficient is both costs together.",
            "",
            "| Query | conns | efficient req/s | efficient p50 ms | raw req/s | app req/s | raw/efficient "
            "| app/efficient |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, conns, f in efficient:
            lines.append(
                f"| {TITLES[name]} | {conns} | {f['efficient']['rps']:.1f} | {f['efficient']['p50_ms']:.1f} "
                f"| {f['raw']['rps']:.1f} | {f['app']['rps']:.1f} | {f['sql_ratio']:.2f} "
                f"| {f['app_efficient_ratio']:.2f} |"
            )
    if "csv_export" in top:
        e = top["csv_export"]
        lines += [
            "",
            f"### CSV export at {headline} (one streamed request, {e['app']['rows']:,} rows)",
            "",
            "| Server | rows/s | seconds | MB | worker peak RSS before → after (MiB) |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for who in ("raw", "app"):
            x = e[who]
            lines.append(
                f"| {who} | {x['rows_per_s']:,.0f} | {x['seconds']:.1f} | {x['bytes'] / 1e6:.1f} "
                f"| {x['rss_before_kb'] / 1024:.0f} → {x['rss_after_kb'] / 1024:.0f} |"
            )
        ok = e["app"]["rows_per_s"] >= BARS["csv_rows"]
        if not ok:
            missed.append(f"CSV export: {e['app']['rows_per_s']:,.0f} rows/s < {BARS['csv_rows']:,}")
        lines.append(f"| app/raw | {e['rows_ratio']:.2f} | | | |")
        lines.append(f"| bar: app ≥ {BARS['csv_rows']:,} rows/s | {verdict(ok)} | | | |")
    lines += ["", "### p50 latency by scale (ms, 8 connections)", ""]
    lines.append("| Query | " + " | ".join(f"app {s} | raw {s}" for s in scales) + " | app growth | bar |")
    lines.append("| --- | " + " | ".join("---: | ---:" for _ in scales) + " | ---: | --- |")
    for name in LIST_QUERIES:
        cells, p50 = [], {}
        for s in scales:
            f = results["scales"][s]["queries"].get(name, {}).get(str(results["options"]["connections"]))
            p50[s] = f["app"]["p50_ms"] if f else None
            cells.append(f"{f['app']['p50_ms']:.1f} | {f['raw']['p50_ms']:.1f}" if f else "- | -")
        growth = ""
        bar = "n/a (needs 10k and 1m)"
        if p50.get("10k") and p50.get("1m"):
            ratio = p50["1m"] / p50["10k"]
            growth = f"{ratio:.2f}x"
            bar = f"{verdict(ratio <= BARS['growth'])} (≤ {BARS['growth']}x)"
            if ratio > BARS["growth"]:
                missed.append(f"p50 growth 10k→1m of {name}: {ratio:.2f}x > {BARS['growth']}x")
        lines.append(f"| {TITLES[name]} | " + " | ".join(cells) + f" | {growth} | {bar} |")
    if "sql_queries" in top:
        lines += ["", f"### SQL queries per request (Django test Client, {headline})", ""]
        lines += ["| Query | queries | bar |", "| --- | ---: | --- |"]
        for name, counted in top["sql_queries"].items():
            bar = ""
            if name in LIST_QUERIES:
                ok = counted["queries"] <= BARS["list_queries"]
                bar = f"{verdict(ok)} (≤ {BARS['list_queries']})"
                if not ok:
                    missed.append(f"{name}: {counted['queries']} queries > {BARS['list_queries']}")
            lines.append(f"| {TITLES[name]} | {counted['queries']} | {bar} |")
    lines += ["", "### Seeding", "", "| Scale | seed rows/s | seconds | COPY rows/s | seed/COPY | bar |"]
    lines.append("| --- | ---: | ---: | ---: | ---: | --- |")
    for s in scales:
        r = results["scales"][s]
        ok = r["seed_copy_ratio"] >= BARS["copy_ratio"]
        if not ok:
            missed.append(f"seed/COPY at {s}: {r['seed_copy_ratio']:.3f} < {BARS['copy_ratio']}")
        lines.append(
            f"| {s} | {r['seed_rows_per_s']:,.0f} | {r['seed_seconds']:.1f} | {results['copy_rows_per_s']:,.0f} "
            f"| {r['seed_copy_ratio']:.3f} | {verdict(ok)} (≥ {BARS['copy_ratio']}) |"
        )
    differing = {f"{s} {name}": d for s in scales for name, d in results["scales"][s].get("parity", {}).items() if d}
    lines += [
        "",
        "Answers compared, app with raw and with efficient: "
        + ("identical JSON (and CSV head) for every query." if not differing else ""),
    ]
    for key, difference in differing.items():
        lines.append(f"- differs: {key}: `{difference}`")
    return "\n".join(lines), missed


def update_readme(table: str) -> None:
    readme = BENCH / "README.md"
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        raise BenchError(f"{readme} lacks the {README_START} / {README_END} markers")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n{table}\n{README_END}{tail}")


# -- main --------------------------------------------------------------------------------------


def on_alarm(*_) -> None:
    raise BenchError("time limit reached (--max-minutes)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10k,100k,1m", help="comma list of 10k, 100k, 1m")
    parser.add_argument("--quick", action="store_true", help="10k only, 1 s runs, one round (CI)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of wrk warm-up per query and server (0: none)")
    parser.add_argument("--rounds", type=int, default=2, help="raw/app alternations per query")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--high-connections", type=int, default=32)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--keep-db", action="store_true", help="leave the bench databases behind")
    parser.add_argument("--no-readme", action="store_true", help="do not write the figures into README.md")
    parser.add_argument("--enforce-bars", action="store_true", help="fail when a bar is missed")
    parser.add_argument("--max-minutes", type=float, default=25)
    parser.add_argument(
        "--replica",
        action="store_true",
        help="seed a throwaway primary; serve reads from its streaming replica, the app through PgBouncer",
    )
    opts = parser.parse_args()
    if opts.quick:
        opts.scales, opts.duration, opts.rounds, opts.warmup = "10k", 1, 1, 0
        opts.max_minutes = min(opts.max_minutes, 5)
    scales = [s.strip() for s in opts.scales.split(",") if s.strip()]
    if not scales or any(s not in SCALE_ORDER for s in scales):
        parser.error(f"--scales: choose from {', '.join(SCALE_ORDER)}")
    scales = sorted(set(scales), key=SCALE_ORDER.index)
    if not shutil.which("wrk"):
        log("wrk is not installed (apt-get install -y wrk)")
        return 2
    if opts.replica and missing_tools():
        log(f"--replica needs {', '.join(missing_tools())} (apt-get install -y pgbouncer redis-server)")
        return 2

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # A hard bound: SIGALRM ends the run, and the finally blocks still stop servers and drop databases.
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(opts.max_minutes * 60))

    started = time.time()
    date = time.strftime("%Y-%m-%dT%H%M%S")
    stack = None
    if opts.replica:
        stack = new_stack("bench-replica-")
        try:
            stack.start_primary()
            stack.start_replica()
            stack.start_pgbouncer([f"bench_{scale}" for scale in scales])
        except BaseException:
            stack.close()
            raise
        opts.pg = stack.primary.url("postgres")
    results = {
        "date": date,
        "quick": opts.quick,
        "machine": machine(),
        "versions": versions(opts.pg),
        "options": {k: getattr(opts, k) for k in ("duration", "warmup", "rounds", "workers", "connections")}
        | {"high_connections": opts.high_connections},
        "headline_scale": scales[-1],
        "replica": opts.replica,
        "scales": {},
    }
    log(f"Benchmark {date}: {results['machine']} {results['versions']}")
    state: dict = {"errors": [], "copy_rows_per_s": None}
    failure = None
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        for scale in scales:
            try:
                results["scales"][scale] = bench_scale(scale, opts, opts.pg, tmp, state, scale == scales[-1], stack)
            finally:
                if not opts.keep_db:
                    drop_db(opts.pg, f"bench_{scale}")
    except (BenchError, KeyboardInterrupt) as error:
        failure = f"{type(error).__name__}: {error}"
    finally:
        signal.alarm(0)
        for scale in SCALE_ORDER if not opts.keep_db else []:
            with suppress(Exception):
                drop_db(opts.pg, f"bench_{scale}")
        shutil.rmtree(tmp, ignore_errors=True)
        if stack:
            stack.close()
    results["copy_rows_per_s"] = state["copy_rows_per_s"]
    results["copy_generated_rows_per_s"] = state.get("copy_generated_rows_per_s")
    results["errors"] = state["errors"]
    results["seconds"] = time.time() - started
    if failure:
        log(f"\nBENCHMARK FAILED: {failure}")
        return 1

    table, missed = report(results)
    results["bars_missed"] = missed
    log("\n" + table)
    out_dir = BENCH / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"{date}{'-quick' if opts.quick else ''}{'-replica' if opts.replica else ''}.json"
    out.write_text(json.dumps(results, indent=1, default=str))
    log(f"\nResults: {out.relative_to(ROOT)} ({results['seconds']:.0f} s)")
    full = not opts.quick and scales == SCALE_ORDER and not opts.replica
    if full:
        (out_dir / "summary.json").write_text(json.dumps(results, indent=1, default=str))
        if not opts.no_readme:
            update_readme(table)
            log("Figures written to tests/bench/README.md and tests/bench/results/summary.json")
    if missed:
        log("Bars missed:\n" + "\n".join(f"  - {item}" for item in missed))
    differing = [f"{s} {n}" for s, r in results["scales"].items() for n, d in r.get("parity", {}).items() if d]
    if state["errors"]:
        log("ERRORS:\n" + "\n".join(f"  - {item}" for item in state["errors"]))
        return 1
    if differing:
        # The ratios only mean something while both servers do the same work.
        log(f"RAW AND APP ANSWERS DIFFER ({', '.join(differing)}): bring tests/bench/raw_app.py up to date")
        return 1
    if opts.enforce_bars and missed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

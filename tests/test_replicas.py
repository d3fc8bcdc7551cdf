"""Reads from a streaming replica, writes on the primary, through PgBouncer, proven on real servers.

The module builds a throwaway primary and a `pg_basebackup -R` replica of it, PgBouncer in transaction
mode in front of both (resetting every server connection after each transaction, so any session state
the app relied on is lost at once), Redis, and gunicorn with two workers under production settings
(tests/servers.py). Pausing the replica's replay makes which database answered visible in the data:
a record written to the primary but not yet replayed is there only on the primary.
"""

import csv
import io
import time

import pytest
import requests

from tests.servers import wait_for
from tests.site import REALTOOLS, served_by, started_site

LAG_BOUND = 20  # seconds: room, on a loaded machine, between a replayed write and a read the replica must answer

pytestmark = REALTOOLS


@pytest.fixture(scope="module")
def site():
    yield from started_site("tracker-replicas-", {"REPLICA_MAX_LAG_SECONDS": str(LAG_BOUND)})


def test_reads_come_from_the_replica_and_an_editor_reads_its_own_write_from_the_primary_at_once(site):
    first = site.write_letter("2030-01-01-replicated")
    assert served_by(first) == (201, "primary; reason=write")
    site.replicated("2030-01-01-replicated")

    site.stack.replica.query("SELECT pg_wal_replay_pause()")
    try:
        assert served_by(site.write_letter("2030-01-02-unreplayed")) == (201, "primary; reason=write")
        on = "SELECT count(*) FROM letters_letter WHERE slug = '2030-01-02-unreplayed'"
        assert site.stack.primary.query(on) == [(1,)]
        assert site.stack.replica.query(on) == [(0,)]

        # Anonymous: the replica answers, without the unreplayed letter. The editor who wrote it: the primary.
        assert served_by(site.read("/api/v1/letters/2030-01-02-unreplayed/")) == (404, "replica_1")
        own = site.read("/api/v1/letters/2030-01-02-unreplayed/", editor=True)
        assert served_by(own) == (200, "primary; reason=recent-write")
        assert own.json()["slug"] == "2030-01-02-unreplayed"

        # The admin always reads the primary (its login page is enough: two-factor login is the admin's own test).
        admin = requests.get(f"{site.base}/admin/login/", timeout=30)
        assert served_by(admin) == (200, "primary; reason=admin")
    finally:
        site.stack.replica.query("SELECT pg_wal_replay_resume()")
    site.replicated("2030-01-02-unreplayed")
    # Once the window has passed, the editor reads what the public reads from the replica again; the
    # working versions (drafts and pending edits) always come from the primary.
    wait_for(lambda: site.read("/api/v1/letters/?public=true", editor=True).headers["X-Read-From"] == "replica_1", 30)
    assert site.read("/api/v1/letters/", editor=True).headers["X-Read-From"] == "primary; reason=working-versions"


def test_a_replica_lagging_past_the_bound_is_skipped_until_it_catches_up(site):
    site.write_letter("2030-01-03-replicated")
    site.replicated("2030-01-03-replicated")
    site.stack.replica.query("SELECT pg_wal_replay_pause()")
    answers = []
    try:
        site.write_letter("2030-01-04-lagging")

        def primary_answers() -> bool:
            answers.append(served_by(site.read("/api/v1/letters/2030-01-04-lagging/")))
            return answers[-1] == (200, "primary; reason=replica-lagging")

        wait_for(primary_answers, LAG_BOUND + 30, "the lagging replica skipped")
    finally:
        site.stack.replica.query("SELECT pg_wal_replay_resume()")
    # Before the bound the replica answered (without the letter); past it, the primary.
    assert set(answers) <= {(404, "replica_1"), (200, "primary; reason=replica-lagging")}, set(answers)
    site.replicated("2030-01-04-lagging")


def test_an_export_streams_from_the_replica_through_pgbouncer_in_one_transaction(site):
    sources = site.stack.primary.query("SELECT count(*) FROM tracker_source")[0][0]
    # The replica may be past the lag bound for a moment: after the primary sat idle, WAL that is not a
    # commit (autovacuum, a checkpoint) makes the lag read as the time since
    # the last commit. Each export is read once the replica answers it.
    response = site.from_replica("/api/v1/sources/?format=csv")
    assert len(list(csv.DictReader(io.StringIO(response.text)))) == sources > 400
    ndjson = site.from_replica("/api/v1/grants/?format=ndjson")
    assert len(ndjson.text.splitlines()) == site.stack.primary.query("SELECT count(*) FROM letters_grantaward")[0][0]


def test_a_stopped_replica_is_skipped_without_an_error_and_used_again_when_it_returns(site):
    site.stack.replica.stop("fast")
    started = time.monotonic()
    try:
        answers = [
            served_by(site.read(path))
            for _ in range(10)
            for path in ("/api/v1/letters/", "/api/v1/jurisdictions/chicago-il/", "/api/v1/grants/?format=csv")
        ]
        down = time.monotonic() - started
    finally:
        site.stack.replica.start()
    assert set(answers) == {(200, "primary; reason=replica-unavailable")}, answers
    back = wait_for(lambda: served_by(site.read("/api/v1/letters/")) == (200, "replica_1"), 60, "the replica used")
    print(f"\nreplica down: {len(answers)} reads in {down:.1f}s, all from the primary; used again {back:.1f}s after")

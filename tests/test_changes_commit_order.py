"""/api/v1/changes/ in commit order: a change made by a long transaction reaches a sync however the
transactions overlap, on PostgreSQL with real concurrent transactions (each writer its own connection)."""

import random
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from letters.models import GrantAward, Letter
from reports.changes import ACTIONS, TRACKED
from tests.conftest import iso
from tests.factories import (
    CourtCaseFactory,
    GrantAwardFactory,
    JurisdictionFactory,
    LetterFactory,
    OfficialFactory,
    PolicyFactory,
    SourceFactory,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serializes writes: nothing overlaps"),
    pytest.mark.django_db(transaction=True),
]


def walk(client, url: str) -> tuple[list[tuple], str]:
    """Follow next links to the end: (every change as (model, key, action), the resume link)."""
    rows = []
    while url:
        body = client.get(url).json()
        rows += [(row["model"], row["key"], row["action"]) for row in body["results"]]
        resume, url = body["resume"], body["next"]
        assert len(rows) < 10_000, "the feed does not end"
    return rows, resume


class LongTransaction(threading.Thread):
    """Writes in its own transaction, on its own connection, and commits only when told to.

    Transactions that write the same tables cannot overlap here (each holds those tables' rows of the data
    version until it commits: tracker/serving/dataversion.py), so the long one writes a letter and the short ones
    grants, as a letter with many recipients and a grant's edit did in the report that found this.
    """

    def __init__(self, write):
        super().__init__()
        self.write, self.written, self.commit = write, threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.write()
                self.written.set()
                assert self.commit.wait(30), "never told to commit"
        finally:
            connections.close_all()

    def __enter__(self):
        self.start()
        assert self.written.wait(30), "the long transaction did not write"
        return self

    def __exit__(self, *exc) -> None:
        self.commit.set()
        self.join(30)


@pytest.fixture
def place():
    return JurisdictionFactory(slug="granted-il", sources=[])


def test_a_change_committed_after_a_later_one_reaches_a_sync_that_had_passed_it(client, place):
    since = timezone.now()
    with LongTransaction(lambda: LetterFactory(slug="long-letter", sources=[])):
        grant = GrantAwardFactory(jurisdiction=place, sources=[])  # begun later, committed first
        rows, resume = walk(client, f"/api/v1/changes/?since={iso(since)}")
        assert rows == [("grant", grant.pk, "created")]
        assert walk(client, resume)[0] == []  # still open: nothing yet
    assert Letter.history.get().history_date < GrantAward.history.get().history_date

    rows, resume = walk(client, resume)

    assert rows == [("letter", "long-letter", "created")]
    assert walk(client, resume)[0] == []


def test_a_batch_is_paged_and_a_long_transaction_committing_meanwhile_waits_for_the_next(client, place):
    since = timezone.now()
    with LongTransaction(lambda: LetterFactory(slug="long-letter", sources=[])) as long:
        grants = [GrantAwardFactory(jurisdiction=place, fiscal_year=2010 + n, sources=[]) for n in range(5)]
        first = client.get(f"/api/v1/changes/?since={iso(since)}&page_size=2").json()
        long.commit.set()  # between two pages of the batch
        long.join(30)
        rows, resume = walk(client, first["next"])
    rows = [(row["model"], row["key"], row["action"]) for row in first["results"]] + rows
    assert rows == [("grant", grant.pk, "created") for grant in grants]

    assert walk(client, resume)[0] == [("letter", "long-letter", "created")]


def test_overlapping_writers_and_a_sync_polling_meanwhile_lose_and_repeat_nothing(client, place):
    """Five writers, tables of their own, whose transactions create a record, hold it 0-300 ms and save it
    again, while a client syncs every 50 ms, three changes a page: it receives what the history holds,
    each change exactly once."""
    writers = {
        "grant": lambda n: GrantAwardFactory(jurisdiction=place, fiscal_year=2000 + n, sources=[]),
        "case": lambda n: CourtCaseFactory(sources=[]),
        "official": lambda n: OfficialFactory(jurisdiction=place, sources=[]),
        "policy": lambda n: PolicyFactory(jurisdiction=place, sources=[]),
        "source": lambda n: SourceFactory(),
    }
    since = timezone.now()
    rng = random.Random(26)
    errors = []

    def writer(name: str, holds: list[float]) -> None:
        try:
            for n, hold in enumerate(holds):
                with transaction.atomic():
                    record = writers[name](n)
                    time.sleep(hold)
                    record.save()
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(name, [rng.random() * 0.3 for _ in range(8)])) for name in writers]
    for thread in threads:
        thread.start()
    received, resume = [], f"/api/v1/changes/?since={iso(since)}&page_size=3"
    while any(thread.is_alive() for thread in threads):
        rows, resume = walk(client, resume)
        received += rows
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    received += walk(client, resume)[0]

    assert errors == []
    made = Counter(
        (name, row.slug if TRACKED[name].api_lookup() == "slug" else row.id, ACTIONS[row.history_type])
        for name in writers
        for row in TRACKED[name].history.all()
    )
    assert sum(made.values()) == 80
    assert Counter(received) == made
    print(f"\noverlapping writers: {sum(made.values())} changes made, {len(received)} delivered")

"""manage.py seed_synthetic: deterministic benchmark data, with history, on PostgreSQL."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count

from cities.models import Jurisdiction
from letters.models import CourtCase, GrantAward, Letter, LetterRecipient, Ruling

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")


@needs_postgresql
def test_it_loads_the_10k_scale_with_history_and_sources():
    call_command("seed_synthetic", scale="10k", verbosity=0)

    counts = {model: model.objects.count() for model in (Jurisdiction, Letter, LetterRecipient, GrantAward, Ruling)}
    assert counts == {Jurisdiction: 1_000, Letter: 200, LetterRecipient: 10_000, GrantAward: 2_000, Ruling: 500}
    assert Letter.history.count() == 200
    assert LetterRecipient.history.filter(history_type="+").count() == 10_000
    assert Jurisdiction.objects.filter(sources=None).count() == 0
    assert CourtCase.objects.filter(sources=None).count() == 0


def recipient_pairs() -> list[tuple[str, str]]:
    return list(LetterRecipient.objects.order_by("pk").values_list("letter__slug", "jurisdiction__slug"))


@needs_postgresql
def test_it_is_deterministic():
    with transaction.atomic():  # a savepoint, rolled back: the second load starts from the same empty tables
        call_command("seed_synthetic", scale="10k", seed=7, verbosity=0)
        first = recipient_pairs()
        transaction.set_rollback(True)
    assert not LetterRecipient.objects.exists()

    call_command("seed_synthetic", scale="10k", seed=7, verbosity=0)

    assert recipient_pairs() == first


@needs_postgresql
def test_a_few_jurisdictions_get_most_letters():
    call_command("seed_synthetic", scale="10k", verbosity=0)
    per_place = list(
        LetterRecipient.objects.values("jurisdiction")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("n", flat=True)
    )
    assert per_place[0] > 10 * per_place[len(per_place) // 2]


@needs_postgresql
def test_it_refuses_to_load_twice():
    call_command("seed_synthetic", scale="10k", verbosity=0)
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_synthetic", scale="10k", verbosity=0)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
def test_it_refuses_sqlite_with_a_clear_message():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_synthetic", scale="10k", verbosity=0)

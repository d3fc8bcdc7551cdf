"""The private attributes of Django and django-simple-history the code relies on, each where no public hook
exists (the code says why at each use): these tests fail when the framework changes one of them.

- ``Model._state.fields_cache``: tracker/reading/asof.py (``as_instance``)
- ``QuerySet._iterable_class``, ``QuerySet._prefetch_related_lookups``: tracker/reading/asof.py (``snapshot``)
- ``HistoricalQuerySet._as_of``: tracker/reading/asof.py, tracker/api/filters.py
- ``HistoricalQuerySet._pk_attr``: tracker/api/pagination.py
"""

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.db.models.query import ModelIterable
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from letters.models import Letter, LetterRecipient
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient():
    return f.LetterRecipientFactory(
        letter=f.LetterFactory(slug="2018-01-24-demands"), jurisdiction=f.JurisdictionFactory(slug="chicago-il")
    )


def test_select_related_keeps_a_rows_related_records_in_its_fields_cache_by_field_name(recipient):
    row = LetterRecipient.objects.select_related("letter", "jurisdiction").get(pk=recipient.pk)
    other = LetterRecipient.objects.get(pk=recipient.pk)

    assert set(row._state.fields_cache) == {"letter", "jurisdiction"}
    other._state.fields_cache.update(row._state.fields_cache)
    with CaptureQueriesContext(connection) as queries:
        assert other.letter.slug == "2018-01-24-demands"
        assert other.jurisdiction.slug == "chicago-il"
    assert len(queries) == 0


class Marked(ModelIterable):
    def __iter__(self):
        for row in super().__iter__():
            row.marked = True
            yield row


def test_a_querysets_iterable_class_makes_what_it_yields_and_its_prefetches_run_on_that(recipient):
    queryset = Letter.objects.prefetch_related("letter_recipients")
    queryset._iterable_class = Marked
    chained = queryset.filter(slug="2018-01-24-demands").order_by("pk")

    for letters in (list(chained), list(chained.iterator(chunk_size=10))):
        assert [letter.marked for letter in letters] == [True]
        with CaptureQueriesContext(connection) as queries:
            assert [row.pk for row in letters[0].letter_recipients.all()] == [recipient.pk]
        assert len(queries) == 0
    assert list(chained.values_list("slug", flat=True)) == ["2018-01-24-demands"]


def test_a_querysets_prefetch_lookups_are_those_given_in_order():
    recipients = Prefetch("letter_recipients", queryset=LetterRecipient.objects.all())
    queryset = Letter.objects.prefetch_related("sources", recipients).filter(slug="x")

    assert queryset._prefetch_related_lookups == ("sources", recipients)


def test_a_history_as_of_a_time_carries_that_time_through_chained_calls_and_other_history_none(recipient):
    moment = timezone.now()

    assert Letter.history.as_of(moment).filter(slug="x").order_by("pk")._as_of == moment
    assert Letter.history.filter(slug="x")._as_of is None


def test_a_history_queryset_names_the_column_of_its_records_primary_key(recipient):
    history = Letter.history.all()

    assert history._pk_attr == Letter._meta.pk.attname
    assert set(history.values_list(history._pk_attr, flat=True)) == {recipient.letter_id}

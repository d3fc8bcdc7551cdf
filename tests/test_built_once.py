"""What is built once per class and copied per request: serializer fields, filters, filter forms.

DRF builds a model serializer's fields, and django-filter its filters and form,
afresh for every request; the tracker builds them once per class and gives each
request copies (tracker/api/serializers.py, tracker/api/filters.py). The copies must be
the fields DRF would build, and no request may see another's.
"""

import datetime

import pytest
from django.test import RequestFactory
from rest_framework import serializers
from rest_framework.request import Request

from cities.filters import OfficialFilter
from cities.models import Official
from letters.filters import LetterFilter
from letters.serializers import LetterSerializer
from reports.api_urls import router
from tests.factories import GrantAwardFactory, LetterFactory, LetterRecipientFactory, OfficialFactory


def api_serializers():
    return sorted({viewset.serializer_class for _, viewset, _ in router.registry}, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("serializer_class", api_serializers(), ids=lambda cls: cls.__name__)
def test_each_serializer_gets_the_fields_drf_builds(db, serializer_class):  # a repr shows querysets
    first, second = serializer_class(), serializer_class()
    drf_built = serializers.ModelSerializer.get_fields(serializer_class())
    for serializer in (first, second):
        fields = serializer.get_fields()
        assert list(fields) == list(drf_built)
        # A DRF field's repr is its class and every argument it was made with (nested serializers: theirs).
        assert {name: repr(field) for name, field in fields.items()} == {
            name: repr(field) for name, field in drf_built.items()
        }
    shared = {name for name in first.fields if first.fields[name] is second.fields[name]}
    assert shared == set()
    assert all(field.parent is first for field in first.fields.values())


def test_a_serializer_class_builds_its_fields_once(db, monkeypatch):
    assert "recipients" in LetterSerializer().fields  # built by the class's first serializer, whenever that was
    built = []
    build = serializers.ModelSerializer.build_field
    monkeypatch.setattr(
        serializers.ModelSerializer, "build_field", lambda self, *args: built.append(args[0]) or build(self, *args)
    )
    for _ in range(3):
        assert "recipients" in LetterSerializer().fields
    assert built == []


def test_a_nested_child_answers_to_its_own_request(db):
    """Two serializers of the same class, two requests: each link carries its own request's host."""
    letter = LetterFactory()
    LetterRecipientFactory(letter=letter)
    answers = {}
    for host in ("one.example", "two.example"):
        request = Request(RequestFactory().get("/api/v1/letters/", HTTP_HOST=host))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("django.conf.settings.ALLOWED_HOSTS", ["one.example", "two.example"])
            answers[host] = LetterSerializer(letter, context={"request": request}).data
    for host, answer in answers.items():
        assert answer["url"].startswith(f"http://{host}/")
        assert answer["recipients"][0]["jurisdiction"]["url"].startswith(f"http://{host}/")


def test_each_filter_set_has_its_own_filters_and_form():
    first = LetterFilter({"sent_after": "not a date"}, queryset=LetterFilter._meta.model.objects.all())
    second = LetterFilter({"sent_after": "2018-01-01"}, queryset=LetterFilter._meta.model.objects.all())
    assert all(first.filters[name] is not second.filters[name] for name in first.filters)
    assert all(filter_.parent is second for filter_ in second.filters.values())
    assert type(first.form) is type(second.form)  # the form class is made once
    assert first.form is not second.form
    assert all(first.form.fields[name] is not second.form.fields[name] for name in first.form.fields)
    assert not first.is_valid() and "sent_after" in first.errors
    assert second.is_valid()


def test_a_filter_with_a_method_runs_it_on_its_own_copy(db):
    serving = OfficialFactory(term_start=datetime.date(2017, 1, 1), term_end=None)
    OfficialFactory(term_start=datetime.date(2020, 1, 1), term_end=None)
    for _ in range(2):  # the second filter set works on copies of the same declared filters
        found = OfficialFilter({"serving_on": "2018-06-01"}, queryset=Official.objects.all()).qs
        assert list(found) == [serving]


def test_a_list_without_filters_builds_no_filter_set_and_one_with_filters_does(client, world, monkeypatch):
    from tracker.api.filters import TrackerFilterSet

    built = []
    init = TrackerFilterSet.__init__
    monkeypatch.setattr(
        TrackerFilterSet, "__init__", lambda self, *args, **kwargs: built.append(1) or init(self, *args, **kwargs)
    )
    everything = client.get("/api/v1/grants/?page_size=1000").json()["results"]
    assert built == []
    chicago = client.get("/api/v1/grants/?jurisdiction=chicago-il&page_size=1000").json()["results"]
    assert built == [1]
    assert 0 < len(chicago) < len(everything)
    assert {row["jurisdiction"]["slug"] for row in chicago} == {"chicago-il"}


def test_the_sources_annotations_are_resolved_once_per_resource_and_shape(client, world, monkeypatch):
    """A resource's queryset with its sources (and an expanded record's) is built once per shape; each
    request clones it (tracker.api.viewsets.ReadViewSet.base_queryset)."""
    import tracker.api.viewsets
    from letters.views import GrantAwardViewSet

    resolved = []
    cited, own = tracker.api.viewsets.cited_sources, tracker.api.viewsets.with_sources
    monkeypatch.setattr(
        tracker.api.viewsets, "cited_sources", lambda *args: resolved.append("expanded") or cited(*args)
    )
    monkeypatch.setattr(tracker.api.viewsets, "with_sources", lambda queryset: resolved.append("own") or own(queryset))
    monkeypatch.delattr(GrantAwardViewSet, "_bases", raising=False)
    for _ in range(3):
        expanded = client.get("/api/v1/grants/?expand=jurisdiction").json()["results"]
        assert all(row["jurisdiction"]["sources"] for row in expanded)
        assert client.get("/api/v1/grants/").status_code == 200
    # The grant's sources once with the expansion and once without; the expanded place's once.
    assert sorted(resolved) == ["expanded", "own", "own"]


def test_a_read_reuses_the_serializer_its_thread_built_for_the_same_shape_and_host(client, world, settings):
    """Each thread keeps the serializers its reads built (tracker.api.viewsets.ReadViewSet.read_serializer): the
    same resource, shape, format and host reuse one, with the new request's context; anything else builds
    its own, and no answer shows another's shape or host."""
    from letters.serializers import GrantAwardSerializer
    from tracker.api.viewsets import READ_SERIALIZERS

    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    READ_SERIALIZERS.kept = {}
    built = []
    init = GrantAwardSerializer.__init__

    def counted(self, *args, **kwargs):
        if "fields" in kwargs:  # built for a read, which passes its shape (a class also builds one of its own once)
            built.append(kwargs["fields"])
        init(self, *args, **kwargs)

    grant = GrantAwardFactory(jurisdiction=world["chicago"], fiscal_year=2009)
    detail = f"/api/v1/grants/{grant.pk}/"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(GrantAwardSerializer, "__init__", counted)
        answers = [client.get(detail, HTTP_HOST=host).json() for host in ("one.example", "one.example", "two.example")]
        assert len(built) == 2  # one per host
        assert [answer["url"].split("/")[2] for answer in answers] == ["one.example", "one.example", "two.example"]
        assert answers[2]["jurisdiction"]["url"].startswith("http://two.example/")
        assert client.get(detail, {"fields": "fiscal_year"}, HTTP_HOST="one.example").json() == {
            "fiscal_year": grant.fiscal_year
        }
        assert client.get(detail, HTTP_HOST="one.example").json() == answers[0]
        pages = [client.get("/api/v1/grants/", HTTP_HOST="one.example").json() for _ in range(2)]
        assert pages[0] == pages[1] and pages[0]["results"]
    assert len(built) == 4  # and one for the shape fields=, one for the list

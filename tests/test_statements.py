"""Queries compiled once and run again with another key (tracker/reading/statements.py).

A record's detail and a place's timeline run SQL compiled on their first request; every later request
runs the same SQL with its own key. The rows must be exactly the queryset's, converters included (on
SQLite dates, times and decimals come back as text), and the answers exactly what DRF shows from the
model instances.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models.sql.compiler import SQLCompiler
from django.test import RequestFactory
from rest_framework.request import Request

from cities.models import Jurisdiction
from letters.models import GrantAward
from reports.api_urls import router
from tests import factories as f
from tracker.reading.rows import as_rows
from tracker.reading.statements import CompiledQuery

VIEWSETS = {prefix: viewset for prefix, viewset, _ in router.registry}


@pytest.fixture
def compiled(monkeypatch):
    """The models whose queries Django compiles from here on."""
    models = []
    as_sql = SQLCompiler.as_sql

    def counted(compiler, *args, **kwargs):
        models.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return models


def grant_rows(place):
    return as_rows(GrantAward.objects.filter(jurisdiction=place).order_by("pk"), "pk", "amount", "updated_at")


def test_the_rows_are_the_querysets_whatever_the_key(db, compiled):
    places = f.JurisdictionFactory.create_batch(3)
    for place in places[:2]:
        for year in (2018, 2019):
            f.GrantAwardFactory(jurisdiction=place, fiscal_year=year)
    prepared = CompiledQuery(GrantAward, grant_rows)
    for place in [*places, places[0]]:
        expected = list(grant_rows(place.pk))
        del compiled[:]
        found = prepared.rows(place.pk)
        assert found == expected
        assert [(row.pk, row.amount, row.updated_at) for row in found] == [tuple(row) for row in expected]
    assert len(prepared.rows(places[0].pk)) == 2 and prepared.rows(places[2].pk) == []
    assert compiled == []  # compiled on the first key only


def test_a_query_that_does_not_take_the_key_is_refused(db):
    prepared = CompiledQuery(GrantAward, lambda place: as_rows(GrantAward.objects.all(), "pk"))
    with pytest.raises(ImproperlyConfigured, match="does not take its key"):
        prepared.rows(1)


def drf_detail(resource: str, key: str, expand: list[str]) -> dict:
    """What DRF shows of the record from its model instance."""
    viewset = VIEWSETS[resource]
    record = viewset.queryset.get(**{viewset.queryset.model.api_lookup(): key})
    request = Request(RequestFactory().get("/api/v1/"))
    return viewset.serializer_class(record, context={"request": request}, expand=expand).data


@pytest.mark.parametrize("resource", VIEWSETS)
def test_every_detail_is_what_drf_shows_from_the_model_instance(client, world, resource):
    expandable = list(getattr(VIEWSETS[resource].serializer_class.Meta, "expandable", {}))
    for row in client.get(f"/api/v1/{resource}/", {"page_size": 1000}).json()["results"][:5]:
        key = row["url"].rstrip("/").rsplit("/", 1)[1]
        for expand in ([], *([name] for name in expandable), expandable):
            response = client.get(row["url"], {"expand": ",".join(expand)} if expand else {})
            assert response.status_code == 200, response.json()
            assert response.json() == drf_detail(resource, key, expand)


def test_a_detail_is_compiled_once_per_shape_and_each_answers_its_own_record(client, world, compiled):
    first, second = (f.GrantAwardFactory(jurisdiction=world[name], fiscal_year=2009) for name in ("chicago", "cook"))
    answers = [client.get(f"/api/v1/grants/{grant.pk}/?expand=jurisdiction").json() for grant in (first, second)]
    assert [answer["jurisdiction"]["slug"] for answer in answers] == ["chicago-il", "cook-county-il"]
    assert [answer["url"].rsplit("/", 2)[1] for answer in answers] == [str(first.pk), str(second.pk)]
    assert client.get(f"/api/v1/grants/{first.pk}/").status_code == 200  # the other shape, compiled if it was not
    del compiled[:]
    for grant in (first, second):
        assert client.get(f"/api/v1/grants/{grant.pk}/?expand=jurisdiction").status_code == 200
        assert client.get(f"/api/v1/grants/{grant.pk}/").status_code == 200
    assert compiled.count(GrantAward) == 0
    # A detail with fields= or omit= is built as DRF builds it.
    assert client.get(f"/api/v1/grants/{first.pk}/?fields=fiscal_year").json() == {"fiscal_year": 2009}
    assert compiled.count(GrantAward) == 1


@pytest.mark.parametrize(
    "path", ["/api/v1/grants/abc/", "/api/v1/grants/99999999999999999999999/", "/api/v1/jurisdictions/a%00b/"]
)
def test_a_key_no_record_can_have_is_a_json_404(client, world, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_timeline_compiles_its_queries_once(client, world, compiled):
    client.get("/api/v1/jurisdictions/illinois/timeline/")
    del compiled[:]
    entries = client.get("/api/v1/jurisdictions/chicago-il/timeline/").json()["entries"]
    assert len(entries) > 10
    assert compiled == [Jurisdiction]  # the place itself, by its slug


def test_the_browsable_api_shows_an_editor_the_record_in_its_form(editor_client, world):
    """Its forms read the serializer's record after the view has answered: a model instance, its own."""
    grant = f.GrantAwardFactory(jurisdiction=world["chicago"], fiscal_year=2009, award_number="2009-DJ-BX-0001")
    for path in (f"/api/v1/grants/{grant.pk}/", f"/api/v1/grants/{grant.pk}/?expand=jurisdiction"):
        page = editor_client.get(path, HTTP_ACCEPT="text/html")
        assert page.status_code == 200
        assert page["Content-Type"].startswith("text/html")
        assert "2009-DJ-BX-0001" in page.content.decode()  # in the answer and in the form's raw data
        assert page.content.decode().count("2009-DJ-BX-0001") >= 2

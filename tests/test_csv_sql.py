"""CSV lines written by PostgreSQL (tracker/reading/csvsql.py) are the bytes Python writes.

On PostgreSQL an export whose every field is a column, a link's or the
sources' has its lines written in its query; everywhere else CSVRenderer
writes them from the serializer's rows. With the database's lines switched
off, the same request must give the same bytes, for every resource and shape,
over values that test every rule: formulas, quotes, commas, line breaks,
missing amounts and whole ones, times with and without a fraction, booleans,
places without a state, sources whose URLs sort differently by collation.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from letters.models import GrantAward
from reports.api_urls import router
from tests import factories as f
from tracker.api.explain import resource_plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes the lines")

RESOURCES = [prefix for prefix, _, _ in router.registry]
# Exports whose lines PostgreSQL writes, as their plans say: every field a column, a link's or the sources'.
BY_THE_DATABASE = {prefix for prefix, viewset, _ in router.registry if resource_plan(viewset).csv.choice == "SQL CSV"}
AWKWARD = ["=SUM(A1:A9)", '-2+3, "quoted"', "@cmd", "\ttab", "line\nbreak", "carriage\rreturn", "plain", "é ☃ 中"]


@pytest.fixture
def awkward(world):
    sources = [f.SourceFactory(url=url) for url in ("https://B.example/a,b", "https://a.example/z", "https://_x/")]
    for index, text in enumerate(AWKWARD):
        place = f.JurisdictionFactory(name=f"{text} place", state="" if index % 2 else "NY")
        f.GrantAwardFactory(
            jurisdiction=place,
            notes=text,
            amount=[Decimal("1500.50"), None, Decimal("0.00"), Decimal("12345678.90")][index % 4],
            sources=sources[: index % 4],
        )
        f.OfficialFactory(jurisdiction=place, name=text, sources=sources[index % 3 :])
        f.PolicyFactory(jurisdiction=place, title=text)
        f.DesignationFactory(jurisdiction=place, notes=text, disputed=bool(index % 2))
        f.SourceFactory(title=text, url=f"https://example.org/{index},{text.strip()[:3]}")
    # A change at a whole second: its time has no fraction, as Python then writes it.
    GrantAward.objects.filter(notes="plain").update(
        updated_at=datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    )
    return world


def export(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("resource", sorted(BY_THE_DATABASE))
@pytest.mark.parametrize("shape", ["", "omit=sources", "fields=url", "fields=notes", "ordering=-updated_at"])
def test_the_databases_lines_are_the_bytes_python_writes(client, awkward, monkeypatch, resource, shape):
    url = f"/api/v1/{resource}/?format=csv&{shape}"
    response = client.get(url)
    if response.status_code == 400:  # a shape this resource does not take (a source has no sources)
        assert shape.partition("=")[0] in json.loads(response.content)["errors"]
        return
    with CaptureQueriesContext(connection) as queries:
        by_the_database = export(client, url)
    assert any("concat_ws" in query["sql"] for query in queries)

    monkeypatch.setattr("tracker.reading.plan.csv_line", lambda serializer, queryset: None)
    assert by_the_database == export(client, url)


@pytest.mark.parametrize("resource", sorted(set(RESOURCES) - BY_THE_DATABASE))
def test_a_record_with_nested_or_computed_fields_is_written_in_python(client, world, resource):
    with CaptureQueriesContext(connection) as queries:
        export(client, f"/api/v1/{resource}/?format=csv")
    assert not any("concat_ws" in query["sql"] for query in queries)


def test_the_awkward_values_are_all_there(client, awkward):
    text = export(client, "/api/v1/grants/?format=csv").decode()
    assert "'=SUM(A1:A9)" in text
    assert '"\'-2+3, ""quoted"""' in text
    assert '"line\nbreak"' in text
    assert ",1500.50," in text
    assert "2024-05-06T07:08:09Z" in text
    assert "https://B.example/a,b https://_x/" in text  # by code point, as Python sorts: B, _, a

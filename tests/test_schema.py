"""The OpenAPI schema is valid and documents every parameter a client may send."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def parameters(schema, path):
    return {parameter["name"]: parameter for parameter in schema["paths"][path]["get"]["parameters"]}


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_every_list_filter_is_documented_with_its_type_and_choices(schema):
    from letters.filters import LetterFilter

    documented = parameters(schema, "/api/v1/letters/")
    assert set(LetterFilter.base_filters) <= set(documented)
    assert documented["sent_after"]["schema"] == {"type": "string", "format": "date"}
    assert "document_demand" in documented["kind"]["schema"]["items"]["enum"]
    # Several values as generated clients send them: the parameter repeated.
    assert documented["recipient_state"]["explode"] is True
    assert documented["recipient_state"]["schema"]["type"] == "array"


def test_the_shared_list_parameters_are_documented(schema):
    documented = parameters(schema, "/api/v1/grants/")
    for name in ("cursor", "page_size", "count", "ordering", "search", "facet", "fields", "omit", "expand"):
        assert name in documented, name
    assert "format" not in documented  # each format is an operation of its own
    assert documented["page_size"]["schema"]["maximum"] == 1000
    assert "-fiscal_year" in documented["ordering"]["schema"]["enum"]


def test_every_resource_has_a_list_and_a_detail(schema):
    paths = set(schema["paths"])
    for resource in ("jurisdictions", "officials", "policies", "letters", "cases", "rulings", "events"):
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{slug}}/" in paths
    for resource in ("grants", "designations", "sources"):
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert "/api/v1/jurisdictions/{slug}/timeline/" in paths


def test_the_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_json_operations_answer_json_only_and_exports_are_their_own_operations(schema):
    listed = schema["paths"]["/api/v1/letters/"]["get"]["responses"]["200"]["content"]
    assert list(listed) == ["application/json"]
    csv = schema["paths"]["/api/v1/letters.csv"]["get"]
    assert csv["responses"]["200"]["content"] == {"text/csv": {"schema": {"type": "string"}}}
    assert "cursor" not in {parameter["name"] for parameter in csv["parameters"]}
    ndjson = schema["paths"]["/api/v1/letters.ndjson"]["get"]["responses"]["200"]["content"]
    assert list(ndjson) == ["application/x-ndjson"]


def test_reads_need_no_token_and_writes_do(schema):
    letters = schema["paths"]["/api/v1/letters/"]
    assert "security" not in letters["get"] or letters["get"]["security"] == []
    assert {"tokenAuth": []} in letters["post"]["security"]


def test_write_operations_take_no_query_parameters(schema):
    for path, operations in schema["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            if method in operations:
                assert not [p for p in operations[method].get("parameters", []) if p["in"] == "query"], (path, method)


def test_the_schema_is_generated_once_per_process_whatever_the_format(client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from tracker.api.views import OncePerProcessGenerator

    generated = []
    generate = SchemaGenerator.get_schema
    monkeypatch.setattr(SchemaGenerator, "get_schema", lambda self, **kw: generated.append(1) or generate(self, **kw))
    # This process may have served the schema already (this worker's other tests): then it generates none.
    client.get("/api/v1/schema/?format=json")
    first = len(generated)
    as_json = client.get("/api/v1/schema/?format=json")
    as_yaml = client.get("/api/v1/schema/")

    assert first <= 1
    assert len(generated) == first
    assert OncePerProcessGenerator.generated
    assert as_json.json() == yaml.safe_load(as_yaml.content)
    assert as_json["Content-Disposition"].endswith('.json"')


@pytest.mark.parametrize(
    ("path", "name"),
    [("/api/v1/changes/", "cursor"), ("/api/v1/feeds/changes/", "jurisdiction"), ("/api/v1/letters/", "search")],
)
def test_a_query_parameter_the_api_refuses_empty_is_documented_as_at_least_one_character(client, schema, path, name):
    assert parameters(schema, path)[name]["schema"]["minLength"] == 1
    assert client.get(path, {name: ""}).status_code == 400


def test_a_court_filter_lists_the_court_directorys_ids(client, schema):
    from letters.courts import COURTS

    circuit = parameters(schema, "/api/v1/courts/")["circuit"]["schema"]["items"]
    assert circuit["enum"] == [court_id for court_id, *_ in COURTS]
    assert client.get("/api/v1/courts/", {"circuit": "0"}).status_code == 400


@pytest.mark.parametrize(
    ("path", "start"), [("/api/v1/letters/", {}), ("/api/v1/changes/", {"since": "2000-01-01T00:00:00Z"})]
)
def test_a_cursor_is_documented_as_the_api_makes_it_and_an_unknown_one_is_a_404(client, world, schema, path, start):
    """Schemathesis draws cursors from the documented pattern and expects them accepted or not found: a
    well-formed cursor the API did not make is a page no link leads to (a 404, as DRF's own cursors
    answer); text that is no cursor at all is a 400."""
    pattern = re.compile(parameters(schema, path)["cursor"]["schema"]["pattern"])
    body = client.get(path, {**start, "page_size": 1}).json()
    made = parse_qs(urlsplit(body["next"]).query)["cursor"][0]
    assert pattern.search(made)

    unknown = client.get(path, {"cursor": "0"})
    assert pattern.search("0") and unknown.status_code == 404
    assert unknown.json()["detail"].startswith("Invalid cursor: no page starts there.")
    malformed = client.get(path, {"cursor": "a!b"})
    assert not pattern.search("a!b") and malformed.status_code == 400
    assert list(malformed.json()["errors"]) == ["cursor"]


def test_a_feeds_page_is_documented_as_the_page_numbers_it_takes(client, db, schema):
    page = parameters(schema, "/api/v1/feeds/letters/")["page"]["schema"]
    assert page["minimum"] == 1
    assert client.get("/api/v1/feeds/letters/", {"page": page["maximum"]}).status_code == 200
    assert client.get("/api/v1/feeds/letters/", {"page": page["maximum"] + 1}).status_code == 400


def test_the_change_feeds_jurisdiction_is_documented_as_the_slug_it_takes(client, db, schema):
    pattern = re.compile(parameters(schema, "/api/v1/feeds/changes/")["jurisdiction"]["schema"]["pattern"])
    for slug, status in (("no-such-place", 200), ('JU"y', 400), (" no-such-place", 400)):
        assert bool(pattern.search(slug)) == (status == 200), slug
        assert client.get("/api/v1/feeds/changes/", {"jurisdiction": slug}).status_code == status, slug


def test_a_case_partys_filing_date_may_be_null_as_its_case_has_it(schema):
    assert schema["components"]["schemas"]["CasePartyRow"]["properties"]["filed_on"]["nullable"] is True


def test_the_change_feeds_models_are_listed(schema):
    from reports.changes import TRACKED

    assert parameters(schema, "/api/v1/feeds/changes/")["model"]["schema"]["items"]["enum"] == list(TRACKED)


@pytest.mark.parametrize("path", ["/api/v1/courts/", "/api/v1/letters.csv", "/api/v1/letters/2018-01-24-demands/"])
def test_public_is_true_or_false_for_anyone(client, world, path):
    response = client.get(path, {"public": "AAA"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["public"]
    assert client.get(path, {"public": "false"}).status_code == 200

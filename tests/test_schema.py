"""The OpenAPI schema is valid and documents every parameter a client may send."""

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
    assert documented["recipient_state"]["explode"] is False


def test_the_shared_list_parameters_are_documented(schema):
    documented = parameters(schema, "/api/v1/grants/")
    for name in ("cursor", "page_size", "count", "ordering", "search", "facet", "fields", "omit", "expand", "format"):
        assert name in documented, name
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

"""Hostile input in every query parameter and path: a 4xx JSON error or a correct answer, never a 500.

The parameters come from the API's own OpenAPI schema, so a new filter is
covered without touching this file. Bodies, stored values, methods and
headers are tests/test_hostile_bodies.py's.
"""

from functools import cache
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client

pytestmark = pytest.mark.django_db

LISTS = [
    "jurisdictions",
    "officials",
    "policies",
    "letters",
    "grants",
    "cases",
    "rulings",
    "events",
    "designation-lists",
    "designations",
    "sources",
]

SQL = "' OR 1=1 --"
SCRIPT = "<script>alert(1)</script>"

# Sent as they are (not percent-encoded again): they test the query-string decoding itself.
RAW = {
    "nul": "a%00b",
    "invalid-utf8": "%FF%FE%C3%28",
    "bad-percent-encoding": "%zz%4",
    "lone-percent": "%",
}
# Percent-encoded before sending.
TEXT = {
    "10000-chars": "x" * 10_000,
    "sql": SQL,
    "sql-union": "1 UNION SELECT password FROM auth_user --",
    "script": SCRIPT,
    "unicode": "\u202e\ufeff\U0001d54f\u0301",
}
NUMBERS = {
    "negative": "-1",
    "1e308": "1e308",
    "minus-1e308": "-1e308",
    "10**30": str(10**30),
    "nan": "NaN",
    "infinity": "Infinity",
}
DATES = {
    "2018-02-30": "2018-02-30",
    "0000-00-00": "0000-00-00",
    "99999-01-01": "99999-01-01",
    "9999-12-31T23:59:59-23:59": "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59": "0001-01-01T00:00:00+23:59",
}


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Hundreds of requests a test: the rate limits are tests/test_throttling.py's subject."""
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@cache
def openapi() -> dict:
    """The schema the API serves (generated once per process, shared with every test that asks for it)."""
    return Client().get("/api/v1/schema/?format=json").json()


def query_parameters(endpoint: str) -> dict[str, dict]:
    """name -> schema of every query parameter a list documents."""
    operation = openapi()["paths"][f"/api/v1/{endpoint}/"]["get"]
    return {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}


def kind_of(schema: dict) -> str:
    schema = schema.get("items", schema)
    if schema.get("type") in ("number", "integer"):
        return "number"
    if schema.get("format") in ("date", "date-time"):
        return "date"
    return "text"


def hostile_values(kind: str) -> dict[str, str]:
    """Every value a parameter of this kind gets, percent-encoded for the query string."""
    values = dict(RAW) | {name: quote(value, safe="") for name, value in TEXT.items()}
    if kind == "number":
        values |= {name: quote(value, safe="") for name, value in NUMBERS.items()}
    if kind == "date":
        values |= {name: quote(value, safe="") for name, value in DATES.items()}
    return values


def problems(response, parameter: str) -> str | None:
    """What is wrong with this answer to a hostile parameter, or None."""
    if response.status_code >= 500:
        return f"{response.status_code}: {response.content[:200]!r}"
    if response["Content-Type"].split(";")[0] != "application/json":
        return f"{response.status_code} as {response['Content-Type']}"
    body = response.json()
    if response.status_code == 200:
        return None if isinstance(body.get("results"), list) else f"200 without results: {body}"
    if response.status_code == 404 and parameter == "cursor":
        # Well-formed (URL-safe base64) but no cursor the API made: no page starts there (tracker/pagination.py).
        return None if body.get("detail", "").startswith("Invalid cursor") else f"404: {body}"
    if response.status_code != 400:
        return f"{response.status_code}: {body}"
    # "request": a value past what the database holds, caught by tracker/api/exceptions.py; that it
    # should name the parameter is test_a_value_past_what_the_database_holds_is_a_400_naming_the_parameter.
    named = parameter in body.get("errors", {}) or list(body.get("errors", {})) == ["request"]
    if body.get("status") != 400 or body.get("error") != "invalid" or not named:
        return f"400 not naming {parameter!r}: {body}"
    return None


@pytest.mark.parametrize("endpoint", LISTS)
def test_hostile_values_in_every_query_parameter_get_a_400_naming_it_or_an_answer(client, world, endpoint):
    offences = []
    for parameter, schema in query_parameters(endpoint).items():
        if parameter == "format":
            continue  # DRF's content negotiation: test_a_format_outside_the_choices_is_a_400_naming_it
        for name, value in hostile_values(kind_of(schema)).items():
            # A database error aborts PostgreSQL's transaction: each request in its own savepoint.
            with transaction.atomic():
                response = client.get(f"/api/v1/{endpoint}/?{parameter}={value}")
                transaction.set_rollback(True)
            if problem := problems(response, parameter):
                offences.append(f"{parameter}={name}: {problem}")
    assert offences == []


@pytest.mark.parametrize("endpoint", LISTS)
def test_sql_in_a_parameter_is_only_a_string_that_matches_nothing(client, world, endpoint):
    # Whatever a parameter does with "no-such-value" it does with SQL: it is data, not code.
    for parameter, schema in query_parameters(endpoint).items():
        if kind_of(schema) != "text" or "pattern" in schema:  # a cursor is no search text: the suite above
            continue
        harmless = client.get(f"/api/v1/{endpoint}/", {parameter: "no-such-value"})
        for fragment in (SQL, TEXT["sql-union"]):
            hostile = client.get(f"/api/v1/{endpoint}/", {parameter: fragment})
            assert hostile.status_code == harmless.status_code, (parameter, fragment, hostile.content[:300])
            if hostile.status_code == 200:
                assert hostile.json()["results"] == harmless.json()["results"], (parameter, fragment)


@pytest.mark.parametrize("endpoint", LISTS)
def test_thousands_of_repeated_parameters_are_a_json_400(client, world, endpoint):
    for query in ("&".join(["ordering=-updated_at"] * 5000), "&".join(f"x{n}=1" for n in range(5000))):
        response = client.get(f"/api/v1/{endpoint}/?{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json()["status"] == 400


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_parameter_given_twice_is_a_400_naming_it(client, world, endpoint):
    response = client.get(f"/api/v1/{endpoint}/?page_size=1&page_size=2")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_page_size_outside_1_to_1000_is_a_400(client, world, endpoint):
    for size in ["0", "-1", "1001", "1e308", "-1e308", str(10**30), "1.5", "", "%00", "x" * 10_000]:
        response = client.get(f"/api/v1/{endpoint}/?page_size={size}")
        assert response.status_code == 400, size
        assert list(response.json()["errors"]) == ["page_size"], size


@pytest.mark.parametrize("endpoint", LISTS)
def test_the_largest_page_size_is_answered(client, world, endpoint):
    response = client.get(f"/api/v1/{endpoint}/?page_size=1000")
    assert response.status_code == 200
    assert response.json()["next"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/changes/?since=99999-01-01T00:00:00Z",
        "/api/v1/changes/?since=2018-02-30T00:00:00Z",
        "/api/v1/changes/?since=0000-00-00T00:00:00Z",
        "/api/v1/changes/?since=2018-01-01T00:00:00Z&page_size=" + str(10**30),
        "/api/v1/changes/?since=2018-01-01T00:00:00Z&model=%00",
        "/api/v1/changes/?since=" + "9" * 10_000,
        "/api/v1/jurisdictions/chicago-il/timeline/?since=2018-01-01",
        "/api/v1/stats/?since=2018-01-01",
    ],
)
def test_the_reports_answer_hostile_parameters_with_a_400(client, world, path):
    response = client.get(path)
    assert response.status_code == 400, response.content
    assert response.json()["status"] == 400


@pytest.mark.parametrize(
    "path, parameter",
    [
        ("/api/v1/grants/?fiscal_year=" + str(10**20), "fiscal_year"),
        ("/api/v1/letters/?updated_since=9999-12-31T23:59:59-23:59", "updated_since"),
        ("/api/v1/changes/?since=0001-01-01T00:00:00%2B23:59", "since"),
    ],
)
def test_a_value_past_what_the_database_holds_is_a_400_naming_the_parameter(client, world, path, parameter):
    response = client.get(path)
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [parameter]


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_format_outside_the_choices_is_a_400_naming_it(client, world, endpoint):
    response = client.get(f"/api/v1/{endpoint}/?format=xml")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["format"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_an_unsupported_method_is_a_405_whatever_the_query(editor_client, world, endpoint):
    response = editor_client.put(f"/api/v1/{endpoint}/?state=CA", {}, format="json")
    assert response.status_code == 405, response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/jurisdictions/%FF%FE/",
        "/api/v1/jurisdictions/%00/",
        "/api/v1/grants/99999999999999999999999/",
        "/api/v1/grants/-1/",
        "/api/v1/letters/" + "x" * 10_000 + "/",
        "/api/v1/jurisdictions/%zz/timeline/",
    ],
)
def test_a_hostile_key_in_the_path_is_a_json_404(client, world, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["status"] == 404

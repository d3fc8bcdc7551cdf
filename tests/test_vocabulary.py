"""One query vocabulary for every endpoint (tracker/api/params.py): lists, scalars, booleans, numbers, empties."""

import pytest

from tests.conftest import slugs

pytestmark = pytest.mark.django_db


def test_a_list_filter_takes_a_comma_list_or_the_parameter_repeated_alike(client, world):
    repeated = client.get("/api/v1/jurisdictions/?state=CA&state=IL")
    comma = client.get("/api/v1/jurisdictions/?state=CA,IL")
    both = client.get("/api/v1/jurisdictions/?state=CA&state=%20IL%20,")
    assert repeated.status_code == comma.status_code == both.status_code == 200
    assert slugs(repeated) == slugs(comma) == slugs(both)
    assert len(slugs(comma)) == 5


def test_fields_and_facets_take_repeated_values_too(client, world):
    body = client.get("/api/v1/jurisdictions/?fields=slug&fields=name&facet=state&facet=kind&page_size=1").json()
    assert list(body["results"][0]) == ["slug", "name"]
    assert list(body["facets"]) == ["state", "kind"]


def test_a_scalar_parameter_given_twice_is_a_400(client, world):
    response = client.get("/api/v1/jurisdictions/?ordering=name&ordering=slug")
    assert response.status_code == 400
    assert response.json()["errors"] == {"ordering": ["Given more than once; this parameter takes one value."]}


@pytest.mark.parametrize("value", ["true", "TRUE", "True", "1"])
def test_booleans_are_read_in_any_case(client, world, value):
    response = client.get(f"/api/v1/designations/?disputed={value}&count={value}")
    assert response.status_code == 200
    assert response.json()["count"] == len(response.json()["results"])


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "\uff15", "1e3", "+5", " 5"])
def test_a_page_size_is_plain_ascii_digits(client, world, value):
    response = client.get("/api/v1/letters/", {"page_size": value})
    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": ["Must be a whole number from 1 to 1000."]}


def test_an_ordering_takes_one_minus_sign_at_most(client, world):
    response = client.get("/api/v1/jurisdictions/?ordering=--slug")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ordering"]


@pytest.mark.parametrize("query", ["state=", "cursor=", "format=", "search=%20", "fields=,", "facet="])
def test_an_empty_value_is_a_400_not_a_silent_no_filter(client, world, query):
    response = client.get(f"/api/v1/jurisdictions/?{query}")
    assert response.status_code == 400
    name = query.partition("=")[0]
    assert list(response.json()["errors"]) == [name]


@pytest.mark.parametrize("query", ["page_size=0", "cursor=zzz", "count=maybe", "facet=zzz", "page_size=10"])
def test_an_export_refuses_page_parameters_it_would_ignore(client, world, query):
    for url in (f"/api/v1/letters/?format=csv&{query}", f"/api/v1/letters.ndjson?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert list(response.json()["errors"]) == [query.partition("=")[0]]


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/schema/", "/api/v1/docs/", "/api/v1/stats/"])
def test_pages_without_parameters_refuse_unknown_ones(client, world, path):
    response = client.get(f"{path}?foo=bar")
    assert response.status_code == 400
    assert "foo" in response.content.decode()


def test_an_export_is_its_own_url_and_keeps_the_filters(client, world):
    response = client.get("/api/v1/letter-recipients.csv?state=IL")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + 2


def test_a_time_zone_offset_of_sixteen_hours_or_more_is_read_in_utc(client, world):
    # ISO 8601 allows offsets to ±23:59; PostgreSQL refuses 16 hours or more, so the time is read in UTC first.
    later = client.get("/api/v1/jurisdictions/?updated_since=2999-01-01T00:00:00%2B16:00")
    earlier = client.get("/api/v1/jurisdictions/?updated_since=2000-01-01T00:00:00%2B16:00")
    assert (later.status_code, earlier.status_code) == (200, 200)
    assert later.json()["results"] == []
    assert sorted(slugs_of(earlier.json())) == sorted(
        ["chicago-il", "cook-county-il", "illinois", "california", "san-francisco-ca"]
    )


def test_ordering_by_a_big_integer_with_unknown_values_pages_through(client, world):
    seen, url = [], "/api/v1/jurisdictions/?ordering=-population&page_size=2"
    while url:
        body = client.get(url).json()
        seen += slugs_of(body)
        url = body["next"]
    assert sorted(seen) == sorted(["chicago-il", "cook-county-il", "illinois", "california", "san-francisco-ca"])
    assert seen[:2] == ["chicago-il", "san-francisco-ca"]


def slugs_of(body: dict) -> list[str]:
    return [row["slug"] for row in body["results"]]

"""What every list and detail shares: errors, pages, shapes, formats, caching."""

import csv
import io
import json

import pytest

from tests.conftest import slugs
from tests.factories import JurisdictionFactory

pytestmark = pytest.mark.django_db


def test_the_root_lists_every_resource(client):
    body = client.get("/api/v1/").json()
    assert list(body) == [
        "jurisdictions",
        "officials",
        "policies",
        "letters",
        "letter-recipients",
        "grants",
        "cases",
        "case-parties",
        "courts",
        "rulings",
        "events",
        "event-participants",
        "designation-lists",
        "designations",
        "sources",
        "jurisdiction-timeline",
        "changes",
        "stats",
        "stats-grants",
        "stats-determinations",
        "stats-rulings",
        "stats-sources",
        "schema",
        "docs",
        "dataset",
        "feed-changes",
        "feed-letters",
        "feed-rulings",
        "feed-designations",
        "feed-timeline",
    ]
    assert body["jurisdiction-timeline"] == "http://testserver/api/v1/jurisdictions/{slug}/timeline/"
    assert body["letters"] == "http://testserver/api/v1/letters/"
    assert body["dataset"] == "http://testserver/api/v1/dataset/"
    assert body["feed-changes"] == "http://testserver/api/v1/feeds/changes/"
    assert body["feed-timeline"] == "http://testserver/api/v1/feeds/jurisdictions/{slug}/"


def test_it_rejects_an_unknown_parameter_naming_it(client, world):
    response = client.get("/api/v1/jurisdictions/?stat=CA")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["error"] == "invalid"
    assert list(body["errors"]) == ["stat"]
    assert "state" in body["errors"]["stat"][0]


def test_it_rejects_a_value_outside_the_choices(client, world):
    response = client.get("/api/v1/jurisdictions/?kind=village")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "kind": [
            "Unknown value 'village'. Choose from: city, county, consolidated, state, federal_district, territory."
        ]
    }


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("sent_after=2018-02-30", "sent_after"),
        ("sent_after=yesterday", "sent_after"),
        ("updated_since=soon", "updated_since"),
        ("page_size=0", "page_size"),
        ("page_size=100000", "page_size"),
        ("page_size=-1", "page_size"),
        ("cursor=not.a.cursor", "cursor"),
        ("ordering=password", "ordering"),
        ("fields=slug,secret", "fields"),
        ("expand=author", "expand"),
        ("facet=subject", "facet"),
        ("count=perhaps", "count"),
        ("search=" + "x" * 201, "search"),
        ("recipient=" + "x" * 1001, "recipient"),
        ("recipient=chicago%00il", "recipient"),
        ("page_size=10&page_size=20", "page_size"),
    ],
)
def test_it_answers_bad_input_with_a_400_naming_the_parameter(client, world, query, parameter):
    response = client.get(f"/api/v1/letters/?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [parameter]


def test_an_unknown_slug_is_a_json_404(client, world):
    response = client.get("/api/v1/jurisdictions/atlantis/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "error": "not_found",
        "detail": "No Jurisdiction matches the given query.",
    }


def test_an_unknown_api_path_is_a_json_404(client, settings):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_anonymous_users_cannot_write(client, world):
    assert client.post("/api/v1/jurisdictions/", {"slug": "x"}).status_code in (401, 403, 405)


def test_cursor_pages_walk_the_whole_list_once_in_order(client, world):
    seen, url = [], "/api/v1/jurisdictions/?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
    # By name: "City and County of San Francisco" sorts before "City of Chicago".
    assert seen == ["san-francisco-ca", "chicago-il", "cook-county-il", "california", "illinois"]


def test_previous_links_walk_back(client, world):
    first = client.get("/api/v1/jurisdictions/?page_size=2").json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()
    assert [row["slug"] for row in back["results"]] == [row["slug"] for row in first["results"]]
    assert first["previous"] is None


def test_cursor_pages_stay_stable_when_rows_are_inserted(client, world):
    first = client.get("/api/v1/jurisdictions/?page_size=2").json()
    JurisdictionFactory(slug="aaa-first", name="A first city")
    second = client.get(first["next"]).json()
    assert [row["slug"] for row in second["results"]] == ["cook-county-il", "california"]
    assert "aaa-first" not in [row["slug"] for row in first["results"]]


def test_cursor_pages_break_ties_on_the_ordering_field(client, world):
    # Every row shares one name here: the cursor must not skip or repeat.
    for n in range(5):
        JurisdictionFactory(slug=f"tie-{n}", name="Springfield")
    seen, url = [], "/api/v1/jurisdictions/?page_size=2&slug=tie-0,tie-1,tie-2,tie-3,tie-4"
    while url:
        body = client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == [f"tie-{n}" for n in range(5)]
    assert len(seen) == 5


def test_the_count_is_given_only_when_asked_for(client, world):
    assert "count" not in client.get("/api/v1/jurisdictions/").json()
    assert client.get("/api/v1/jurisdictions/?count=true&state=IL").json()["count"] == 3


def test_ordering_takes_a_documented_field(client, world):
    response = client.get("/api/v1/jurisdictions/?ordering=-slug&page_size=3")
    assert slugs(response) == ["san-francisco-ca", "illinois", "cook-county-il"]


def test_facets_count_each_value_over_the_whole_filtered_list(client, world):
    body = client.get("/api/v1/jurisdictions/?facet=state,kind&page_size=1&kind__not=state").json()
    assert len(body["results"]) == 1
    assert body["facets"] == {
        "state": [{"value": "IL", "count": 2}, {"value": "CA", "count": 1}],
        "kind": [
            {"value": "city", "count": 1},
            {"value": "consolidated", "count": 1},
            {"value": "county", "count": 1},
        ],
    }


def test_fields_and_omit_choose_the_fields(client, world):
    row = client.get("/api/v1/jurisdictions/chicago-il/?fields=slug,name").json()
    assert row == {"slug": "chicago-il", "name": "City of Chicago"}
    row = client.get("/api/v1/jurisdictions/chicago-il/?omit=sources,notes").json()
    assert "sources" not in row and "notes" not in row and "name" in row


def test_a_related_record_is_a_link_unless_expanded(client, world):
    row = client.get("/api/v1/jurisdictions/chicago-il/?fields=parent").json()
    assert row["parent"] == {
        "slug": "illinois",
        "name": "State of Illinois",
        "state": "IL",
        "url": "http://testserver/api/v1/jurisdictions/illinois/",
    }
    expanded = client.get("/api/v1/jurisdictions/chicago-il/?fields=parent&expand=parent").json()["parent"]
    assert expanded["slug"] == "illinois"
    assert expanded["kind"] == "state"
    assert expanded["fips"] == "17"
    assert len(expanded["sources"]) == 1


def test_every_record_shows_its_sources(client, world):
    row = client.get("/api/v1/jurisdictions/chicago-il/").json()
    source = world["chicago"].sources.get()
    assert row["sources"] == [
        {
            "id": source.pk,
            "link": source.url,
            "title": source.title,
            "publisher": "Example Publisher",
            "published_on": "2018-01-24",
            "kind": "news",
            "provenance": "copy",
        }
    ]


def test_csv_streams_flat_columns_with_readable_names(client, world):
    response = client.get("/api/v1/jurisdictions/?format=csv&state=IL", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["slug"] for row in rows] == ["chicago-il", "cook-county-il", "illinois"]
    assert (rows[0]["parent"], rows[0]["parent_name"], rows[0]["parent_state"]) == (
        "illinois",
        "State of Illinois",
        "IL",
    )
    assert rows[0]["sources"] == world["chicago"].sources.get().url
    assert "change_reason" not in rows[0]  # what a write takes, never what an answer shows


def test_csv_is_chosen_by_the_accept_header_too(client, world):
    response = client.get("/api/v1/grants/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_csv_defuses_spreadsheet_formulas(client, world):
    JurisdictionFactory(slug="formula", name='=HYPERLINK("http://evil")')
    response = client.get("/api/v1/jurisdictions/?format=csv&slug=formula")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'


def test_ndjson_streams_one_record_per_line(client, world):
    response = client.get("/api/v1/letters/?format=ndjson")
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["slug"] for line in lines] == ["2018-01-24-demands", "2017-04-21-letters"]


def test_a_list_answers_304_when_unchanged_and_200_after_an_edit(client, world):
    first = client.get("/api/v1/jurisdictions/")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/api/v1/jurisdictions/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    world["chicago"].name = "City of Chicago, Illinois"
    world["chicago"].save()
    after = client.get("/api/v1/jurisdictions/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_a_detail_answers_304_to_if_modified_since(client, world):
    first = client.get("/api/v1/jurisdictions/chicago-il/")
    again = client.get("/api/v1/jurisdictions/chicago-il/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_updated_since_gives_only_records_changed_since(client, world):
    moment = world["sf"].updated_at
    world["chicago"].save()
    response = client.get("/api/v1/jurisdictions/", {"updated_since": moment.isoformat()})
    assert slugs(response) == ["san-francisco-ca", "chicago-il"]


def test_options_lists_filters_choices_and_ordering(client, world):
    body = client.options("/api/v1/jurisdictions/").json()
    assert body["filters"]["state"]["choices"][:2] == [
        {"value": "AL", "display_name": "Alabama"},
        {"value": "AK", "display_name": "Alaska"},
    ]
    assert body["filters"]["population_min"]["type"] == "number"
    assert body["filters"]["updated_since"]["type"] == "datetime"
    assert body["ordering_fields"] == ["name", "slug", "population", "updated_at"]
    assert body["facet_fields"] == ["state", "kind"]


@pytest.mark.parametrize("url", ["/api/v1/letters.csv", "/api/v1/grants/?format=ndjson&state=IL"])
def test_an_export_has_an_etag_a_repeat_gets_304_and_an_edit_a_new_tag(client, world, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    b"".join(first.streaming_content)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/api/v1/letters.ndjson")["ETag"] != client.get("/api/v1/letters.csv")["ETag"]

    world["chicago"].name = "City of Chicago, Illinois"
    world["chicago"].save()
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]


@pytest.mark.parametrize("resource", ["letters", "grants", "letter-recipients", "case-parties"])
@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_a_download_is_named_after_its_resource(client, world, resource, fmt):
    for path in (f"/api/v1/{resource}.{fmt}", f"/api/v1/{resource}/?format={fmt}"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{resource}.{fmt}"'

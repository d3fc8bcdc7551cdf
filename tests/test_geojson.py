"""format=geojson: jurisdictions, grants and designations as one FeatureCollection each."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from cities.models import Jurisdiction
from letters.models import Designation, GrantAward
from tests import factories as f

pytestmark = pytest.mark.django_db


def collection(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "application/geo+json"
    body = json.loads(b"".join(response.streaming_content))
    assert body["type"] == "FeatureCollection"
    return body


@pytest.fixture
def places():
    illinois = f.JurisdictionFactory(
        slug="illinois",
        name="State of Illinois",
        kind="state",
        fips="17",
        latitude=Decimal("39.801050"),
        longitude=Decimal("-89.643710"),
        point_kind="seat",
    )
    chicago = f.JurisdictionFactory(
        slug="chicago-il",
        name="City of Chicago",
        parent=illinois,
        latitude=Decimal("41.850030"),
        longitude=Decimal("-87.650050"),
        point_kind="place_point",
    )
    cook = f.JurisdictionFactory(slug="cook-county-il", name="Cook County", kind="county", fips="17031")
    return {"illinois": illinois, "chicago": chicago, "cook": cook}


def test_a_jurisdiction_is_a_point_feature_with_its_record_as_properties(client, places):
    body = collection(client.get("/api/v1/jurisdictions/?format=geojson&slug=chicago-il"))
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == "chicago-il"
    # GeoJSON puts longitude first (RFC 7946).
    assert feature["geometry"] == {"type": "Point", "coordinates": [-87.65005, 41.85003]}
    properties = feature["properties"]
    assert properties["slug"] == "chicago-il"
    assert properties["point_kind"] == "place_point"
    # Flat: one value per property, as the CSV's columns (spreadsheets and geopandas read them as columns).
    assert (properties["parent"], properties["parent_name"], properties["parent_state"]) == (
        "illinois",
        "State of Illinois",
        places["illinois"].state,
    )
    assert not [name for name, value in properties.items() if isinstance(value, dict | list)]


def test_nested_properties_on_request_are_the_record_as_json_gives_it(client, places):
    source = f.SourceFactory(url="https://example.org/chicago")
    places["chicago"].sources.set([source])
    flat = collection(client.get("/api/v1/jurisdictions/?format=geojson&slug=chicago-il"))["features"][0]
    assert flat["properties"]["sources"] == "https://example.org/chicago"
    body = collection(client.get("/api/v1/jurisdictions/?format=geojson&slug=chicago-il&properties=nested"))
    [feature] = body["features"]
    assert feature["properties"] == client.get("/api/v1/jurisdictions/chicago-il/").json()
    assert feature["geometry"] == flat["geometry"]


def test_a_properties_shape_other_than_flat_or_nested_is_a_400(client, places):
    response = client.get("/api/v1/jurisdictions/?format=geojson&properties=deep")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["properties"]
    assert client.get("/api/v1/jurisdictions/?properties=nested").status_code == 400  # only with GeoJSON


def test_a_place_without_a_point_keeps_its_feature_with_a_null_geometry(client, places):
    body = collection(client.get("/api/v1/jurisdictions/?format=geojson"))
    geometry = {feature["id"]: feature["geometry"] for feature in body["features"]}
    assert geometry == {
        "chicago-il": {"type": "Point", "coordinates": [-87.65005, 41.85003]},
        "cook-county-il": None,
        "illinois": {"type": "Point", "coordinates": [-89.64371, 39.80105]},
    }


def test_a_grant_row_takes_its_jurisdictions_point(client, places):
    f.GrantAwardFactory(jurisdiction=places["chicago"], fiscal_year=2017, amount=Decimal("2019194.00"))
    f.GrantAwardFactory(jurisdiction=places["cook"], fiscal_year=2016, amount=Decimal("150000.00"))
    body = collection(client.get("/api/v1/grants/?format=geojson"))
    rows = [
        (feature["properties"]["jurisdiction"], feature["properties"]["fiscal_year"], feature["geometry"])
        for feature in body["features"]
    ]
    assert rows == [
        ("chicago-il", 2017, {"type": "Point", "coordinates": [-87.65005, 41.85003]}),
        ("cook-county-il", 2016, None),
    ]
    assert body["features"][0]["properties"]["point_kind"] == "place_point"


def test_an_expanded_jurisdiction_gives_the_same_point(client, places):
    f.GrantAwardFactory(jurisdiction=places["chicago"], fiscal_year=2017, amount=Decimal("2019194.00"))
    plain = collection(client.get("/api/v1/grants/?format=geojson"))
    expanded = collection(client.get("/api/v1/grants/?format=geojson&expand=jurisdiction"))
    assert expanded["features"][0]["geometry"] == plain["features"][0]["geometry"]


def test_a_designation_row_takes_its_jurisdictions_point(client, places):
    listing = f.DesignationListFactory()
    f.DesignationFactory(designation_list=listing, jurisdiction=places["illinois"])
    body = collection(client.get("/api/v1/designations/?format=geojson"))
    [feature] = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-89.64371, 39.80105]}
    assert feature["properties"]["point_kind"] == "seat"
    assert feature["id"] == feature["properties"]["id"]


def test_an_empty_list_is_an_empty_collection(client, places):
    body = collection(client.get("/api/v1/jurisdictions/?format=geojson&state=CA"))
    assert body == {"type": "FeatureCollection", "features": []}


def test_a_bad_filter_is_still_a_json_error(client, places):
    response = client.get("/api/v1/jurisdictions/?format=geojson&kind=planet")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_geojson_is_not_offered_where_rows_name_no_single_place(client, places):
    response = client.get("/api/v1/letters/?format=geojson")
    assert response.status_code == 400
    assert response.json()["errors"] == {"format": ["Unknown format 'geojson'. Choose one of: json, api, csv, ndjson."]}


def test_the_loaded_record_maps_every_jurisdiction_and_every_grant(client):
    call_command("load_reference_data", verbosity=0)
    places = collection(client.get("/api/v1/jurisdictions/?format=geojson"))
    located = {slug for slug in Jurisdiction.objects.filter(latitude__isnull=False).values_list("slug", flat=True)}
    assert len(places["features"]) == Jurisdiction.objects.count()
    assert {feature["id"] for feature in places["features"] if feature["geometry"]} == located
    grants = collection(client.get("/api/v1/grants/?format=geojson"))
    assert len(grants["features"]) == GrantAward.objects.count()
    mapped = {feature["properties"]["jurisdiction"] for feature in grants["features"] if feature["geometry"]}
    assert mapped == set(
        GrantAward.objects.filter(jurisdiction__slug__in=located).values_list("jurisdiction__slug", flat=True)
    )
    designations = collection(client.get("/api/v1/designations/?format=geojson"))
    assert len(designations["features"]) == Designation.objects.count()


def test_a_letter_recipient_row_takes_its_jurisdictions_point(client, places):
    letter = f.LetterFactory(slug="2018-01-24-demands")
    f.LetterRecipientFactory(letter=letter, jurisdiction=places["chicago"])
    f.LetterRecipientFactory(letter=letter, jurisdiction=places["cook"])
    body = collection(client.get("/api/v1/letter-recipients/?format=geojson"))
    geometry = {feature["properties"]["jurisdiction"]: feature["geometry"] for feature in body["features"]}
    assert geometry == {
        "chicago-il": {"type": "Point", "coordinates": [-87.65005, 41.85003]},
        "cook-county-il": None,
    }

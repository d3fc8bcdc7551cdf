"""courts/: the federal courts by CourtListener id; every court= filter checks against it."""

import pytest

from letters.models import Court
from tests.conftest import cited

pytestmark = pytest.mark.django_db


def test_a_court_has_its_full_name_level_and_circuit(client):
    body = client.get("/api/v1/courts/ilnd/").json()
    assert body == {
        "id": "ilnd",
        "url": "http://testserver/api/v1/courts/ilnd/",
        "name": "United States District Court for the Northern District of Illinois",
        "level": "district",
        "circuit": {
            "id": "ca7",
            "name": "United States Court of Appeals for the Seventh Circuit",
            "url": "http://testserver/api/v1/courts/ca7/",
        },
        "courtlistener_url": "https://www.courtlistener.com/api/rest/v4/courts/ilnd/",
    }


def test_the_directory_holds_every_federal_district_and_circuit(client):
    counts = {row["value"]: row["count"] for row in client.get("/api/v1/courts/?facet=level").json()["facets"]["level"]}
    assert counts == {"district": 94, "appellate": 13, "supreme": 1}
    seventh = client.get("/api/v1/courts/?circuit=ca7&level=district&page_size=100").json()["results"]
    assert sorted(row["id"] for row in seventh) == ["ilcd", "ilnd", "ilsd", "innd", "insd", "wied", "wiwd"]


@pytest.mark.parametrize("path", ["/api/v1/cases/?court=ILND", "/api/v1/rulings/?court=nowhere"])
def test_an_unknown_court_is_a_400_listing_the_courts(client, world, path):
    response = client.get(path)
    assert response.status_code == 400
    message = response.json()["errors"]["court"][0]
    assert "Choose from:" in message and "ilnd" in message and "scotus" in message


def test_a_case_and_its_rulings_name_their_court(client, world):
    case = client.get("/api/v1/cases/chicago-v-sessions-ilnd/").json()
    ruling = client.get("/api/v1/rulings/ilnd-pi/").json()
    assert case["court"]["name"] == ruling["court"]["name"] == Court.objects.get(id="ilnd").name


def test_a_case_is_written_with_its_court_id_and_a_wrong_one_is_named(admin_client, world):
    body = {"slug": "new-case", "caption": "A v. B", "court": "cand", "docket_number": "3:25-cv-1", "status": "open"}
    body["sources"] = cited()
    created = admin_client.post("/api/v1/cases/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["court"]["id"] == "cand"
    wrong = admin_client.post(
        "/api/v1/cases/", {**body, "slug": "other", "court": "cnd"}, content_type="application/json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"court": ["No record with id 'cnd'."]}

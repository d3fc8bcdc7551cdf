"""The map's projection is d3's Albers USA, and places land in their own state's shape."""

import json
from pathlib import Path

import pytest

from cities.models import State
from reports import maps

# The suite's session fixtures build rows, so it needs a database even for tests that read none.
pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Computed by d3-geo 3.1.2 in Node: d3.geoAlbersUsa().scale(1300).translate([487.5, 305])([lon, lat]).
D3 = [
    ((-87.6298, 41.8781), (638.2196155652965, 226.11226483166013)),  # Chicago
    ((-149.9003, 61.2181), (112.277427569713, 544.2779162203778)),  # Anchorage, on Alaska's inset
    ((-157.8583, 21.3069), (266.95994676863154, 549.1903729395863)),  # Honolulu, on Hawaii's inset
    ((-122.4194, 37.7749), (34.84109325358304, 261.43554026274137)),  # San Francisco
]


@pytest.mark.parametrize("place, expected", D3)
def test_a_point_lands_where_d3_puts_it(place, expected):
    assert maps.albers_usa(*place) == pytest.approx(expected, abs=1e-9)


def test_a_place_outside_the_states_is_off_the_map():
    assert maps.albers_usa(-66.1, 18.4) is None  # San Juan, Puerto Rico: d3.geoAlbersUsa gives null too


def test_the_atlas_has_the_fifty_states_and_dc_by_their_names():
    names = {label for code, label in State.choices if code not in ("AS", "GU", "MP", "PR", "VI")}
    assert set(maps.states()) == names


def reference_places() -> list[dict]:
    records = [record for path in sorted(FIXTURES.glob("*.json")) for record in json.loads(path.read_text())]
    return [
        record["fields"]
        for record in records
        if record["model"] == "cities.jurisdiction" and record["fields"].get("latitude") is not None
    ]


def test_every_reference_place_lands_in_its_own_state():
    """Inside its state's shape; a county's Census internal point may lie in the county's lake waters (Milwaukee
    County's in Lake Michigan), which the cartographic boundaries leave out: then its own state is the nearest,
    within 10 units (some 50 km)."""
    places = reference_places()
    assert len(places) > 100
    misplaced = []
    for place in places:
        point = maps.albers_usa(float(place["longitude"]), float(place["latitude"]))
        state = State(place["state"]).label
        if point is None:
            misplaced.append((place["slug"], state, point))
        elif not maps.contains(maps.states()[state], point):
            distances = {name: distance(rings, point) for name, rings in maps.states().items()}
            if min(distances, key=distances.get) != state or distances[state] > 10:
                misplaced.append((place["slug"], state, point))
    assert misplaced == []


def test_a_point_is_in_one_state_only():
    chicago = maps.albers_usa(-87.6298, 41.8781)
    assert [name for name, rings in maps.states().items() if maps.contains(rings, chicago)] == ["Illinois"]


def distance(rings: list, point: tuple) -> float:
    """How far ``point`` is from the nearest edge of ``rings``."""
    px, py = point
    nearest = float("inf")
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            dx, dy = x1 - x0, y1 - y0
            t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy or 1)))
            nearest = min(nearest, ((x0 + t * dx - px) ** 2 + (y0 + t * dy - py) ** 2) ** 0.5)
    return nearest

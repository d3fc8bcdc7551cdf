"""The loaded places are map-ready, or say in their notes what is missing."""

from cities.models import Jurisdiction


def missing(place: Jurisdiction) -> list[str]:
    gaps = []
    if not place.fips:
        gaps.append("FIPS code")
    if place.latitude is None:
        gaps.append("representative point")
    if place.population is None:
        gaps.append("population")
    if place.parent_id is None and place.kind not in ("state", "federal_district"):
        gaps.append("parent")
    return gaps


def test_every_place_without_a_value_says_why_in_its_notes(loaded):
    unexplained = {}
    for place in Jurisdiction.objects.all():
        note = next((line for line in place.notes.splitlines() if line.startswith("Map data:")), "")
        silent = [gap for gap in missing(place) if gap not in note]
        if silent:
            unexplained[place.slug] = silent
    assert unexplained == {}


def test_a_point_has_both_coordinates_and_says_what_it_marks(loaded):
    points = Jurisdiction.objects.exclude(latitude=None, longitude=None, point_kind="")
    assert points.exists()
    for place in points:
        assert place.latitude is not None and place.longitude is not None and place.point_kind, place.slug
        # Every place in the record lies in the 50 states or DC: north of 18°N, west of 65°W.
        assert 18 < place.latitude < 72 and -180 < place.longitude < -65, place.slug


def test_a_county_code_begins_with_its_states_code(loaded):
    mismatched = [
        place.slug
        for place in Jurisdiction.objects.select_related("parent").filter(parent__kind="state").exclude(fips="")
        if place.parent.fips and not place.fips.startswith(place.parent.fips)
    ]
    assert mismatched == []


def test_every_place_below_a_state_has_its_state_as_parent(loaded):
    places = Jurisdiction.objects.exclude(kind__in=("state", "federal_district")).select_related("parent")
    orphans = [place.slug for place in places if place.parent is None]
    misplaced = [place.slug for place in places if place.parent and place.parent.state != place.state]
    assert (orphans, misplaced) == ([], [])


def test_every_state_has_its_two_digit_code_and_its_seat(loaded):
    states = Jurisdiction.objects.filter(kind="state")
    assert [s.slug for s in states if len(s.fips) != 2 or s.point_kind != "seat"] == []


def test_every_jurisdiction_can_be_placed_on_a_map(loaded):
    assert list(Jurisdiction.objects.filter(latitude=None).values_list("slug", flat=True)) == []

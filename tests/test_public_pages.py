"""The pages for people: the landing page at /, a page per jurisdiction, and their SVG pictures.

Every number a page shows is checked against the database or the API's own figures; every picture
is well-formed SVG with a bar or a point per figure, drawn where d3's projection puts a place.
"""

import re
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from cities.models import Jurisdiction
from letters.models import CourtCase, DesignationList, Event, GrantAward, Letter, Ruling
from reports import maps
from reports.views import SHORT_PROGRAMS
from tests import factories as f
from tracker.models import Source

SVG = "{http://www.w3.org/2000/svg}"
PROGRAMS, STATUSES = dict(GrantAward.Program.choices), dict(GrantAward.Status.choices)


class Tables(HTMLParser):
    """Each table's rows (their cells' text) by the table's id."""

    def __init__(self, html: str):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.current = self.tables.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def body_rows(html: str, table_id: str) -> list[list[str]]:
    return Tables(html).tables[table_id][1:]  # after the header row


def svg(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    # Drawn whole under the API's Content-Security-Policy (default-src 'none'): no script, no style.
    assert not [element for element in root.iter() if element.tag in (f"{SVG}script", f"{SVG}style")]
    assert not [element for element in root.iter() if "style" in element.attrib]
    return root


def bars(root) -> list[str]:
    """Each bar's own title (what it stands for and its number), top to bottom."""
    return [rect.find(f"{SVG}title").text for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]


@pytest.fixture
def placed(world):
    """The world's places with the points the reference data gives them."""
    points = {"chicago-il": (41.837, -87.685), "cook-county-il": (41.84, -87.82), "san-francisco-ca": (37.78, -122.42)}
    for slug, (latitude, longitude) in points.items():
        Jurisdiction.objects.filter(slug=slug).update(latitude=latitude, longitude=longitude)
    Jurisdiction.objects.filter(slug="california").update(latitude=38.58, longitude=-121.49)
    return world


def test_the_landing_page_counts_what_the_record_holds(client, world):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    counts = dict(re.findall(r'data-count="([-a-z]+)">(\d+)<', html))
    models = {
        "jurisdiction-list": Jurisdiction,
        "letter-list": Letter,
        "designationlist-list": DesignationList,
        "grantaward-list": GrantAward,
        "courtcase-list": CourtCase,
        "ruling-list": Ruling,
        "event-list": Event,
        "source-list": Source,
    }
    assert counts == {name: str(model.objects.count()) for name, model in models.items()}
    # The dates it covers: the OIG's list of May 2016 to the DOJ list of August 2025.
    assert 'from <time datetime="2016-05-31">31 May 2016</time> to <time datetime="2025-08-05">' in html


def test_the_landing_page_links_the_api_the_docs_the_sync_the_feeds_and_the_releases(client, world):
    html = client.get("/").content.decode()
    for link in (
        "/api/v1/",
        "/api/v1/docs/",
        "/api/v1/changes/?since=",
        "/api/v1/feeds/letters/",
        "/api/v1/feeds/rulings/",
        "/api/v1/feeds/designations/",
        "/api/v1/feeds/changes/",
        "/api/v1/dataset/",
    ):
        assert f'href="{link}' in html, link
    for picture in ("map-lists", "map-letters", "map-suits", "grants", "grants-by-year", "activity"):
        assert f'<img src="/charts/{picture}.svg" alt="' in html


def test_the_landing_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    # 8 counts and date ranges (jurisdictions, letters, designation lists, grants, cases, rulings, events,
    # sources), 3 activity counts by year (letters, cases, rulings), the places with their counts, the
    # grant figures, the latest releases
    with django_assert_num_queries(14):
        assert client.get("/").status_code == 200


def test_the_grants_table_has_the_rows_of_stats_grants(client, world):
    figures = client.get("/api/v1/stats/grants/").json()["results"]
    expected = [
        [
            row["state"],
            PROGRAMS[row["program"]],
            str(row["fiscal_year"]),
            STATUSES[row["status"]],
            str(row["rows"]),
            "—" if row["amount"] is None else f"{Decimal(str(row['amount'])):,.2f}",
        ]
        for row in figures
    ]
    assert len(expected) == 3
    assert body_rows(client.get("/").content.decode(), "grants") == expected


def test_the_activity_table_counts_letters_cases_and_rulings_by_year(client, world):
    letters = Counter(Letter.objects.values_list("sent_on__year", flat=True))
    cases = Counter(CourtCase.objects.values_list("filed_on__year", flat=True))
    rulings = Counter(Ruling.objects.values_list("decided_on__year", flat=True))
    years = range(min(letters | cases | rulings), max(letters | cases | rulings) + 1)
    expected = [[str(year), str(letters[year]), str(cases[year]), str(rulings[year])] for year in years]
    assert body_rows(client.get("/").content.decode(), "activity") == expected


def test_the_places_table_lists_each_place_with_its_lists_letters_and_suits(client, world):
    rows = body_rows(client.get("/").content.decode(), "places")
    assert rows == [
        ["City and County of San Francisco", "CA", "0", "0", "1"],
        ["City of Chicago", "IL", "2", "2", "2"],  # two lists, the two letters, the case and its appeal
        ["Cook County", "IL", "1", "0", "0"],
        ["State of California", "CA", "0", "1", "0"],
    ]
    assert '<a href="/places/chicago-il/">City of Chicago</a>' in client.get("/").content.decode()


def test_the_grants_chart_has_a_bar_per_state_and_program_largest_first(client, world):
    assert bars(svg(client, "/charts/grants.svg")) == [
        "California, Byrne JAG: $524.8K",
        "California, COPS: $17.7M",
        "Illinois, Byrne JAG: $2M",
    ]


def test_every_grant_program_has_a_short_name_for_a_legend():
    assert set(SHORT_PROGRAMS) == set(GrantAward.Program.values)


def test_the_grants_by_year_chart_sums_each_program_in_each_year(client, world):
    # FY2017: Chicago's and San Francisco's Byrne JAG awards; FY2018: California's COPS award.
    assert bars(svg(client, "/charts/grants-by-year.svg")) == ["FY2017, Byrne JAG: $2.5M", "FY2018, COPS: $17.7M"]


def test_the_activity_chart_has_a_bar_per_year_and_kind_that_happened(client, world):
    assert bars(svg(client, "/charts/activity.svg")) == [
        "2017, Letters sent: 1",
        "2017, Cases filed: 3",
        "2017, Rulings: 1",
        "2018, Letters sent: 1",
        "2018, Rulings: 2",
    ]


def circles(root) -> list[tuple[str, tuple[float, float]]]:
    return [
        (circle.find(f"{SVG}title").text, (float(circle.get("cx")), float(circle.get("cy"))))
        for circle in root.iter(f"{SVG}circle")
    ]


def shaded(root) -> list[str]:
    return [path.find(f"{SVG}title").text for path in root.iter(f"{SVG}path") if "shaded" in path.get("class")]


def test_each_map_draws_the_places_it_is_about(client, placed):
    suits = svg(client, "/charts/map-suits.svg")
    assert sorted(title for title, _ in circles(suits)) == [
        "City and County of San Francisco: 1 lawsuits it is a party to",
        "City of Chicago: 2 lawsuits it is a party to",
    ]
    assert shaded(suits) == []
    letters = svg(client, "/charts/map-letters.svg")
    assert [title for title, _ in circles(letters)] == ["City of Chicago: 2 DOJ letters received"]
    assert shaded(letters) == ["State of California: 1 DOJ letters received"]  # a state is its shape
    lists = svg(client, "/charts/map-lists.svg")
    assert sorted(title for title, _ in circles(lists)) == [
        "City of Chicago: 2 designation lists naming it",
        "Cook County: 1 designation lists naming it",
    ]
    assert len(lists.findall(f".//{SVG}path")) == 51  # the states and DC


def test_a_place_is_drawn_inside_its_state(client, placed):
    for title, point in circles(svg(client, "/charts/map-suits.svg")):
        state = "Illinois" if "Chicago" in title else "California"
        assert maps.contains(maps.states()[state], point), title


def test_a_place_page_shows_its_facts_and_counts(client, world):
    response = client.get("/places/chicago-il/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>City of Chicago</h1>" in html
    assert '<a href="/places/illinois/">State of Illinois</a>' in html
    assert "2,746,388 (2020)" in html
    counts = dict(re.findall(r'data-count="([a-z]+)">(\d+)<', html))
    assert counts == {"lists": "2", "letters": "2", "suits": "2"}
    assert 'href="http://testserver/api/v1/jurisdictions/chicago-il/"' in html
    assert '<img src="/places/chicago-il/map.svg"' in html and '<img src="/places/chicago-il/grants.svg"' in html


def test_a_place_page_shows_its_timeline_with_its_sources(client, world):
    source = Source.objects.create(url="https://example.org/demands", title="DOJ demands documents")
    Letter.objects.get(slug="2018-01-24-demands").sources.add(source)
    entries = client.get("/api/v1/jurisdictions/chicago-il/timeline/").json()["entries"]
    html = client.get("/places/chicago-il/").content.decode()
    entry_pattern = r'<time datetime="(\d{4}-\d\d-\d\d)">[^<]*</time>\s*<div><p class="what"><a href="([^"]+)">'
    shown = re.findall(entry_pattern, html)
    assert shown == [(entry["date"], entry["url"]) for entry in entries]
    assert '<a href="https://example.org/demands">DOJ demands documents</a>' in html


def test_a_place_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    # the place with its parent, sources and counts; 8 timeline kinds (letters, designations, grants, cases,
    # rulings, events, policies, officials); its grant figures
    with django_assert_num_queries(10):
        assert client.get("/places/chicago-il/").status_code == 200


def test_a_place_pages_grant_table_has_its_rows_of_stats_grants(client, world):
    html = client.get("/places/chicago-il/").content.decode()
    award = GrantAward.objects.get(jurisdiction__slug="chicago-il")
    program, status = PROGRAMS[award.program], STATUSES[award.status]
    assert body_rows(html, "grants") == [["IL", program, "2017", status, "1", "2,019,194.00"]]
    assert bars(svg(client, "/places/chicago-il/grants.svg")) == ["FY2017, Byrne JAG: $2M"]


def test_a_place_map_marks_the_place_in_its_state(client, placed):
    root = svg(client, "/places/chicago-il/map.svg")
    [(title, point)] = circles(root)
    assert title == "City of Chicago: 2 designation lists, 2 DOJ letters, 2 lawsuits"
    assert maps.contains(maps.states()["Illinois"], point)
    assert shaded(root) == ["Illinois"]


def test_a_states_map_shades_the_state(client, placed):
    root = svg(client, "/places/california/map.svg")
    assert circles(root) == []
    assert shaded(root) == ["State of California: 0 designation lists, 1 DOJ letters, 0 lawsuits"]


def test_an_unknown_place_is_a_404(client, world):
    for url in ("/places/atlantis/", "/places/atlantis/map.svg", "/places/atlantis/grants.svg"):
        assert client.get(url).status_code == 404, url


def test_a_renamed_place_answers_its_earlier_address_with_a_301(client, world):
    chicago = Jurisdiction.objects.get(slug="chicago-il")
    chicago.slug = "city-of-chicago-il"
    chicago.save()
    for old, new in (("/places/chicago-il/", "/places/city-of-chicago-il/"), ("/places/chicago-il/map.svg", None)):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "http://testserver" + (new or "/places/city-of-chicago-il/map.svg")


def test_each_jurisdiction_links_its_page(client, world):
    results = client.get("/api/v1/jurisdictions/?page_size=100").json()["results"]
    assert [row["html_url"] for row in results] == [f"http://testserver/places/{row['slug']}/" for row in results]
    for row in results:
        assert client.get(row["html_url"]).status_code == 200, row["slug"]


def test_the_pages_refuse_writes(client, world):
    assert client.post("/").status_code == 405
    assert client.post("/charts/grants.svg").status_code == 405


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("path", ["/charts/grants.svg", "/", "/places/springfield-il/"])
def test_a_page_or_picture_is_kept_until_the_record_changes(client, django_assert_num_queries, path):
    place = f.JurisdictionFactory(slug="springfield-il", name="Springfield", state="IL")
    award = f.GrantAwardFactory(jurisdiction=place, amount=Decimal("1000.00"))
    first = client.get(path)
    with django_assert_num_queries(1):  # the data version
        again = client.get(path)
    assert (again.status_code, again.content, again["Content-Type"]) == (200, first.content, first["Content-Type"])
    award.amount = Decimal("2000.00")
    award.save()
    assert client.get(path).content != first.content

import datetime

import feedparser
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from reports.changes import TRACKED
from tests import factories as f
from tests.conftest import iso

pytestmark = pytest.mark.django_db


def read(response) -> feedparser.FeedParserDict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


@pytest.fixture
def places(db):
    # No sources: citing one is a change of its own in the history.
    chicago = f.JurisdictionFactory(slug="chicago-il", name="City of Chicago", sources=[])
    cook = f.JurisdictionFactory(slug="cook-county-il", name="Cook County", kind="county", sources=[])
    return chicago, cook


def test_the_changes_feed_lists_every_change_newest_first(client, places):
    letter = f.LetterFactory(slug="2018-01-24-demands", subject="Document demand", sources=[])
    letter.subject = "Document demand with subpoena threat"
    letter.save()

    feed = read(client.get("/api/v1/feeds/changes/?model=letter,jurisdiction"))

    assert titles(feed) == [
        "Letter 2018-01-24-demands changed",
        "Letter 2018-01-24-demands created",
        "Jurisdiction cook-county-il created",
        "Jurisdiction chicago-il created",
    ]
    assert feed.entries[0].summary == "Document demand with subpoena threat"
    # A page a person can read: the record laid out by the browsable API (a place: its own page).
    assert feed.entries[0].link == "http://testserver/api/v1/letters/2018-01-24-demands/?format=api"
    assert feed.entries[0].id != feed.entries[1].id


def test_the_changes_feed_narrows_to_changes_about_one_jurisdiction(client, places):
    chicago, cook = places
    to_chicago = f.LetterFactory(slug="to-chicago", sources=[])
    f.LetterRecipientFactory(letter=to_chicago, jurisdiction=chicago, sources=[])
    f.LetterFactory(slug="to-nobody", sources=[])
    chicago_grant = f.GrantAwardFactory(jurisdiction=chicago, sources=[])
    f.GrantAwardFactory(jurisdiction=cook, sources=[])

    feed = read(client.get("/api/v1/feeds/changes/?jurisdiction=chicago-il&model=jurisdiction,letter&model=grant"))

    assert sorted(titles(feed)) == [
        f"Grant award {chicago_grant.pk} created",
        "Jurisdiction chicago-il created",
        "Letter to-chicago created",
    ]


def test_the_changes_feed_starts_at_since(client, places):
    since = timezone.now()
    f.PolicyFactory(slug="welcoming-city", jurisdiction=places[0], sources=[])

    feed = read(client.get(f"/api/v1/feeds/changes/?since={iso(since)}"))

    assert titles(feed) == ["Policy welcoming-city created"]


def test_the_changes_feed_never_names_the_editor(client, places):
    zelda = User.objects.create_user("zelda-quartermaine", first_name="Zelda", last_name="Quartermaine")
    letter = f.LetterFactory(slug="2018-01-24-demands")
    letter._history_user = zelda
    letter.summary = "Edited by an editor."
    letter.save()

    response = client.get("/api/v1/feeds/changes/")

    assert "Letter 2018-01-24-demands changed" in titles(read(response))
    assert b"zelda" not in response.content.lower()
    assert b"quartermaine" not in response.content.lower()


def test_the_changes_feed_runs_one_query_per_kind_of_record(client, places, django_assert_num_queries):
    with django_assert_num_queries(len(TRACKED)):
        read(client.get("/api/v1/feeds/changes/"))


@pytest.mark.parametrize(
    ("query", "name"),
    [("model=letters", "model"), ("jurisdiction=not a slug", "jurisdiction"), ("since=soon", "since"), ("x=1", "x")],
)
def test_the_changes_feed_rejects_bad_filters_with_json_naming_them(client, db, query, name):
    response = client.get(f"/api/v1/feeds/changes/?{query}", HTTP_ACCEPT="application/atom+xml")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == [name]


def test_a_jurisdictions_timeline_feed_holds_its_timeline_newest_first(client, world, django_assert_num_queries):
    timeline = client.get("/api/v1/jurisdictions/chicago-il/timeline/").json()["entries"]

    # the jurisdiction, then the timeline's: one per kind of record, its sources read with it
    with django_assert_num_queries(9):
        feed = read(client.get("/api/v1/feeds/jurisdictions/chicago-il/"))

    assert feed.feed.title == "City of Chicago: timeline"
    assert titles(feed) == [f"{entry['date']}: {entry['title']}" for entry in reversed(timeline)]
    assert feed.entries[0].updated == f"{timeline[-1]['date']}T00:00:00+00:00"


def test_a_timeline_feed_of_an_unknown_jurisdiction_is_a_json_404(client, db):
    response = client.get("/api/v1/feeds/jurisdictions/atlantis/")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_the_new_letters_feed_lists_letters_newest_first(client, db, django_assert_num_queries):
    f.LetterFactory(slug="first", subject="Validate compliance", sent_on=datetime.date(2017, 4, 21))
    f.LetterFactory(slug="second", subject="Document demand", sent_on=datetime.date(2018, 1, 24), summary="Produce.")

    with django_assert_num_queries(1):
        feed = read(client.get("/api/v1/feeds/letters/"))

    assert titles(feed) == ["Document demand (2018-01-24)", "Validate compliance (2017-04-21)"]
    assert feed.entries[0].link == "http://testserver/api/v1/letters/second/?format=api"
    assert feed.entries[0].summary == "Produce."


def test_the_new_rulings_and_designations_feeds_list_them(client, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rulings = read(client.get("/api/v1/feeds/rulings/"))
    with django_assert_num_queries(1):
        designations = read(client.get("/api/v1/feeds/designations/"))

    assert [entry.link.split("/")[-2] for entry in rulings.entries] == ["cand-sj", "ca7-affirmed", "ilnd-pi"]
    assert titles(designations) == [
        "Cook County on DOJ list (2025-08-05)",
        "City of Chicago on DOJ list (2025-08-05)",
        "City of Chicago on OIG memorandum (2016-05-31)",
    ]
    assert designations.entries[1].summary.endswith("(disputed)")


def test_each_jurisdiction_links_its_feeds(client, world):
    feeds = client.get("/api/v1/jurisdictions/chicago-il/").json()["feeds"]

    assert feedparser.parse(client.get(feeds["timeline"]).content).feed.title == "City of Chicago: timeline"
    assert not read(client.get(feeds["changes"])).bozo


FEEDS = [
    "/api/v1/feeds/changes/",
    "/api/v1/feeds/letters/",
    "/api/v1/feeds/rulings/",
    "/api/v1/feeds/designations/",
    "/api/v1/feeds/jurisdictions/chicago-il/",
]


@pytest.mark.parametrize("path", FEEDS)
def test_every_link_in_a_feed_starts_with_the_public_base_url(client, world, settings, path):
    settings.PUBLIC_BASE_URL = "https://tracker.example.org"

    feed = read(client.get(path))

    links = [link.href for link in feed.feed.links] + [link.href for entry in feed.entries for link in entry.links]
    assert feed.entries
    assert {"/".join(link.split("/")[:3]) for link in [*links, feed.feed.id]} == {"https://tracker.example.org"}


def test_the_changes_feed_gives_each_changes_reason_and_the_review_state_it_left(client, places):
    letter = f.LetterFactory(slug="2018-01-24-demands", subject="Document demand", review_state="published")
    letter.subject = "Document demand with subpoena threat"
    letter._change_reason = "The subject as the letter words it"
    letter.save()

    entries = read(client.get("/api/v1/feeds/changes/?model=letter")).entries
    changed, created = entries[0], entries[-1]

    assert changed.summary == "Document demand with subpoena threat\n\nReason: The subject as the letter words it"
    assert [tag.term for tag in changed.tags] == ["published"]  # the live tables hold published records
    assert created.summary == "Document demand"
    assert [tag.term for tag in created.tags] == ["published"]


def test_feeds_share_the_apis_throttles(client, db, settings):
    rates = {"anon_minute": "2/min", "anon_day": "100/day", "user_minute": "3/min", "user_day": "100/day"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    statuses = [client.get("/api/v1/feeds/letters/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/feeds/changes/").json()["error"] == "throttled"


def links(feed) -> dict[str, str]:
    return {link.rel: link.href for link in feed.feed.links if link.rel in ("first", "previous", "next")}


def test_a_feed_is_paged_with_rfc_5005_links_and_no_entry_twice(client, db):
    for number in range(53):
        f.LetterFactory(slug=f"letter-{number:02d}", subject=f"Letter {number:02d}")

    first = read(client.get("/api/v1/feeds/letters/"))
    assert len(first.entries) == 50
    assert links(first) == {
        "first": "http://testserver/api/v1/feeds/letters/",
        "next": "http://testserver/api/v1/feeds/letters/?page=2",
    }
    second = read(client.get(links(first)["next"]))
    assert links(second) == {
        "first": "http://testserver/api/v1/feeds/letters/",
        "previous": "http://testserver/api/v1/feeds/letters/",
    }
    seen = [entry.link for entry in first.entries + second.entries]
    assert sorted(seen) == sorted(
        f"http://testserver/api/v1/letters/letter-{number:02d}/?format=api" for number in range(53)
    )


def test_the_changes_feed_pages_keep_its_filters(client, places):
    chicago, _ = places
    for number in range(60):
        f.GrantAwardFactory(jurisdiction=chicago, fiscal_year=1990 + number, sources=[])

    first = read(client.get("/api/v1/feeds/changes/?jurisdiction=chicago-il&model=grant,jurisdiction"))
    second = read(client.get(links(first)["next"]))

    assert (
        links(first)["next"]
        == "http://testserver/api/v1/feeds/changes/?jurisdiction=chicago-il&model=grant%2Cjurisdiction&page=2"
    )
    assert (len(first.entries), len(second.entries)) == (50, 11) and "next" not in links(second)
    assert not {entry.id for entry in first.entries} & {entry.id for entry in second.entries}


# A superscript two reads as a digit to str.isdigit but not to int(); a page past sys.maxsize entries
# overflowed islice: both were 500s.
@pytest.mark.parametrize("page", ["0", "-1", "two", "", "%C2%B2", "1" + "0" * 20])
def test_a_page_that_is_not_a_page_number_is_a_json_400(client, db, page):
    response = client.get(f"/api/v1/feeds/letters/?page={page}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page"]


def test_feed_entries_link_to_pages_a_person_can_read(client, world):
    timeline = read(client.get("/api/v1/feeds/jurisdictions/chicago-il/"))
    assert timeline.feed.link == "http://testserver/places/chicago-il/"
    page = client.get("/places/chicago-il/").content.decode()
    for entry in timeline.entries:
        place, _, anchor = entry.link.partition("#")
        assert place == "http://testserver/places/chicago-il/" and f'id="{anchor}"' in page

    changes = read(client.get("/api/v1/feeds/changes/?model=jurisdiction,letter"))
    pages = {entry.link for entry in changes.entries}
    assert "http://testserver/places/chicago-il/" in pages
    assert "http://testserver/api/v1/letters/2018-01-24-demands/?format=api" in pages
    browsable = client.get("/api/v1/letters/2018-01-24-demands/?format=api")
    assert browsable.status_code == 200 and browsable["Content-Type"].startswith("text/html")


def test_the_changes_feed_about_a_place_not_in_the_record_is_empty_as_a_list_would_be(client, places):
    assert read(client.get("/api/v1/feeds/changes/?jurisdiction=atlantis")).entries == []
    assert client.get("/api/v1/letters/?recipient=atlantis").json()["results"] == []

"""/api/v1/sources/: each filter, the detail by id, search and the cost in queries."""

import datetime

import pytest

from tests import factories as f
from tests.conftest import iso, publish, slugs
from tracker.models import Source

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return slugs(response, key="title")


@pytest.fixture
def sources(world):
    """Five sources that differ in kind, publisher, date and provenance; every record of the world adds a news report
    by Example Publisher dated 2018-01-24."""
    return {
        "complaint": f.SourceFactory(
            url="https://www.courtlistener.com/docket/6144379/",
            title="Complaint for declaratory relief",
            publisher="U.S. District Court for the Northern District of California",
            kind=Source.Kind.COURT_FILING,
            published_on=datetime.date(2017, 8, 11),
            provenance=Source.Provenance.ORIGINAL,
        ),
        "opinion": f.SourceFactory(
            url="https://www.courtlistener.com/opinion/4480120/",
            title="Opinion granting preliminary injunction",
            publisher="U.S. District Court for the Northern District of Illinois",
            kind=Source.Kind.OPINION,
            published_on=datetime.date(2017, 9, 15),
            provenance=Source.Provenance.ORIGINAL,
        ),
        "release": f.SourceFactory(
            url="https://www.justice.gov/opa/pr/justice-department-demands-documents",
            title="Justice Department demands documents",
            publisher="U.S. Department of Justice",
            kind=Source.Kind.PRESS_RELEASE,
            published_on=datetime.date(2018, 1, 24),
            provenance=Source.Provenance.ORIGINAL,
        ),
        "report": f.SourceFactory(
            url="https://www.chicagotribune.com/mayors-skip-meeting",
            title="Mayors skip White House meeting",
            publisher="Chicago Tribune",
            kind=Source.Kind.NEWS,
            published_on=datetime.date(2018, 1, 25),
            provenance=Source.Provenance.REPORT,
        ),
        "memo": f.SourceFactory(
            url="https://example.org/undated-memo",
            title="Undated memo",
            publisher="",
            kind=Source.Kind.OTHER,
            published_on=None,
            provenance=Source.Provenance.COPY,
            copy_of="https://www.justice.gov/memo",
            copy_of_read=True,
        ),
    }


def test_the_unfiltered_list_holds_every_source(client, sources):
    assert len(client.get("/api/v1/sources/?page_size=1000").json()["results"]) == Source.objects.count()


def test_kind_keeps_that_kind_of_source(client, sources):
    assert titles(client.get("/api/v1/sources/?kind=opinion")) == ["Opinion granting preliminary injunction"]


def test_kind_takes_a_comma_list(client, sources):
    response = client.get("/api/v1/sources/?kind=opinion,press_release")
    assert titles(response) == ["Justice Department demands documents", "Opinion granting preliminary injunction"]


def test_kind_not_leaves_that_kind_out(client, sources):
    # Every other source is a news report.
    response = client.get("/api/v1/sources/?kind__not=news")
    assert titles(response) == [
        "Complaint for declaratory relief",
        "Justice Department demands documents",
        "Opinion granting preliminary injunction",
        "Undated memo",
    ]


def test_publisher_matches_part_of_the_publishers_name_in_any_case(client, sources):
    response = client.get("/api/v1/sources/?publisher=district%20court")
    assert titles(response) == ["Complaint for declaratory relief", "Opinion granting preliminary injunction"]


def test_published_after_keeps_the_later_sources_and_drops_the_undated(client, sources):
    assert titles(client.get("/api/v1/sources/?published_after=2018-01-25")) == ["Mayors skip White House meeting"]


def test_published_before_keeps_the_earlier_sources_and_drops_the_undated(client, sources):
    response = client.get("/api/v1/sources/?published_before=2017-12-31")
    assert titles(response) == ["Complaint for declaratory relief", "Opinion granting preliminary injunction"]


def test_updated_since_keeps_the_sources_changed_since(client, sources):
    Source.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    Source.objects.filter(pk=sources["memo"].pk).update(updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC))
    assert titles(client.get("/api/v1/sources/?updated_since=2025-01-01T00:00:00Z")) == ["Undated memo"]


def test_search_finds_a_source_by_a_word_of_its_title(client, sources):
    assert titles(client.get("/api/v1/sources/?search=injunction")) == ["Opinion granting preliminary injunction"]


def test_search_finds_a_source_by_a_word_of_its_publisher(client, sources):
    assert titles(client.get("/api/v1/sources/?search=Tribune")) == ["Mayors skip White House meeting"]


def test_the_detail_by_id_shows_every_field(client, sources):
    release = Source.objects.get(pk=sources["release"].pk)
    response = client.get(f"/api/v1/sources/{release.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": release.pk,
        "url": f"http://testserver/api/v1/sources/{release.pk}/",
        "link": "https://www.justice.gov/opa/pr/justice-department-demands-documents",
        "title": "Justice Department demands documents",
        "publisher": "U.S. Department of Justice",
        "published_on": "2018-01-24",
        "kind": "press_release",
        "provenance": "original",
        "copy_of": "",
        "copy_of_read": False,
        "archived_url": "",
        "accessed_on": None,
        "notes": "",
        "created_at": iso(release.created_at),
        "updated_at": iso(release.updated_at),
        "review_state": "published",
        "checked_at": None,
    }


@pytest.mark.parametrize("url, size", [("/api/v1/sources/?page_size=1", 1), ("/api/v1/sources/?page_size=100", 100)])
def test_the_list_costs_the_same_queries_whatever_the_page_size(client, sources, django_assert_num_queries, url, size):
    for _ in range(6):
        f.SourceFactory()
    # 1 page of sources
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(response.json()["results"]) == min(size, Source.objects.count())


# Protected citations ------------------------------------------------------------------------------


@pytest.fixture
def cited(world):
    """A source cited by the January letter and by Chicago's recipient row of it."""
    from letters.models import Letter

    source = f.SourceFactory(title="DOJ press release on document demands")
    letter = Letter.objects.get(slug="2018-01-24-demands")
    letter.sources.add(source)
    letter.letter_recipients.get(jurisdiction__slug="chicago-il").sources.add(source)
    return source


@pytest.fixture
def superuser_client(db):
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    admin = User.objects.create_superuser("admin", password="x")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    return client


def test_deleting_a_cited_source_is_a_409_naming_the_records_that_cite_it(superuser_client, cited):
    response = superuser_client.delete(f"/api/v1/sources/{cited.pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "status": 409,
        "error": "conflict",
        "detail": "Other records depend on this one: Document demand with subpoena threat (2018-01-24); "
        "Document demand with subpoena threat (2018-01-24) → City of Chicago.",
    }
    assert Source.objects.filter(pk=cited.pk).exists()
    assert [len(record.sources.filter(pk=cited.pk)) for record in cited.citing()] == [1, 1]


def test_an_uncited_source_can_be_deleted(superuser_client, world):
    source = f.SourceFactory()
    assert superuser_client.delete(f"/api/v1/sources/{source.pk}/").status_code == 204
    assert not Source.objects.filter(pk=source.pk).exists()


def test_the_admin_will_not_delete_a_cited_source_either(admin_client, cited):
    page = admin_client.get(f"/admin/tracker/source/{cited.pk}/delete/")
    assert "would require deleting the following protected related objects" in page.content.decode()
    assert "Letter: Document demand with subpoena threat (2018-01-24)" in page.content.decode()
    admin_client.post(f"/admin/tracker/source/{cited.pk}/delete/", {"post": "yes"})
    bulk = {"action": "delete_selected", "_selected_action": [cited.pk], "post": "yes"}
    admin_client.post("/admin/tracker/source/", bulk)
    assert Source.objects.filter(pk=cited.pk).exists()


def test_editing_a_source_moves_the_updated_at_of_the_records_citing_it(editor_client, cited, client, checker):
    letter_before = client.get("/api/v1/letters/2018-01-24-demands/")
    other_before = client.get("/api/v1/letters/2017-04-21-letters/")["ETag"]
    since = letter_before.json()["updated_at"]

    edit = {"title": "Corrected title", "change_reason": "The title as the page gives it"}
    response = editor_client.patch(f"/api/v1/sources/{cited.pk}/", edit, format="json")
    assert response.status_code == 200
    publish(checker, Source, url=cited.url)

    letter_after = client.get("/api/v1/letters/2018-01-24-demands/")
    assert letter_after.json()["updated_at"] > since
    assert letter_after["ETag"] != letter_before["ETag"]
    assert client.get("/api/v1/letters/2017-04-21-letters/")["ETag"] == other_before
    changed = slugs(client.get("/api/v1/letters/", {"updated_since": letter_after.json()["updated_at"]}))
    assert changed == ["2018-01-24-demands"]


def test_provenance_keeps_the_sources_of_that_grade(client, sources):
    assert titles(client.get("/api/v1/sources/?provenance=report")) == ["Mayors skip White House meeting"]
    assert titles(client.get("/api/v1/sources/?provenance=original,report")) == titles(
        client.get("/api/v1/sources/?provenance__not=copy")
    )
    assert len(titles(client.get("/api/v1/sources/?provenance=original,report"))) == 4


def test_copy_of_read_keeps_the_copies_whose_original_was_read(client, sources):
    assert titles(client.get("/api/v1/sources/?copy_of_read=true")) == ["Undated memo"]


def test_an_unknown_provenance_is_a_400_naming_the_choices(client, sources):
    response = client.get("/api/v1/sources/?provenance=mirror")
    assert response.status_code == 400
    assert "original, report, copy" in str(response.json())


def test_a_source_written_without_a_grade_is_a_copy_naming_no_original(editor_client, checker):
    body = {"link": "https://example.org/new-source", "title": "New source", "kind": "news"}
    response = editor_client.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 201, response.content
    assert [response.json()[name] for name in ("provenance", "copy_of", "copy_of_read")] == ["copy", "", False]
    source = publish(checker, Source, url="https://example.org/new-source")
    assert (source.provenance, source.copy_of, source.copy_of_read) == ("copy", "", False)


def test_a_copy_names_its_original_and_whether_it_was_read(editor_client, checker):
    body = {
        "link": "https://www.scribd.com/document/1/complaint",
        "title": "Complaint (Scribd)",
        "kind": "court_filing",
        "provenance": "copy",
        "copy_of": "https://www.courtlistener.com/docket/1/",
        "copy_of_read": True,
    }
    assert editor_client.post("/api/v1/sources/", body, format="json").status_code == 201
    source = publish(checker, Source, url=body["link"])
    assert (source.copy_of, source.copy_of_read) == ("https://www.courtlistener.com/docket/1/", True)


@pytest.mark.parametrize(
    "grade",
    [
        {"provenance": "original", "copy_of": "https://www.justice.gov/x"},
        {"provenance": "report", "copy_of_read": True},
        {"provenance": "copy", "copy_of_read": True},
        {"provenance": "copy", "copy_of": "https://example.org/itself"},
    ],
)
def test_only_a_copy_names_an_original_and_only_one_it_names_was_read(editor_client, grade):
    body = {"link": "https://example.org/itself", "title": "A source", "kind": "news", **grade}
    response = editor_client.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 400, response.content
    assert "copy_of" in str(response.json()["errors"])

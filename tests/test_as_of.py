import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from letters.models import GrantAward, Letter
from tests import factories as f
from tests.conftest import iso, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_letter(db):
    """A letter whose subject changed, and the time between the two versions."""
    letter = f.LetterFactory(slug="2018-01-24-demands", subject="Document demand")
    chicago = f.JurisdictionFactory(slug="chicago-il", name="City of Chicago")
    f.LetterRecipientFactory(letter=letter, jurisdiction=chicago)
    between = timezone.now()
    letter.subject = "Document demand with subpoena threat"
    letter.save()
    return letter, between


def test_as_of_before_an_edit_gives_the_old_value_and_after_it_the_new_one(client, edited_letter):
    _, between = edited_letter

    before = client.get(f"/api/v1/letters/2018-01-24-demands/?as_of={iso(between)}")
    after = client.get(f"/api/v1/letters/2018-01-24-demands/?as_of={iso(timezone.now())}")

    assert before.status_code == 200
    assert before.json()["subject"] == "Document demand"
    assert after.json()["subject"] == "Document demand with subpoena threat"


def test_the_answer_says_the_time_it_reflects(client, edited_letter):
    _, between = edited_letter

    detail = client.get(f"/api/v1/letters/2018-01-24-demands/?as_of={iso(between)}")
    listed = client.get(f"/api/v1/letters/?as_of={iso(between)}")

    assert detail["Memento-Datetime"] == listed["Memento-Datetime"] == between.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert listed.json()["as_of"] == iso(between)


def test_a_record_created_later_is_absent_and_one_deleted_later_is_present(client, db):
    kept = f.LetterFactory(slug="kept")
    deleted = f.LetterFactory(slug="deleted")
    between = timezone.now()
    f.LetterFactory(slug="created-later")
    deleted.delete()

    then = client.get(f"/api/v1/letters/?as_of={iso(between)}&ordering=slug")
    gone = client.get(f"/api/v1/letters/deleted/?as_of={iso(between)}")
    unborn = client.get(f"/api/v1/letters/created-later/?as_of={iso(between)}")

    assert slugs(then) == ["deleted", kept.slug]
    assert gone.json()["slug"] == "deleted"
    assert unborn.status_code == 404
    assert slugs(client.get("/api/v1/letters/?ordering=slug")) == ["created-later", "kept"]


def test_a_letters_recipients_are_read_as_they_stood(client, edited_letter):
    letter, between = edited_letter
    f.LetterRecipientFactory(letter=letter, jurisdiction=f.JurisdictionFactory(slug="cook-county-il"))

    then = client.get(f"/api/v1/letters/2018-01-24-demands/?as_of={iso(between)}").json()
    now = client.get("/api/v1/letters/2018-01-24-demands/").json()

    assert [row["jurisdiction"]["slug"] for row in then["recipients"]] == ["chicago-il"]
    assert [row["jurisdiction"]["slug"] for row in now["recipients"]] == ["chicago-il", "cook-county-il"]


@pytest.mark.parametrize("export", ["/", ".csv"])
def test_child_rows_are_listed_as_they_stood_with_their_parents_date(client, edited_letter, export):
    letter, between = edited_letter
    recipient = letter.letter_recipients.get()
    recipient.determination = "non_compliant"
    recipient.save()
    f.LetterRecipientFactory(letter=letter, jurisdiction=f.JurisdictionFactory(slug="cook-county-il"))
    query = f"as_of={iso(between)}&ordering=-sent_on&fields=jurisdiction,determination,sent_on"

    then = client.get(f"/api/v1/letter-recipients{export}?{query}")
    now = client.get(f"/api/v1/letter-recipients{export}?{query.partition('&')[2]}")

    assert then.status_code == now.status_code == 200
    if export == "/":
        assert [(row["jurisdiction"]["slug"], row["determination"]) for row in then.json()["results"]] == [
            ("chicago-il", "pending")
        ]
        assert then.json()["results"][0]["sent_on"] == letter.sent_on.isoformat()
        assert len(now.json()["results"]) == 2
    else:
        then_csv, now_csv = (b"".join(answer.streaming_content).decode() for answer in (then, now))
        assert len(then_csv.splitlines()) == 2  # a header and Chicago's row
        assert "pending" in then_csv
        assert "non_compliant" in now_csv


def test_filters_match_the_values_as_they_stood(client, db):
    grant = f.GrantAwardFactory(status=GrantAward.Status.WITHHELD, fiscal_year=2017)
    between = timezone.now()
    grant.status = GrantAward.Status.RELEASED_BY_COURT_ORDER
    grant.save()

    then = client.get(f"/api/v1/grants/?as_of={iso(between)}&status=withheld")
    now = client.get("/api/v1/grants/?status=withheld")

    assert slugs(then, "id") == [grant.pk]
    assert slugs(now, "id") == []


def test_a_filter_across_recipients_reads_the_recipients_as_they_stood(client, edited_letter):
    letter, between = edited_letter
    letter.letter_recipients.get().delete()

    then = client.get(f"/api/v1/letters/?as_of={iso(between)}&recipient=chicago-il")
    now = client.get("/api/v1/letters/?recipient=chicago-il")

    assert slugs(then) == ["2018-01-24-demands"]
    assert slugs(now) == []


def test_pages_of_a_past_list_hold_every_record_once(client, db):
    for day in (1, 2, 2, 3):
        f.LetterFactory(sent_on=datetime.date(2018, 1, day))
    between = timezone.now()
    Letter.objects.all().delete()

    seen, url = [], f"/api/v1/letters/?as_of={iso(between)}&page_size=1&ordering=sent_on"
    while url:
        body = client.get(url).json()
        seen += [row["sent_on"] for row in body["results"]]
        url = body["next"]

    assert seen == ["2018-01-01", "2018-01-02", "2018-01-02", "2018-01-03"]


def test_pages_of_a_past_list_ordered_by_a_column_that_may_be_empty_hold_every_record(client, db):
    unknown, ten, unknown_too, five = (f.GrantAwardFactory(amount=amount) for amount in (None, 10, None, 5))
    between = timezone.now()
    GrantAward.objects.update(amount=Decimal("1.00"))

    seen, url = [], f"/api/v1/grants/?as_of={iso(between)}&page_size=1&ordering=amount"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]

    assert seen == [unknown.pk, unknown_too.pk, five.pk, ten.pk]


def test_a_past_list_streams_as_csv(client, edited_letter):
    _, between = edited_letter

    response = client.get(f"/api/v1/letters/?as_of={iso(between)}&format=csv&fields=slug,subject")

    assert b"".join(response.streaming_content).decode() == "slug,subject\r\n2018-01-24-demands,Document demand\r\n"
    assert response["Memento-Datetime"] == between.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_a_past_list_runs_as_many_queries_as_a_present_one(client, edited_letter, django_assert_num_queries):
    _, between = edited_letter
    # when the history begins (as_of is checked against it); letters with their sources, their recipients
    # with jurisdictions and sources: as a present list
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/letters/?as_of={iso(between)}")
    assert slugs(response) == ["2018-01-24-demands"]


@pytest.mark.parametrize("value", ["yesterday", "2018-13-01", "2018-01-24T25:00:00Z", "0001-01-01T00:00:00+14:00"])
def test_it_rejects_a_time_it_cannot_read_naming_as_of(client, db, value):
    response = client.get("/api/v1/letters/", {"as_of": value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["as_of"]


def test_a_write_cannot_be_made_as_of_a_past_time(editor_client, edited_letter):
    response = editor_client.patch(
        "/api/v1/letters/2018-01-24-demands/?as_of=2018-01-24", {"summary": "x"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["as_of"]
    assert Letter.objects.get().summary == ""


@pytest.mark.parametrize("url", ["/api/v1/courts/?as_of=2018-01-24", "/api/v1/courts/ca7/?as_of=2018-01-24"])
def test_as_of_is_refused_naming_it_where_no_history_is_kept(client, db, url):
    response = client.get(url)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["as_of"]


@pytest.mark.parametrize("path", ["/api/v1/letters/", "/api/v1/letters/2018-01-24-demands/", "/api/v1/letters.csv"])
def test_a_time_before_the_history_begins_is_a_400_naming_the_first_time(client, edited_letter, path):
    first = Letter.history.order_by("history_date").first().history_date
    response = client.get(path, {"as_of": "1999-01-01"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "as_of": [f"The history begins at {iso(first)}, when the data was loaded; ask for that time or later."]
    }


@pytest.mark.parametrize("value", ["9999-12-31", "9999-12-31T23:59:59.999999Z", "2999-01-01"])
def test_a_time_to_come_reads_as_now(client, edited_letter, value):
    response = client.get("/api/v1/letters/2018-01-24-demands/", {"as_of": value})
    assert response.status_code == 200
    assert response.json()["subject"] == "Document demand with subpoena threat"


def test_search_in_a_past_list_is_a_400_naming_it(client, edited_letter):
    response = client.get("/api/v1/cases.csv", {"as_of": iso(timezone.now()), "search": "Chicago"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "search": ["Search reads the present record: leave out either search or as_of."]
    }


def test_a_time_before_the_history_is_named_first_even_with_search(client, edited_letter):
    response = client.get("/api/v1/letters.csv", {"as_of": "2000-01-01", "search": "Chicago"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["as_of"]

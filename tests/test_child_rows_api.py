"""letter-recipients/, case-parties/, event-participants/: the children of records as rows of their own."""

import csv
import io

import pytest

from letters.models import CaseParty, EventParticipant, LetterRecipient

pytestmark = pytest.mark.django_db

API = "http://testserver/api/v1"


def test_a_recipient_row_carries_its_letter_date_place_and_finding(client, world):
    recipient = LetterRecipient.objects.get(letter__slug="2017-04-21-letters", jurisdiction__slug="chicago-il")
    row = client.get(f"/api/v1/letter-recipients/{recipient.pk}/").json()
    source = recipient.sources.get()
    assert {key: value for key, value in row.items() if key not in ("created_at", "updated_at")} == {
        "id": recipient.pk,
        "url": f"{API}/letter-recipients/{recipient.pk}/",
        "letter": {
            "slug": "2017-04-21-letters",
            "name": "Validate compliance with 8 U.S.C. 1373",
            "url": f"{API}/letters/2017-04-21-letters/",
        },
        "sent_on": "2017-04-21",
        "letter_kind": "compliance_validation",
        "jurisdiction": {
            "slug": "chicago-il",
            "name": "City of Chicago",
            "state": "IL",
            "url": f"{API}/jurisdictions/chicago-il/",
        },
        "jurisdiction_kind": "city",
        "basis": "named",
        "addressee": "",
        "determination": "non_compliant",
        "responded_on": None,
        "notes": "",
        "sources": [
            {
                "id": source.pk,
                "link": source.url,
                "title": source.title,
                "publisher": source.publisher,
                "published_on": "2018-01-24",
                "kind": "news",
                "provenance": "copy",
            }
        ],
        "review_state": "published",
        "checked_at": None,
    }


def test_recipients_filter_by_letter_place_state_and_determination(client, world):
    def ids(query):
        return sorted(row["id"] for row in client.get(f"/api/v1/letter-recipients/?{query}").json()["results"])

    demands = LetterRecipient.objects.filter(letter__slug="2018-01-24-demands")
    assert ids("letter=2018-01-24-demands") == sorted(demands.values_list("pk", flat=True))
    assert ids("state=CA") == list(demands.filter(jurisdiction__state="CA").values_list("pk", flat=True))
    assert ids("determination=non_compliant&sent_before=2017-12-31") == list(
        LetterRecipient.objects.filter(determination="non_compliant").values_list("pk", flat=True)
    )


def test_recipients_list_newest_letter_first_in_two_queries(client, world, django_assert_num_queries):
    # 1 the recipients with their letters, places and sources; 2 the facet
    with django_assert_num_queries(2):
        body = client.get("/api/v1/letter-recipients/?facet=determination").json()
    assert [row["sent_on"] for row in body["results"]] == ["2018-01-24", "2018-01-24", "2017-04-21"]
    assert body["facets"]["determination"] == [
        {"value": "pending", "count": 2},
        {"value": "non_compliant", "count": 1},
    ]


def test_a_letters_csv_counts_its_recipients_and_links_to_them(client, world):
    response = client.get("/api/v1/letters.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    demands = next(row for row in rows if row["slug"] == "2018-01-24-demands")
    assert "recipients" not in demands
    assert demands["recipients_count"] == "2"
    assert demands["recipients_url"] == f"{API}/letter-recipients/?letter=2018-01-24-demands"
    listed = client.get(demands["recipients_url"]).json()["results"]
    assert len(listed) == 2


def test_recipients_as_csv_are_one_row_each_with_slug_name_and_state(client, world):
    response = client.get("/api/v1/letter-recipients.csv?letter=2018-01-24-demands")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted((row["jurisdiction"], row["jurisdiction_name"], row["jurisdiction_state"]) for row in rows) == [
        ("california", "State of California", "CA"),
        ("chicago-il", "City of Chicago", "IL"),
    ]
    assert {row["letter"] for row in rows} == {"2018-01-24-demands"}
    assert {row["letter_name"] for row in rows} == {"Document demand with subpoena threat"}


def test_case_parties_are_rows_with_their_case_and_court(client, world):
    body = client.get("/api/v1/case-parties/?jurisdiction=chicago-il&ordering=filed_on").json()
    assert [(row["case"]["slug"], row["court"]["id"], row["role"]) for row in body["results"]] == [
        ("chicago-v-sessions-ilnd", "ilnd", CaseParty.objects.get(case__slug="chicago-v-sessions-ilnd").role),
        ("chicago-v-sessions-ca7", "ca7", "appellee"),
    ]
    assert client.get("/api/v1/case-parties/?court=ca7").json()["results"][0]["filed_on"] == "2017-09-26"


def test_event_participants_are_rows_with_their_event(client, world):
    body = client.get("/api/v1/event-participants/?participation=declined").json()
    participant = EventParticipant.objects.get(name="Rahm Emanuel")
    assert [(row["id"], row["name"], row["event"]["slug"], row["date"]) for row in body["results"]] == [
        (participant.pk, "Rahm Emanuel", "2018-01-24-meeting", participant.event.date.isoformat())
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_child_rows_are_written_through_their_parent_only(admin_client, world, method):
    recipient = LetterRecipient.objects.first()
    response = getattr(admin_client, method)(
        f"/api/v1/letter-recipients/{recipient.pk}/", {}, content_type="application/json"
    )
    assert response.status_code == 405

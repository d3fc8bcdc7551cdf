import pytest

pytestmark = pytest.mark.django_db


def test_it_sums_grant_dollars_by_state_program_year_and_status(client, world, django_assert_num_queries):
    with django_assert_num_queries(3):  # grants, determinations, rulings
        response = client.get("/api/v1/stats/")
    body = response.json()
    assert b'"amount":524845.00' in response.content  # a JSON number, to the cent

    assert body["grants"] == [
        {
            "state": "CA",
            "program": "byrne_jag",
            "fiscal_year": 2017,
            "status": "withheld",
            "rows": 1,
            "amount": 524845.00,
        },
        {
            "state": "CA",
            "program": "cops",
            "fiscal_year": 2018,
            "status": "awarded",
            "rows": 1,
            "amount": 17701281.00,
        },
        {
            "state": "IL",
            "program": "byrne_jag",
            "fiscal_year": 2017,
            "status": "withheld",
            "rows": 1,
            "amount": 2019194.00,
        },
    ]
    assert body["letter_determinations"] == [
        {"letter_kind": "compliance_validation", "determination": "non_compliant", "recipients": 1},
        {"letter_kind": "document_demand", "determination": "pending", "recipients": 2},
    ]
    assert body["rulings_by_outcome"] == [{"outcome": "for_jurisdiction", "rulings": 3}]


def test_each_table_takes_the_filters_of_the_list_it_sums(client, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        body = client.get("/api/v1/stats/grants/?state=CA&state=IL&status=withheld").json()
    assert [(row["state"], row["amount"]) for row in body["results"]] == [("CA", 524845.0), ("IL", 2019194.0)]
    recipients = client.get("/api/v1/stats/determinations/?state=IL").json()["results"]
    assert recipients == [
        {"letter_kind": "compliance_validation", "determination": "non_compliant", "recipients": 1},
        {"letter_kind": "document_demand", "determination": "pending", "recipients": 1},
    ]
    rulings = client.get("/api/v1/stats/rulings/?court=cand").json()["results"]
    assert rulings == [{"outcome": "for_jurisdiction", "rulings": 1}]


def test_a_table_comes_as_csv_and_refuses_an_unknown_filter(client, world):
    response = client.get("/api/v1/stats/grants/?format=csv&fiscal_year=2017")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "state,program,fiscal_year,status,rows,amount",
        "CA,byrne_jag,2017,withheld,1,524845.00",
        "IL,byrne_jag,2017,withheld,1,2019194.00",
    ]
    bad = client.get("/api/v1/stats/grants/?recipient=chicago-il")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["recipient"]

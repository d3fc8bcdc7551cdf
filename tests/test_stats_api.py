import pytest

pytestmark = pytest.mark.django_db


def test_it_sums_grant_dollars_by_state_program_year_and_status(client, world, django_assert_num_queries):
    with django_assert_num_queries(3):  # grants, determinations, rulings
        body = client.get("/api/v1/stats/").json()

    assert body["grants"] == [
        {
            "state": "CA",
            "program": "byrne_jag",
            "fiscal_year": 2017,
            "status": "withheld",
            "rows": 1,
            "amount": "524845.00",
        },
        {
            "state": "CA",
            "program": "cops",
            "fiscal_year": 2018,
            "status": "awarded",
            "rows": 1,
            "amount": "17701281.00",
        },
        {
            "state": "IL",
            "program": "byrne_jag",
            "fiscal_year": 2017,
            "status": "withheld",
            "rows": 1,
            "amount": "2019194.00",
        },
    ]
    assert body["letter_determinations"] == [
        {"letter_kind": "compliance_validation", "determination": "non_compliant", "recipients": 1},
        {"letter_kind": "document_demand", "determination": "pending", "recipients": 2},
    ]
    assert body["rulings_by_outcome"] == [{"outcome": "for_jurisdiction", "rulings": 3}]

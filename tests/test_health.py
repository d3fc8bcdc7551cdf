import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_a_working_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_refuses_writes(client):
    assert client.post("/health").status_code == 405

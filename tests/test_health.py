import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_a_working_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "per-process"}
    assert "no-cache" in response["Cache-Control"]


def test_it_refuses_writes(client):
    assert client.post("/health").status_code == 405


def test_it_answers_503_with_retry_after_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = client.get("/health")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"status": "error", "database": "unavailable"}

import pytest

pytestmark = pytest.mark.django_db

RATES = {"anon_minute": "2/min", "anon_day": "100/day", "user_minute": "3/min", "user_day": "100/day"}


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}


def test_anonymous_clients_past_their_rate_get_429_with_retry_after(client, low_rates):
    assert [client.get("/api/v1/sources/").status_code for _ in range(3)] == [200, 200, 429]
    response = client.get("/api/v1/sources/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["error"] == "throttled"


def test_token_clients_have_their_own_rate(editor_client, client, low_rates):
    assert [client.get("/api/v1/sources/").status_code for _ in range(3)] == [200, 200, 429]
    assert [editor_client.get("/api/v1/sources/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_daily_rate_applies_beside_the_minute_rate(client, settings):
    rates = {**RATES, "anon_minute": "100/min", "anon_day": "2/day"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert [client.get("/api/v1/sources/").status_code for _ in range(3)] == [200, 200, 429]
    assert 0 < int(client.get("/api/v1/sources/")["Retry-After"]) <= 86_400

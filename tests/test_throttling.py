import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

RATES = {
    "anon_minute": "2/min",
    "anon_day": "100/day",
    "user_minute": "3/min",
    "user_day": "100/day",
    "invalid_token": "3/hour",
}


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


def test_a_made_up_x_forwarded_for_buys_no_new_allowance(client, low_rates):
    answers = [client.get("/api/v1/sources/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(5)]
    assert answers == [200, 200, 429, 429, 429]


def test_behind_one_proxy_the_address_it_appended_is_the_client(client, low_rates, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    forged = [f"6.6.6.{n}, 203.0.113.7" for n in range(3)]
    assert [client.get("/api/v1/sources/", HTTP_X_FORWARDED_FOR=xff).status_code for xff in forged] == [200, 200, 429]
    assert client.get("/api/v1/sources/", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_a_huge_x_forwarded_for_makes_no_huge_cache_key(client, low_rates, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client.get("/api/v1/sources/", HTTP_X_FORWARDED_FOR="x" * 6000).status_code == 200
    keys = [key for key in cache._cache if "throttle" in key]
    assert keys and max(len(key) for key in keys) < 100


def test_ipv6_clients_are_counted_by_their_64_prefix(client, low_rates):
    answers = [client.get("/api/v1/sources/", REMOTE_ADDR=f"2001:db8:1:2::{n}").status_code for n in range(1, 4)]
    assert answers == [200, 200, 429]


def test_wrong_tokens_are_throttled_per_address_and_then_even_a_right_one_waits(editor, low_rates):
    from rest_framework.authtoken.models import Token

    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert [wrong.get("/api/v1/sources/").status_code for _ in range(4)] == [401, 401, 401, 429]
    response = wrong.get("/api/v1/sources/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    right = APIClient()
    right.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    assert right.get("/api/v1/sources/").status_code == 429
    assert APIClient().get("/api/v1/sources/").status_code == 200  # anonymous reads go on
    assert right.get("/api/v1/sources/", REMOTE_ADDR="198.51.100.1").status_code == 200

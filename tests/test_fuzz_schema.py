import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": 5},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"positive_data_acceptance": {"enabled": False}},
    }
)


@pytest.fixture
def api_schema(world, editor, settings):
    from django.core.wsgi import get_wsgi_application

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {k: "1000000/min" for k in ("anon_minute", "anon_day", "user_minute", "user_day")},
    }
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), config=CONFIG)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case, editor):
    token = Token.objects.get_or_create(user=editor)[0].key
    case.call_and_validate(headers={"Authorization": f"Token {token}"})

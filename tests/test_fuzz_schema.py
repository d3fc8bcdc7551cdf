"""Schemathesis against the API's own OpenAPI schema: no 5xx, and every answer as documented.

Every operation in /api/v1/schema/ is called, reads anonymously and with an
editor's token, writes with the token: explicit examples, boundary values
(the coverage phase: each parameter's edges and invalid values) and random
generated inputs, valid and invalid. Each response must conform to the
schema: a documented status code, a documented content type, a body matching
its schema, required headers present, invalid input rejected, anonymous
writes refused.

The normal suite runs a few examples per operation; `make fuzz` runs many
more (FUZZ_EXAMPLES) and prints the totals.
"""

import os
from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.django_db, pytest.mark.realtools]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
# `make fuzz` sets FUZZ_FULL: every boundary and invalid value of every body field too.
# The suite keeps the invalid ones to the query parameters and path (a body has
# dozens of fields, each with many invalid variants: thousands of cases per write).
FULL = os.environ.get("FUZZ_FULL", "") == "1"
WRITES_BOUNDARIES_ONLY = {
    "include-method": ["POST", "PUT", "PATCH"],
    "phases": {"coverage": {"generation": {"mode": "positive"}}},
}
# An export (`/api/v1/<list>.csv|.ndjson`) takes its list's parameters through the same code
# (tracker/api/params.py, the list's filter set): the suite walks their edges on the list and only
# fuzzes the exports at random; `make fuzz` walks every edge of every export too.
EXPORTS_FUZZED_ONLY = {
    "include-path-regex": r"\.(csv|ndjson)$",
    "phases": {"coverage": {"enabled": False}},
}

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": int(os.environ.get("FUZZ_SEED", "20250101")),
        "generation": {"mode": "all", "max-examples": EXAMPLES},
        # Stateful runs need OpenAPI links, which the schema does not declare.
        "phases": {"stateful": {"enabled": False}},
        # Every check Schemathesis has (its `--checks all`): a 5xx; a status code, content type,
        # header or body the schema does not document; a missing required header not refused;
        # a method the path lacks not answered 405 with Allow; an operation that needs a token
        # answering without one; and the stateful ones (use after free, resource availability,
        # object-level authorization), which act only where a run follows links. Disabled, with why:
        "checks": {
            "enabled": True,
            # Valid by the schema is not always valid by the data: a slug naming no
            # jurisdiction, a ruling dated before its case, a duplicate natural key
            # are a 400 or 409 the schema cannot express.
            "positive_data_acceptance": {"enabled": False},
            # A query string carries only text: "case=123" breaks the schema's type for a slug
            # yet is a fair question (no such case: an empty page), so it is not refused.
            "negative_data_rejection": {"enabled": False},
        },
        "operations": [] if FULL else [WRITES_BOUNDARIES_ONLY, EXPORTS_FUZZED_ONLY],
    }
)

TOTALS: Counter = Counter()
OPERATIONS: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def report_totals():
    """Prints what ran (`make fuzz` runs with -s): operations, cases per phase, answers per status."""
    yield
    if TOTALS:
        phases = ", ".join(f"{k}: {v}" for k, v in sorted((k, v) for k, v in TOTALS.items() if isinstance(k, str)))
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted((k, v) for k, v in TOTALS.items() if isinstance(k, int)))
        cases = sum(v for k, v in TOTALS.items() if isinstance(k, str))
        print(f"\nschemathesis: {len(OPERATIONS)} operations, {cases} cases ({phases}); answers {statuses}")


def keep_the_test_connection() -> None:
    """Called as a plain WSGI app (not through Django's test client), the end of each request would
    close the test's connection, and its transaction with it, on PostgreSQL. The test client keeps
    it by disconnecting these receivers; so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def existing_keys(client, list_path: str, key: str) -> list:
    body = client.get(list_path, {"page_size": 1000}).json()
    return [row[key] for row in body["results"]]


@pytest.fixture
def api_schema(world, editor, settings):
    from django.core.wsgi import get_wsgi_application
    from django.test import Client

    keep_the_test_connection()
    # Hundreds of calls in a second: the rate limits are not under test here (tests/test_throttling.py).
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), config=CONFIG)

    # Random slugs are all 404s: half the time, use a record that exists, so details,
    # timelines and updates of real records are fuzzed too.
    client = Client()
    keys = {}
    for path in schema.raw_schema["paths"]:
        for key in ("slug", "id"):
            if f"{{{key}}}" in path:
                keys[path] = (key, existing_keys(client, path.split(f"{{{key}}}")[0], key))

    keep_the_test_connection()  # again: Django's test client reconnects them after each request

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        if context.operation.path not in keys:
            return strategy
        key, values = keys[context.operation.path]
        return st.one_of(strategy, st.sampled_from(values).map(lambda value: {key: value}))

    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


fuzzed = schemathesis.pytest.from_fixture("api_schema")


@fuzzed.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_operation_answers_as_its_schema_documents(case, editor):
    token = Token.objects.get_or_create(user=editor)[0]
    OPERATIONS.add(case.operation.label)
    TOTALS[f"phase {case.meta.phase.name.value if case.meta else 'explicit'}"] += 1
    # Each case starts from the same data, and a statement that failed in one (answered with a 4xx) cannot
    # poison the test's transaction for the next: in production every request has its own.
    # ROLLBACK TO SAVEPOINT leaves the savepoint open, so it is released too: else every case would nest
    # inside the one before, and thousands of open subtransactions exhaust PostgreSQL's lock table.
    savepoint = transaction.savepoint()
    try:
        response = case.call_and_validate(headers={"Authorization": f"Token {token.key}"})
    finally:
        transaction.savepoint_rollback(savepoint)
        transaction.savepoint_commit(savepoint)
    TOTALS[response.status_code] += 1
    assert response.status_code < 500

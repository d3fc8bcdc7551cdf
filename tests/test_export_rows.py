"""Exports read plain values where a record's fields are all columns (tracker.reading.plan.ReadPlan.read_paths).

A streamed export of such a resource builds no model instance: each row is the
``values()`` of the columns its fields read. Every export must still give, row
for row, what the resource's JSON list gives through DRF and the model.
"""

import json

import pytest
from django.db.models.signals import post_init

from letters.models import GrantAward
from reports.api_urls import router

RESOURCES = [prefix for prefix, _, _ in router.registry]


def by_url(rows: list[dict]) -> dict[str, dict]:
    # An export breaks ties in its order by ascending id, a list's keyset by descending: compare by record.
    return {row["url"]: row for row in rows}


def exported(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_exported_row_is_the_listed_row(client, world, resource):
    listed = client.get(f"/api/v1/{resource}/?page_size=1000").json()["results"]

    assert listed
    assert by_url(exported(client, f"/api/v1/{resource}/?format=ndjson")) == by_url(listed)


@pytest.mark.parametrize(
    "shape", ["", "fields=program,jurisdiction,sources", "omit=sources", "expand=jurisdiction", "ordering=-amount"]
)
def test_a_grants_export_in_any_shape_is_the_list(client, world, shape):
    listed = client.get(f"/api/v1/grants/?page_size=1000&{shape}").json()["results"]

    assert len(listed) > 1
    assert {json.dumps(row) for row in exported(client, f"/api/v1/grants/?format=ndjson&{shape}")} == {
        json.dumps(row) for row in listed
    }


def test_a_grants_export_builds_no_model_instance(client, world):
    built = []

    def count(sender, instance, **kwargs):
        built.append(sender)

    post_init.connect(count)
    try:
        rows = exported(client, "/api/v1/grants/?format=ndjson")
    finally:
        post_init.disconnect(count)
    assert len(rows) == GrantAward.objects.count() > 0
    assert built == []

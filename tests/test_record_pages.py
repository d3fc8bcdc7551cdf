"""List pages read as plain records (tracker.api.viewsets.ReadViewSet.as_records, by their read plan).

Where every field a page shows is a column, a link's or the sources', its rows
are read with ``values_list`` and shown through the serializer's plan, with no
model instance. Each page must be what DRF shows from the model instances, in
every shape, on every page of a cursor walk; the keys of its links and its
Last-Modified come from the same rows.
"""

import pytest
from django.db.models.signals import post_init
from django.test import RequestFactory
from rest_framework.request import Request

from letters.models import GrantAward
from reports.api_urls import router
from tests import factories as f

VIEWSETS = {prefix: viewset for prefix, viewset, _ in router.registry}


def drf_rows(resource: str, urls: list[str], query: dict) -> list[dict]:
    """What DRF shows for these records from model instances, with the same fields=/omit=."""
    viewset = VIEWSETS[resource]
    model = viewset.queryset.model
    lookup = model.api_lookup()
    keys = [url.rstrip("/").rsplit("/", 1)[1] for url in urls]
    records = viewset.queryset.filter(**{f"{lookup}__in": keys})  # with the view's annotations (a parent's date)
    by_key = {str(getattr(record, lookup)): record for record in records}
    request = Request(RequestFactory().get("/api/v1/"))
    shape = {name: [value for value in query.get(name, "").split(",") if value] for name in ("fields", "omit")}
    records = [by_key[key] for key in keys]
    return viewset.serializer_class(records, many=True, context={"request": request}, **shape).data


def walk(client, url: str) -> list[dict]:
    rows = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        rows += response.json()["results"]
        url = response.json()["next"]
    return rows


@pytest.mark.parametrize("resource", VIEWSETS)
@pytest.mark.parametrize("query", [{}, {"fields": "url,sources"}, {"omit": "sources"}, {"ordering": "-updated_at"}])
def test_every_page_is_what_drf_shows_from_the_model_instances(client, world, resource, query):
    fields = VIEWSETS[resource].serializer_class().fields
    if "sources" not in fields and "sources" in query.get("fields", "") + query.get("omit", ""):
        query = {name: value.replace("sources", "url") for name, value in query.items()}  # a source, a court
    if "ordering" in query and "updated_at" not in VIEWSETS[resource].ordering_fields:
        query = {"ordering": f"-{VIEWSETS[resource].ordering_fields[-1]}"}  # the courts keep no times
    rows = walk(client, f"/api/v1/{resource}/?page_size=2&" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert rows
    listed = client.get(f"/api/v1/{resource}/", {"page_size": 1000, **query}).json()["results"]
    assert rows == listed  # the cursor's keys read from the records: no row lost or repeated
    if "url" in rows[0]:
        assert rows == drf_rows(resource, [row["url"] for row in rows], query)


def test_a_page_of_grants_builds_no_model_instance_and_says_when_it_last_changed(client, world):
    f.GrantAwardFactory.create_batch(3)
    built = []

    def count(sender, instance, **kwargs):
        built.append(sender)

    post_init.connect(count)
    try:
        response = client.get("/api/v1/grants/?ordering=amount")
    finally:
        post_init.disconnect(count)
    rows = response.json()["results"]
    assert len(rows) == GrantAward.objects.count() > 3
    assert built == []
    latest = max(GrantAward.objects.values_list("updated_at", flat=True))
    assert response["Last-Modified"] == latest.strftime("%a, %d %b %Y %H:%M:%S GMT")

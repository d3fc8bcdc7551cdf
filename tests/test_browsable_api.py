"""The browsable API as a person uses it: pretty JSON, a Filters form that submits, every read a page."""

import html
import json
import re

import pytest
import yaml

pytestmark = pytest.mark.django_db


def shown_json(response) -> str:
    """The JSON the page shows (in its <pre>, after the headers)."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    pre = re.search(r'class="response-info".*?<pre class="prettyprint">(.*?)</pre>', response.content.decode(), re.S)[1]
    return html.unescape(re.sub(r"<[^>]+>", "", pre)).split("\n\n", 1)[1]


@pytest.mark.parametrize("path", ["/api/v1/letters/", "/api/v1/letters/2018-01-24-demands/", "/api/v1/grants/"])
def test_lists_and_details_are_pretty_printed_with_the_records_as_json_gives_them(client, world, path):
    shown = shown_json(client.get(path, HTTP_ACCEPT="text/html"))

    assert shown.startswith("{\n  ")
    assert json.loads(shown) == client.get(path).json()


def test_the_filters_forms_empty_fields_are_ignored_on_a_page_and_refused_to_a_json_client(client, world):
    form = "recipient_state=&updated_since=&kind=&ordering=&search="

    page = client.get(f"/api/v1/letters/?{form}&recipient=chicago-il", HTTP_ACCEPT="text/html")
    assert json.loads(shown_json(page)) == client.get("/api/v1/letters/?recipient=chicago-il").json()
    refused = client.get(f"/api/v1/letters/?{form}")
    assert refused.status_code == 400 and "Empty" in str(refused.json()["errors"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/jurisdictions/chicago-il/timeline/",
        "/api/v1/stats/",
        "/api/v1/stats/grants/",
        "/api/v1/changes/?since=2000-01-01T00:00:00Z",
    ],
)
def test_the_timeline_stats_and_changes_are_browsable(client, world, path):
    shown, answered = json.loads(shown_json(client.get(path, HTTP_ACCEPT="text/html"))), client.get(path).json()
    if "resume" in shown:
        # A sync's resume link names the database's snapshot, which other clients' transactions move between reads.
        shown["resume"] = answered["resume"] = None
    assert shown == answered


def test_swagger_groups_each_resource_with_its_exports(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    tags = {
        path: {tag for operation in item.values() for tag in operation["tags"]}
        for path, item in schema["paths"].items()
    }

    assert tags["/api/v1/letters/"] == tags["/api/v1/letters.csv"] == tags["/api/v1/letters.ndjson"] == {"letters"}
    assert not [tag for tagged in tags.values() for tag in tagged if "." in tag]

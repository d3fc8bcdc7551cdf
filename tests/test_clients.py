"""The API as journalists' tools use it: a sync script, a client generated from the schema, pandas.

Each test runs the real tool against a live server: the README's own sync script and pandas reader,
and a client that openapi-python-client generates from the schema the server serves.
"""

import importlib
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from cities.models import Jurisdiction
from letters.models import Designation, GrantAward, Letter
from reports.api_urls import router
from reports.changes import TRACKED
from tracker.models import Source

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def readme_code(marker: str) -> dict:
    """Run the README's code block between <!-- marker --> and <!-- /marker -->; its names."""
    block = re.search(rf"<!-- {marker} -->\s*```python\n(.*?)```\s*<!-- /{marker} -->", README, re.S)
    assert block, f"README has no {marker} block"
    names: dict = {}
    exec(compile(block.group(1), f"README.md:{marker}", "exec"), names)
    return names


def database_keys() -> set[str]:
    return {
        f"{name}/{getattr(row, model.api_lookup())}" for name, model in TRACKED.items() for row in model.objects.all()
    }


def within(seconds: float, function, *args):
    """Run `function`, failing if it has not ended in time (a sync that loops forever)."""
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=function(*args)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{function.__name__} did not end within {seconds} s"
    return result["value"]


# Each starts a live server, and one a client generator. A live server reads in its own thread, so the
# data is committed; serialized_rollback puts back, after each test, what the migrations made (the court
# directory, the editors group).
pytestmark = [pytest.mark.realtools, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def reference():
    call_command("load_reference_data", verbosity=0)


def test_the_readme_sync_script_ends_and_mirrors_the_database_through_edits_renames_and_deletes(
    live_server, reference, tmp_path
):
    sync = readme_code("sync-script")["sync"]
    state = tmp_path / "mirror.json"
    api = f"{live_server.url}/api/v1/"

    mirror = within(120, sync, state, api)
    assert set(mirror["records"]) == database_keys()

    letter = Letter.objects.order_by("pk").first()
    letter.slug = f"{letter.slug}-renamed"
    letter.save()
    Designation.objects.order_by("pk").last().delete()
    grant = GrantAward.objects.order_by("pk").first()
    grant.notes = "Checked again."
    grant.save()
    place = Jurisdiction.objects.get(slug="chicago-il")
    place.sources.add(Source.objects.create(url="https://example.org/new", title="New", kind="news"))

    mirror = within(60, sync, state, api)
    assert set(mirror["records"]) == database_keys()
    assert f"letter/{letter.slug}" in mirror["records"]


def test_the_readme_pandas_reader_types_every_csv_export(live_server, reference):
    read = readme_code("pandas-reader")["read_tracker_csv"]
    api = f"{live_server.url}/api/v1"
    lists = [prefix for prefix, _, _ in router.registry]
    assert len(lists) == 15
    for name in lists:
        frame = read(f"{api}/{name}.csv")
        assert len(frame) > 0, name
        for column in frame.columns:
            kind = str(frame[column].dtype)
            if column.endswith("_at"):
                assert kind.startswith("datetime64") and "UTC" in kind, (name, column, kind)
            elif column == "date" or column.endswith(("_on", "_due", "_date")):
                assert kind.startswith("datetime64"), (name, column, kind)
            elif column in ("amount", "latitude", "longitude"):
                assert kind in ("float64", "Float64"), (name, column, kind)
            elif (
                column in ("fiscal_year", "population", "population_year")
                or column.endswith("_count")
                or (column == "id" and name != "courts")
            ):
                assert kind in ("int64", "Int64", "float64", "Float64"), (name, column, kind)
            elif column == "disputed":
                assert kind in ("bool", "boolean"), (name, column, kind)
            else:
                assert kind == "string", (name, column, kind)

    places = read(f"{api}/jurisdictions.csv")
    codes = places["fips"].dropna()
    assert len(codes) > 0 and codes.str.fullmatch(r"\d{2}|\d{5}|\d{7}").all()  # leading zeros kept
    assert places.loc[places["slug"] == "california", "fips"].item() == "06"

    recipients = read(f"{api}/letter-recipients.csv?letter=2018-01-24-bja-document-demands")
    assert len(recipients) == 23
    letters = read(f"{api}/letters.csv")
    demands = letters.loc[letters["slug"] == "2018-01-24-bja-document-demands"].iloc[0]
    assert demands["recipients_count"] == 23
    assert demands["recipients_url"].endswith("/letter-recipients/?letter=2018-01-24-bja-document-demands")
    assert all(link.startswith("http") for link in demands["sources"].split(" "))

    grants = read(f"{api}/grants.csv")
    montgomery = grants.loc[grants["jurisdiction_name"].str.startswith("Montgomery County", na=False)]
    assert montgomery["jurisdiction"].nunique() == montgomery["jurisdiction_state"].nunique()


def test_a_client_generated_from_the_schema_reads_filters_pages_and_exports(live_server, reference, tmp_path):
    schema = requests.get(f"{live_server.url}/api/v1/schema/?format=json", timeout=60)
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [generator, "generate", "--path", "schema.json", "--meta", "none", "--output-path", "tracker_client"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module("tracker_client")
        letters_list = importlib.import_module("tracker_client.api.letters.letters_list")
        letters_csv = importlib.import_module("tracker_client.api.letters.letters_csv_list")  # grouped by resource
        client = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)

        # Two values of one filter, sent as the generator sends them: repeated.
        page = letters_list.sync(client=client, recipient=["chicago-il", "new-york-ny"], page_size=100)
        expected = set(
            Letter.objects.filter(letter_recipients__jurisdiction__slug__in=["chicago-il", "new-york-ny"]).values_list(
                "slug", flat=True
            )
        )
        assert {letter.slug for letter in page.results} == expected

        # A cursor walk, anonymously, to the last page.
        seen, cursor = [], None
        while True:
            page = letters_list.sync(client=client, page_size=20, cursor=cursor)
            seen += [letter.slug for letter in page.results]
            if not page.next_:
                break
            cursor = re.search(r"cursor=([^&]+)", page.next_).group(1)
        assert sorted(seen) == sorted(Letter.objects.values_list("slug", flat=True))

        # The CSV export, as its own operation: text, not JSON.
        response = letters_csv.sync_detailed(client=client, recipient=["chicago-il"])
        assert response.status_code == 200
        assert response.content.decode().splitlines()[0].startswith("slug,url,")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith("tracker_client")]:
            del sys.modules[name]

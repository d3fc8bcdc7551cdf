"""Graded citations: each source's provenance in the API, CSV and release; cites_original on every list of
records; stats/sources/; and a recipient's basis."""

import csv
import io
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from letters.models import Letter, LetterRecipient
from tracker.management.commands.load_reference_data import fixture_rows
from tracker.models import Source, citing_models

pytestmark = pytest.mark.django_db

BEST_FIRST = ["original", "report", "copy"]


def listed(client, path: str, **params) -> list[dict]:
    response = client.get(path, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(text.decode())))


def best(record) -> str:
    """The best grade among a record's sources, read one source at a time."""
    grades = {source.provenance for source in record.sources.all()}
    return next((grade for grade in BEST_FIRST if grade in grades), "none")


def grade(record, provenance: str) -> None:
    Source.objects.filter(pk__in=record.sources.values("pk")).update(provenance=provenance)


@pytest.mark.parametrize("model", citing_models(), ids=lambda model: model._meta.model_name)
def test_cites_original_keeps_the_records_citing_an_original_on_every_list(client, world, model):
    first = model.objects.order_by("pk").first()
    grade(first, "original")
    path = reverse(f"{model._meta.model_name}-list")
    total = len(listed(client, path))
    assert len(listed(client, path, cites_original="true")) == 1
    assert len(listed(client, path, cites_original="false")) == total - 1


def test_cites_original_refuses_what_is_not_true_or_false(client, world):
    response = client.get("/api/v1/letters/?cites_original=maybe")
    assert response.status_code == 400
    assert "cites_original" in response.json()["errors"]


def test_the_sources_list_takes_no_cites_original_filter(client, world):
    response = client.get("/api/v1/sources/?cites_original=true")
    assert response.status_code == 400
    assert "cites_original" in str(response.json())


def test_stats_sources_counts_each_resources_records_by_their_best_provenance(client, world):
    letter = Letter.objects.get(slug="2018-01-24-demands")
    letter.sources.add(Source.objects.create(url="https://www.justice.gov/x", title="x", kind="press_release"))
    Source.objects.filter(url="https://www.justice.gov/x").update(provenance="original")
    recipient = LetterRecipient.objects.order_by("pk").first()
    grade(recipient, "report")
    recipient.sources.clear()
    expected = []
    for model in citing_models():
        counts = dict.fromkeys([*BEST_FIRST, "none"], 0)
        for record in model.objects.all():
            counts[best(record)] += 1
        resource = reverse(f"{model._meta.model_name}-list").strip("/").split("/")[-1]
        expected.append({"resource": resource, "records": sum(counts.values()), **counts})
    body = client.get("/api/v1/stats/sources/").json()
    assert body["results"] == sorted(expected, key=lambda row: row["resource"])
    letters = next(row for row in body["results"] if row["resource"] == "letters")
    assert (letters["original"], letters["copy"]) == (1, 1)
    recipients = next(row for row in body["results"] if row["resource"] == "letter-recipients")
    assert recipients["none"] == 1


def test_stats_sources_comes_as_csv(client, world):
    response = client.get("/api/v1/stats/sources/?format=csv")
    assert response.status_code == 200
    rows = csv_rows(response)
    assert list(rows[0]) == ["resource", "records", "original", "report", "copy", "none"]


def test_a_sources_csv_shows_its_grade(client, world):
    Source.objects.filter(pk=Source.objects.order_by("pk").first().pk).update(
        copy_of="https://www.justice.gov/original", copy_of_read=True
    )
    response = client.get("/api/v1/sources/", {"format": "csv", "copy_of_read": "true"})
    rows = csv_rows(response)
    assert [(row["provenance"], row["copy_of"], row["copy_of_read"]) for row in rows] == [
        ("copy", "https://www.justice.gov/original", "True")
    ]


def test_basis_filters_recipients_and_the_letters_that_have_them(client, world):
    inferred = LetterRecipient.objects.get(letter__slug="2018-01-24-demands", jurisdiction__slug="california")
    LetterRecipient.objects.filter(pk=inferred.pk).update(basis="inferred")
    rows = listed(client, "/api/v1/letter-recipients/", basis="inferred")
    assert [(row["letter"]["slug"], row["jurisdiction"]["slug"], row["basis"]) for row in rows] == [
        ("2018-01-24-demands", "california", "inferred")
    ]
    assert len(listed(client, "/api/v1/letter-recipients/", basis="named")) == 2
    assert [row["slug"] for row in listed(client, "/api/v1/letters/", basis="inferred")] == ["2018-01-24-demands"]
    letter = client.get("/api/v1/letters/2018-01-24-demands/").json()
    assert {row["jurisdiction"]["slug"]: row["basis"] for row in letter["recipients"]} == {
        "chicago-il": "named",
        "california": "inferred",
    }
    exported = csv_rows(client.get("/api/v1/letter-recipients/?format=csv"))
    assert sorted(row["basis"] for row in exported) == ["inferred", "named", "named"]


def test_an_unknown_basis_is_a_400(client, world):
    response = client.get("/api/v1/letter-recipients/?basis=guessed")
    assert response.status_code == 400
    assert "basis" in response.json()["errors"]


def test_the_release_holds_each_sources_grade_and_each_recipients_basis(world, tmp_path):
    Source.objects.filter(pk=Source.objects.order_by("pk").first().pk).update(provenance="original")
    call_command("export_dataset", str(tmp_path / "release"), stdout=io.StringIO())
    with open(tmp_path / "release" / "csv" / "sources.csv", newline="", encoding="utf-8") as rows:
        sources = list(csv.DictReader(rows))
    with open(tmp_path / "release" / "csv" / "letter_recipients.csv", newline="", encoding="utf-8") as rows:
        recipients = list(csv.DictReader(rows))
    assert sorted(row["provenance"] for row in sources).count("original") == 1
    assert {row["copy_of"] for row in sources} == {""}
    assert {row["basis"] for row in recipients} == {"named"}


# Hosts that only hold someone else's copy of a document: never graded other than copy (a subdomain too).
COPY_HOSTS = (
    "scribd.com",
    "docslib.org",
    "fdocuments.in",
    "vdocuments.us",
    "careersdocbox.com",
    "lawsdocbox.com",
    "zlibrary.cc",
    "documentcloud.org",
    "lists.ctbirding.org",
    "einpresswire.com",
    "pubt.io",
    "fifthestate.nz",
    "pressreader.com",
    "regulations.justia.com",
)
# The share of copies naming their original reached so far (issue 27 asks for 80 %): it may only grow, but
# for a copy replaced by its original (which leaves the copies) rather than named.
COPIES_NAMING_THEIR_ORIGINAL = 0.116


def fixture_sources() -> list[dict]:
    return fixture_rows("tracker.source", settings.BASE_DIR / "fixtures")


def on_copy_host(url: str) -> bool:
    name = urlsplit(url).hostname or ""
    return any(name == known or name.endswith(f".{known}") for known in COPY_HOSTS)


def test_every_source_in_the_fixtures_is_graded():
    ungraded = [row["url"] for row in fixture_sources() if row.get("provenance") not in Source.Provenance.values]
    assert ungraded == []


def test_only_copies_name_an_original_and_a_read_original_is_named():
    for row in fixture_sources():
        assert row["provenance"] == "copy" or (row["copy_of"], row["copy_of_read"]) == ("", False), row["url"]
        assert row["copy_of"] or not row["copy_of_read"], row["url"]


def test_no_source_on_a_mirror_or_document_sharing_host_is_graded_other_than_copy():
    urls = [row["url"] for row in fixture_sources()]
    for known in COPY_HOSTS:  # each host is one the fixtures cite, not a name that matches nothing
        assert any(urlsplit(url).hostname.endswith(known) for url in urls), known
    hosted = {row["url"]: row["provenance"] for row in fixture_sources() if on_copy_host(row["url"])}
    assert {url: grade for url, grade in hosted.items() if grade != "copy"} == {}


def test_copies_naming_their_original_do_not_fall_below_the_share_reached():
    copies = {row["url"]: row["copy_of"] for row in fixture_sources() if row["provenance"] == "copy"}
    assert sum(1 for original in copies.values() if original) / len(copies) >= COPIES_NAMING_THEIR_ORIGINAL


def test_the_2025_08_13_recipients_no_cited_page_names_are_inferred_and_the_rest_named():
    rows = fixture_rows("letters.letterrecipient", settings.BASE_DIR / "fixtures")
    assert {row.get("basis") for row in rows} == {"named", "inferred"}
    inferred = {row["jurisdiction"][0] for row in rows if row["basis"] == "inferred"}
    august = "2025-08-13-ag-sanctuary-demand-letters"
    assert {row["letter"][0] for row in rows if row["basis"] == "inferred"} == {august}
    named_in_august = {row["jurisdiction"][0] for row in rows if row["letter"][0] == august and row["basis"] == "named"}
    assert named_in_august == {
        "california",
        "washington",
        "seattle-wa",
        "boston-ma",
        "illinois",
        "chicago-il",
        "cook-county-il",
        "rhode-island",
        "vermont",
        "east-lansing-mi",
    }
    assert len(inferred) == 24


def test_cites_original_reads_an_as_of_snapshot_too(client, world):
    letter = Letter.objects.get(slug="2018-01-24-demands")
    grade(letter, "original")
    rows = listed(client, "/api/v1/letters/", cites_original="true", as_of="2100-01-01")
    assert [row["slug"] for row in rows] == ["2018-01-24-demands"]

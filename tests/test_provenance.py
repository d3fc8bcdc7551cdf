"""Graded citations: each source's provenance in the API, CSV and release; cites_original on every list of
records; stats/sources/; and a recipient's basis."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from letters.models import Letter, LetterRecipient
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

"""fixtures/README.md's coverage table says what the loaded record holds."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Max, Min
from django.urls import reverse

from cities.models import Jurisdiction, Official, Policy
from letters.models import CourtCase, Designation, DesignationList, Event, GrantAward, Letter, LetterRecipient, Ruling
from tracker.models import Source, citing_models

# The table's "What" and "Dated by" cells, and the model and field they name.
ROWS = {
    ("Sources", "published on"): (Source, "published_on"),
    ("Jurisdictions", "—"): (Jurisdiction, None),
    ("Officials", "term start"): (Official, "term_start"),
    ("Policies", "enacted on"): (Policy, "enacted_on"),
    ("Letters", "sent on"): (Letter, "sent_on"),
    ("Letter recipients", "responded on"): (LetterRecipient, "responded_on"),
    ("Grant rows", "fiscal year"): (GrantAward, "fiscal_year"),
    ("Court cases", "filed on"): (CourtCase, "filed_on"),
    ("Rulings", "decided on"): (Ruling, "decided_on"),
    ("Events", "date"): (Event, "date"),
    ("Designation lists", "published on"): (DesignationList, "published_on"),
    ("Designations", "removed on"): (Designation, "removed_on"),
}


def coverage_table() -> dict[tuple[str, str], list[str]]:
    readme = (settings.BASE_DIR / "fixtures" / "README.md").read_text()
    section = readme.split("## Coverage", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")][2:]  # past header and rule
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return {(row[0], row[1]): row[2:5] for row in cells}


@pytest.fixture
def loaded(db):
    call_command("load_reference_data", verbosity=0)


def test_the_coverage_table_names_every_kind_of_record_once():
    assert set(coverage_table()) == set(ROWS)


def test_the_coverage_table_matches_the_loaded_record(loaded):
    in_database = {}
    for key, (model, field) in ROWS.items():
        low = high = "—"
        if field:
            bounds = model.objects.aggregate(low=Min(field), high=Max(field))
            low, high = str(bounds["low"]), str(bounds["high"])
        in_database[key] = [low, high, str(model.objects.count())]
    assert coverage_table() == in_database


def provenance_tables() -> list[list[list[str]]]:
    """The tables of fixtures/README.md's provenance section, each as its rows of cells (past header and rule)."""
    readme = (settings.BASE_DIR / "fixtures" / "README.md").read_text()
    section = readme.split("## Provenance of the citations", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    tables, lines = [], []
    for line in [*section.splitlines(), ""]:
        if line.startswith("| "):
            lines.append([cell.strip() for cell in line.strip("|").split("|")])
        elif lines:
            tables.append(lines[2:])
            lines = []
    return tables


def test_the_provenance_tables_match_the_loaded_record(loaded):
    sources_table, records_table = provenance_tables()
    grades = [Source.objects.filter(provenance=grade).count() for grade in ("original", "report", "copy")]
    named = Source.objects.exclude(copy_of="").count()
    read = Source.objects.filter(copy_of_read=True).count()
    assert sources_table == [[str(n) for n in [Source.objects.count(), *grades, named, read]]]

    in_database = []
    for model in citing_models():
        counts = dict.fromkeys(["original", "report", "copy", "none"], 0)
        for record in model.objects.prefetch_related("sources"):
            cited = {source.provenance for source in record.sources.all()}
            counts[next((grade for grade in counts if grade in cited), "none")] += 1
        resource = reverse(f"{model._meta.model_name}-list").strip("/").split("/")[-1]
        in_database.append([resource, str(sum(counts.values())), *map(str, counts.values())])
    assert records_table == sorted(in_database)

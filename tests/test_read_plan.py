"""Read plans (tracker/reading/plan.py): what they decide and why, ``explain_reads``, DRF's SkipField, and the
private framework attributes the read paths rely on, checked so that a framework change fails here."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.models.query import ValuesListIterable
from rest_framework import serializers

from letters.models import GrantAward, Letter
from letters.serializers import GrantAwardSerializer
from letters.views import GrantAwardViewSet
from reports.api_urls import router
from tests import factories as f
from tracker.api.explain import resource_plan
from tracker.reading.plan import Decision
from tracker.reading.rows import RecordIterable, as_rows

POSTGRESQL = connection.vendor == "postgresql"


def explain(*args) -> str:
    out = StringIO()
    call_command("explain_reads", *args, stdout=out)
    return out.getvalue()


def test_explain_reads_tells_a_fast_resource_from_a_slow_one():
    grants, letters = explain("grants"), explain("letters")
    assert "records (a list's page, a detail): rows — every field is a column" in grants
    assert "records (a list's page, a detail): instances — field `recipients` lists children" in letters
    assert "children `recipients` (LetterRecipient): rows" in letters
    assert "CSV export: Python CSV — the records are instances: field `recipients` lists children" in letters
    if POSTGRESQL:
        assert "CSV export: SQL CSV — the records are rows and PostgreSQL writes every cell" in grants
        assert "their JSON: stored JSON — the database keeps each row as shown (`shown_json`)" in letters
    else:
        assert "CSV export: Python CSV — only PostgreSQL writes CSV lines (this database: sqlite)" in grants
        assert "their JSON: built JSON — only PostgreSQL keeps the shown JSON" in letters


def test_explain_reads_takes_a_shape():
    expanded = explain("grants", "--expand", "jurisdiction")
    assert "Shape: expand=jurisdiction." in expanded
    python_only = "field `jurisdiction` (JurisdictionSerializer) is written in Python only"
    assert f"CSV export: Python CSV — {python_only}" in expanded
    assert "rows — every field" in explain("letters", "--fields", "slug,subject")


def test_explain_reads_names_what_it_cannot_explain():
    with pytest.raises(CommandError, match=r"^No resource 'nosuch'\. Choose from: case-parties, .*grants"):
        explain("nosuch")
    with pytest.raises(CommandError) as refused:
        explain("grants", "--expand", "bogus")
    assert str(refused.value) == "expand: Unknown field 'bogus'. Choose from: jurisdiction."


class GrantWithMethodSerializer(GrantAwardSerializer):
    shout = serializers.SerializerMethodField()

    class Meta(GrantAwardSerializer.Meta):
        fields = [*GrantAwardSerializer.Meta.fields, "shout"]

    def get_shout(self, grant) -> str:
        return "!"


class GrantWithMethodViewSet(GrantAwardViewSet):
    serializer_class = GrantWithMethodSerializer


def test_a_method_field_is_reported_slow_with_its_reason():
    plan = resource_plan(GrantWithMethodViewSet)
    assert plan.records == Decision("instances", "field `shout` is a SerializerMethodField")
    assert plan.csv == Decision("Python CSV", "the records are instances: field `shout` is a SerializerMethodField")


def test_every_slow_resource_names_the_field_that_makes_it_slow():
    for prefix, viewset, _ in router.registry:
        plan = resource_plan(viewset)
        slow = [plan.records] if plan.records.choice == "instances" else []
        slow += [plan.csv] if POSTGRESQL and plan.csv.choice != "SQL CSV" else []
        assert all("field `" in decision.why or "link `" in decision.why for decision in slow), prefix


class Absent(serializers.Field):
    def to_representation(self, value):
        return value


class GrantWithAbsentSerializer(GrantAwardSerializer):
    absent = Absent(source="no_such_attribute", required=False)

    class Meta(GrantAwardSerializer.Meta):
        fields = [*GrantAwardSerializer.Meta.fields, "absent"]


def test_a_field_that_skips_itself_is_left_out_as_drf_leaves_it(world):
    grant = GrantAward.objects.first()
    shown = GrantWithAbsentSerializer(grant).data
    assert "absent" not in shown
    assert shown["id"] == grant.pk


def test_drfs_readable_fields_are_the_fields_not_write_only():
    serializer = GrantAwardSerializer()
    readable = list(serializer._readable_fields)
    assert [field.field_name for field in readable] == [
        name for name, field in serializer.fields.items() if not field.write_only
    ]


def test_drf_keeps_a_serializers_context_and_data_where_a_kept_serializer_resets_them(world):
    serializer = GrantAwardSerializer(GrantAward.objects.first())
    serializer._context = {"kept": True}
    assert serializer.context == {"kept": True}
    first = serializer.data
    assert serializer._data == first
    del serializer._data
    serializer.instance = GrantAward.objects.last()
    assert serializer.data["id"] == GrantAward.objects.last().pk
    invalid = GrantAwardSerializer(data={"amount": "not a number"})
    assert not invalid.is_valid() and invalid._errors


def test_drfs_declared_fields_are_the_serializers_own():
    assert "sources" in GrantAwardSerializer._declared_fields


def test_djangos_values_list_keeps_its_names_and_result_class(world):
    values = GrantAward.objects.values_list("pk", "amount")
    assert values._fields == ("pk", "amount") and values._iterable_class is ValuesListIterable
    rows = as_rows(GrantAward.objects.order_by("pk"), "pk", "amount")
    assert rows._iterable_class is RecordIterable
    assert [row.pk for row in rows] == list(GrantAward.objects.order_by("pk").values_list("pk", flat=True))


def test_djangos_prefetch_lookups_and_cache_are_where_the_read_paths_look(world):
    f.LetterFactory()
    queryset = Letter.objects.prefetch_related("letter_recipients")
    assert queryset._prefetch_related_lookups == ("letter_recipients",)
    letter = queryset.first()
    assert "letter_recipients" in letter._prefetched_objects_cache and letter._state.db in connections

"""The house's rules, checked: lists derived from the models stay whole, and no function grows past its bound."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from radon.complexity import cc_visit
from radon.visitors import Function
from simple_history.models import registered_models

from reports.changes import TRACKED
from tracker.models import IdempotencyKey, ReferenceFile, Release, Revision, TrackedModel, record_models
from tracker.releases import public_models
from tracker.serving.dataversion import record_tables

ROOT = Path(__file__).resolve().parent.parent
APPS = ["tracker", "cities", "letters", "reports"]
MOST_COMPLEX = 15

pytestmark = pytest.mark.django_db  # the suite's session fixtures build on the test database


def test_every_record_that_keeps_a_history_is_in_the_changes_feed_or_inside_its_parent():
    with_history = {model for model in registered_models.values() if issubclass(model, TrackedModel)}
    assert with_history == set(TRACKED.values()) | {model for model in with_history if not model.IN_FEEDS}
    assert all(model.PARENT for model in with_history if not model.IN_FEEDS)


def test_the_feed_names_are_the_api_names_of_old():
    # The names clients filter by (model=) do not change when the list is derived.
    assert list(TRACKED) == [
        "jurisdiction",
        "official",
        "policy",
        "letter",
        "grant",
        "case",
        "ruling",
        "event",
        "designation-list",
        "designation",
        "source",
    ]


def test_every_record_and_what_it_links_to_is_released_and_nothing_that_names_editors():
    released = public_models()
    assert set(record_models()) <= set(released)
    assert {model.__name__ for model in released} - {model.__name__ for model in record_models()} == {"Court"}
    assert not {Release, Revision, ReferenceFile, IdempotencyKey} & set(released)
    assert not [model for model in released if hasattr(model, "instance_type")]  # no audit history


def test_every_table_of_a_record_counts_toward_the_data_version():
    tables = set(record_tables())
    for model in record_models():
        assert model._meta.db_table in tables
        assert model.history.model._meta.db_table in tables
        assert {field.remote_field.through._meta.db_table for field in model._meta.many_to_many} <= tables


def test_the_editors_may_add_change_and_view_every_released_model_and_delete_none():
    # The group's permissions are granted by data migrations: a model added without its grant fails here.
    granted = set(Group.objects.get(name="editors").permissions.values_list("content_type__model", "codename"))
    for model in public_models():
        name = model._meta.model_name
        assert {(name, f"{action}_{name}") for action in ("add", "change", "view")} <= granted, name
    assert not [codename for _, codename in granted if codename.startswith("delete_")]


def test_no_function_of_the_apps_is_more_complex_than_the_bound():
    over = [
        f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname} ({block.complexity})"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for block in cc_visit(path.read_text())
        if isinstance(block, Function) and block.complexity > MOST_COMPLEX
    ]
    assert over == []

"""The house's rules, checked: lists derived from the models stay whole, and no function grows past its bound."""

from pathlib import Path

import pytest
from radon.complexity import cc_visit
from radon.visitors import Function
from simple_history.models import registered_models

from reports.changes import TRACKED
from tracker.models import TrackedModel

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

"""Every edit leaves an audit record naming the fields it changed."""

import pytest

from tests.factories import GrantAwardFactory, JurisdictionFactory

pytestmark = pytest.mark.django_db


def test_an_edit_creates_a_history_record_with_the_changed_field():
    jurisdiction = JurisdictionFactory(name="City of Chicago", sources=[])
    jurisdiction.name = "City of Chicago, Illinois"
    jurisdiction.save()

    latest, first = jurisdiction.history.all()[:2]
    assert latest.history_type == "~"
    assert first.history_type == "+"
    delta = latest.diff_against(first)
    assert delta.changed_fields == ["name"]
    assert delta.changes[0].old == "City of Chicago"
    assert delta.changes[0].new == "City of Chicago, Illinois"


def test_a_grant_status_change_is_kept_as_history():
    grant = GrantAwardFactory(status="withheld", sources=[])
    grant.status = "released_by_court_order"
    grant.save()

    assert [h.status for h in grant.history.all()] == ["released_by_court_order", "withheld"]


def test_history_reads_a_record_as_of_a_past_moment():
    jurisdiction = JurisdictionFactory(name="Old name")
    moment = jurisdiction.history.latest().history_date
    jurisdiction.name = "New name"
    jurisdiction.save()

    assert jurisdiction.history.as_of(moment).name == "Old name"

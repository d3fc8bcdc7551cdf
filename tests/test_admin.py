"""The editors' admin: fast changelists, history, optimistic locking, CSV import/export, roles."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from cities.models import Jurisdiction
from letters.models import GrantAward, Letter
from tests import factories as f
from tests.conftest import cited, publish, sign_in
from tracker.models import Revision

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "tracker/source",
    "cities/jurisdiction",
    "cities/official",
    "cities/policy",
    "letters/letter",
    "letters/letterrecipient",
    "letters/grantaward",
    "letters/courtcase",
    "letters/caseparty",
    "letters/ruling",
    "letters/event",
    "letters/eventparticipant",
    "letters/designationlist",
    "letters/designation",
]


@pytest.fixture
def editor_browser(client, editor):
    return sign_in(client, editor)


def build_rows(n: int) -> None:
    for _ in range(n):
        recipient = f.LetterRecipientFactory()
        f.OfficialFactory(jurisdiction=recipient.jurisdiction)
        f.PolicyFactory(jurisdiction=recipient.jurisdiction)
        f.GrantAwardFactory(jurisdiction=recipient.jurisdiction)
        f.CasePartyFactory(jurisdiction=recipient.jurisdiction)
        f.RulingFactory()
        f.EventParticipantFactory(jurisdiction=recipient.jurisdiction)
        f.DesignationFactory(jurisdiction=recipient.jurisdiction)


def changelist_queries(client, path, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/admin/{path}/").status_code == 200
    return len(captured)


def test_every_changelist_runs_the_same_queries_for_2_rows_as_for_20(editor_browser, django_assert_max_num_queries):
    build_rows(2)
    few = {path: changelist_queries(editor_browser, path, django_assert_max_num_queries) for path in CHANGELISTS}
    build_rows(18)
    many = {path: changelist_queries(editor_browser, path, django_assert_max_num_queries) for path in CHANGELISTS}
    # Any changelist whose count grows with its rows (an N+1), with both counts.
    assert {path: (few[path], many[path]) for path in CHANGELISTS if many[path] != few[path]} == {}


def test_the_letter_changelist_query_count_is_pinned(editor_browser, django_assert_num_queries):
    build_rows(5)
    # 1 session, 2 user, 3 the second factor's device, 4-5 the user's and the group's permissions,
    # 6-7 counts (filtered and total), 8 the page of letters, 9-10 the date hierarchy (range, then days),
    # 11 the sender_office filter's choices; the working versions (tracker/review/working.py): 12 a savepoint,
    # 13 the pending revisions, 14 the rollback to the savepoint, 15 its release
    with django_assert_num_queries(15):
        editor_browser.get("/admin/letters/letter/")


def test_an_editor_can_add_and_change_but_not_delete(editor_browser, world):
    letter = Letter.objects.get(slug="2018-01-24-demands")
    assert editor_browser.get(f"/admin/letters/letter/{letter.pk}/change/").status_code == 200
    assert editor_browser.get("/admin/letters/letter/add/").status_code == 200
    assert editor_browser.get(f"/admin/letters/letter/{letter.pk}/delete/").status_code == 403


def test_a_change_form_shows_the_records_facts_before_the_editors_notes(editor_browser, world):
    letter = Letter.objects.get(slug="2018-01-24-demands")
    response = editor_browser.get(f"/admin/letters/letter/{letter.pk}/change/")
    fields = [field.field for fieldset in response.context["adminform"] for line in fieldset for field in line]
    shown = [field["name"] if isinstance(field, dict) else field.name for field in fields]  # read-only: a dict

    assert shown[:3] == ["slug", "sent_on", "sender_office"]
    assert shown.index("notes") > shown.index("sources") > shown.index("subject")
    assert shown[-5:] == ["review_state", "checked_at", "api_link", "created_at", "updated_at"]


def test_a_record_links_to_its_api_url_and_a_case_to_courtlistener(editor_browser, world):
    case = world["chicago"].cases.get(court="ilnd")
    html = editor_browser.get(f"/admin/letters/courtcase/{case.pk}/change/").content.decode()
    assert "/api/v1/cases/chicago-v-sessions-ilnd/" in html
    assert "https://www.courtlistener.com/?type=r&amp;court=ilnd&amp;docket_number=1%3A17-cv-05720" in html


def change_form_data(client, url: str) -> dict:
    """The change form's fields as a browser would post them back, unchanged."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data["sources"] = [source.pk for source in form.instance.sources.all()]
    inlines = response.context.get("inline_admin_formsets", [])
    for formset in inlines:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[inline_form.add_prefix(name)] = "" if value is None else value
    return data


def test_the_second_of_two_concurrent_saves_is_refused(client, editor, world):
    other = User.objects.create_user("other", is_staff=True)
    other.groups.add(*editor.groups.all())
    url = f"/admin/cities/jurisdiction/{world['chicago'].pk}/change/"
    sign_in(client, editor)
    mine = change_form_data(client, url)

    sign_in(client, other)
    theirs = change_form_data(client, url)
    theirs.update(name="Chicago (their edit)", change_reason="Its full name")
    assert client.post(url, theirs).status_code == 302

    sign_in(client, editor)
    mine.update(name="Chicago (my edit)", change_reason="Its full name")
    response = client.post(url, mine)

    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert Revision.objects.get().content[0]["fields"]["name"] == "Chicago (their edit)"


def test_a_fresh_form_saves_a_revision_and_the_history_shows_who_published_which_field(
    editor_browser, editor, checker, world
):
    url = f"/admin/cities/jurisdiction/{world['chicago'].pk}/change/"
    data = change_form_data(editor_browser, url)
    data.update(name="City of Chicago, Illinois", change_reason="Its full name")
    assert editor_browser.post(url, data).status_code == 302
    assert Jurisdiction.objects.get(pk=world["chicago"].pk).name == "City of Chicago"  # until checked
    assert "City of Chicago, Illinois" in editor_browser.get(url).content.decode()
    publish(checker, Jurisdiction, slug="chicago-il")

    latest = world["chicago"].history.latest()
    assert (latest.history_user, latest.history_change_reason) == (checker, "Its full name")
    history = editor_browser.get(f"/admin/cities/jurisdiction/{world['chicago'].pk}/history/").content.decode()
    assert "City of Chicago, Illinois" in history
    assert "checker" in history


def test_an_editor_reverts_a_record_to_an_earlier_version_as_a_pending_revision(editor_browser, world, checker):
    chicago = world["chicago"]
    original = chicago.history.earliest()
    chicago.name = "Vandalised"
    chicago.save()

    url = f"/admin/cities/jurisdiction/{chicago.pk}/history/{original.history_id}/"
    data = change_form_data(editor_browser, url)
    response = editor_browser.post(url, {**data, "change_reason": "Undo vandalism"})

    assert response.status_code == 302
    assert Revision.objects.get().content[0]["fields"]["name"] == "City of Chicago"
    assert publish(checker, Jurisdiction, slug="chicago-il").name == "City of Chicago"


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("grants.csv", text.encode(), content_type="text/csv")


GRANT_HEADER = "jurisdiction,program,fiscal_year,amount,status,status_date,award_number,notes,sources\n"


def test_a_csv_import_with_one_bad_row_imports_nothing_and_names_the_row(editor_browser, world):
    before = GrantAward.objects.count()
    csv = (
        GRANT_HEADER
        + "chicago-il,byrne_jag,2019,1000.00,awarded,2019-10-01,,,\n"
        + "cook-county-il,byrne_jag,2019,-5.00,awarded,2019-10-01,,,\n"
    )
    response = editor_browser.post(
        "/admin/letters/grantaward/import/",
        {"import_file": csv_upload(csv), "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert "Some rows failed to validate" in response.content.decode()
    invalid = response.context["result"].invalid_rows
    assert [(row.number, row.field_specific_errors) for row in invalid] == [
        (2, {"amount": ["Ensure this value is greater than or equal to 0."]})
    ]
    assert "confirm_form" not in response.context
    assert GrantAward.objects.count() == before


def test_a_good_csv_previews_then_imports_by_slug(editor_browser, editor, world):
    csv = GRANT_HEADER + f"cook-county-il,byrne_jag,2019,1000.00,awarded,2019-10-01,,,{cited()[0]}\n"
    preview = editor_browser.post(
        "/admin/letters/grantaward/import/",
        {"import_file": csv_upload(csv), "format": "0", "resource": "0"},
    )
    assert preview.status_code == 200
    assert not GrantAward.objects.filter(fiscal_year=2019).exists()

    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = editor_browser.post("/admin/letters/grantaward/process_import/", data)

    assert response.status_code == 302
    assert not GrantAward.objects.filter(fiscal_year=2019).exists()  # a draft, until checked
    assert [user.username for user in Revision.objects.get().authors.all()] == [editor.username]


def test_an_export_names_related_records_by_slug(editor_browser, world):
    response = editor_browser.post(
        "/admin/letters/grantaward/export/", {"format": "0", "resource": "0", "export_items": []}
    )
    if response.status_code != 200 or "text/csv" not in response.get("Content-Type", ""):
        fields = [name for name in response.context["form"].fields if name.startswith("grantawardresource_")]
        response = editor_browser.post(
            "/admin/letters/grantaward/export/", {"format": "0", "resource": "0", **{name: "on" for name in fields}}
        )
    text = response.content.decode()
    header = text.splitlines()[0]
    assert header.startswith("jurisdiction,program,fiscal_year,amount")
    assert "chicago-il,byrne_jag,2017,2019194.00,withheld" in text


def export_csv(client, path: str, resource_prefix: str) -> str:
    response = client.post(path, {"format": "0", "resource": "0", "export_items": []})
    if response.status_code != 200 or "text/csv" not in response.get("Content-Type", ""):
        fields = [name for name in response.context["form"].fields if name.startswith(resource_prefix)]
        response = client.post(path, {"format": "0", "resource": "0", **{name: "on" for name in fields}})
    return response.content.decode()


def test_an_export_neutralizes_formulas_in_text_cells_but_not_numbers(editor_browser, world):
    grant = GrantAward.objects.get(jurisdiction=world["chicago"])
    GrantAward.objects.filter(pk=grant.pk).update(
        notes='=HYPERLINK("https://example.org","click")', award_number="-2+3+cmd|' /C calc'!A0"
    )
    Jurisdiction.objects.filter(pk=world["chicago"].pk).update(notes="=1+1", longitude="-87.6298")

    grants = export_csv(editor_browser, "/admin/letters/grantaward/export/", "grantawardresource_")
    chicago = next(line for line in grants.splitlines() if line.startswith("chicago-il,"))
    assert chicago.startswith("chicago-il,byrne_jag,2017,2019194.00,withheld,")
    assert """,'-2+3+cmd|' /C calc'!A0,"'=HYPERLINK(""https://example.org"",""click"")",""" in chicago
    places = export_csv(editor_browser, "/admin/cities/jurisdiction/export/", "jurisdictionresource_")
    chicago = next(line for line in places.splitlines() if line.startswith("chicago-il,"))
    assert ",-87.629800," in chicago  # a number, as it is
    assert ",'=1+1," in chicago


def test_an_import_cannot_change_a_published_record_without_a_reason(editor_browser, world):
    GrantAward.objects.filter(jurisdiction=world["chicago"]).update(notes="=1+1", award_number="@SUM(A1)")
    exported = export_csv(editor_browser, "/admin/letters/grantaward/export/", "grantawardresource_")
    GrantAward.objects.filter(jurisdiction=world["chicago"]).update(notes="", award_number="")

    preview = editor_browser.post(
        "/admin/letters/grantaward/import/",
        {"import_file": csv_upload(exported), "format": "0", "resource": "0"},
    )
    confirm = preview.context["confirm_form"]
    editor_browser.post("/admin/letters/grantaward/process_import/", {n: confirm[n].value() for n in confirm.fields})
    assert not Revision.objects.exists()


def test_a_neutralized_export_imports_back_unchanged_with_its_reason(editor_browser, world, checker):
    GrantAward.objects.filter(jurisdiction=world["chicago"]).update(notes="=1+1", award_number="@SUM(A1)")
    exported = export_csv(editor_browser, "/admin/letters/grantaward/export/", "grantawardresource_")
    GrantAward.objects.filter(jurisdiction=world["chicago"]).update(notes="", award_number="")

    preview = editor_browser.post(
        "/admin/letters/grantaward/import/",
        {"import_file": csv_upload(exported), "format": "0", "resource": "0", "change_reason": "Restored"},
    )
    confirm = preview.context["confirm_form"]
    assert confirm["change_reason"].value() == "Restored"
    editor_browser.post("/admin/letters/grantaward/process_import/", {n: confirm[n].value() for n in confirm.fields})
    grant = publish(checker, GrantAward, notes="=1+1")
    assert (grant.notes, grant.award_number) == ("=1+1", "@SUM(A1)")
    assert grant.history.latest().history_change_reason == "Restored"


def test_the_import_page_asks_for_the_reason(editor_browser, world):
    html = editor_browser.get("/admin/letters/grantaward/import/").content.decode()
    assert 'name="change_reason"' in html

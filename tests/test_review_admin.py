"""The editors' desk in the admin: reasons, readable history, two-person checks, the review queue."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from letters.models import Letter
from tests import factories as f
from tests.conftest import cited, publish, sign_in
from tests.test_admin import change_form_data
from tracker.models import Revision

pytestmark = pytest.mark.django_db


def editor_named(name: str) -> User:
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


def written_by(client, user: User, subject: str = "Corrected subject") -> Letter:
    """A published letter that ``user`` edited in the admin: its edit waits as a pending revision."""
    letter = f.LetterFactory()
    url = f"/admin/letters/letter/{letter.pk}/change/"
    sign_in(client, user)
    data = {**change_form_data(client, url), "subject": subject, "change_reason": "Per DOJ"}
    assert client.post(url, data).status_code == 302
    return letter


def act(client, action: str, letter: Letter):
    return client.post("/admin/letters/letter/", {"action": action, "_selected_action": [letter.pk]}, follow=True)


def test_an_editor_cannot_check_the_record_they_changed(client):
    ana = editor_named("ana")
    letter = written_by(client, ana)
    response = act(client, "mark_checked", letter)

    assert "a second editor must check it." in response.content.decode()
    assert Revision.objects.get().state == "draft"


def test_a_second_editor_checks_and_publishes_with_one_history_row(client):
    letter = written_by(client, editor_named("ana"))
    ben = editor_named("ben")
    sign_in(client, ben)

    assert "1 marked checked." in act(client, "mark_checked", letter).content.decode()
    assert Revision.objects.get().state == "checked"
    assert Letter.objects.get(pk=letter.pk).subject != "Corrected subject"
    assert "1 marked published." in act(client, "publish", letter).content.decode()

    letter.refresh_from_db()
    assert letter.subject == "Corrected subject"
    latest = letter.history.latest()
    assert (latest.review_state, latest.history_user, latest.history_change_reason) == ("published", ben, "Per DOJ")


def test_the_review_queue_counts_what_waits_and_links_to_it(client):
    ana = editor_named("ana")
    written_by(client, ana)
    checked = written_by(client, ana)
    ben = editor_named("ben")
    sign_in(client, ben)
    act(client, "mark_checked", checked)
    html = client.get("/admin/review/").content.decode()

    assert '<a href="/admin/letters/letter/?review_state__exact=draft">1</a>' in html
    assert '<a href="/admin/letters/letter/?review_state__exact=checked">1</a>' in html


def test_an_edit_of_a_published_record_without_a_reason_is_refused(client):
    letter = f.LetterFactory(review_state="published")
    url = f"/admin/letters/letter/{letter.pk}/change/"
    sign_in(client, editor_named("ana"))
    data = {**change_form_data(client, url), "subject": "Corrected subject"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "change_reason": ["This record is published: say why you change it."]
    }
    letter.refresh_from_db()
    assert letter.subject != "Corrected subject"


def test_the_reason_goes_into_the_history_of_the_record_and_its_inline_rows(client):
    letter = f.LetterFactory(review_state="published")
    recipient = f.LetterRecipientFactory(letter=letter)
    url = f"/admin/letters/letter/{letter.pk}/change/"
    sign_in(client, editor_named("ana"))
    data = change_form_data(client, url)
    data |= {"subject": "Corrected subject", "letter_recipients-0-addressee": "Mayor", "change_reason": "Per DOJ"}

    assert client.post(url, data).status_code == 302

    assert Revision.objects.get().reasons() == "Per DOJ"
    publish(editor_named("ben"), Letter, slug=letter.slug)
    letter.refresh_from_db()
    assert (letter.review_state, letter.history.latest().history_change_reason) == ("published", "Per DOJ")
    assert recipient.history.latest().history_change_reason == "Per DOJ"


def test_the_history_shows_whole_values_a_word_diff_the_editor_and_the_reason(client):
    ana = editor_named("ana")
    old = "Orders the city to produce every record on detainers, and threatens a subpoena if it does not comply."
    new = "Orders the city to produce all records on detainers, and threatens a subpoena if it does not comply."
    letter = f.LetterFactory.build(summary=old)
    letter._history_user = ana
    letter.save()
    letter.summary, letter._change_reason = new, "Quoted the letter exactly"
    letter.save()

    html = sign_in(client, ana).get(f"/admin/letters/letter/{letter.pk}/history/").content.decode()

    assert "Orders the city to produce <del>every record </del>on detainers" in html
    assert "Orders the city to produce <ins>all records </ins>on detainers" in html
    assert "does not comply." in html
    assert '<td class="history-reason">Quoted the letter exactly</td>' in html
    assert '<td class="history-reason">—</td>' in html  # the creation gave none
    assert '<td class="history-editor">ana</td>' in html


def test_view_site_goes_to_the_api(client):
    html = sign_in(client, editor_named("ana")).get("/admin/").content.decode()
    assert '<a href="/api/v1/">View site</a>' in html


def test_the_source_picker_names_publisher_date_and_host_and_finds_a_url(client):
    f.SourceFactory(
        url="https://www.justice.gov/opa/pr/justice-department-demands-documents",
        title="Justice Department demands documents",
        publisher="U.S. Department of Justice",
        published_on="2018-01-24",
    )
    sign_in(client, editor_named("ana"))
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "letters", "model_name": "letter", "field_name": "sources", "term": "opa/pr/justice-department"},
    )

    assert [row["text"] for row in response.json()["results"]] == [
        "Justice Department demands documents — U.S. Department of Justice, 2018-01-24, www.justice.gov"
    ]


def test_a_csv_import_cannot_publish_a_record(client, world):
    sign_in(client, editor_named("ana"))
    csv = "jurisdiction,program,fiscal_year,status,review_state\nchicago-il,byrne_jag,2019,awarded,published\n"
    upload = SimpleUploadedFile("grants.csv", csv.encode(), content_type="text/csv")
    preview = client.post("/admin/letters/grantaward/import/", {"import_file": upload, "format": "0", "resource": "0"})
    confirm = preview.context["confirm_form"]
    client.post("/admin/letters/grantaward/process_import/", {name: confirm[name].value() for name in confirm.fields})

    assert not world["chicago"].grants.filter(fiscal_year=2019).exists()
    assert Revision.objects.filter(state="published").count() == 0


def test_a_superuser_discards_a_draft_never_published(admin_client, editor_client, world):
    body = {
        "slug": "2030-01-05-draft",
        "sent_on": "2030-01-05",
        "kind": "warning",
        "subject": "A draft",
        "sender_office": "Office of the Attorney General",
        "sources": cited(),
    }
    assert editor_client.post("/api/v1/letters/", body, format="json").status_code == 201
    draft = Revision.objects.get()
    delete = f"/admin/letters/letter/{draft.object_id}/delete/"
    assert "A draft" in admin_client.get(delete).content.decode()
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Revision.objects.exists()

"""An editor, in a real browser (Debian's Chromium driven by Playwright), signs in with a
password and an authenticator's token, adds a letter with two recipients through the
inline and the autocomplete; the API serves it; a second browser session saving the
same record at the same time is refused."""

import os

import pytest
import requests
from django.contrib.auth.models import Group, User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from letters.models import Letter
from tests.conftest import CHROMIUM, publish
from tests.factories import JurisdictionFactory, LetterFactory, SourceFactory
from tracker.models import Revision

PASSWORD = "a long editor passphrase"

pytestmark = [
    pytest.mark.realtools,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Locally without Chromium this is skipped; in CI (which installs it) it always runs.
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="needs Debian's chromium (apt-get install chromium)",
    ),
]


@pytest.fixture
def editor_account():
    user = User.objects.create_user("newsroom", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


def signed_in_page(browser, live_server, path: str, username: str = "newsroom", width: int = 1366):
    """A new browser session of ``username``, signed in with the password and a token from an authenticator app."""
    # A device per session: a TOTP token is accepted once, and two sessions may sign in within one 30 s step.
    device = TOTPDevice.objects.create(
        user=User.objects.get(username=username), name=f"Phone {TOTPDevice.objects.count()}"
    )
    page = browser.new_context(viewport={"width": width, "height": 768}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    # One page: username, password and the code (as an editor with one authenticator signs in).
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    page.click("input[type=submit]")
    if TOTPDevice.objects.filter(user__username=username).count() > 1:
        # A second session's device: with several, the page asks which one, then for the code again.
        page.select_option("#id_otp_device", device.persistent_id)
        page.fill("#id_password", PASSWORD)
        page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
        page.click("input[type=submit]")
    page.wait_for_url(f"**{path}")
    return page


def pick(page, select_id: str, text: str) -> None:
    """Choose an option in a Django admin autocomplete (select2) box by typing."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_an_editor_adds_a_letter_with_two_recipients_and_the_api_serves_it_once_checked(
    browser, live_server, editor_account
):
    SourceFactory(title="Justice Department Demands Documents")
    JurisdictionFactory(slug="chicago-il", name="City of Chicago")
    JurisdictionFactory(slug="cook-county-il", name="Cook County", kind="county")
    page = signed_in_page(browser, live_server, "/admin/letters/letter/add/")

    page.fill("#id_slug", "2018-01-24-browser-letter")
    page.fill("#id_sent_on", "2018-01-24")
    page.fill("#id_sender_office", "Bureau of Justice Assistance")
    page.select_option("#id_kind", "document_demand")
    page.fill("#id_subject", "Document demand with subpoena threat")
    page.fill("#id_response_due", "2018-02-23")
    for row, name in enumerate(["City of Chicago", "Cook County"]):
        page.click("#letter_recipients-group .add-row a")
        pick(page, f"id_letter_recipients-{row}-jurisdiction", name)
    pick(page, "id_sources", "Justice Department Demands Documents")
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    # A draft: the editor's own session reads it; the public does not, until a second editor publishes it.
    url = f"{live_server.url}/api/v1/letters/2018-01-24-browser-letter/"
    draft = page.request.get(url).json()
    assert [r["jurisdiction"]["slug"] for r in draft["recipients"]] == ["chicago-il", "cook-county-il"]
    assert (draft["subject"], draft["review_state"]) == ("Document demand with subpoena threat", "draft")
    assert requests.get(url, timeout=10).status_code == 404
    checker = User.objects.create_user("checker", is_staff=True)
    letter = publish(checker, Letter, slug="2018-01-24-browser-letter")
    assert letter.history.get().history_user == checker
    assert requests.get(url, timeout=10).json()["subject"] == "Document demand with subpoena threat"


def test_a_second_session_saving_the_same_letter_is_refused(browser, live_server, editor_account):
    letter = LetterFactory(slug="shared-letter", subject="Original subject")
    path = f"/admin/letters/letter/{letter.pk}/change/"
    first = signed_in_page(browser, live_server, path)
    second = signed_in_page(browser, live_server, path)

    first.fill("#id_subject", "First editor's subject")
    first.fill("#id_change_reason", "The subject as the letter words it")
    first.click("input[name=_save]")
    first.wait_for_selector(".messagelist .success")

    second.fill("#id_subject", "Second editor's subject")
    second.fill("#id_change_reason", "The subject as the letter words it")
    second.click("input[name=_save]")
    second.wait_for_selector(".errornote")

    assert "Someone else saved this record by newsroom after you opened it" in second.content()
    assert Revision.objects.get().content[0]["fields"]["subject"] == "First editor's subject"

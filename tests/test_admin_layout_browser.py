"""The editors' desk in a real browser (Debian's Chromium through Playwright).

With the reference data loaded, the main admin pages fit a 1366 x 768 screen and a
1280 px laptop without sideways scrolling; and two editors walk a record from an
edit through a second person's check to publication, which the API then shows.
Screenshots go to $SCREENSHOT_DIR (default: /tmp/tracker-admin-screenshots).
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import Length

from cities.models import Jurisdiction
from letters.models import CourtCase, GrantAward, Letter
from tests.conftest import CHROMIUM
from tests.factories import SourceFactory
from tests.test_admin_browser import PASSWORD, signed_in_page
from tests.test_public_pages_browser import AXE, AXE_RUN

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/tracker-admin-screenshots"))

pytestmark = [
    pytest.mark.realtools,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="needs Debian's chromium (apt-get install chromium)",
    ),
]

# What sticks out sideways: past the window, out of a box that then scrolls, under the
# changelist's filters, or under the History / View-on-site buttons; a history time or action broken
# across lines; an inline row under its parent's title again.
OVERFLOW = """() => {
    const page = document.documentElement, width = page.clientWidth, found = [];
    const name = (el) => [el.tagName.toLowerCase(), el.id && '#' + el.id, el.className && '.' + el.className].join('');
    const overlap = (a, b) => a && b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    if (page.scrollWidth > width) found.push(`the page is ${page.scrollWidth}px wide`);
    for (const el of document.querySelectorAll('#content *')) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > width + 1) found.push(`${name(el)} ends at ${Math.round(box.right)}px`);
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
        if (scrolls && !el.matches('input, textarea, select') && el.scrollWidth > el.clientWidth + 1) {
            found.push(`${name(el)} scrolls ${el.scrollWidth - el.clientWidth}px sideways`);
        }
    }
    const rect = (selector) => document.querySelector(selector)?.getBoundingClientRect();
    const filters = rect('#changelist-filter'), table = rect('#result_list');
    if (filters && table && table.right > filters.left + 1) found.push('the changelist runs under its filters');
    if (overlap(rect('#content > h2'), rect('.object-tools'))) found.push('the title runs under the buttons');
    for (const cell of document.querySelectorAll('#change-history .history-when, #change-history .history-action')) {
        const words = document.createRange();
        words.selectNodeContents(cell);
        const lines = new Set([...words.getClientRects()].map((box) => Math.round(box.top)));
        if (lines.size > 1) found.push(`"${cell.innerText}" breaks across lines`);
    }
    for (const label of document.querySelectorAll('.inline-group td.original p')) {
        if (label.offsetParent) found.push(`an inline row repeats "${label.innerText.slice(0, 40)}"`);
    }
    return found.slice(0, 8);
}"""


@pytest.fixture
def editors():
    users = [User.objects.create_user(name, password=PASSWORD, is_staff=True) for name in ("newsroom", "checker")]
    for user in users:
        user.groups.add(Group.objects.get(name="editors"))
    return users


def main_pages() -> dict[str, str]:
    """The fullest record of each kind in the reference data, and the lists editors work from."""
    jurisdiction = Jurisdiction.objects.annotate(n=Count("officials") + Count("policies")).order_by("-n").first()
    letter = Letter.objects.annotate(n=Length("subject")).order_by("-n").first()
    addressed = Letter.objects.annotate(n=Count("recipients")).order_by("-n").first()
    case = CourtCase.objects.annotate(n=Count("rulings") + Count("case_parties")).order_by("-n").first()
    grant = GrantAward.objects.annotate(n=Length("notes")).order_by("-n").first()
    return {
        "letter": f"/admin/letters/letter/{letter.pk}/change/",
        "letter-history": f"/admin/letters/letter/{letter.pk}/history/",
        "letter-recipients": f"/admin/letters/letter/{addressed.pk}/change/",
        "jurisdiction": f"/admin/cities/jurisdiction/{jurisdiction.pk}/change/",
        "case": f"/admin/letters/courtcase/{case.pk}/change/",
        "grant": f"/admin/letters/grantaward/{grant.pk}/change/",
        "grants": "/admin/letters/grantaward/",
        "letters": "/admin/letters/letter/",
        "rulings": "/admin/letters/ruling/",
        "cases": "/admin/letters/courtcase/",
        "jurisdictions": "/admin/cities/jurisdiction/",
        "sources": "/admin/tracker/source/",
        "review": "/admin/review/",
    }


def test_the_main_pages_fit_1366_and_1280_pixels_without_sideways_scrolling(browser, live_server, editors):
    call_command("load_reference_data", verbosity=0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflowing = {}
    for width in (1366, 1280):
        page = signed_in_page(browser, live_server, "/admin/", width=width)
        for name, path in main_pages().items():
            page.goto(f"{live_server.url}{path}")
            page.screenshot(path=SCREENSHOTS / f"{width}-{name}.png", full_page=True)
            found = page.evaluate(OVERFLOW)
            if found:
                overflowing[f"{width} {name}"] = found
    assert overflowing == {}


def act(page, action: str) -> str:
    """Tick the only row of the changelist, run an action, and return the message it gives."""
    page.check("#result_list input.action-select")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    return page.inner_text(".messagelist")


def test_a_second_editor_checks_an_edit_before_it_is_published(browser, live_server, editors):
    letter = Letter.objects.create(
        slug="2018-01-24-demands",
        sent_on="2018-01-24",
        kind="document_demand",
        subject="Document demand",
        sender_office="Bureau of Justice Assistance",
    )
    letter.sources.set([SourceFactory()])
    path = f"/admin/letters/letter/{letter.pk}/change/"
    writer = signed_in_page(browser, live_server, path)

    writer.fill("#id_subject", "Document demand with subpoena threat")
    writer.click("input[name=_save]")
    assert "This record is published: say why you change it." in writer.inner_text(".errorlist")
    writer.fill("#id_change_reason", "DOJ's press release names the subpoena threat")
    writer.click("input[name=_save]")
    writer.wait_for_selector(".messagelist .success")

    writer.click("text=Awaiting a check")
    writer.click("#review-queue a[href$='review_state__exact=draft']")
    assert "a second editor must check it" in act(writer, "mark_checked")

    checker = signed_in_page(browser, live_server, "/admin/review/", username="checker")
    checker.click("#review-queue a[href$='review_state__exact=draft']")
    assert "1 marked checked." in act(checker, "mark_checked")
    checker.goto(f"{live_server.url}/admin/letters/letter/?review_state__exact=checked")
    assert "1 marked published." in act(checker, "publish")

    api = checker.request.get(f"{live_server.url}/api/v1/letters/2018-01-24-demands/").json()
    assert (api["subject"], api["review_state"]) == ("Document demand with subpoena threat", "published")
    assert api["checked_at"] is not None and "checker" not in str(api)
    checker.goto(f"{live_server.url}/admin/letters/letter/{letter.pk}/history/")
    history = checker.inner_text("#change-history")
    assert "DOJ's press release names the subpoena threat" in history  # one entry, when it was published
    assert "checker" in history


def test_the_letter_form_has_no_serious_accessibility_violation_and_fits_a_phone(browser, live_server, editors):
    call_command("load_reference_data", verbosity=0)
    letter = Letter.objects.annotate(n=Count("recipients")).order_by("-n").first()
    page = signed_in_page(browser, live_server, f"/admin/letters/letter/{letter.pk}/change/")
    page.evaluate(AXE)
    assert page.evaluate(AXE_RUN) == []
    # On a phone too, the page does not scroll sideways (its recipients' table scrolls within its own box).
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

"""The landing page and a place's page in a real browser (Debian's Chromium through Playwright), with the
reference data loaded, at 1366 px and at 390 px: everything on them comes from the site itself (no request
elsewhere, nothing refused by the Content-Security-Policy, every picture drawn), nothing scrolls the page
sideways, and axe-core finds no serious or critical WCAG 2.1 A or AA violation.

Screenshots go to $SCREENSHOT_DIR (default /tmp/tracker-page-screenshots); the README's are made with
SCREENSHOT_DIR=docs/screenshots.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import CHROMIUM

AXE = (Path(__file__).parent / "axe" / "axe.min.js").read_text()
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/tracker-page-screenshots"))
WIDTHS = (1366, 390)

pytestmark = [
    pytest.mark.realtools,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="needs Debian's chromium (apt-get install chromium)",
    ),
]

# Tables and details opened, so that axe checks what they hold too; then WCAG 2.0 and 2.1, A and AA.
AXE_RUN = """async () => {
    document.querySelectorAll('details').forEach((details) => { details.open = true; });
    const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
    return result.violations
        .filter((violation) => ['serious', 'critical'].includes(violation.impact))
        .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}"""

# What makes the page wider than the window, and any picture that did not load.
LAYOUT = """() => {
    const page = document.documentElement, found = [];
    if (page.scrollWidth > page.clientWidth) found.push(`the page is ${page.scrollWidth}px wide`);
    for (const image of document.images) {
        if (!image.complete || image.naturalWidth === 0) found.push(`${image.src} is not drawn`);
    }
    return found;
}"""


def problems(browser, live_server, path: str, name: str, width: int) -> list[str]:
    """What is wrong with the page at ``path`` at ``width``: requests elsewhere, console errors (a CSP
    refusal, a 404), overflow, undrawn pictures, axe's serious and critical violations."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    elsewhere, errors = [], []
    page.on("request", lambda request: request.url.startswith(live_server.url) or elsewhere.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    height = min(page.evaluate("document.documentElement.scrollHeight"), 2400)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    clip = {"x": 0, "y": 0, "width": width, "height": height}  # the top of a long page
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True, clip=clip)
    found = page.evaluate(LAYOUT)
    page.evaluate(AXE)  # through the DevTools protocol: the page's CSP does not apply to it
    found += page.evaluate(AXE_RUN)
    context.close()
    return found + [f"request to {url}" for url in elsewhere] + [f"console: {text}" for text in errors]


def check(browser, live_server, path: str, name: str) -> dict:
    found = {width: problems(browser, live_server, path, name, width) for width in WIDTHS}
    return {width: items for width, items in found.items() if items}


def test_the_landing_page_is_whole_accessible_and_fits_both_widths(browser, live_server):
    call_command("load_reference_data", verbosity=0)
    assert check(browser, live_server, "/", "landing") == {}


def test_chicagos_page_is_whole_accessible_and_fits_both_widths(browser, live_server):
    call_command("load_reference_data", verbosity=0)
    assert check(browser, live_server, "/places/chicago-il/", "chicago") == {}


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_docs_work_under_the_content_security_policy(browser, live_server, path):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}{path}", wait_until="networkidle")

    # Each draws the API's operations from the schema, grouped by resource.
    page.get_by_text("letters", exact=True).first.wait_for(timeout=30_000)
    assert page.get_by_text("/api/v1/letters.csv").count() or page.get_by_text("letters.csv").count()
    # ReDoc's "API docs by Redocly" logo is on its CDN: refused, as everything from elsewhere is.
    assert [error for error in errors if "cdn.redoc.ly" not in error] == []

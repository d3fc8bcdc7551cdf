"""The reference data cites each document once, at its own address, never through a wrapper."""

import re
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings

from tracker.models import Source

# Hosts that only re-serve someone else's document: web proxies, mirror and
# reader copies, document-sharing copies, mailing-list archives.
WRAPPER_HOSTS = {
    "anonyproxies.com",
    "ard.bingeeducate.com",
    "biahelp.com",
    "careersdocbox.com",
    "docslib.org",
    "encycloreader.org",
    "fdocuments.in",
    "lawsdocbox.com",
    "lists.ctbirding.org",
    "lists.ettus.com",
    "lobakmerak.netlify.app",
    "securengin.fifthestate.nz",
    "security.mil-osi.com",
    "thereport.be",
    "vdocuments.us",
    "zlibrary.cc",
}

# Wrapper copies kept because the original has not been found in readable
# material yet; fixtures/README.md lists each under its known gaps. The list
# only shrinks: a new wrapper-hosted source fails the test below.
AWAITING_THEIR_ORIGINAL = {
    "http://careersdocbox.com/Financial_Aid/73494249-Case-3-17-cv-mej-document-1-filed-08-14-17-page-1-of-25.html",
    "http://lawsdocbox.com/Immigration/78737221-Case-3-17-cv-who-document-89-filed-03-05-18-page-1-of-28-united-states-district-court-northern-district-of-california.html",
    "https://ard.bingeeducate.com/currentnews/newsheadlines/s-3802864",
    "https://docslib.org/doc/4872886/san-francisco-sheriffs-department-no-immigration",
    "https://fdocuments.in/document/in-the-united-states-court-of-appeals-for-the-seventh-no-17-2991-in-the-united.html",
    "https://lists.ctbirding.org/empathy/thread/NA25SMMM7AK36MQEJQD45LE53X7MJ57M",
    "https://lists.ctbirding.org/empathy/thread/ZVJFMEMOIR4TEEFBY2L32GMFAGLX6FV2",
    "https://securengin.fifthestate.nz/2025/08/06/justice-department-publishes-list-of-sanctuary-jurisdictions",
    "https://vdocuments.us/local-laws-of-the-city-of-new-york-ilrc-laws-of-the-city-of-new-york-for-the-year.html",
    "https://zlibrary.cc/dl/injunction-in-evanston-sanctuary-cities-case",
}

REPORTER_CITATION = re.compile(r"\b\d+ (?:F\.(?:2d|3d|4th)|F\. Supp\. (?:2d|3d)|Mass\.|U\.S\.|S\. Ct\.) \d+\b")
DOCKET_NUMBER = re.compile(r"\b(?:\d{2}-\d{4,5}|SJC-\d+)\b")


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def same_document_keys(source: Source) -> set:
    """What names one document whatever its address: its address without scheme or
    'www.', its reporter citation, and an opinion's docket number with its date."""
    parts = urlsplit(source.url)
    keys: set = {("address", host(source.url), parts.path.rstrip("/"), parts.query)}
    keys |= {("citation", citation) for citation in REPORTER_CITATION.findall(source.title)}
    if source.kind == Source.Kind.OPINION:
        keys |= {("docket", number, source.published_on) for number in DOCKET_NUMBER.findall(source.title)}
    return keys


def test_no_source_is_a_wrapper_copy_but_those_awaiting_their_original(loaded):
    wrapped = {url for url in Source.objects.values_list("url", flat=True) if host(url) in WRAPPER_HOSTS}
    assert wrapped == AWAITING_THEIR_ORIGINAL


def test_no_two_sources_are_the_same_document(loaded):
    holders = defaultdict(list)
    for source in Source.objects.all():
        for key in same_document_keys(source):
            holders[key].append(source.url)
    assert {key: urls for key, urls in holders.items() if len(urls) > 1} == {}


def test_the_duplicate_check_sees_one_opinion_under_two_addresses():
    opinion = {"kind": Source.Kind.OPINION, "published_on": "2018-08-01"}
    court = Source(url="https://cdn.ca9.uscourts.gov/a.pdf", title="SF v. Trump, No. 17-17478", **opinion)
    copy = Source(url="https://example.org/copy", title="San Francisco v. Trump (17-17478)", **opinion)
    assert same_document_keys(court) & same_document_keys(copy)


def test_every_source_awaiting_its_original_is_listed_in_the_readme_gaps():
    readme = (settings.BASE_DIR / "fixtures" / "README.md").read_text()
    gaps = readme.split("## Known gaps", 1)[1]
    assert [url for url in sorted(AWAITING_THEIR_ORIGINAL) if url not in gaps] == []

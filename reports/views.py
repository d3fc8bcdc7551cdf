"""The pages for people: the landing page, a page per jurisdiction, and their pictures as SVG.

Server-rendered HTML and SVG only: no script, no font or tile from elsewhere, so the pages work offline
and under the site's Content-Security-Policy. Each picture has its own address a newsroom can embed,
and the page shows its numbers as a table beside it.
"""

from functools import wraps
from hashlib import md5
from math import sqrt
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.template.response import SimpleTemplateResponse, TemplateResponse
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from cities.models import Jurisdiction
from letters.models import GrantAward
from reports import charts
from reports.figures import COUNTS, activity, grant_totals, grants, holdings, places, span, state_name, with_counts
from reports.timeline import anchor, timeline
from tracker.api.exceptions import renamed
from tracker.models import Release, Source, cited_list, with_sources
from tracker.reading.links import absolute_url
from tracker.serving.dataversion import write_count

# A place that is a whole state (or DC, a territory) is drawn as its shape; any other as a point.
AREAS = {Jurisdiction.Kind.STATE, Jurisdiction.Kind.FEDERAL_DISTRICT, Jurisdiction.Kind.TERRITORY}

# Each map by its address: (the count it draws, its title, what a place's count is of).
ASPECTS = {
    "lists": ("list_count", "On designation lists", "designation lists naming it"),
    "letters": ("letter_count", "Letters from the Justice Department", "DOJ letters received"),
    "suits": ("suit_count", "Parties to lawsuits", "lawsuits it is a party to"),
}
PROGRAMS, STATUSES = dict(GrantAward.Program.choices), dict(GrantAward.Status.choices)
# A legend's short names (tests/test_public_pages.py checks that every program has one).
SHORT_PROGRAMS = {"byrne_jag": "Byrne JAG", "cops": "COPS", "scaap": "SCAAP", "other": "Other"}
ACTIVITY_SERIES = ["Letters sent", "Cases filed", "Rulings"]


def kept(view):
    """A page or picture that is the same for everyone who asks: kept in the shared cache under the data
    version (as tracker/api/responsecache.py keeps the API's answers: never stale, neither read nor filled
    inside a transaction), keyed by its address without the query (which no such view reads, so made-up
    queries cannot fill the cache), and sent compressed (it holds no secret: no user, no CSRF token)."""

    @require_safe
    @gzip_page
    @wraps(view)
    def answer(request, **kwargs):
        alias = router.db_for_read(Source)
        key = None
        if settings.RESPONSE_CACHE_SECONDS and not connections[alias].in_atomic_block:
            address = md5(absolute_url(request, request.path).encode(), usedforsecurity=False).hexdigest()
            key = f"page:{write_count(alias)}:{address}"
        found = cache.get(key) if key else None
        if found is not None:
            return HttpResponse(found[0], content_type=found[1])
        response = view(request, **kwargs)
        if key and response.status_code == 200:
            if isinstance(response, SimpleTemplateResponse):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), settings.RESPONSE_CACHE_SECONDS)
        return response

    return answer


def svg(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="image/svg+xml; charset=utf-8")


def place_or_move(request, slug: str, queryset):
    """The jurisdiction at ``slug`` in ``queryset``; a redirect to its new address when it was renamed."""
    found = queryset.filter(slug=slug).first()
    if found is not None:
        return found
    moved = renamed({"view": SimpleNamespace(kwargs={"slug": slug}, queryset=queryset), "request": request})
    if moved is None:
        raise Http404("No such place.")
    return HttpResponsePermanentRedirect(moved)


def radius(count: int) -> float:
    """A circle whose area grows with ``count``."""
    return 3 + 2.5 * sqrt(count)


def aspect_map(rows: list[dict], aspect: str) -> str:
    count, title, counted_as = ASPECTS[aspect]
    shown = [row for row in rows if row[count]]
    shaded = {
        state_name(row["state"]): f"{row['name']}: {row[count]} {counted_as}" for row in shown if row["kind"] in AREAS
    }
    points = [
        {**row, "r": radius(row[count]), "label": f"{row['name']}: {row[count]} {counted_as}"}
        for row in shown
        if row["kind"] not in AREAS and row["latitude"] is not None
    ]
    description = (
        f"{len(shown)} jurisdictions with {counted_as}: {len(shaded)} states shaded, "
        f"{len(points)} cities and counties drawn as circles whose area grows with the count."
    )
    return charts.us_map(title, description, shaded, points)


def grant_rows(rows: list[dict]) -> list[dict]:
    """``grant_figures`` rows for a table: the program's and status's names, dollars to the cent."""
    return [
        row
        | {"program_name": PROGRAMS.get(row["program"], row["program"]), "status_name": STATUSES.get(row["status"])}
        | {"dollars": None if row["amount"] is None else f"{row['amount']:,.2f}"}
        for row in rows
    ]


def grant_chart(rows: list[dict], by: str, title: str) -> str:
    """Grant dollars by ``by`` (``state``: the largest first; ``fiscal_year``: oldest first), by program."""
    totals = grant_totals(rows, by)
    if by == "state":
        totals.sort(key=lambda total: -total["total"])
    programs = [program for program in PROGRAMS if any(total["amounts"].get(program) for total in totals)]
    names = [state_name(total["key"]) if by == "state" else f"FY{total['key']}" for total in totals]
    values = [[total["amounts"].get(program, 0) for program in programs] for total in totals]
    description = (
        f"Grant dollars in the record by {'state' if by == 'state' else 'fiscal year'} and program "
        "(awards whose amount the record does not give are left out)."
    )
    series = [SHORT_PROGRAMS.get(program, PROGRAMS[program]) for program in programs]
    return charts.bars(title, description, names, series, values, money=True)


def activity_chart(rows: list[dict]) -> str:
    values = [[row["letters"], row["cases"], row["rulings"]] for row in rows]
    description = "Justice Department letters sent, court cases filed and rulings made in each year."
    title = "Letters, suits and rulings by year"
    return charts.columns(title, description, [str(row["year"]) for row in rows], ACTIVITY_SERIES, values)


@kept
def map_svg(request, aspect: str) -> HttpResponse:
    return svg(aspect_map(places(), aspect))


@kept
def grants_by_state_svg(request) -> HttpResponse:
    return svg(grant_chart(grants(), "state", "Grant dollars by state and program"))


@kept
def grants_by_year_svg(request) -> HttpResponse:
    return svg(grant_chart(grants(), "fiscal_year", "Grant dollars by fiscal year and program"))


@kept
def activity_svg(request) -> HttpResponse:
    return svg(activity_chart(activity()))


@kept
def home(request):
    rows = holdings()
    first, last = span(rows)
    place_rows = places()
    context = {
        "holdings": rows,
        "first": first,
        "last": last,
        "places": [row for row in place_rows if any(row[count] for count in COUNTS)],
        "place_count": len(place_rows),
        "maps": [{"url": reverse(f"chart-map-{aspect}"), "title": title} for aspect, (_, title, _) in ASPECTS.items()],
        "grants": grant_rows(grants()),
        "activity": activity(),
        "releases": Release.objects.defer("archive", "files", "tables")[:5],
        "api_root": absolute_url(request, reverse("api-root")),
    }
    return TemplateResponse(request, "reports/home.html", context)


@kept
def place(request, slug: str):
    found = place_or_move(request, slug, with_counts(with_sources(Jurisdiction.objects.select_related("parent"))))
    if isinstance(found, HttpResponse):
        return found
    figures = grants(GrantAward.objects.filter(jurisdiction=found))
    context = {
        "place": found,
        "entries": [entry | {"anchor": anchor(entry)} for entry in timeline(found, {"request": request})],
        "grants": grant_rows(figures),
        "sources": cited_list(found.cited_sources),
        "point": found.latitude is not None,
        "api_url": absolute_url(request, reverse("jurisdiction-detail", args=[found.slug])),
    }
    return TemplateResponse(request, "reports/place.html", context)


@kept
def place_map_svg(request, slug: str):
    found = place_or_move(request, slug, with_counts(Jurisdiction.objects.all()))
    if isinstance(found, HttpResponse):
        return found
    counts = f"{found.list_count} designation lists, {found.letter_count} DOJ letters, {found.suit_count} lawsuits"
    label = f"{found.name}: {counts}"
    area = found.kind in AREAS
    shaded = {state_name(found.state): label if area else state_name(found.state)}
    points = []
    if not area and found.latitude is not None:
        point = {"longitude": found.longitude, "latitude": found.latitude, "r": 9, "colour": "#D55E00"}
        points.append(point | {"label": label})
    description = f"{found.name} on a map of the United States" + ("." if area else f", in {state_name(found.state)}.")
    return svg(charts.us_map(f"Where {found.name} is", description, shaded, points))


@kept
def place_grants_svg(request, slug: str):
    found = place_or_move(request, slug, Jurisdiction.objects.all())
    if isinstance(found, HttpResponse):
        return found
    figures = grants(GrantAward.objects.filter(jurisdiction=found))
    return svg(grant_chart(figures, "fiscal_year", f"{found.name}: grant dollars by fiscal year and program"))

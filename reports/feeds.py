"""Atom feeds for newsrooms watching the record, built with Django's syndication framework.

Each feed is served through a DRF view, so it shares the API's
authentication, throttles and JSON errors. No feed names an editor: the
history's user is never read.
"""

import datetime
import heapq
from itertools import islice

from django import forms
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView

from cities.models import Jurisdiction
from letters.models import CaseParty, Designation, Event, EventParticipant, Letter, LetterRecipient, Ruling
from reports.changes import ACTIONS, TRACKED
from reports.timeline import anchor, timeline
from tracker.api.params import normalize, parse_whole_number
from tracker.api.renderers import FastJSONRenderer
from tracker.api.viewsets import MethodCheckedFirst
from tracker.reading.asof import storable_datetime
from tracker.reading.fields import api_url
from tracker.reading.links import absolute_url

FEED_SIZE = 50
# The API's page of a record in a browser: its answer laid out (the browsable API), whatever Accept says.
AS_A_PAGE = "?format=api"
NAME_FIELDS = ("name", "title", "subject", "caption")
PAGE = "page"
MAX_PAGE = 10**9 - 1  # nine ASCII digits, as tracker.params reads a whole number


class PagedAtom1Feed(Atom1Feed):
    """Atom with RFC 5005's links between the pages of a paged feed (first, previous, next)."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel in ("first", "previous", "next"):
            if self.feed.get(rel):
                handler.addQuickElement("link", "", {"rel": rel, "href": self.feed[rel]})


class AtomFeed(Feed):
    """A feed of FEED_SIZE entries a page, newest first; ``page=2`` and on go back (RFC 5005's paged feeds).
    A subclass gives ``entries(obj, count)``: its newest ``count`` entries."""

    feed_type = PagedAtom1Feed

    def feed_url(self, obj) -> str:
        return absolute_url(self.request)

    def __call__(self, request, *args, **kwargs):
        self.request, self.context = request, {"request": request}
        return super().__call__(request, *args, **kwargs)

    def get_feed(self, obj, request):
        page = page_number(request)
        start = (page - 1) * FEED_SIZE
        entries = list(islice(self.entries(obj, start + FEED_SIZE + 1), start, None))
        self.page_entries = entries[:FEED_SIZE]
        self.page_links = {"first": self.page_url(1)}
        if page > 1:
            self.page_links["previous"] = self.page_url(page - 1)
        if len(entries) > FEED_SIZE:
            self.page_links["next"] = self.page_url(page + 1)
        return super().get_feed(obj, request)

    def page_url(self, page: int) -> str:
        query = self.request.GET.copy()
        query.pop(PAGE, None)
        if page > 1:
            query[PAGE] = str(page)
        return absolute_url(self.request, f"{self.request.path}?{query.urlencode()}".rstrip("?"))

    def items(self, obj):
        return self.page_entries

    def feed_extra_kwargs(self, obj) -> dict:
        return self.page_links

    def entries(self, obj, count: int):
        raise NotImplementedError


def page_number(request) -> int:
    return parse_whole_number(PAGE, request.GET.get(PAGE, "1"), 1, MAX_PAGE)


class ChangesFeedForm(forms.Form):
    since = forms.DateTimeField(
        required=False, help_text="Changes at or after this ISO 8601 time.", validators=[storable_datetime]
    )
    model = forms.TypedMultipleChoiceField(choices=[(name, name) for name in TRACKED], required=False)
    # A slug as the lists take it: one that names no place matches nothing (an empty feed), not an error.
    jurisdiction = forms.SlugField(required=False, strip=False)  # " chicago-il" is no slug, as documented

    def __init__(self, params):
        super().__init__({**params.dict(), "model": [name for name in params.get("model", "").split(",") if name]})


def about(jurisdiction: Jurisdiction) -> dict[str, Q]:
    """For each model, its history rows about one jurisdiction.

    A parent is about a place if the place was ever among its children (read
    from the children's history, so a recipient later removed still counts).
    """

    def ever(child, parent: str):
        return child.history.filter(jurisdiction=jurisdiction).values(f"{parent}_id")

    own = Q(jurisdiction=jurisdiction)
    listed = Event.jurisdictions.through.objects.filter(jurisdiction=jurisdiction).values("event_id")
    return {
        "jurisdiction": Q(id=jurisdiction.pk),
        "official": own,
        "policy": own,
        "grant": own,
        "designation": own,
        "letter": Q(id__in=ever(LetterRecipient, "letter")),
        "case": Q(id__in=ever(CaseParty, "case")),
        "ruling": Q(case_id__in=ever(CaseParty, "case")),
        "event": Q(id__in=ever(EventParticipant, "event")) | Q(id__in=listed),
        "designation-list": Q(id__in=ever(Designation, "designation_list")),
    }


class ChangesFeed(AtomFeed):
    title = "Sanctuary-city policy tracker: changes"
    subtitle = "Every record created, changed or deleted, newest first (from the audit history)."

    def get_object(self, request) -> dict:
        form = ChangesFeedForm(request.GET)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return form.cleaned_data

    def link(self, obj) -> str:
        return absolute_url(self.request, reverse("changes"))

    def entries(self, obj, count: int):
        where = {name: Q() for name in obj["model"] or TRACKED}
        if obj["jurisdiction"]:
            place = Jurisdiction.objects.filter(slug=obj["jurisdiction"]).first()
            related = about(place) if place else {}
            where = {name: related[name] for name in where if name in related}
        if obj["since"]:
            since = obj["since"].astimezone(datetime.UTC)  # PostgreSQL refuses an offset of 16 hours or more
            where = {name: condition & Q(history_date__gte=since) for name, condition in where.items()}
        return heapq.merge(
            *(self.changes(name, condition, count) for name, condition in where.items()),
            key=lambda row: row["at"],
            reverse=True,
        )

    def changes(self, name: str, condition: Q, count: int):
        model = TRACKED[name]
        view_name = f"{model._meta.model_name}-detail"
        # A history row's pk is its own id; the record's id is its "id".
        lookup = "id" if model.api_lookup() == "pk" else model.api_lookup()
        fields = {field.name for field in model._meta.fields}
        label = next((field for field in NAME_FIELDS if field in fields), lookup)
        records = model.history.filter(condition).order_by("-history_date", "-history_id")
        columns = (lookup, label, "review_state", "history_type", "history_date", "history_id", "history_change_reason")
        for row in records.values(*columns)[:count]:
            url = api_url(self.context, view_name, row[lookup])
            page = api_url(self.context, "place", row[lookup]) if name == "jurisdiction" else url + AS_A_PAGE
            reason = row["history_change_reason"]
            yield {
                "at": row["history_date"],
                "title": f"{model._meta.verbose_name.capitalize()} {row[lookup]} {ACTIONS[row['history_type']]}",
                "description": f"{row[label]}\n\nReason: {reason}" if reason else str(row[label]),
                "review_state": row["review_state"],
                "page": page,
                "id": f"{url}#change-{row['history_id']}",
            }

    def item_title(self, item: dict) -> str:
        return item["title"]

    def item_description(self, item: dict) -> str:
        return item["description"]

    def item_link(self, item: dict) -> str:
        return item["page"]

    def item_guid(self, item: dict) -> str:
        return item["id"]

    def item_categories(self, item: dict) -> list[str]:
        """The record's review state after the change (draft, checked, published), as an Atom category."""
        return [item["review_state"]]

    def item_pubdate(self, item: dict) -> datetime.datetime:
        return item["at"]

    item_updateddate = item_pubdate


class TimelineFeed(AtomFeed):
    """Everything that happened to one place, newest first."""

    def get_object(self, request, slug: str) -> Jurisdiction:
        self.jurisdiction = get_object_or_404(Jurisdiction, slug=slug)
        return self.jurisdiction

    def title(self, jurisdiction: Jurisdiction) -> str:
        return f"{jurisdiction.name}: timeline"

    def link(self, jurisdiction: Jurisdiction) -> str:
        return api_url(self.context, "place", jurisdiction.slug)  # its page for people

    def entries(self, jurisdiction: Jurisdiction, count: int) -> list[dict]:
        return timeline(jurisdiction, self.context)[::-1][:count]

    def item_title(self, entry: dict) -> str:
        return f"{entry['date']}: {entry['title']}"

    def item_description(self, entry: dict) -> str:
        return entry["detail"]

    def item_link(self, entry: dict) -> str:
        return f"{api_url(self.context, 'place', self.jurisdiction.slug)}#{anchor(entry)}"

    def item_guid(self, entry: dict) -> str:
        return f"{entry['url']}#{entry['kind']}-{entry['date']}"

    def item_pubdate(self, entry: dict) -> datetime.datetime:
        return datetime.datetime.combine(entry["date"], datetime.time.min, datetime.UTC)

    item_updateddate = item_pubdate


class NewRecordsFeed(AtomFeed):
    """The records most recently added to the tracker, newest first."""

    queryset = None
    view_name = ""
    lookup = "slug"

    def link(self) -> str:
        return absolute_url(self.request, reverse(self.view_name.replace("-detail", "-list")))

    def entries(self, obj, count: int):
        return self.queryset.order_by("-created_at", "-pk")[:count]

    def item_link(self, record) -> str:
        return api_url(self.context, self.view_name, getattr(record, self.lookup)) + AS_A_PAGE

    def item_pubdate(self, record) -> datetime.datetime:
        return record.created_at

    def item_updateddate(self, record) -> datetime.datetime:
        return record.updated_at

    def item_categories(self, record) -> list[str]:
        return [record.review_state]


class NewLettersFeed(NewRecordsFeed):
    title = "Sanctuary-city policy tracker: new letters"
    queryset = Letter.objects.all()
    view_name = "letter-detail"

    def item_description(self, letter: Letter) -> str:
        return letter.summary


class NewRulingsFeed(NewRecordsFeed):
    title = "Sanctuary-city policy tracker: new rulings"
    queryset = Ruling.objects.select_related("case")
    view_name = "ruling-detail"

    def item_description(self, ruling: Ruling) -> str:
        return f"{ruling.get_outcome_display()}. {ruling.summary}".strip()


class NewDesignationsFeed(NewRecordsFeed):
    title = "Sanctuary-city policy tracker: new designations"
    queryset = Designation.objects.select_related("jurisdiction", "designation_list")
    view_name = "designation-detail"
    lookup = "pk"

    def item_description(self, designation: Designation) -> str:
        disputed = " (disputed)" if designation.disputed else ""
        return f"{designation.label}{disputed}"


PAGE_PARAMETER = OpenApiParameter(
    PAGE,
    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    description="The page: 1 (the newest entries, the default), 2 and on go back (RFC 5005).",
)


@extend_schema(responses={(200, "application/atom+xml"): OpenApiTypes.STR}, parameters=[PAGE_PARAMETER])
class FeedView(MethodCheckedFirst, GenericAPIView):
    """An Atom feed."""

    feed: type[Feed] = Feed
    params: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()  # parameters that take several values
    renderer_classes = [FastJSONRenderer]
    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        # A feed reader's Accept header names Atom: the answer is the feed, and errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request, **kwargs):
        normalize(request, self.params | {PAGE}, self.lists)
        return self.feed()(request, **kwargs)


@extend_schema(
    parameters=[
        OpenApiParameter("since", OpenApiTypes.DATETIME, description="Changes at or after this ISO 8601 time."),
        OpenApiParameter(
            "model",
            {"type": "array", "items": {"type": "string", "enum": list(TRACKED)}},
            description="Only changes to these models (repeat, or a comma list).",
            explode=True,
        ),
        OpenApiParameter(
            "jurisdiction",
            {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},  # a slug, as the form's SlugField reads it
            description="Only changes about this jurisdiction (its slug).",
        ),
        PAGE_PARAMETER,
    ]
)
class ChangesFeedView(FeedView):
    """Every record created, changed or deleted, newest first; the filters of changes/."""

    feed = ChangesFeed
    params = frozenset({"since", "model", "jurisdiction"})
    lists = frozenset({"model"})


# Left out of the OpenAPI schema: a path template with no list above it (feeds/jurisdictions/) to draw keys from.
@extend_schema(exclude=True)
class TimelineFeedView(FeedView):
    feed = TimelineFeed


urlpatterns = [
    path("changes/", ChangesFeedView.as_view(), name="feed-changes"),
    path("letters/", FeedView.as_view(feed=NewLettersFeed), name="feed-letters"),
    path("rulings/", FeedView.as_view(feed=NewRulingsFeed), name="feed-rulings"),
    path("designations/", FeedView.as_view(feed=NewDesignationsFeed), name="feed-designations"),
    path("jurisdictions/<slug:slug>/", TimelineFeedView.as_view(), name="feed-timeline"),
]

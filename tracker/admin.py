from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tracker.models import Source


class TrackedAdmin(SimpleHistoryAdmin):
    """Shared admin defaults: history view, source picker, read-only timestamps."""

    autocomplete_fields = ["sources"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "url"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"
    readonly_fields = ["created_at", "updated_at"]

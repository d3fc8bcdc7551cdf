from django import forms
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from tracker.models import Source
from tracker.resources import natural_key_resource


class VersionedForm(forms.ModelForm):
    """Optimistic locking: a save is refused when the record changed after the form was opened."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # The stored version, not the instance's: a revert form holds an old copy.
            self.fields["version"].initial = self.current_version(lock=False)

    def current_version(self, lock: bool) -> str | None:
        rows = type(self.instance).objects.filter(pk=self.instance.pk)
        stamp = (rows.select_for_update() if lock else rows).values_list("updated_at", flat=True).first()
        return stamp and stamp.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Lock the row until this save commits, so two saves cannot both pass the check.
            current = self.current_version(lock=True)
            if current and current != self.data.get(self.add_prefix("version")):
                latest = self.instance.history.order_by("-history_date").first()
                who = f" by {latest.history_user}" if latest and latest.history_user else ""
                raise forms.ValidationError(
                    f"Someone else saved this record{who} after you opened it, so your changes were not saved. "
                    "Reload the page to see their version, then make your edit again.",
                    code="stale",
                )
        return cleaned


class TrackedAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Shared admin: history with field diffs and revert, CSV import/export by
    natural key, optimistic locking, a source picker and a link to the API."""

    form = VersionedForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["sources"]
    readonly_fields = ["api_link", "created_at", "updated_at"]

    def get_resource_classes(self, request):
        return [natural_key_resource(self.model)]

    @admin.display(description="In the API")
    def api_link(self, obj) -> str:
        try:
            url = obj.get_absolute_url()
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Source)
class SourceAdmin(TrackedAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "url"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"
    autocomplete_fields = []

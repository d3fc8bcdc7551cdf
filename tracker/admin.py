import difflib
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, models
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm, ImportForm
from rest_framework.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker import review
from tracker.editors.resources import natural_key_resource
from tracker.models import ReviewState, Source
from tracker.review import working
from tracker.review.revisions import pending, root_of


def error_text(error: Exception) -> str:
    detail = getattr(error, "detail", None)
    if isinstance(detail, dict):
        values = (" ".join(map(str, value)) if isinstance(value, list) else str(value) for value in detail.values())
        return " ".join(values)
    return str(error)


# Longer values are shown as a word diff in the history.
WORD_DIFF_FROM = 80


def reason_field(widget=None) -> forms.CharField:
    """The reason a change gives (the form's, the import's), kept in the history once it is published."""
    return forms.CharField(
        required=False,
        max_length=review.REASON_MAX_LENGTH,
        widget=widget or forms.TextInput(attrs={"size": 60}),
        help_text="Why you change it, kept in the history and the changes feed. Required for a published record.",
    )


class ImportWithReason(ImportForm):
    change_reason = reason_field()


class ConfirmImportWithReason(ConfirmImportForm):
    change_reason = reason_field(forms.HiddenInput)


class VersionedForm(forms.ModelForm):
    """Optimistic locking: a save is refused when the record changed after the form was opened."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    change_reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # The stored version, not the instance's: a revert form holds an old copy.
            self.fields["version"].initial = self.current_version(lock=False)

    def current_version(self, lock: bool) -> str | None:
        rows = type(self.instance).objects.filter(pk=self.instance.pk)
        stamp = (rows.select_for_update() if lock else rows).values_list("updated_at", flat=True).first()
        return stamp and stamp.isoformat()

    def last_editor(self) -> str:
        """ " by <who>": who last wrote the record's pending revision, else its published version."""
        view = working.current.get()
        revision = view and view.revisions.get((type(self.instance), self.instance.pk))
        if revision and revision.log:
            return f" by {revision.log[-1]['user']}"
        latest = self.instance.history.order_by("-history_date").first()
        return f" by {latest.history_user}" if latest and latest.history_user else ""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Lock the row until this save commits, so two saves cannot both pass the check.
            current = self.current_version(lock=True)
            if current and current != self.data.get(self.add_prefix("version")):
                who = self.last_editor()
                raise forms.ValidationError(
                    f"Someone else saved this record{who} after you opened it, so your changes were not saved. "
                    "Reload the page to see their version, then make your edit again.",
                    code="stale",
                )
            view = working.current.get()
            published = view is not None and view.is_published(type(self.instance), self.instance.pk)
            if published and self.has_changed() and not cleaned.get("change_reason"):
                self.add_error("change_reason", "This record is published: say why you change it.")
        return cleaned


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """The old text with removed words struck out, the new one with added words marked."""
    # Each word with the space after it, so that a run of changed words is marked as one.
    old_words, new_words = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    old_html, new_html = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        removed, added = escape("".join(old_words[i1:i2])), escape("".join(new_words[j1:j2]))
        if tag == "equal":
            old_html.append(removed)
            new_html.append(added)
            continue
        if removed:
            old_html.append(f"<del>{removed}</del>")
        if added:
            new_html.append(f"<ins>{added}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # every piece is escaped above


class ReadableHistory(HistoricalRecordContextHelper):
    """Whole values in the history (simple-history shortens them to 100 characters); long text as a word diff."""

    def stringify_delta_change_values(self, change, old, new) -> tuple[SafeString, SafeString]:
        old_text, new_text = self.as_text(old), self.as_text(new)
        if max(len(old_text), len(new_text)) >= WORD_DIFF_FROM:
            return word_diff(old_text, new_text)
        return escape(old_text or "—"), escape(new_text or "—")

    @staticmethod
    def as_text(value) -> str:
        if isinstance(value, list):
            return "; ".join(map(str, value))
        return "" if value is None else str(value)


class TabularInline(admin.TabularInline):
    """A record's children as rows: each field named for a screen reader (a row's fields have no label of their
    own, only the column's header)."""

    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return field


class TrackedAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Shared admin: history with field diffs and revert, CSV import/export by
    natural key, optimistic locking, a source picker and a link to the API."""

    form = VersionedForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["sources"]
    readonly_fields = ["review_state", "checked_at", "api_link", "created_at", "updated_at"]
    object_history_list_template = "admin/history_list.html"
    # An import's reason is asked with the file and carried through its confirmation.
    import_form_class = ImportWithReason
    confirm_form_class = ConfirmImportWithReason
    actions = ["mark_checked", "publish", "send_back_to_draft"]

    def get_fields(self, request, obj=None):
        """The record's facts first; the editors' notes after them (the model declares notes first, with the
        fields every record has), then what the admin only shows."""
        fields = super().get_fields(request, obj)
        shown = self.get_readonly_fields(request, obj)
        facts = [name for name in fields if name != "notes" and name not in shown]
        return [*facts, *(["notes"] if "notes" in fields else []), *(name for name in fields if name in shown)]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "review_state"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "review_state"]

    def get_resource_classes(self, request):
        return [natural_key_resource(self.model)]

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self.on_working_versions(request, super().changeform_view, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert: the old version is saved as an edit (a pending revision, with the form's reason)."""
        return self.on_working_versions(request, super().history_form_view, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = self.on_working_versions(request, super().changelist_view, extra_context)
        steps, done = getattr(request, "review_steps", []), 0  # the actions asked for them
        for model, pk, label, state in steps:
            try:
                review.step(model, pk, request.user, state)
            except (ValidationError, DatabaseError) as error:
                self.message_user(request, f"{label}: {error_text(error)}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} marked {steps[0][3]}.", messages.SUCCESS)
        return response

    def delete_view(self, request, object_id, extra_context=None):
        """A record never published is a pending revision alone: deleting it discards the draft."""
        draft = pending(self.model, int(object_id)) if str(object_id).isdigit() else None
        if draft is None or not draft.creates:
            return super().delete_view(request, object_id, extra_context)
        if not self.has_delete_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self.on_working_versions(request, super().delete_view, object_id, extra_context)
        draft.delete()
        self.message_user(request, "The draft was discarded.", messages.SUCCESS)
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["change_reason"] = import_form.cleaned_data.get("change_reason", "")
        return initial

    def process_import(self, request, *args, **kwargs):
        return self.on_working_versions(request, super().process_import, *args, **kwargs)

    def on_working_versions(self, request, view, *args):
        """An editor's page on the working versions (tracker/review/working.py): read, or written and staged
        as pending revisions under the rules every write follows (a refusal is shown, nothing kept)."""
        if request.method != "POST" or request.POST.get("action"):
            with working.working_versions():
                response = view(request, *args)
                return response.render() if hasattr(response, "render") else response
        try:
            with working.editing(request.user) as staged:
                response = view(request, *args)
                if hasattr(response, "render"):
                    response.render()
                if response.status_code == 302:
                    staged.stage(request.POST.get("change_reason") or request.POST.get("reason"))
                else:
                    staged.staged = {}  # the form was refused: nothing is kept
            return response
        except ValidationError as error:
            self.message_user(request, f"Nothing was saved: {error_text(error)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def move(self, request, queryset, state: str) -> None:
        """Review steps are taken after the page, on the live tables (``changelist_view``)."""
        request.review_steps = [(*root_of(record), str(record), state) for record in queryset]

    @admin.action(description="Mark checked against its sources (by a second editor)", permissions=["change"])
    def mark_checked(self, request, queryset) -> None:
        self.move(request, queryset, ReviewState.CHECKED)

    @admin.action(description="Publish checked records", permissions=["change"])
    def publish(self, request, queryset) -> None:
        self.move(request, queryset, ReviewState.PUBLISHED)

    @admin.action(description="Send back to draft", permissions=["change"])
    def send_back_to_draft(self, request, queryset) -> None:
        self.move(request, queryset, ReviewState.DRAFT)

    @admin.display(description="In the API")
    def api_link(self, obj) -> str:
        try:
            url = obj.get_absolute_url()
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Source)
class SourceAdmin(TrackedAdmin):
    list_display = ["title", "publisher", "kind", "provenance", "published_on", "url"]
    list_filter = ["kind", "provenance", "copy_of_read", "publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"
    autocomplete_fields = []

    def get_deleted_objects(self, objs, request):
        """A cited source is protected (tracker.models.refuse_to_delete_a_cited_source): the delete page says
        which records cite it instead of offering to delete it."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected) + [
            f"{capfirst(record._meta.verbose_name)}: {record}" for source in objs for record in source.citing(limit=5)
        ]
        return deleted, counts, perms_needed, protected

from django.contrib import admin
from django.utils.html import format_html

from letters.models import (
    CaseParty,
    CourtCase,
    Designation,
    DesignationList,
    Event,
    EventParticipant,
    GrantAward,
    Letter,
    LetterRecipient,
    Ruling,
)
from tracker.admin import TabularInline, TrackedAdmin


class LetterRecipientInline(TabularInline):
    model = LetterRecipient
    fields = ["jurisdiction", "basis", "addressee", "determination", "responded_on"]
    autocomplete_fields = ["jurisdiction"]


class CasePartyInline(TabularInline):
    model = CaseParty
    fields = ["jurisdiction", "role"]
    autocomplete_fields = ["jurisdiction"]


class RulingInline(admin.StackedInline):
    model = Ruling
    formfield_overrides = TrackedAdmin.formfield_overrides
    fields = ["slug", "decided_on", "kind", "judge", "outcome", "scope", "citation", "opinion_url"]
    extra = 0


class EventParticipantInline(TabularInline):
    model = EventParticipant
    fields = ["name", "role", "jurisdiction", "place", "participation"]
    autocomplete_fields = ["jurisdiction"]


class DesignationInline(TabularInline):
    model = Designation
    fields = ["jurisdiction", "label", "disputed", "removed_on"]
    autocomplete_fields = ["jurisdiction"]


@admin.register(Letter)
class LetterAdmin(TrackedAdmin):
    list_display = ["subject", "kind", "sent_on", "sender_office", "response_due"]
    list_filter = ["kind", "sender_office"]
    search_fields = ["subject", "summary", "slug", "sender_name"]
    date_hierarchy = "sent_on"
    inlines = [LetterRecipientInline]


@admin.register(LetterRecipient)
class LetterRecipientAdmin(TrackedAdmin):
    list_display = ["letter", "jurisdiction", "addressee", "determination", "responded_on"]
    list_filter = ["determination", "jurisdiction__state"]
    list_select_related = ["letter", "jurisdiction"]
    search_fields = ["jurisdiction__name", "letter__subject", "addressee"]
    autocomplete_fields = ["letter", "jurisdiction", "sources"]


@admin.register(GrantAward)
class GrantAwardAdmin(TrackedAdmin):
    list_display = ["jurisdiction", "program", "fiscal_year", "amount", "status", "status_date"]
    list_filter = ["program", "status", "fiscal_year", "jurisdiction__state"]
    list_select_related = ["jurisdiction"]
    search_fields = ["jurisdiction__name", "award_number"]
    autocomplete_fields = ["jurisdiction", "sources"]


@admin.register(CourtCase)
class CourtCaseAdmin(TrackedAdmin):
    list_display = ["caption", "court", "docket_number", "filed_on", "status"]
    list_filter = ["court", "status"]
    search_fields = ["caption", "docket_number", "summary", "slug"]
    date_hierarchy = "filed_on"
    autocomplete_fields = ["appeal_of", "sources"]
    readonly_fields = [*TrackedAdmin.readonly_fields, "courtlistener"]
    inlines = [CasePartyInline, RulingInline]

    @admin.display(description="CourtListener")
    def courtlistener(self, obj) -> str:
        return format_html('<a href="{}" rel="noopener">Find the docket on CourtListener</a>', obj.courtlistener_url)


@admin.register(CaseParty)
class CasePartyAdmin(TrackedAdmin):
    list_display = ["case", "jurisdiction", "role"]
    list_filter = ["role"]
    list_select_related = ["case", "jurisdiction"]
    search_fields = ["case__caption", "jurisdiction__name"]
    autocomplete_fields = ["case", "jurisdiction", "sources"]


@admin.register(Ruling)
class RulingAdmin(TrackedAdmin):
    list_display = ["case", "decided_on", "kind", "judge", "outcome", "scope"]
    list_filter = ["kind", "outcome", "scope", "case__court"]
    list_select_related = ["case"]
    search_fields = ["case__caption", "judge", "summary", "citation"]
    date_hierarchy = "decided_on"
    autocomplete_fields = ["case", "sources"]


@admin.register(Event)
class EventAdmin(TrackedAdmin):
    list_display = ["title", "kind", "date"]
    list_filter = ["kind"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "date"
    autocomplete_fields = ["jurisdictions", "officials", "sources"]
    inlines = [EventParticipantInline]


@admin.register(EventParticipant)
class EventParticipantAdmin(TrackedAdmin):
    list_display = ["name", "role", "event", "participation"]
    list_filter = ["participation"]
    list_select_related = ["event"]
    search_fields = ["name", "role", "place", "event__title"]
    autocomplete_fields = ["event", "jurisdiction", "sources"]


@admin.register(DesignationList)
class DesignationListAdmin(TrackedAdmin):
    list_display = ["title", "authority", "published_on", "withdrawn_on"]
    list_filter = ["authority"]
    search_fields = ["title", "authority", "criteria"]
    date_hierarchy = "published_on"
    inlines = [DesignationInline]


@admin.register(Designation)
class DesignationAdmin(TrackedAdmin):
    list_display = ["jurisdiction", "designation_list", "label", "disputed", "removed_on"]
    list_filter = ["disputed", "designation_list", "jurisdiction__state"]
    list_select_related = ["jurisdiction", "designation_list"]
    search_fields = ["jurisdiction__name", "label", "response"]
    autocomplete_fields = ["designation_list", "jurisdiction", "sources"]

from django.contrib import admin

from cities.models import Jurisdiction, Official, Policy
from tracker.admin import TabularInline, TrackedAdmin


class OfficialInline(TabularInline):
    model = Official
    fields = ["slug", "name", "role", "party", "term_start", "term_end"]


class PolicyInline(TabularInline):
    model = Policy
    fields = ["slug", "title", "kind", "citation", "enacted_on", "ended_on"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(TrackedAdmin):
    list_display = ["name", "slug", "kind", "state", "fips", "population", "updated_at"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "slug", "fips"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "sources"]
    inlines = [OfficialInline, PolicyInline]


@admin.register(Official)
class OfficialAdmin(TrackedAdmin):
    list_display = ["name", "role", "jurisdiction", "party", "term_start", "term_end"]
    list_filter = ["role", "jurisdiction__state"]
    list_select_related = ["jurisdiction"]
    search_fields = ["name", "slug", "jurisdiction__name"]
    autocomplete_fields = ["jurisdiction", "sources"]
    date_hierarchy = "term_start"


@admin.register(Policy)
class PolicyAdmin(TrackedAdmin):
    list_display = ["title", "kind", "jurisdiction", "citation", "enacted_on", "ended_on"]
    list_filter = ["kind", "jurisdiction__state"]
    list_select_related = ["jurisdiction"]
    search_fields = ["title", "citation", "summary", "jurisdiction__name"]
    autocomplete_fields = ["jurisdiction", "sources"]
    date_hierarchy = "enacted_on"

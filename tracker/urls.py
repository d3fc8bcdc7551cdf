"""The project's root URLs: each app's URLs are included by dotted path, so the core imports no app."""

from django.contrib import admin
from django.urls import include, path

from tracker.api.views import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health", health, name="health"),
    path("api/v1/", include("reports.api_urls")),
    path("", include("reports.urls")),
]

handler400 = "tracker.api.exceptions.bad_request"
handler404 = "tracker.api.exceptions.not_found"
handler500 = "tracker.api.exceptions.server_error"

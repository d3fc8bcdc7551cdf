from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from tracker.models import Revision, TrackedModel


class SignInForm(OTPAdminAuthenticationForm):
    """Username, password and the authenticator app's code on one page. An editor has one device (enrolling
    again replaces it), which is then the one checked; only a user with several picks one, after a first try."""

    otp_token = forms.CharField(
        required=False,
        label="Code from your authenticator app",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_otp(self, user):
        if user is not None and not self.cleaned_data.get("otp_device"):
            devices = list(devices_for_user(user))
            if len(devices) == 1:
                self.cleaned_data["otp_device"] = devices[0].persistent_id
        super().clean_otp(user)


class TrackerAdminSite(OTPAdminSite):
    """The editors' admin: a second factor to sign in, the records awaiting a check, "View site" → the API."""

    site_header = "Sanctuary-city policy tracker"
    site_title = "Tracker admin"
    site_url = "/api/v1/"
    # The app list beside every page takes 300 px a laptop screen needs for the record; Home lists the apps.
    enable_nav_sidebar = False
    login_form = SignInForm
    login_template = "admin/sign_in.html"

    def get_urls(self):
        return [path("review/", self.admin_view(self.review_view), name="review"), *super().get_urls()]

    def review_view(self, request):
        """Per model, how many pending revisions wait for a check and how many wait to be published."""
        rows = []
        for model in apps.get_models():
            model_admin = self._registry.get(model)
            if not issubclass(model, TrackedModel) or not model_admin or not model_admin.has_view_permission(request):
                continue
            waiting = dict(
                Revision.objects.filter(content_type=ContentType.objects.get_for_model(model), published_at=None)
                .values_list("state")
                .annotate(count=Count("pk"))
                .order_by()
            )
            changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            rows.append({"model": model._meta, "changelist": changelist, **waiting})
        context = {**self.each_context(request), "title": "Awaiting a check", "rows": rows}
        return TemplateResponse(request, "admin/review.html", context)

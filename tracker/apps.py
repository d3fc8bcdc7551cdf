from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker core"
    default = True

    def ready(self) -> None:
        from tracker import checks  # noqa: F401  (registers the system checks)
        from tracker.api import schema  # noqa: F401  (registers the OpenAPI extension)
        from tracker.review import working  # noqa: F401  (registers the receivers that stage editors' writes)
        from tracker.serving.dataversion import install_triggers

        post_migrate.connect(install_triggers, sender=self)


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the editors' site (tracker.editors.site.TrackerAdminSite) as admin.site."""

    default = False
    default_site = "tracker.editors.site.TrackerAdminSite"

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker core"

    def ready(self) -> None:
        from tracker import schema  # noqa: F401  (registers the OpenAPI extension)

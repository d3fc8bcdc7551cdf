"""Configuration rules, as Django system checks."""

from django.conf import settings
from django.core.checks import Error, Tags, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[Error]:
    """Throttle counters and read-your-writes marks must be seen by every process on every host."""
    if settings.CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
        return [
            Error(
                "The cache is not shared between processes: each gunicorn worker would keep its own throttle "
                "counts and forget other workers' read-your-writes marks.",
                hint="Set REDIS_URL, e.g. redis://redis.internal:6379/0 (docs/deploy.md).",
                id="tracker.E001",
            )
        ]
    return []

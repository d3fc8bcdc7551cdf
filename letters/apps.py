from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Letters, grants and courts"

    def ready(self) -> None:
        post_migrate.connect(restore_courts, sender=self)


def restore_courts(sender, using: str = "default", **kwargs) -> None:
    """After migrate or flush (tests), the court directory is whole again."""
    from letters.courts import ensure_courts
    from letters.models import Court

    ensure_courts(Court.objects.db_manager(using))

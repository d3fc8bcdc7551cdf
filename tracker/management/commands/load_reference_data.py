import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.signals import pre_save

from tracker.models import ReviewState, TrackedModel


def fixture_files(folder: Path) -> list[Path]:
    """Jurisdictions first: other rows name them in their natural keys, which loaddata cannot defer."""
    files = sorted(folder.glob("*.json"))
    return sorted(files, key=lambda path: not path.name.startswith("jurisdictions"))


def check_references(files: list[Path]) -> None:
    """Every related record a row names must be in the files or the database.

    loaddata's own error for a missing one ("LetterRecipient has no
    jurisdiction.") names neither the row nor the missing key; this one does.
    """
    loaded = [(path, index, row) for path in files for index, row in enumerate(json.loads(path.read_text()), 1)]
    defined: set[tuple] = set()
    for _, _, row in loaded:
        model = apps.get_model(row["model"])
        if len(model.NATURAL_KEY) == 1 and model.NATURAL_KEY[0] in row["fields"]:
            defined.add((model, row["fields"][model.NATURAL_KEY[0]]))
    for path, index, row in loaded:
        model = apps.get_model(row["model"])
        for field in model._meta.get_fields():
            value = row["fields"].get(field.name)
            if not field.is_relation or not value:
                continue
            for key in value if field.many_to_many else [value]:
                key = key if isinstance(key, list) else [key]  # a plain primary key, e.g. a court's id
                related = field.related_model
                if (related, *key) not in defined and not related.objects.filter(
                    **dict(zip(related.NATURAL_KEY, key, strict=True))
                ).exists():
                    raise CommandError(
                        f"{path.name}, record {index} ({row['model']}): {field.name} {key!r} "
                        f"names no {related._meta.label_lower}. Nothing was loaded."
                    )


class Command(BaseCommand):
    help = (
        "Load every fixture in fixtures/ in one transaction, as published records, with each row's creation "
        "in the history; loading again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folder", type=Path, default=settings.BASE_DIR / "fixtures")

    @transaction.atomic
    def handle(self, folder: Path, verbosity: int, **options):
        files = fixture_files(folder)
        check_references(files)
        pre_save.connect(publish_loaded_row)
        try:
            call_command("loaddata", *files, verbosity=verbosity)
        finally:
            pre_save.disconnect(publish_loaded_row)
        record_creations()


def publish_loaded_row(sender, instance, raw: bool, **kwargs) -> None:
    """The reference data was checked against its sources before it was committed to fixtures/."""
    if raw and isinstance(instance, TrackedModel):
        instance.review_state = ReviewState.PUBLISHED


def record_creations() -> None:
    """Give each loaded row its creation in the audit history, dated as the row.

    loaddata writes no history; without this, "as of" reads and the changes
    feed would not know the reference data. Rows that have history already
    are left alone, so loading again adds nothing.
    """
    for label in ("tracker", "cities", "letters"):
        for model in apps.get_app_config(label).get_models():
            history = getattr(model, "history", None)
            if history is None or not hasattr(model, "NATURAL_KEY"):
                continue
            missing = list(model.objects.exclude(pk__in=history.values("id")))
            for row in missing:
                row._history_date = row.updated_at
            history.bulk_history_create(missing, default_change_reason="Loaded from fixtures")

import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import transaction
from django.db.models.signals import pre_save
from django.utils import timezone

from tracker.models import ReferenceFile, ReviewState, TrackedModel, record_models
from tracker.review.revisions import STAMPS, pending

# The reason the reference data gives its writes in the history: how a merge knows no editor wrote since.
LOADED = "Loaded from fixtures"


def fixture_files(folder: Path) -> list[Path]:
    """Jurisdictions first: other rows name them in their natural keys, which loaddata cannot defer."""
    files = sorted(folder.glob("*.json"))
    return sorted(files, key=lambda path: not path.name.startswith("jurisdictions"))


def fixture_rows(label: str, folder: Path = settings.BASE_DIR / "fixtures") -> list[dict]:
    """The fields of every row of the model ``label`` ("tracker.source") in the fixtures (for data migrations)."""
    rows = [row for path in fixture_files(folder) for row in json.loads(path.read_text())]
    return [row["fields"] for row in rows if row["model"] == label]


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
        "Load every fixture in fixtures/ into an empty database, in one transaction, as published records with "
        "each row's creation in the history. Into a database that has records, apply only the fixtures' changes "
        "to records no editor has changed since the reference data last wrote them; list and leave alone the "
        "rest (edited, renamed, deleted, or with a pending revision). Loading again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folder", type=Path, default=settings.BASE_DIR / "fixtures")

    @transaction.atomic
    def handle(self, folder: Path, verbosity: int, **options):
        files = fixture_files(folder)
        loaded = dict(ReferenceFile.objects.values_list("name", "sha256"))
        empty = not any(model._default_manager.exists() for model in record_models())
        changed = files if empty else [path for path in files if loaded.get(path.name) != digest(path)]
        check_references(changed)
        if not empty:
            merged = merge(changed)
            if verbosity:
                self.stdout.write(merged.summary())
        else:
            pre_save.connect(publish_loaded_row)
            try:
                call_command("loaddata", *changed, verbosity=verbosity)
            finally:
                pre_save.disconnect(publish_loaded_row)
            record_creations()
        for path in changed:
            ReferenceFile.objects.update_or_create(name=path.name, defaults={"sha256": digest(path)})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Merged:
    """What a merge did: the fixture changes applied, and the records it left alone, and why."""

    def __init__(self):
        self.applied: list[str] = []
        self.left: list[str] = []

    def summary(self) -> str:
        lines = [f"Reference data: {len(self.applied)} change(s) applied, {len(self.left)} record(s) left alone."]
        lines += [f"  applied: {line}" for line in self.applied]
        lines += [f"  left alone: {line}" for line in self.left]
        return "\n".join(lines)


def comparable(model, fields: dict, names) -> dict:
    """The values of ``names`` as Python has them (so "41.88" and "41.880000" are one number), related
    records by natural key, many-to-many ones sorted; the stamps the loader and the clock set left out."""
    values = {}
    for name in names:
        field, value = model._meta.get_field(name), fields.get(name)
        if field.many_to_many:
            values[name] = sorted(value or [])
        elif field.is_relation:
            values[name] = value
        else:
            values[name] = field.to_python(value)
    return values


def as_fixture_row(record: TrackedModel) -> dict:
    """The record as dumpdata writes it with natural keys (the fixtures' own form)."""
    text = serializers.serialize("json", [record], use_natural_foreign_keys=True, use_natural_primary_keys=True)
    return json.loads(text)[0]["fields"]


def written_by_the_loader(record: TrackedModel) -> bool:
    """Whether the reference data made the record's latest version (no editor has changed it since)."""
    latest = record.history.order_by("-history_date", "-history_id").first()
    reason = (latest and latest.history_change_reason) or ""
    return reason.startswith(LOADED) and latest.history_user_id is None


def merge(files: list[Path]) -> Merged:
    """The three-way merge: for each fixture row, what the reference data last wrote (the record's history),
    what the database holds now, and what the fixture says."""
    merged = Merged()
    for path in files:
        for row in json.loads(path.read_text()):
            merge_row(path.name, row, merged)
    return merged


def merge_row(file: str, row: dict, merged: Merged) -> None:
    try:
        (loaded,) = serializers.deserialize("json", json.dumps([row]))
    except DeserializationError:
        merged.left.append(f"{row['model']} ({file}): it names a record an editor renamed or deleted")
        return
    record, model = loaded.object, type(loaded.object)
    name = f"{model._meta.label_lower} {' / '.join(map(str, record.natural_key()))} ({file})"
    names = [name for name in row["fields"] if name not in STAMPS]
    theirs = comparable(model, row["fields"], names)
    live = model._default_manager.filter(pk=record.pk).first() if record.pk else None
    if live is None:
        if record.pk is None and gone(model, record):
            merged.left.append(f"{name}: renamed or deleted by an editor")
            return
        return apply(loaded, file, merged, name, created=True)
    if comparable(model, as_fixture_row(live), names) == theirs:
        return
    if pending(model, live.pk) is not None:
        merged.left.append(f"{name}: an editor's change waits for a check")
    elif not written_by_the_loader(live):
        merged.left.append(f"{name}: changed by an editor since the reference data wrote it")
    else:
        apply(loaded, file, merged, name, created=False)


def gone(model, record) -> bool:
    """A record the history knows by this natural key: it was renamed or deleted since it was loaded."""
    fields = [model._meta.get_field(lookup.split("__")[0]) for lookup in model.NATURAL_KEY]
    return model.history.filter(**{field.attname: getattr(record, field.attname) for field in fields}).exists()


def apply(loaded, file: str, merged: Merged, name: str, created: bool) -> None:
    record = loaded.object
    record.review_state, record.updated_at = ReviewState.PUBLISHED, timezone.now()
    loaded.save()
    record._change_reason = f"{LOADED} ({file})"
    type(record).history_records.create_historical_record(record, "+" if created else "~")
    merged.applied.append(f"{name}: {'created' if created else 'updated'}")


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
    for model in record_models():
        missing = list(model.objects.exclude(pk__in=model.history.values("id")))
        for row in missing:
            row._history_date = row.updated_at
        model.history.bulk_history_create(missing, default_change_reason=LOADED)

"""A record's content as a revision holds it, and how a revision is written into the live tables.

A record's content is the record and its children (the rows whose model names it as ``PARENT``: a
letter's recipients), each in Django's Python serialization, ordered, citations sorted, without the
stamps the review and the clock set (``STAMPS``): two contents are equal when an editor changed nothing.
"""

import json
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models

from tracker.models import ReviewState, Revision, TrackedModel, record_models

STAMPS = ("created_at", "updated_at", "review_state", "checked_at")
# What a link to a record shows besides its URL (tracker.api.serializers.LinkField): a change to one of these
# changes every record that links to it.
SHOWN = {"slug", "name", "state"}


@cache
def children_of(model: type[TrackedModel]) -> tuple[type[TrackedModel], ...]:
    """The models whose rows belong to a record of ``model`` (their PARENT), found from the models."""
    return tuple(
        child
        for child in record_models()
        if child.PARENT and child._meta.get_field(child.PARENT).related_model is model
    )


def root_of(instance: models.Model) -> tuple[type[TrackedModel], int] | None:
    """The record a row's change is a change of: itself, or the record it belongs to. None: not a record."""
    if not isinstance(instance, TrackedModel):
        return None
    if instance.PARENT:
        parent = instance._meta.get_field(instance.PARENT)
        return parent.related_model, getattr(instance, parent.attname)
    return type(instance), instance.pk


def rows_of(model: type[TrackedModel], pk: int) -> list[TrackedModel]:
    record = model._default_manager.filter(pk=pk).first()
    if record is None:
        return []
    children = [child._default_manager.filter(**{child.PARENT: pk}).order_by("pk") for child in children_of(model)]
    return [record, *(row for rows in children for row in rows)]


def content_of(model: type[TrackedModel], pk: int) -> list[dict] | None:
    """The record's content as the database at hand holds it, or None when there is no such record."""
    rows = rows_of(model, pk)
    if not rows:
        return None
    content = serializers.serialize("python", rows)
    for item in content:
        fields = item["fields"]
        for name in STAMPS:
            fields.pop(name, None)
        for name, value in fields.items():
            if isinstance(value, list):
                fields[name] = sorted(value)
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def keyed(content: list[dict] | None) -> dict[tuple[str, int], dict]:
    return {(item["model"], item["pk"]): item for item in content or ()}


def cited_nothing(model: type[TrackedModel], content: list[dict]) -> bool:
    """A fact-bearing record (one with ``sources``) whose content cites no source."""
    cites = any(field.name == "sources" for field in model._meta.many_to_many)
    return cites and not content[0]["fields"].get("sources")


def pending(model: type[TrackedModel], pk: int) -> Revision | None:
    content_type = ContentType.objects.get_for_model(model)
    return Revision.objects.filter(content_type=content_type, object_id=pk, published_at=None).first()


def write(item: dict, live: TrackedModel | None, stamps: dict) -> tuple[TrackedModel, dict]:
    """A row of a revision's content as a model instance (the live row, changed), and its many-to-many values."""
    model = apps.get_model(item["model"])
    instance = live or model(pk=item["pk"])
    many = {}
    for name, value in item["fields"].items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        else:
            setattr(instance, field.attname, field.to_python(value))
    for name, value in stamps.items():
        if live is None or name != "created_at":
            setattr(instance, name, value)
    return instance, many


def apply(revision: Revision, history: bool, user=None, at=None) -> None:
    """Write the revision's content into the live tables.

    ``history``: publishing it, in the writer's transaction, with one history row per changed row (its
    reason the revision's reasons, its user ``user``) and Django's own saves (updated_at, a parent's
    touch). Otherwise the working view an editor reads (tracker/review/working.py): raw writes that
    are rolled back, stamped with the revision's state and time.
    """
    model = revision.model
    live_rows = {(row._meta.label_lower, row.pk): row for row in rows_of(model, revision.object_id)}
    live_content = keyed(content_of(model, revision.object_id)) if history else {}
    stamps = revision_stamps(revision, history)
    reason = revision.reasons() or None
    root = revision.content[0]
    before = live_content.get((root["model"], root["pk"]))
    for item in revision.content:
        key = (item["model"], item["pk"])
        live = live_rows.pop(key, None)
        if history and live_content.get(key) == item:
            continue
        instance, many = write(item, live, stamps)
        save_without_history(instance, many, raw=not history)
        if history:
            stamp_history(instance, reason, user, at)
            type(instance).history_records.create_historical_record(instance, "+" if live is None else "~")
    for row in live_rows.values():  # children the revision no longer has
        if history:
            stamp_history(row, reason, user, at)
            row.delete()
        else:
            type(row)._base_manager.filter(pk=row.pk).delete()
    shown = shown_changed(before, root)
    if history and shown:
        touch_linking(model._default_manager.get(pk=revision.object_id), shown, user, at)


def revision_stamps(revision: Revision, history: bool) -> dict:
    """The review's and the clock's fields the written rows take: published, or the revision's own state
    and time in the working view."""
    stamps = {
        "review_state": ReviewState.PUBLISHED if history else revision.state,
        "checked_at": revision.checked_at,
        "created_at": revision.created_at,
    }
    if not history:
        stamps["updated_at"] = revision.updated_at
    return stamps


def save_without_history(instance: TrackedModel, many: dict, raw: bool) -> None:
    """Save a row and its many-to-many values, leaving its history row to the caller (one per row, not one
    per save). ``raw``: a plain write, without Django's save (the working view)."""
    instance.skip_history_when_saving = True
    if raw:
        models.Model.save_base(instance, raw=True)
    else:
        instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    del instance.skip_history_when_saving


def stamp_history(row: TrackedModel, reason: str | None, user, at) -> None:
    """What the history row of a row's next change records: why, who and when."""
    row._change_reason, row._history_user, row._history_date = reason, user, at


def shown_changed(before: dict | None, root: dict) -> set[str]:
    """What a link to the record shows (``SHOWN``) that the revision changes; nothing for a new record."""
    if not before:
        return set()
    return {name for name in SHOWN if before["fields"].get(name, root["fields"].get(name)) != root["fields"].get(name)}


def touch_linking(record: TrackedModel, shown: set[str], user, at) -> None:
    """The records that link to ``record`` (a letter's recipients, a case's parties, an event, a place's
    grants…) and the records they belong to changed with what the link shows: each gets a new updated_at
    and a history row, so incremental sync, the changes feed and the feeds deliver them again."""
    linking: dict[tuple[type, int], TrackedModel] = {}
    for relation in record._meta.related_objects:
        if not issubclass(relation.related_model, TrackedModel):
            continue
        for row in relation.related_model._default_manager.filter(**{relation.field.name: record}):
            linking[type(row), row.pk] = row
            if row.PARENT:
                parent = getattr(row, row.PARENT)
                linking[type(parent), parent.pk] = parent
    reason = f"Shows {record._meta.verbose_name} {record}, whose {', '.join(sorted(shown))} changed"
    for (model, pk), row in linking.items():
        model._default_manager.filter(pk=pk).update(updated_at=at)
        row.updated_at, row._change_reason, row._history_user, row._history_date = at, reason, user, at
        model.history_records.create_historical_record(row, "~")


def reserve_ids(content: list[dict], using: str) -> None:
    """Keep the ids a new record's rows were given when they were written and rolled back.

    PostgreSQL's sequences never hand an id out twice; SQLite's AUTOINCREMENT counter is a table, rolled
    back with the rows, so the next row would take an id a revision holds.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    highest: dict[str, int] = {}
    for item in content:
        table = apps.get_model(item["model"])._meta.db_table
        highest[table] = max(highest.get(table, 0), item["pk"])
    with connection.cursor() as cursor:
        for table, pk in highest.items():
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                [table, table],
            )
            cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [pk, table])

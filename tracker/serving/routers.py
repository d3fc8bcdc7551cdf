"""The database router: reads where ReplicaMiddleware sent this request, writes on the primary."""

from django.db import connections
from django.db.models import Model

from tracker.serving.replicas import PRIMARY, reading_from


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints) -> str:
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # a record's relations come from the database it came from
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY  # inside a write's transaction, reads must see the write
        return reading_from.get()

    def db_for_write(self, model: type[Model], **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == PRIMARY  # a standby replays the primary's schema; it cannot be migrated

"""What editors read and write: the working versions, made from the live tables and the pending revisions.

The live tables hold the published records, which the public reads through every fast path as they
are. An editor's read, and an editor's write, run in a transaction that first writes every pending
revision into the live tables (``revisions.apply``), then reads or writes as any code would, and is
rolled back: the public never sees it. A write's changes are read back as the content of each record
they touched and kept as that record's revision (``Session.stage``), so the API, the admin's forms,
its actions, imports and revert all stage their changes the same way, under the same rules.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from tracker.models import ReviewState, Revision, TrackedModel
from tracker.review.revisions import apply, cited_nothing, content_of, reserve_ids, root_of
from tracker.serving.replicas import PRIMARY, read_the_primary

logger = logging.getLogger(__name__)
current: ContextVar["WorkingView | None"] = ContextVar("working_view", default=None)


class WorkingView:
    """The pending revisions written into the live tables, and what a write in it changed."""

    def __init__(self, revisions: list[Revision]):
        self.revisions = {(revision.model, revision.object_id): revision for revision in revisions}
        self.new = {key for key, revision in self.revisions.items() if revision.creates}
        # Names the pending revisions as they are, for the tags of answers made from them.
        self.fingerprint = ",".join(f"{revision.pk}@{revision.updated_at.timestamp()}" for revision in revisions)
        # A record renamed in its revision still answers at its published key (slug).
        self.published_keys: dict[tuple[type, str], int] = {}
        self.writer = None
        self.before: dict[tuple[type, int], list | None] = {}
        self.staged: dict[tuple[type, int], list] | None = None
        self.reason: str | None = None

    def is_published(self, model: type, pk: int) -> bool:
        return (model, pk) not in self.new

    def published_pk(self, model: type, key: str) -> int | None:
        return self.published_keys.get((model, key))

    def touch(self, instance, created: bool = False) -> None:
        """A write is about to change ``instance`` (or has just created it): keep its record's content before
        the first change (none for a record it created)."""
        root = root_of(instance)
        if self.writer is None or root is None or root in self.before or root[1] is None:
            return
        self.before[root] = None if created else content_of(*root)

    def stage(self, reason: str | None) -> None:
        """Read back what the write changed, refuse what the rules refuse, and show each changed record in
        this view as its next read will (a draft). Kept as revisions when the view ends (``editing``)."""
        self.staged, self.reason, now = {}, reason or None, timezone.now()
        for (model, pk), before in self.before.items():
            after = content_of(model, pk)
            if after == before:
                continue  # nothing changed: no revision, no author
            if after is None:
                raise ValidationError({"detail": "A record is deleted by a superuser's DELETE, not by an edit."})
            if cited_nothing(model, after):
                raise ValidationError({"sources": ["Cite at least one source: every fact needs one."]})
            published = before is not None and self.is_published(model, pk)
            if published and not reason:
                raise ValidationError({"change_reason": ["This record is published: say why you change it."]})
            revision = self.revisions.get((model, pk)) or Revision(
                content_type=ContentType.objects.get_for_model(model),
                object_id=pk,
                creates=before is None,
                created_at=now,
            )
            revision.content, revision.state, revision.checked_at, revision.updated_at = (
                after,
                ReviewState.DRAFT,
                None,
                now,
            )
            apply(revision, history=False)
            self.staged[model, pk] = revision

    def keep(self, user) -> list[Revision]:
        """Keep what ``stage`` read as revisions (after the view's writes were rolled back)."""
        for revision in (self.staged or {}).values():
            revision.log = [*revision.log, entry("changed", user, revision.updated_at, self.reason)]
            revision.save()
            revision.authors.add(user)
            if revision.creates:
                reserve_ids(revision.content, PRIMARY)
        return list((self.staged or {}).values())


def entry(action: str, user, at, reason: str | None = None) -> dict:
    return {"action": action, "user": user.get_username(), "user_id": user.pk, "at": at.isoformat(), "reason": reason}


def pending_revisions() -> list[Revision]:
    return list(Revision.objects.filter(published_at=None).select_related("content_type").order_by("id"))


@contextmanager
def working_versions():
    """The live tables with every pending revision written in, for as long as the block runs; then as they
    were. A revision that no longer fits (its slug taken since, a place it names deleted) is left out."""
    read_the_primary("working-versions")
    with transaction.atomic(using=PRIMARY):
        view = WorkingView(pending_revisions())
        for (model, pk), revision in view.revisions.items():
            if not revision.creates and "slug" in {field.name for field in model._meta.concrete_fields}:
                slug = model._default_manager.filter(pk=pk).values_list("slug", flat=True).first()
                view.published_keys[model, slug] = pk
            try:
                with transaction.atomic(using=PRIMARY):
                    apply(revision, history=False)
            except DatabaseError:
                logger.warning("Revision %s no longer applies to the live tables; left out", revision.pk)
        token = current.set(view)
        try:
            yield view
        finally:
            current.reset(token)
            transaction.set_rollback(True, using=PRIMARY)


@contextmanager
def editing(user, reason: str | None = None):
    """Run a write on the working versions and keep what it changed as revisions, in one transaction.

    The block may call ``view.stage(reason)`` itself to show its answer from the staged view; otherwise
    it is staged when the block ends. Raising in the block keeps nothing."""
    with transaction.atomic(using=PRIMARY):
        with working_versions() as view:
            view.writer = user
            yield view
            if view.staged is None:
                view.stage(reason)
            view.writer = None
        view.kept = view.keep(user)


def reading_working_versions(user) -> bool:
    """Whether ``user`` reads the working versions: an editor (staff) signed in."""
    return bool(user and user.is_authenticated and user.is_staff)


@receiver(pre_save)
@receiver(pre_delete)
def before_a_write(sender, instance, raw: bool = False, **kwargs) -> None:
    view = current.get()
    if view is not None and not raw and isinstance(instance, TrackedModel):
        view.touch(instance)


@receiver(post_save)
def after_a_creation(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    view = current.get()
    if view is not None and created and not raw and isinstance(instance, TrackedModel):
        view.touch(instance, created=True)


@receiver(m2m_changed)
def before_a_citation_changes(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    view = current.get()
    if view is not None and not reverse and action.startswith("pre_"):
        view.touch(instance)

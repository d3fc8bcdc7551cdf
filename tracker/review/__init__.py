"""Staged publishing and two-person verification, shared by the admin and the write API.

The public reads the live tables, which hold published records only. Every change an editor makes — a
new record, an edit of a published one, its children and citations included — is held as the record's
pending revision (tracker.Revision; tracker/review/working.py stages it). An editor who made none of its
changes since the record was last published checks it against its sources; a checked revision is
published: written into the live tables in one transaction, with one history row carrying its reasons.
"""

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from tracker.models import ReviewState, Revision, TrackedModel
from tracker.review.revisions import apply, pending
from tracker.review.working import entry

DRAFT, CHECKED, PUBLISHED = ReviewState.DRAFT, ReviewState.CHECKED, ReviewState.PUBLISHED
REASON_MAX_LENGTH = 500

# (from, to) → what the revision's log calls the step.
STEPS = {
    (DRAFT, CHECKED): "checked",
    (CHECKED, PUBLISHED): "published",
    (CHECKED, DRAFT): "sent back to draft",
}


def refusal(revision: Revision | None, user, state: str) -> str | None:
    """Why ``user`` may not move the record whose pending revision is ``revision`` to ``state``, or None."""
    if revision is None:
        return "This record has no pending change: it is published as it is."
    current = revision.state
    if (current, state) not in STEPS:
        allowed = ", ".join(to for start, to in STEPS if start == current)
        return f"A {current} record cannot become {state}; it can become: {allowed}."
    if state == CHECKED and revision.authors.filter(pk=user.pk).exists():
        return "You made changes to this record since it was last published; a second editor must check it."
    return None


def step(model: type[TrackedModel], pk: int, user, state: str) -> Revision | None:
    """Move the record's pending revision to ``state``; publishing it writes it into the live tables.

    Raises ValidationError naming ``review_state`` when the step is not allowed."""
    with transaction.atomic():
        revision = pending(model, pk)
        if revision is not None:
            revision = Revision.objects.select_for_update().get(pk=revision.pk)
        if (revision.state if revision else PUBLISHED) == state:
            return revision  # already there: nothing to do
        refused = refusal(revision, user, state)
        if refused:
            raise ValidationError({"review_state": [refused]})
        now = timezone.now()
        revision.log = [*revision.log, entry(STEPS[revision.state, state], user, now)]
        revision.state = state
        revision.checked_at = now if state == CHECKED else revision.checked_at if state == PUBLISHED else None
        if state == PUBLISHED:
            apply(revision, history=True, user=user, at=now)
            revision.published_at = now
        revision.save()
        return revision


def deletion_reason(request, record: TrackedModel) -> TrackedModel:
    """The record, carrying the optional ``{"change_reason": "…"}`` of a DELETE's body to its history."""
    reason = request.data.get("change_reason") if isinstance(request.data, dict) else None
    if reason is not None and (not isinstance(reason, str) or len(reason) > REASON_MAX_LENGTH):
        raise ValidationError({"change_reason": [f"Give the reason as text, at most {REASON_MAX_LENGTH} characters."]})
    record._change_reason = reason or None
    return record

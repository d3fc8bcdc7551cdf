"""Change reasons and two-person verification, shared by the admin and the write API.

A record starts as a draft; an editor other than the last one to edit it
checks it against its sources; a checked record is published. A substantive
edit sends it back to draft (``TrackedModel.save``), and so may any editor.
Who checked is in the audit history (the history user of the check); the
API shows only when.
"""

from rest_framework.exceptions import ValidationError

from tracker.models import ReviewState, TrackedModel

DRAFT, CHECKED, PUBLISHED = ReviewState.DRAFT, ReviewState.CHECKED, ReviewState.PUBLISHED
REASON_MAX_LENGTH = 500

# (from, to) → the reason a record gives in its history for the step.
STEPS = {
    (DRAFT, CHECKED): "Checked against its sources",
    (CHECKED, PUBLISHED): "Published",
    (CHECKED, DRAFT): "Sent back to draft",
    (PUBLISHED, DRAFT): "Sent back to draft",
}


def last_editor_id(record: TrackedModel) -> int | None:
    latest = record.history.order_by("-history_date", "-history_id").values_list("history_user_id", flat=True)
    return latest.first()


def refusal(record: TrackedModel, user, state: str) -> str | None:
    """Why ``user`` may not move ``record`` to ``state``, or None when the step is allowed."""
    current = record.review_state
    if (current, state) not in STEPS:
        allowed = ", ".join(to for start, to in STEPS if start == current)
        return f"A {current} record cannot become {state}; it can become: {allowed}."
    if state == CHECKED and last_editor_id(record) == user.pk:
        return "You made the last change to this record; a second editor must check it."
    return None


def step_reason(record: TrackedModel, state: str) -> str:
    return STEPS[(record.review_state, state)]


def deletion_reason(request, record: TrackedModel) -> TrackedModel:
    """The record, carrying the optional ``{"change_reason": "…"}`` of a DELETE's body to its history."""
    reason = request.data.get("change_reason") if isinstance(request.data, dict) else None
    if reason is not None and (not isinstance(reason, str) or len(reason) > REASON_MAX_LENGTH):
        raise ValidationError({"change_reason": [f"Give the reason as text, at most {REASON_MAX_LENGTH} characters."]})
    record._change_reason = reason or None
    return record

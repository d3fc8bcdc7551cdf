"""Records that were never published, or were edited after, held as revisions (tracker/review).

Before staged publishing the live tables held drafts, which the public could read. Each record not in
the published state becomes a pending revision of its content, in the state it had, and leaves the
live tables when it was never published (no published row in its history); an edited published
record goes back to its last published version. A fresh database has none.
"""

from django.db import migrations


def hold_drafts_as_revisions(apps, schema_editor):
    # The running code's own functions: a revision's content is what they read and write.
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from tracker.models import ReviewState, Revision, TrackedModel
    from tracker.review.revisions import content_of, root_of

    from django.apps import apps as live_apps

    for label in ("tracker", "cities", "letters"):
        for model in live_apps.get_app_config(label).get_models():
            if not issubclass(model, TrackedModel) or model.PARENT:
                continue
            for record in model._default_manager.exclude(review_state=ReviewState.PUBLISHED):
                hold(record, model, content_of, root_of, ContentType, Revision, ReviewState, timezone.now())


def hold(record, model, content_of, root_of, ContentType, Revision, ReviewState, now):
    content = content_of(model, record.pk)
    revision = Revision.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=record.pk,
        content=content,
        state=record.review_state,
        checked_at=record.checked_at,
        log=[{"action": "held as a revision", "at": now.isoformat(), "reason": "Staged publishing began"}],
    )
    published = record.history.filter(review_state=ReviewState.PUBLISHED).order_by("-history_date").first()
    if published is None:
        revision.creates = True
        revision.save(update_fields=["creates"])
        record.delete()
    else:
        published.instance.save_without_historical_record()


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0011_published_by_default"),
        ("cities", "0009_published_by_default"),
        ("tracker", "0008_revisions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(hold_drafts_as_revisions, migrations.RunPython.noop)]

"""CSV import and export of every model, naming related rows by natural key (slug, URL).

Imports are validated row by row with the model's own rules (``full_clean``)
and run in one transaction: a file with one bad row changes nothing.
"""

from django.db import models
from import_export import fields, resources, widgets

from tracker.models import TrackedModel

EXCLUDED = ["id", "created_at", "updated_at"]
# Exported, never imported: a file cannot vouch that a second editor checked its rows.
REVIEW = ["review_state", "checked_at"]


def natural_key_resource(model: type[TrackedModel]) -> type[resources.ModelResource]:
    declared, order = {}, []
    for field in [*model._meta.fields, *model._meta.many_to_many]:
        if field.name in EXCLUDED:
            continue
        if isinstance(field, models.ManyToManyField) and not field.remote_field.through._meta.auto_created:
            continue  # rows of their own (a letter's recipients): imported from their own file
        order.append(field.name)
        if field.name in REVIEW:
            declared[field.name] = fields.Field(attribute=field.name, column_name=field.name, readonly=True)
        if not field.is_relation:
            continue
        key = field.related_model.NATURAL_KEY[0]
        widget = (
            widgets.ManyToManyWidget(field.related_model, field=key, separator="|")
            if field.many_to_many
            else widgets.ForeignKeyWidget(field.related_model, field=key)
        )
        declared[field.name] = fields.Field(attribute=field.name, column_name=field.name, widget=widget)
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            # The record's own columns first, then its notes and sources, then its review state.
            "fields": sorted(order, key=lambda name: (name in REVIEW, name in ("notes", "sources"))),
            "import_id_fields": [path.split("__")[0] for path in model.NATURAL_KEY],
            "skip_unchanged": True,
            "report_skipped": False,
            "clean_model_instances": True,
            "use_transactions": True,
        },
    )
    return type(f"{model.__name__}Resource", (resources.ModelResource,), {**declared, "Meta": meta})

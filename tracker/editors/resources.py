"""CSV import and export of every model, naming related rows by natural key (slug, URL).

Imports are validated row by row with the model's own rules (``full_clean``)
and run in one transaction: a file with one bad row changes nothing.

Text cells a spreadsheet would run as formulas are neutralized on export
(tracker/reading/spreadsheet.py) and restored on import, so a file exported and
imported again changes nothing.
"""

from functools import cached_property

from django.db import models
from import_export import fields, resources, widgets

from tracker.models import TrackedModel
from tracker.reading.spreadsheet import neutralize, restore

EXCLUDED = ["id", "created_at", "updated_at"]
# Exported, never imported: a file cannot vouch that a second editor checked its rows.
REVIEW = ["review_state", "checked_at"]

# Cells of these model fields are numbers, dates or booleans: written as they are.
NOT_TEXT = (
    models.IntegerField,
    models.DecimalField,
    models.FloatField,
    models.DateField,
    models.TimeField,
    models.BooleanField,
)


class SpreadsheetSafeResource(resources.ModelResource):
    """Text columns neutralized on export and restored on import."""

    @cached_property
    def text_columns(self) -> set[str]:
        model = self._meta.model
        return {
            name
            for name in self.fields
            if not isinstance(model._meta.get_field(self.fields[name].attribute or name), NOT_TEXT)
        }

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and field.column_name in self.text_columns:
            return neutralize(value)
        return value

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for name in self.text_columns:
            if isinstance(row.get(name), str):
                row[name] = restore(row[name])


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
    return type(f"{model.__name__}Resource", (SpreadsheetSafeResource,), {**declared, "Meta": meta})

"""The JSON format of dumpdata and loaddata, able to dump the history of deleted records.

A history row keeps pointing at the record it described after that record is
deleted (a deleted letter's recipients). With --natural-foreign, Django's own
serializer looks the record up to name it and fails; this one writes the
bare id it pointed at instead, which loads back as it was.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers import json

Deserializer = json.Deserializer


class Serializer(json.Serializer):
    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = getattr(obj, field.attname)

"""The JSON format of dumpdata and loaddata: lossless, and able to dump the history of deleted records.

Django's encoder cuts times to milliseconds, so a dump restored is not the
database dumped; this one keeps the microseconds.

A history row keeps pointing at the record it described after that record is
deleted (a deleted letter's recipients). With --natural-foreign, Django's own
serializer looks the record up to name it and fails; this one writes the
bare id it pointed at instead, which loads back as it was.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder

from tracker.reading.times import as_drf_writes

Deserializer = json.Deserializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return as_drf_writes(o.isoformat())
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder

    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = getattr(obj, field.attname)

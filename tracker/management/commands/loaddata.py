"""Django's loaddata, writing no history of its own.

A dump carries its history rows; fixtures get theirs from load_reference_data. Without this, every
citation loaddata sets (a many-to-many) would add a "changed" row to the history, dated now.
"""

from django.core.management.commands import loaddata
from django.test import override_settings


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            return super().handle(*fixture_labels, **options)

from django.core.management.base import BaseCommand

from tracker.api.idempotency import purge


class Command(BaseCommand):
    help = (
        "Delete the Idempotency-Key answers older than 24 hours (a retry that late runs as a new request "
        "anyway). Run it daily, as Django's clearsessions."
    )

    def handle(self, **options):
        self.stdout.write(f"Deleted {purge()} idempotency keys older than 24 hours.")

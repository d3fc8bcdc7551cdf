from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.releases import export


class Command(BaseCommand):
    help = (
        "Write one release of the dataset into OUT_DIR: tracker.sqlite with Datasette's metadata.json, csv/, "
        "datapackage.json, README.md, SHA256SUMS, and their zip named with the data version."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir", type=Path, help="An empty or new folder.")
        parser.add_argument("--source-url", default="", help="Where the data comes from (the API's URL).")

    def handle(self, *args, out_dir: Path, source_url: str, **options) -> None:
        if out_dir.exists() and any(out_dir.iterdir()):
            raise CommandError(f"{out_dir} is not empty: a release goes into an empty folder.")
        built = export(out_dir, source_url)
        rows = sum(built.tables.values())
        self.stdout.write(f"Data version {built.version}: {len(built.tables)} tables, {rows} rows.")
        self.stdout.write(f"Wrote {built.archive} ({built.archive.stat().st_size} bytes).")

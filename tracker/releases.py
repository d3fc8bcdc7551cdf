"""The dataset as files that outlive the service: one release per data version.

A release holds ``tracker.sqlite`` (every public table with its keys, FTS5
indexes on the text columns and views for the common joins), ``metadata.json``
for Datasette, ``csv/`` (one file per table), ``datapackage.json``
(Frictionless), a data dictionary (``README.md``) and ``SHA256SUMS``.

Tables are every model of the public apps and the links of their
many-to-many fields (a letter's sources); the audit history, users, tokens
and sessions are never read. A foreign key holds the related
record's natural key when that is one column (a jurisdiction's slug, a
source's URL) and its id otherwise, in SQLite and CSV alike.
"""

import csv
import datetime
import hashlib
import io
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from tracker.models import Release, TrackedModel, record_models
from tracker.reading.spreadsheet import neutralize
from tracker.reading.times import as_drf_writes
from tracker.serving.dataversion import last_change_stamp
from tracker.serving.replicas import read_the_primary

NAME = "sanctuary-tracker"
TITLE = "Sanctuary-city policy tracker"
DESCRIPTION = (
    "A sourced record of how the US Department of Justice pressed 'sanctuary' jurisdictions from 2017 on: "
    "compliance letters and their recipients, federal grant money withheld or conditioned, court cases and "
    "rulings, events, and each authority's designation lists. Every record cites its sources."
)
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
DATABASE = "tracker"
# Views for the joins researchers make most; table and column names are the release's own. A row about one
# place carries its point (latitude, longitude), so Datasette's map draws it.
VIEWS = {
    "letters_with_recipients": (
        "One row per letter and recipient, with the recipient's name, state and point.",
        """SELECT l.slug AS letter, l.sent_on, l.kind AS letter_kind, l.subject, l.sender_office,
       r.jurisdiction, j.name AS jurisdiction_name, j.kind AS jurisdiction_kind, j.state,
       r.basis, r.addressee, r.determination, r.responded_on, j.latitude, j.longitude
FROM letters l
JOIN letter_recipients r ON r.letter = l.slug
JOIN jurisdictions j ON j.slug = r.jurisdiction""",
    ),
    "designations_with_places": (
        "One row per designation, with its list's authority, title and date, and the place's name, state and point.",
        """SELECT d.id AS designation, d.designation_list, dl.authority, dl.title AS list_title, dl.published_on,
       d.jurisdiction, j.name AS jurisdiction_name, j.kind AS jurisdiction_kind, j.state,
       d.label, d.disputed, d.removed_on, j.latitude, j.longitude
FROM designations d
JOIN designation_lists dl ON dl.slug = d.designation_list
JOIN jurisdictions j ON j.slug = d.jurisdiction""",
    ),
    "grants_with_places": (
        "One row per grant award, with the grantee's name, state and point.",
        """SELECT g.id AS grant_award, g.program, g.fiscal_year, g.amount, g.status, g.status_date,
       g.jurisdiction, j.name AS jurisdiction_name, j.kind AS jurisdiction_kind, j.state, j.latitude, j.longitude
FROM grant_awards g
JOIN jurisdictions j ON j.slug = g.jurisdiction""",
    ),
    "cases_with_rulings": (
        "One row per court case and ruling.",
        """SELECT c.slug AS "case", c.caption, c.court, c.docket_number, c.filed_on, c.status,
       r.slug AS ruling, r.decided_on, r.kind, r.judge, r.outcome, r.scope, r.citation, r.opinion_url
FROM court_cases c
JOIN rulings r ON r."case" = c.slug""",
    ),
}
LABEL_COLUMNS = ("name", "title", "caption", "subject")
# The version of a database that has no history yet (nothing was ever recorded).
EMPTY_VERSION = "00000000T000000Z"


@dataclass
class Column:
    name: str
    path: str  # the ORM lookup that reads it
    field: models.Field
    description: str
    references: tuple[str, str] | None = None  # (table, column)


@dataclass
class Table:
    name: str
    model: type[models.Model]
    description: str
    columns: list[Column]
    primary_key: list[str]
    text_columns: list[str] = field(default_factory=list)


def snake(text: str) -> str:
    return re.sub(r"\W+", "_", str(text)).strip("_").lower()


def table_name(model: type[models.Model]) -> str:
    return snake(model._meta.verbose_name_plural)


def reference(related: type[models.Model]) -> tuple[str, str]:
    """What a foreign key to ``related`` holds: its one-column natural key, or its id."""
    key = related.NATURAL_KEY
    return table_name(related), key[0] if len(key) == 1 else "id"


def public_models() -> list[type[models.Model]]:
    """The records and the models they link to (a case's court), in the order they are declared: not the audit
    history nor the revisions (which name editors), the releases, the loader's bookkeeping or the writes' kept
    answers, which no record links to."""
    records = record_models()
    linked = {field.related_model for model in records for field in model._meta.fields if field.many_to_one}
    return [model for model in apps.get_models() if model in records or model in linked]


def column(model_field: models.Field, name: str | None = None) -> Column:
    name = name or model_field.name
    if not model_field.is_relation:
        description = model_field.help_text or ("The row's id (the API's id)." if model_field.primary_key else "")
        return Column(name, model_field.name, model_field, description)
    target, key = reference(model_field.related_model)
    path = f"{model_field.name}__{key}" if key != "id" else model_field.attname
    return Column(name, path, model_field, model_field.help_text, (target, key))


def tables() -> list[Table]:
    result = []
    for model in public_models():
        name = table_name(model)
        # The record's own columns first, the shared ones (notes, timestamps) last.
        shared = {model_field.name for model_field in TrackedModel._meta.fields}
        own = sorted(model._meta.concrete_fields, key=lambda model_field: model_field.name in shared)
        columns = [column(model_field) for model_field in own]
        text = [
            model_field.name
            for model_field in model._meta.concrete_fields
            if isinstance(model_field, models.CharField | models.TextField)
            and not isinstance(model_field, models.SlugField | models.URLField)
            and not model_field.choices
        ]
        # The one-column natural key is the primary key (what foreign keys hold, and Datasette's row URLs).
        key = [reference(model)[1]]
        result.append(Table(name, model, (model.__doc__ or "").strip(), columns, key, text))
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            if not through._meta.auto_created:
                continue  # rows of their own (a letter's recipients): a table already
            owner = snake(model._meta.verbose_name)
            other = snake(m2m.related_model._meta.verbose_name)
            link_columns = [
                column(through._meta.get_field(m2m.m2m_field_name()), owner),
                column(through._meta.get_field(m2m.m2m_reverse_field_name()), other),
            ]
            link_columns[0].description = f"The {model._meta.verbose_name}."
            link_columns[1].description = f"One of its {m2m.name.replace('_', ' ')}."
            description = f"{m2m.help_text} One row per {model._meta.verbose_name} and {other.replace('_', ' ')}."
            result.append(Table(f"{owner}_{m2m.name}", through, description, link_columns, [owner, other]))
    return result


def as_released(value):
    """A value as the release writes it: text for dates, times and decimals."""
    if isinstance(value, datetime.datetime):
        return as_drf_writes(value.isoformat())
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def csv_cell(value, text: bool) -> str:
    """A value as the CSV files write it: a text column's as the API's CSV writes text (formulas neutralized)."""
    if value is None:
        return ""
    return neutralize(value) if text else str(value)


SQLITE_TYPES = {"integer": "INTEGER", "number": "NUMERIC", "boolean": "INTEGER"}
FRICTIONLESS_TYPES = [
    (models.BooleanField, "boolean"),
    (models.IntegerField | models.AutoField, "integer"),  # BigAutoField, PositiveSmallIntegerField…
    (models.DecimalField | models.FloatField, "number"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
]


def value_type(col: Column) -> str:
    """The column's Frictionless type (a foreign key has its target column's)."""
    model_field = col.field
    if col.references:
        model_field = model_field.related_model._meta.get_field(col.references[1])
    return next((name for kind, name in FRICTIONLESS_TYPES if isinstance(model_field, kind)), "string")


def write_sqlite(path: Path, table_rows: dict[str, list[tuple]], specs: list[Table]) -> None:
    db = sqlite3.connect(path)
    for table in specs:
        definitions = []
        for col in table.columns:
            definition = f'"{col.name}" {SQLITE_TYPES.get(value_type(col), "TEXT")}'
            if table.primary_key == [col.name]:
                definition += " PRIMARY KEY"
            elif col.field.unique:
                definition += " UNIQUE"
            if col.references:
                definition += f' REFERENCES "{col.references[0]}"("{col.references[1]}")'
            definitions.append(definition)
        if len(table.primary_key) > 1:
            keys = ", ".join(f'"{name}"' for name in table.primary_key)
            definitions.append(f"PRIMARY KEY ({keys})")
        db.execute(f'CREATE TABLE "{table.name}" ({", ".join(definitions)})')
        marks = ", ".join("?" * len(table.columns))
        db.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})', table_rows[table.name])
        if table.text_columns:
            # content=[table]: an external-content index, the form Datasette detects for its search box.
            db.execute(
                f'CREATE VIRTUAL TABLE "{table.name}_fts" USING fts5({", ".join(table.text_columns)}, '
                f"content=[{table.name}], content_rowid=id)"
            )
            db.execute(f'INSERT INTO "{table.name}_fts"("{table.name}_fts") VALUES (\'rebuild\')')
    for name, (_, sql) in VIEWS.items():
        db.execute(f'CREATE VIEW "{name}" AS {sql}')
    db.commit()
    db.execute("VACUUM")
    db.close()


def write_csv(folder: Path, table_rows: dict[str, list[tuple]], specs: list[Table]) -> None:
    folder.mkdir()
    for table in specs:
        with open(folder / f"{table.name}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow([col.name for col in table.columns])
            text = [value_type(col) == "string" for col in table.columns]  # after as_released(), dates are str too
            writer.writerows(
                [csv_cell(*cell) for cell in zip(row, text, strict=True)] for row in table_rows[table.name]
            )


def column_description(col: Column) -> str:
    choices = col.field.choices if not col.references else None
    if not choices:
        return col.description
    return f"{col.description} One of: " + "; ".join(f"{code} ({label})" for code, label in choices) + "."


def datasette_metadata(version: str, specs: list[Table], source_url: str) -> dict:
    table_metadata = {}
    for table in specs:
        entry: dict = {
            "description": table.description,
            "columns": {col.name: column_description(col) for col in table.columns},
        }
        label = next((name for name in LABEL_COLUMNS if name in {col.name for col in table.columns}), None)
        if label:
            entry["label_column"] = label
        if table.text_columns:
            entry |= {"fts_table": f"{table.name}_fts", "fts_pk": "id"}
        table_metadata[table.name] = entry
    for name, (description, _) in VIEWS.items():
        table_metadata[name] = {"description": description}
    return {
        "title": TITLE,
        "description": f"{DESCRIPTION} Data version {version}.",
        "license": "CC BY 4.0",
        "license_url": LICENSE["path"],
        "source": TITLE,
        **({"source_url": source_url} if source_url else {}),
        "databases": {DATABASE: {"description": f"Data version {version}.", "tables": table_metadata}},
    }


def datapackage(version: str, specs: list[Table], source_url: str) -> dict:
    resources = []
    for table in specs:
        fields = []
        for col in table.columns:
            entry = {"name": col.name, "type": value_type(col), "description": column_description(col)}
            if col.field.choices and not col.references:
                entry["constraints"] = {"enum": [code for code, _ in col.field.choices]}
            fields.append(entry)
        foreign_keys = [
            {
                "fields": [col.name],
                # "" is the Data Package spelling of a reference to the same resource.
                "reference": {"resource": "" if col.references[0] == table.name else col.references[0]}
                | {"fields": [col.references[1]]},
            }
            for col in table.columns
            if col.references
        ]
        resources.append(
            {
                "name": table.name,
                "path": f"csv/{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description,
                "schema": {"fields": fields, "primaryKey": table.primary_key, "foreignKeys": foreign_keys},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "licenses": [LICENSE],
        "resources": resources,
    }
    if source_url:
        package["sources"] = [{"title": TITLE, "path": source_url}]
    return package


def dictionary(version: str, specs: list[Table], counts: dict[str, int]) -> str:
    """The release's README: what each table and column holds."""
    lines = [
        f"# {TITLE}: data version {version}",
        "",
        DESCRIPTION,
        "",
        f"The data is licensed under {LICENSE['title']} ({LICENSE['path']}).",
        "The data version is the time (UTC) of the last change the release includes.",
        "",
        "- `tracker.sqlite`: every table below, with primary and foreign keys, full-text indexes "
        "(`<table>_fts`) and the views listed at the end. Open it with `datasette tracker.sqlite -m metadata.json`.",
        "- `csv/<table>.csv`: the same tables, one file each; `datapackage.json` describes them "
        "(Frictionless Data Package: types, keys, foreign keys). A text cell a spreadsheet would run as a formula "
        "(one starting with `=`, `+`, `-`, `@`, a tab or a carriage return) starts with a `'` there, as in the "
        "API's CSV; `tracker.sqlite` holds the text as it is.",
        "- `SHA256SUMS`: checksums of every file (`sha256sum -c SHA256SUMS`).",
        "",
        "A foreign key holds the related record's slug (or a source's URL); a link to a record with no "
        "one-column key (a letter's recipient) holds its `id`. Dates are `YYYY-MM-DD`, times ISO 8601 in UTC, "
        "amounts US dollars.",
        "",
    ]
    for table in specs:
        lines += [f"## {table.name} ({counts[table.name]} rows)", "", table.description, ""]
        lines += ["| Column | Type | Description |", "| --- | --- | --- |"]
        for col in table.columns:
            kind = value_type(col)
            if col.references:
                kind += f", references {col.references[0]}.{col.references[1]}"
            if table.primary_key == [col.name]:
                kind += ", primary key"
            lines.append(f"| `{col.name}` | {kind} | {column_description(col)} |")
        lines.append("")
    lines += ["## Views", ""] + [f"- `{name}`: {description}" for name, (description, _) in VIEWS.items()]
    return "\n".join(lines) + "\n"


def read_rows(specs: list[Table]) -> dict[str, list[tuple]]:
    return {
        table.name: [
            tuple(as_released(value) for value in row)
            for row in table.model.objects.order_by(*ordering(table)).values_list(*[col.path for col in table.columns])
        ]
        for table in specs
    }


def ordering(table: Table) -> list[str]:
    by_name = {col.name: col.path for col in table.columns}
    return [by_name[name] for name in table.primary_key]


def release_name(version: str) -> str:
    return f"{NAME}-{version}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Built:
    version: str
    archive: Path
    tables: dict[str, int]


def export(out_dir: Path, source_url: str = "") -> Built:
    """Write one release into ``out_dir``: its files and, beside them, their zip."""
    specs = tables()
    # A consistent snapshot: on PostgreSQL every table is read at the same moment (SQLite's
    # transaction is one already), so no write between two reads tears the release.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        version = last_change_stamp() or EMPTY_VERSION
        table_rows = read_rows(specs)
    counts = {name: len(rows) for name, rows in table_rows.items()}
    out_dir.mkdir(parents=True, exist_ok=True)
    write_sqlite(out_dir / "tracker.sqlite", table_rows, specs)
    write_csv(out_dir / "csv", table_rows, specs)
    documents = {
        "metadata.json": json.dumps(datasette_metadata(version, specs, source_url), indent=2) + "\n",
        "datapackage.json": json.dumps(datapackage(version, specs, source_url), indent=2) + "\n",
        "README.md": dictionary(version, specs, counts),
    }
    for name, text in documents.items():
        (out_dir / name).write_text(text, encoding="utf-8")
    files = sorted(path.relative_to(out_dir).as_posix() for path in out_dir.rglob("*") if path.is_file())
    sums = [f"{sha256((out_dir / name).read_bytes())}  {name}" for name in files]
    (out_dir / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    folder = release_name(version)
    archive = out_dir / f"{folder}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in [*files, "SHA256SUMS"]:
            # A fixed time and mode, not the files': the same data makes the same zip, byte for byte.
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            bundle.writestr(info, (out_dir / name).read_bytes(), zipfile.ZIP_DEFLATED)
    return Built(version, archive, counts)


# A PostgreSQL advisory lock: one release build at a time, however many app servers are asked for it.
BUILD_LOCK = 2_017_0813


def current_release(source_url: str = "") -> Release | None:
    """The release of the current data version, built and stored the first time it is asked for: once,
    on the primary, while the others who ask wait for it. A replica that has not replayed it yet defers
    to the primary. OSError (a full disk, an unwritable folder) leaves no file behind."""
    version = last_change_stamp()
    if version is None:
        return None
    release = stored(version)
    if release:
        return release
    read_the_primary("release")
    for _ in range(2):  # if the build it waited for failed, it builds the release itself
        release = build_once(source_url)
        if release:
            return release
    raise OSError("The release could not be built.")


def stored(version: str) -> Release | None:
    return Release.objects.defer("archive").filter(version=version).first()


def build_once(source_url: str) -> Release | None:
    """The current release, built and stored unless it is; when another process is building it, what that
    process stored once it has finished (None if it failed)."""
    try:
        with transaction.atomic():
            if locked():
                return stored(last_change_stamp()) or store(source_url)
    except IntegrityError:  # stored by another process meanwhile (SQLite; or just before the lock): the same data
        return stored(last_change_stamp())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BUILD_LOCK])
    return stored(last_change_stamp())


def locked() -> bool:
    """In a transaction: on PostgreSQL, one snapshot for all that follows (so no write tears the release)
    and the build lock, unless another process holds it. SQLite writes one at a time anyway."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if not connection.savepoint_ids:  # the transaction's own start (a test's is already under way)
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [BUILD_LOCK])
        return cursor.fetchone()[0]


def store(source_url: str) -> Release:
    with tempfile.TemporaryDirectory() as folder:
        built = export(Path(folder), source_url)
        data = built.archive.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        files = {
            info.filename.partition("/")[2]: {"bytes": info.file_size, "sha256": sha256(bundle.read(info))}
            for info in bundle.infolist()
        }
    fields = {"archive": data, "size": len(data), "sha256": sha256(data), "tables": built.tables, "files": files}
    return Release.objects.create(version=built.version, **fields)

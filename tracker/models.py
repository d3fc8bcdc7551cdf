"""The shared core of the data model: the timestamped base and Source."""

import datetime
import json
from functools import cache, reduce
from operator import itemgetter
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Plausible input: every model's dates, slugs and URLs pass these besides their field's own checks.
EARLIEST_DATE = datetime.date(1776, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def plausible_date(value: datetime.date) -> None:
    """A date in the record's range: a typo such as year 1 or 9999 is refused, not stored."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"Give a date from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}.", code="implausible_date"
        )


# Lowercase only, so no two slugs differ only in case (Chicago-IL beside chicago-il).
lowercase_slug = RegexValidator(
    r"^[-a-z0-9_]+\Z",
    "Use lowercase letters, digits, hyphens and underscores only (chicago-il, not Chicago-IL).",
    code="invalid_slug",
)

# The characters RFC 3986 allows in a URI. Django's URLValidator takes anything but spaces after the host,
# such as '"><script>', which no client reading the API as a URI can use.
uri_characters = RegexValidator(
    r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*\Z",
    "Only the characters a URL may hold: percent-encode the others (spaces, quotes, <, >, accented letters).",
    code="invalid_url_characters",
)


def ancestors(record, field: str, limit: int = 100) -> list:
    """The keys of ``record`` and of every record above it through ``field`` (a place's parent, its parent…)."""
    keys = []
    while record is not None and len(keys) < limit and record.pk not in keys:
        keys.append(record.pk)
        record = getattr(record, field)
    return keys


class NaturalKeyManager(models.Manager):
    """Looks records up by the fields named in the model's NATURAL_KEY."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.NATURAL_KEY, key, strict=True)))


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    CHECKED = "checked", "Checked"
    PUBLISHED = "published", "Published"


class WritingTransaction(models.Func):
    """The id of the transaction that writes the row, on PostgreSQL; NULL elsewhere (SQLite serializes writes).

    With a snapshot (``pg_current_snapshot()``) it tells whether the row was committed when the snapshot
    was taken: what the changes feed needs to deliver changes in commit order (reports/changes.py).
    """

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        # xid8: 64 bits with the epoch, so it never wraps around.
        return "pg_current_xact_id()::text::bigint", []


class HistoryRow(models.Model):
    """What every history row records besides simple-history's own fields."""

    history_xid = models.BigIntegerField(
        db_default=WritingTransaction(),
        null=True,
        editable=False,
        db_index=True,
        # Meaningful in this database cluster only: a dump loaded elsewhere takes the loading transaction's.
        serialize=False,
        help_text="The writing transaction's id (PostgreSQL).",
    )

    class Meta:
        abstract = True


class History(HistoricalRecords):
    """simple-history's audit history, reachable from its model (``Model.history_records``): publishing a
    revision writes a record's fields and citations first, then its one history row (tracker.review)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, bases=[HistoryRow], **kwargs)

    def get_meta_options(self, model) -> dict:
        options = super().get_meta_options(model)
        # The changes feed's order within a batch (reports/changes.py): a page is a range of it, even where
        # thousands of rows share a time (a fixture load, a seed).
        options["indexes"] = [models.Index(fields=["history_date", "history_id"])]
        return options

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            sender.history_records = self


class TrackedModel(models.Model):
    """Timestamps, editors' notes, a review state and a natural key for every record.

    NATURAL_KEY lists lookups (``"letter__slug"``) so fixtures and dumps
    name rows by slug instead of by database id.
    """

    NATURAL_KEY: tuple[str, ...] = ("slug",)
    # A child shown inside its parent's record (a letter's recipient) names
    # the parent here, so that editing the child changes the parent's
    # updated_at: incremental sync and ETags then see the change.
    PARENT: str | None = None
    # Its name in the changes feed and the Atom feeds (``model=``); its model name unless it says otherwise.
    # A record shown and written only inside its parent's (a letter's recipient) is not in the feeds of its
    # own: IN_FEEDS = False, and its changes are its parent's.
    FEED_NAME: str | None = None
    IN_FEEDS = True

    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated_at = models.DateTimeField(
        auto_now=True, db_index=True, help_text="When the record last changed (for incremental sync)."
    )
    notes = models.TextField(
        blank=True, help_text="Editors' notes: caveats, conflicting figures and how they were resolved."
    )

    # The live tables hold what the public reads: published records. A draft, and an edit of a published
    # record, wait as a tracker.Revision until a second editor checks them (tracker/review).
    review_state = models.CharField(
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.PUBLISHED,
        db_index=True,
        help_text=(
            "draft → checked (by an editor who made none of its changes) → published. The public reads only "
            "published versions; editors read the working ones."
        ),
    )
    checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When a second editor last checked it against its sources."
    )

    objects = NaturalKeyManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.touch_parent()

    def get_absolute_url(self) -> str:
        """The record in the API."""
        lookup = self.api_lookup()
        return reverse(f"{self._meta.model_name}-detail", kwargs={lookup: getattr(self, lookup)})

    @classmethod
    def api_lookup(cls) -> str:
        """What the API keys the record by: its slug where that is its natural key, else its id.

        Every URL of the API and every link builder asks here.
        """
        return "slug" if cls.NATURAL_KEY == ("slug",) else "pk"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.touch_parent()
        return result

    def natural_key(self) -> tuple:
        return tuple(reduce(getattr, path.split("__"), self) for path in self.NATURAL_KEY)

    @classmethod
    def feed_name(cls) -> str:
        return cls.FEED_NAME or cls._meta.model_name

    def touch_parent(self) -> None:
        if self.PARENT:
            parent = self._meta.get_field(self.PARENT).related_model
            parent.objects.filter(pk=getattr(self, f"{self.PARENT}_id")).update(updated_at=timezone.now())


# The attribute a record's cited sources are read into: the ``cited_sources()`` subquery annotated on its query
# (``with_sources``: JSON text), or ``prefetch_sources()``'s list of sources for related records.
CITED_SOURCES = "cited_sources"

# A cited source as the API shows it in a record (SourceBriefSerializer): key → column, from the through table.
BRIEF_SOURCE = {
    "id": "source_id",
    "link": "source__url",
    "title": "source__title",
    "publisher": "source__publisher",
    "published_on": "source__published_on",
    "kind": "source__kind",
    "provenance": "source__provenance",
}
LISTED_BY = "link"  # a record's sources are listed by URL, compared by code point (collation "C")


class JSONObjects(models.Aggregate):
    """The rows aggregated as a JSON array (text) of objects, ``{key: column}``, keys in the order given."""

    def __init__(self, **columns):
        self.keys = list(columns)
        super().__init__(*(models.F(column) for column in columns.values()), output_field=models.TextField())

    def as_sql(self, compiler, connection, **extra_context):
        pairs, params = [], []
        # An aggregate's expressions are followed by its filter (none here).
        for key, expression in zip(self.keys, self.get_source_expressions()[: len(self.keys)], strict=True):
            sql, expression_params = compiler.compile(expression)
            pairs.append(f"'{key}', {sql}")
            params.extend(expression_params)
        if connection.vendor == "postgresql":
            # json, not jsonb, which would reorder the keys.
            return f"JSON_AGG(JSON_BUILD_OBJECT({', '.join(pairs)}))::text", params
        return f"JSON_GROUP_ARRAY(JSON_OBJECT({', '.join(pairs)}))", params


@cache
def cited_sources(model, key: str = "id") -> models.Subquery:
    """Each record's sources as the API shows them, read in the record's own query (a subquery on the
    through table), so a list's sources cost no query of their own and no model instances. NULL: none.
    ``key`` is the column of the query's rows that holds the record's id (``letter_id`` for a letter's
    sources read with its recipients)."""
    field = model._meta.get_field("sources")
    through, owner = field.remote_field.through, field.m2m_field_name()
    rows = through.objects.filter(**{owner: models.OuterRef(key)}).values(owner)
    return models.Subquery(rows.annotate(cited=JSONObjects(**BRIEF_SOURCE)).values("cited"))


def cited_list(cited: str | None) -> list[dict]:
    """What ``cited_sources`` read, as the API lists it: brief sources in URL order. It is read as text and
    decoded only here, so the thousands of rows without sources cost no JSON converter."""
    return sorted(json.loads(cited), key=itemgetter(LISTED_BY)) if cited else []


def cites_sources(model) -> bool:
    return any(field.name == "sources" for field in model._meta.many_to_many)


def with_sources(queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` with each record's sources under ``CITED_SOURCES`` (the serializers read them)."""
    return queryset.annotate(**{CITED_SOURCES: cited_sources(queryset.model)})


def prefetch_sources(path: str = "sources") -> models.Prefetch:
    """Prefetch the sources of related records (``expand=``, the timeline) into a plain list.

    Django's default prefetch builds a related manager and a queryset for
    every row; a list attribute costs nothing. The serializers read it when present.
    """
    return models.Prefetch(path, queryset=Source.objects.all(), to_attr=CITED_SOURCES)


def sources_field() -> models.ManyToManyField:
    """The citations every fact carries."""
    return models.ManyToManyField(
        "tracker.Source",
        related_name="+",
        blank=True,
        help_text="The published sources that establish this record.",
    )


class Source(TrackedModel):
    """A published source (press release, filing, opinion, news report…) that records cite."""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", "Press release"
        COURT_FILING = "court_filing", "Court filing"
        OPINION = "opinion", "Court opinion or order"
        DOCKET = "docket", "Court docket"
        NEWS = "news", "News report"
        GOVERNMENT = "government", "Government publication"
        DATASET = "dataset", "Dataset"
        ADVOCACY = "advocacy", "Advocacy organisation"
        OTHER = "other", "Other"

    class Provenance(models.TextChoices):
        """How close the source is to the document it gives: best first (``RANK``)."""

        ORIGINAL = "original", "Original: published by the body that made the document"
        REPORT = "report", "Report: journalism or analysis about it"
        COPY = "copy", "Copy: someone else's copy (a mirror, repost, wire or document-sharing copy)"

    NATURAL_KEY = ("url",)

    url = models.URLField(
        max_length=1000, unique=True, validators=[uri_characters], help_text="Where the source was read."
    )
    title = models.CharField(max_length=500, help_text="The source's own title.")
    publisher = models.CharField(max_length=200, blank=True, help_text="Who published it (agency, court, outlet).")
    published_on = models.DateField(
        validators=[plausible_date], null=True, blank=True, db_index=True, help_text="Publication date, when known."
    )
    archived_url = models.URLField(
        max_length=1000, blank=True, validators=[uri_characters], help_text="A copy in a web archive, if one exists."
    )
    accessed_on = models.DateField(
        validators=[plausible_date], null=True, blank=True, help_text="When a researcher last read it."
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, db_index=True, help_text="What kind of source this is."
    )
    # Ungraded means copy: the lowest grade, so a source nobody graded never lifts a record's standing.
    provenance = models.CharField(
        max_length=10,
        choices=Provenance.choices,
        default=Provenance.COPY,
        db_default=Provenance.COPY,  # a row written in SQL (COPY, a raw INSERT) too
        db_index=True,
        help_text="original, report or copy (the default: a source not graded claims no more than a copy).",
    )
    copy_of = models.URLField(
        max_length=1000,
        blank=True,
        default="",
        db_default="",
        validators=[uri_characters],
        help_text="For a copy: its original's address, where known (blank when unknown).",
    )
    copy_of_read = models.BooleanField(
        default=False,
        db_default=False,
        help_text="For a copy naming its original: whether the original itself was read.",
    )

    history = History()

    class Meta:
        # The API pages through by (title, id): one index range scan per page.
        indexes = [models.Index(fields=["title", "id"], name="source_title_keyset")]
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(provenance="copy") | models.Q(copy_of="", copy_of_read=False),
                name="source_only_a_copy_names_an_original",
                violation_error_message="Only a copy names an original (copy_of, copy_of_read): "
                "set provenance to copy, or clear them.",
            ),
            models.CheckConstraint(
                condition=models.Q(copy_of_read=False) | ~models.Q(copy_of=""),
                name="source_original_read_is_named",
                violation_error_message="copy_of_read: name the original that was read (copy_of).",
            ),
            models.CheckConstraint(
                condition=~models.Q(copy_of=models.F("url")),
                name="source_copy_of_another_address",
                violation_error_message="copy_of: a copy's original is another address than its own.",
            ),
        ]

    def __str__(self) -> str:
        """Title, publisher, date and host: enough to tell two similar sources apart in a picker."""
        date = self.published_on and self.published_on.isoformat()
        return f"{self.title} — {', '.join(filter(None, [self.publisher, date, urlsplit(self.url).hostname]))}"

    def save(self, *args, **kwargs) -> None:
        changed = not self._state.adding
        super().save(*args, **kwargs)
        if changed:
            self.touch_citing()

    def citing(self, limit: int | None = None) -> list[models.Model]:
        """The records that cite this source (at most ``limit`` of each kind)."""
        records = []
        for model in citing_models():
            # Their names read their parents (a recipient's letter): fetched now, while queries may run.
            rows = model._default_manager.filter(sources=self).select_related()
            records += rows[:limit] if limit else rows
        return records

    def touch_citing(self) -> None:
        """Every record lists its sources' titles and dates: a record citing a changed source changed too,
        for ETags and updated_since, and so did the record its child belongs to (a recipient's letter)."""
        now = timezone.now()
        for model in citing_models():
            citing = model._default_manager.filter(sources=self)
            citing.update(updated_at=now)
            if model.PARENT:
                parent = model._meta.get_field(model.PARENT)
                parent.related_model._default_manager.filter(pk__in=citing.values(parent.attname)).update(
                    updated_at=now
                )


class Release(models.Model):
    """One build of the whole dataset as a zip, kept in the database so that every app server can serve it."""

    version = models.CharField(
        max_length=16, unique=True, help_text="The data version it holds (time of the last change, YYYYMMDDTHHMMSSZ)."
    )
    built_at = models.DateTimeField(auto_now_add=True, help_text="When the release was built.")
    archive = models.BinaryField(help_text="The zip file.")
    size = models.PositiveBigIntegerField(help_text="Size of the zip file in bytes.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 checksum of the zip file.")
    tables = models.JSONField(help_text="Rows in each table of the release.")
    files = models.JSONField(help_text="Size in bytes and SHA-256 checksum of each file in the zip.")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return self.version


class ReferenceFile(models.Model):
    """A fixture file as the reference data last loaded it: a file unchanged since has nothing to apply."""

    name = models.CharField(max_length=200, unique=True, help_text="The file's name in fixtures/.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file as loaded.")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Revision(models.Model):
    """A record's working version, held apart from the live tables until it is checked and published.

    One per record at a time: a new record (``creates``) or an edit of a published one, its children
    (a letter's recipients) and citations included, as ``content`` (Django's Python serialization,
    without the review and time stamps). ``authors`` are the editors who changed it since it was last
    published; none of them may check it. A published revision is kept as the record of who wrote,
    checked and published what.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, help_text="The record's model.")
    object_id = models.PositiveBigIntegerField(help_text="The record's id (reserved for a new record).")
    creates = models.BooleanField(default=False, help_text="A record never published.")
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT, db_index=True)
    content = models.JSONField(encoder=DjangoJSONEncoder, help_text="The record and its children as written.")
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", help_text="Who changed it since it was last published."
    )
    log = models.JSONField(default=list, help_text="Each change and review step: who, when, what, why.")
    # Set by the write that stages it, so its answer and the next read show the same times.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(published_at__isnull=True),
                name="one_pending_revision_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} ({self.state})"

    @property
    def model(self) -> type[TrackedModel]:
        return self.content_type.model_class()

    def reasons(self) -> str:
        """The reasons its changes gave, in order, each once: the reason its publication gives the history."""
        given = [entry["reason"] for entry in self.log if entry.get("reason") and entry["action"] == "changed"]
        return "; ".join(dict.fromkeys(given))


def record_models() -> list[type[TrackedModel]]:
    """Every model of the record (a TrackedModel), the apps' and the core's, in the order they are declared."""
    return [model for model in apps.get_models() if issubclass(model, TrackedModel)]


def record_apps() -> list[str]:
    """The apps that hold records (their every table counts toward the data version, and is released)."""
    return list(dict.fromkeys(model._meta.app_label for model in record_models()))


def citing_models() -> list[type[TrackedModel]]:
    """Every model with a ``sources`` many-to-many to Source (found from Source's side, so the core imports no app)."""
    return [
        relation.related_model
        for relation in Source._meta.related_objects
        if relation.many_to_many and relation.field.name == "sources"
    ]


@receiver(pre_delete, sender=Source)
def refuse_to_delete_a_cited_source(sender, instance: Source, **kwargs) -> None:
    """Citations are protected like the facts they establish: a cited source cannot be deleted.

    Deleting it would take it silently out of every record that cites it. A
    signal, so every way of deleting (the API, the admin's form and its bulk
    action, a queryset in a shell) is refused alike.
    """
    citing = instance.citing(limit=5)
    if citing:
        raise ProtectedError(f"The source {instance} is cited by other records; remove it from them first.", citing)


class IdempotencyKey(models.Model):
    """A write's answer, kept under the ``Idempotency-Key`` its client sent (tracker/api/idempotency.py).

    Stored in the same transaction as the write, so a write that committed always has its answer here:
    a client whose answer was lost retries with the same key and is answered again, never written twice.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, help_text="The client that sent it.")
    key = models.CharField(max_length=255, help_text="The Idempotency-Key header, as sent.")
    method = models.CharField(max_length=7, help_text="The first request's method.")
    path = models.TextField(help_text="The first request's path.")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the first request's body (canonical JSON).")
    status = models.PositiveSmallIntegerField(help_text="The answer's HTTP status.")
    headers = models.JSONField(help_text="The answer's headers a retry gets again (Content-Type, ETag, Location).")
    body = models.BinaryField(help_text="The answer's body, as sent.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_client_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"

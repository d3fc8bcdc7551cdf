"""Deterministic synthetic data at benchmark scale, on PostgreSQL (never mixed with the real record).

Shapes follow the real data, with its skew: a few jurisdictions (and states)
get most letters. Rows go in with COPY, and each table's creations are then
written to its history table in one INSERT … SELECT, so no row escapes the
audit history. (Django's bulk_create, with simple-history's bulk helper,
manages about 17,000 rows/s here, a twelfth of COPY: the ORM's per-value
preparation is the cost.)
"""

import datetime
import io
import random
import time
from bisect import bisect
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from cities.models import Jurisdiction, State
from letters.models import CourtCase, GrantAward, Letter, LetterRecipient, Ruling
from tracker.models import Source

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
WORDS = [
    *("sanctuary", "detainer", "subpoena", "grant", "compliance", "immigration", "enforcement", "policy"),
    *("county", "jail", "notice", "access", "certification", "warrant", "funding", "injunction", "appeal"),
    *("ordinance", "sheriff", "custody", "cooperation"),
]
COURTS = ["ilnd", "ca7", "cand", "ca9", "paed", "ca3", "nysd", "ca2", "rid", "ca1", "cacd", "ord", "mnd", "scotus"]
EPOCH = datetime.date(2016, 1, 1)


class Row(SimpleNamespace):
    """A row to COPY: far cheaper to make by the million than a model instance."""


class Command(BaseCommand):
    help = (
        "Load synthetic data: --scale 1m gives 1,000,000 letter recipients, 100,000 jurisdictions, "
        "200,000 grants and 50,000 rulings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="10k")
        parser.add_argument("--seed", type=int, default=2018)

    def handle(self, scale: str, seed: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_synthetic loads with PostgreSQL's COPY; set DATABASE_URL to a PostgreSQL database."
            )
        if Jurisdiction.objects.filter(slug__startswith="synthetic-").exists():
            raise CommandError("Synthetic data is already loaded; use an empty database.")
        self.rng = random.Random(seed)
        self.rows = 0
        self.now = timezone.now()
        n = SCALES[scale]
        started = time.perf_counter()
        with transaction.atomic():
            sources = self.create(Source, [self.source(i) for i in range(max(1_000, n // 100))])
            jurisdictions = self.create(Jurisdiction, [self.jurisdiction(i) for i in range(n // 10)])
            letters = self.create(Letter, [self.letter(i) for i in range(n // 50)])
            self.create(LetterRecipient, self.recipients(letters, jurisdictions, n))
            self.create(GrantAward, [self.grant(i, jurisdictions) for i in range(n // 5)])
            cases = self.create(CourtCase, [self.case(i) for i in range(n // 40)])
            self.create(Ruling, [self.ruling(i, cases) for i in range(n // 20)])
            for model, records in [(Jurisdiction, jurisdictions), (Letter, letters), (CourtCase, cases)]:
                self.cite(model, records, sources)
            # Fresh planner statistics, as autovacuum would give a real database in time.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{self.rows} rows (history and source links included) in {seconds:.1f} s: "
            f"{self.rows / seconds:,.0f} rows/s"
        )

    def create(self, model, objects: list[Row]) -> list[Row]:
        """COPY the rows in (ids from the table's sequence, other columns at their defaults), then their history."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(objects)]
            )
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.id = pk
            fields = model._meta.concrete_fields
            defaults = {f.attname: f.get_default() for f in fields} | {"created_at": self.now, "updated_at": self.now}
            rows = ({**defaults, **vars(obj)}.values() for obj in objects)
            copy(cursor, table, [f.column for f in fields], rows)
            tracked = [f.column for f in model.history.model._meta.concrete_fields if not f.name.startswith("history_")]
            cursor.execute(
                f"INSERT INTO {model.history.model._meta.db_table} ({', '.join(tracked)}, history_date, history_type) "
                f"SELECT {', '.join(tracked)}, %s, '+' FROM {table} WHERE id = ANY(%s)",
                [self.now, [obj.id for obj in objects]],
            )
        self.rows += 2 * len(objects)  # each row and its history record
        return objects

    def cite(self, model, records: list, sources: list) -> None:
        through = model.sources.through
        columns = [f"{model._meta.model_name}_id", "source_id"]
        with connection.cursor() as cursor:
            copy(cursor, through._meta.db_table, columns, ([r.id, self.rng.choice(sources).id] for r in records))
        self.rows += len(records)

    def words(self, k: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=k))

    def day(self, span: int = 3_650) -> datetime.date:
        return EPOCH + datetime.timedelta(days=self.rng.randrange(span))

    def source(self, i: int) -> Row:
        return Row(url=f"https://example.org/synthetic/{i}", title=f"Synthetic source {i}", kind=Source.Kind.NEWS)

    def jurisdiction(self, i: int) -> Row:
        states = [code for code, _ in State.choices]
        # A few states hold most places, as in the real record.
        state = states[min(int(self.rng.paretovariate(1.2)) - 1, len(states) - 1)]
        return Row(
            slug=f"synthetic-{i}",
            name=f"Synthetic {self.rng.choice(WORDS).title()} {i}",
            kind=self.rng.choice(Jurisdiction.Kind.values),
            state=state,
            population=self.rng.randrange(1_000, 5_000_000),
            population_year=2020,
        )

    def letter(self, i: int) -> Row:
        sent_on = self.day()
        return Row(
            slug=f"synthetic-letter-{i}",
            sent_on=sent_on,
            sender_office="Bureau of Justice Assistance",
            sender_name="Synthetic Director",
            kind=self.rng.choice(Letter.Kind.values),
            subject=f"Synthetic {self.words(4)}",
            summary=self.words(30),
            response_due=sent_on + datetime.timedelta(days=30),
        )

    def recipients(self, letters: list, jurisdictions: list, n: int) -> list:
        """n recipients spread over the letters; a few jurisdictions receive most letters (Zipf-like)."""
        weights = list(accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(jurisdictions))))
        total, per_letter, rows = weights[-1], n // len(letters), []
        for letter in letters:
            chosen: set[int] = set()
            while len(chosen) < per_letter:
                chosen.add(bisect(weights, self.rng.random() * total))
            rows += [
                Row(
                    letter_id=letter.id,
                    jurisdiction_id=jurisdictions[index].id,
                    determination=self.rng.choice(LetterRecipient.Determination.values),
                )
                for index in sorted(chosen)
            ]
        return rows

    def grant(self, i: int, jurisdictions: list) -> Row:
        # i → (jurisdiction, program, year) is one-to-one, so the unique rule holds.
        programs = GrantAward.Program.values
        j, rest = i % len(jurisdictions), i // len(jurisdictions)
        return Row(
            jurisdiction_id=jurisdictions[j].id,
            program=programs[rest % len(programs)],
            fiscal_year=2010 + rest // len(programs),
            amount=Decimal(self.rng.randrange(10_000, 20_000_000)),
            status=self.rng.choice(GrantAward.Status.values),
            status_date=self.day(),
        )

    def case(self, i: int) -> Row:
        return Row(
            slug=f"synthetic-case-{i}",
            caption=f"Synthetic {self.rng.choice(WORDS).title()} v. United States {i}",
            court_id=COURTS[i % len(COURTS)],
            docket_number=f"1:{i:07d}",
            filed_on=self.day(3_000),
            status=self.rng.choice(CourtCase.Status.values),
            summary=self.words(20),
        )

    def ruling(self, i: int, cases: list) -> Row:
        case = cases[i % len(cases)]
        return Row(
            slug=f"synthetic-ruling-{i}",
            case_id=case.id,
            decided_on=case.filed_on + datetime.timedelta(days=self.rng.randrange(1, 600)),
            kind=self.rng.choice(Ruling.Kind.values),
            judge=f"Judge {self.rng.choice(WORDS).title()}",
            outcome=self.rng.choice(Ruling.Outcome.values),
            scope=self.rng.choice(Ruling.Scope.values),
            summary=self.words(20),
        )


def copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if value is None else escape(str(value)) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def escape(text: str) -> str:
    """COPY's text format: backslash, tab and newline are escaped."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

"""The federal campaign and its fallout: letters, grants, cases, events, lists."""

from typing import ClassVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from cities.models import Jurisdiction, Official
from tracker.models import (
    History,
    TrackedModel,
    ancestors,
    lowercase_slug,
    plausible_date,
    sources_field,
    uri_characters,
)


class Letter(TrackedModel):
    """A Department of Justice letter as issued, to one or more jurisdictions."""

    # What search= reads (LetterViewSet's search_fields). On PostgreSQL the table holds these words in a
    # GIN-indexed tsvector (migration 0002), kept by triggers generated from this list
    # (tracker/reading/search_sql.py; migration 0017_search_vector_generated holds them).
    stored_search_vector: ClassVar[list[str]] = [
        *("subject", "summary", "sender_office", "sender_name"),
        "letter_recipients__jurisdiction__name",
    ]
    # And each of those words again as a row of this table with its rank, so that a one-word search reads its
    # page in rank order from an index (migration 0009).
    stored_search_terms: ClassVar[str] = "letters_searchterm"

    class Kind(models.TextChoices):
        CERTIFICATION_REQUEST = "certification_request", "Certification request"
        COMPLIANCE_VALIDATION = "compliance_validation", "Demand to validate compliance"
        PRELIMINARY_ASSESSMENT = "preliminary_assessment", "Preliminary assessment"
        COMPLIANCE_CLEARANCE = "compliance_clearance", "Clearance (no evidence of non-compliance)"
        DOCUMENT_DEMAND = "document_demand", "Document demand / subpoena threat"
        FINAL_DETERMINATION = "final_determination", "Final determination"
        GRANT_CONDITION = "grant_condition", "Grant award condition"
        WARNING = "warning", "Warning"
        OTHER = "other", "Other"

    slug = models.SlugField(
        validators=[lowercase_slug],
        max_length=150,
        unique=True,
        help_text="Stable identifier, e.g. 2018-01-24-bja-document-demands.",
    )
    sent_on = models.DateField(validators=[plausible_date], db_index=True, help_text="Date on the letter.")
    sender_office = models.CharField(max_length=200, help_text="Issuing office, e.g. Bureau of Justice Assistance.")
    sender_name = models.CharField(max_length=200, blank=True, help_text="Signer with title, e.g. Jon Adler, Director.")
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True, help_text="What the letter does.")
    subject = models.CharField(max_length=300, help_text="One-line subject.")
    summary = models.TextField(blank=True, help_text="What the letter demanded or found, in plain words.")
    response_due = models.DateField(
        validators=[plausible_date],
        null=True,
        blank=True,
        db_index=True,
        help_text="Deadline the letter set for a response.",
    )
    document_url = models.URLField(
        validators=[uri_characters], max_length=1000, blank=True, help_text="A copy of the letter itself."
    )
    recipients = models.ManyToManyField(
        Jurisdiction,
        through="LetterRecipient",
        related_name="letters",
        help_text="Jurisdictions the letter went to.",
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        # The API pages through by (sent_on, id): one index range scan per page.
        indexes = [models.Index(fields=["sent_on", "id"], name="letter_sent_on_keyset")]
        ordering = ["-sent_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_due__isnull=True) | Q(response_due__gte=F("sent_on")),
                name="letter_due_after_sent",
                violation_error_message="The response cannot be due before the letter was sent.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.sent_on})"


class LetterRecipient(TrackedModel):
    """One recipient of a letter, with the addressee and DOJ's finding on it."""

    # On PostgreSQL each row also holds itself as the API shows it, kept by triggers (migration 0010) calling
    # functions generated from LetterRecipientSerializer (letters/shown.py).
    stored_shown: ClassVar[str] = "shown_json"

    class Determination(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLIANT = "compliant", "Compliant"
        NON_COMPLIANT = "non_compliant", "Non-compliant"
        NO_DETERMINATION = "no_determination", "No determination"

    class Basis(models.TextChoices):
        NAMED = "named", "Named: a cited source names this recipient"
        INFERRED = "inferred", "Inferred: from a list or a count, no cited source names it"

    PARENT = "letter"
    IN_FEEDS = False
    NATURAL_KEY = ("letter__slug", "jurisdiction__slug")

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="letter_recipients", help_text="The letter."
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="letters_received",
        help_text="The jurisdiction it went to.",
    )
    basis = models.CharField(
        max_length=10,
        choices=Basis.choices,
        default=Basis.NAMED,
        db_default=Basis.NAMED,  # a row written in SQL (COPY, a raw INSERT) too
        db_index=True,
        help_text="How the record knows it was a recipient: named by a cited source, or inferred from a list.",
    )
    addressee = models.CharField(
        max_length=300, blank=True, help_text="The person or office addressed, as on the letter."
    )
    responded_on = models.DateField(
        validators=[plausible_date], null=True, blank=True, help_text="When the jurisdiction answered."
    )
    determination = models.CharField(
        max_length=20,
        choices=Determination.choices,
        default=Determination.PENDING,
        db_index=True,
        help_text="DOJ's finding on this recipient.",
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        ordering = ["letter", "jurisdiction__name"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "jurisdiction"], name="letter_recipient_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} → {self.jurisdiction}"

    def clean(self) -> None:
        if self.letter_id and self.responded_on and self.responded_on < self.letter.sent_on:
            raise ValidationError({"responded_on": responded_before_sent(self.responded_on, self.letter.sent_on)})


def responded_before_sent(responded_on, sent_on) -> str:
    return f"A response ({responded_on}) cannot come before the letter was sent ({sent_on})."


class GrantAward(TrackedModel):
    """Federal grant money at stake: one row per jurisdiction, program and fiscal year."""

    FEED_NAME = "grant"

    class Program(models.TextChoices):
        BYRNE_JAG = "byrne_jag", "Edward Byrne Memorial Justice Assistance Grant (Byrne JAG)"
        COPS = "cops", "Community Oriented Policing Services (COPS)"
        SCAAP = "scaap", "State Criminal Alien Assistance Program (SCAAP)"
        OTHER = "other", "Other (named in the notes)"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        AWARDED = "awarded", "Awarded"
        AWARDED_WITH_CONDITIONS = "awarded_with_conditions", "Awarded with conditions"
        WITHHELD = "withheld", "Withheld"
        RELEASED_BY_COURT_ORDER = "released_by_court_order", "Released by court order"
        DECLINED = "declined", "Declined"
        CLEARED = "cleared", "Cleared (eligible)"
        UNKNOWN = "unknown", "Unknown"

    NATURAL_KEY = ("jurisdiction__slug", "program", "fiscal_year")

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="grants", help_text="The grantee."
    )
    program = models.CharField(max_length=20, choices=Program.choices, db_index=True, help_text="Grant program.")
    fiscal_year = models.PositiveSmallIntegerField(
        db_index=True,
        validators=[MinValueValidator(1980), MaxValueValidator(2100)],
        help_text="Federal fiscal year, e.g. 2017.",
    )
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        db_index=True,
        validators=[MinValueValidator(0)],
        help_text="Amount in US dollars as the source gives it; empty when only the status is known.",
    )
    status = models.CharField(
        max_length=30, choices=Status.choices, db_index=True, help_text="Status as of status_date."
    )
    status_date = models.DateField(
        validators=[plausible_date], null=True, blank=True, db_index=True, help_text="Date the status was reported."
    )
    award_number = models.CharField(max_length=50, blank=True, help_text="DOJ award number, e.g. 2016-DJ-BX-0106.")
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        # The API pages through by (fiscal_year, id): one index range scan per page.
        indexes = [models.Index(fields=["fiscal_year", "id"], name="grantaward_fiscal_y_keyset")]
        ordering = ["-fiscal_year", "jurisdiction__name", "program"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "program", "fiscal_year"],
                name="grant_one_row_per_program_year",
                violation_error_message="This jurisdiction already has a row for this program and fiscal year.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="grant_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=1980, fiscal_year__lte=2100), name="grant_fiscal_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} — {self.get_program_display()} FY{self.fiscal_year}"


class Court(models.Model):
    """A federal court, keyed by CourtListener's court id; a fixed directory kept by migrations."""

    NATURAL_KEY = ("id",)

    class Level(models.TextChoices):
        SUPREME = "supreme", "Supreme Court"
        APPELLATE = "appellate", "Court of appeals"
        DISTRICT = "district", "District court"

    id = models.CharField(
        max_length=20, primary_key=True, help_text="CourtListener's court id, e.g. ilnd, ca7, scotus."
    )
    name = models.CharField(max_length=200, help_text="The court's full name.")
    level = models.CharField(max_length=20, choices=Level.choices, help_text="Where it stands among federal courts.")
    circuit = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courts_below",
        help_text="The court of appeals of its circuit (a court of appeals names itself); none for the Supreme Court.",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def api_lookup(cls) -> str:
        return "pk"

    @property
    def courtlistener_url(self) -> str:
        return f"https://www.courtlistener.com/api/rest/v4/courts/{self.id}/"


class CourtCase(TrackedModel):
    """One docket in one court."""

    FEED_NAME = "case"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        DISMISSED = "dismissed", "Dismissed"
        SETTLED = "settled", "Settled"
        UNKNOWN = "unknown", "Unknown"

    slug = models.SlugField(
        validators=[lowercase_slug],
        max_length=150,
        unique=True,
        help_text="Stable identifier, e.g. chicago-v-sessions-ilnd-2017.",
    )
    caption = models.CharField(max_length=300, db_index=True, help_text="Case name as captioned.")
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        db_column="court",
        related_name="cases",
        help_text="The court (CourtListener's court id, e.g. ilnd, ca7, scotus).",
    )
    docket_number = models.CharField(
        max_length=100, blank=True, help_text="Docket number in that court; blank while unknown."
    )
    filed_on = models.DateField(
        validators=[plausible_date], null=True, blank=True, db_index=True, help_text="Date the case was filed."
    )
    appeal_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        help_text="The case below, for an appeal or a petition.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNKNOWN, db_index=True, help_text="Where it stands."
    )
    other_parties = models.TextField(
        blank=True, help_text="Parties that are not jurisdictions (the United States, officials, groups)."
    )
    summary = models.TextField(blank=True, help_text="What the case is about and how it went.")
    parties = models.ManyToManyField(
        Jurisdiction, through="CaseParty", related_name="cases", help_text="Jurisdictions that are parties."
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        # The API pages through by (caption, id): one index range scan per page.
        indexes = [models.Index(fields=["caption", "id"], name="courtcase_caption_keyset")]
        ordering = ["-filed_on", "slug"]
        constraints = [
            # A docket number can be unknown (left blank) for several cases in one court.
            models.UniqueConstraint(
                fields=["court", "docket_number"], condition=~Q(docket_number=""), name="case_one_per_court_docket"
            ),
            models.CheckConstraint(condition=~Q(appeal_of=F("pk")), name="case_not_appeal_of_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.caption} ({self.court_id} {self.docket_number})"

    def clean(self) -> None:
        if self.pk and self.appeal_of_id == self.pk:
            raise ValidationError({"appeal_of": "A case cannot be an appeal of itself."})
        if self.pk and self.appeal_of_id and self.pk in ancestors(self.appeal_of, "appeal_of"):
            raise ValidationError(
                {"appeal_of": f"{self.appeal_of} is already an appeal of this case: that would be a loop."}
            )

    @property
    def courtlistener_url(self) -> str:
        query = urlencode({"type": "r", "court": self.court_id, "docket_number": self.docket_number})
        return f"https://www.courtlistener.com/?{query}"


class CaseParty(TrackedModel):
    """A jurisdiction that is a party to a court case, with its role."""

    class Role(models.TextChoices):
        PLAINTIFF = "plaintiff", "Plaintiff"
        DEFENDANT = "defendant", "Defendant"
        INTERVENOR = "intervenor", "Intervenor"
        AMICUS = "amicus", "Amicus curiae"
        APPELLANT = "appellant", "Appellant"
        APPELLEE = "appellee", "Appellee"

    PARENT = "case"
    IN_FEEDS = False
    NATURAL_KEY = ("case__slug", "jurisdiction__slug")

    case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="case_parties", help_text="The case.")
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="case_parties", help_text="The party."
    )
    role = models.CharField(max_length=20, choices=Role.choices, db_index=True, help_text="Its role in the case.")
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        ordering = ["case", "role", "jurisdiction__name"]
        verbose_name_plural = "case parties"
        constraints = [models.UniqueConstraint(fields=["case", "jurisdiction"], name="case_party_unique")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} ({self.get_role_display()}) in {self.case.caption}"


class Ruling(TrackedModel):
    """A court ruling in a case: date, kind, judge, outcome and scope."""

    class Kind(models.TextChoices):
        TRO = "tro", "Temporary restraining order"
        PRELIMINARY_INJUNCTION = "preliminary_injunction", "Preliminary injunction"
        SUMMARY_JUDGMENT = "summary_judgment", "Summary judgment"
        PERMANENT_INJUNCTION = "permanent_injunction", "Permanent injunction"
        MOTION_TO_DISMISS = "motion_to_dismiss", "Motion to dismiss"
        STAY = "stay", "Stay"
        APPELLATE_OPINION = "appellate_opinion", "Appellate opinion"
        EN_BANC = "en_banc", "En banc order"
        SUPREME_COURT_ORDER = "supreme_court_order", "Supreme Court order"
        JUDGMENT = "judgment", "Judgment"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        FOR_JURISDICTION = "for_jurisdiction", "For the jurisdiction"
        FOR_GOVERNMENT = "for_government", "For the federal government"
        MIXED = "mixed", "Mixed"
        PROCEDURAL = "procedural", "Procedural"

    class Scope(models.TextChoices):
        PARTIES_ONLY = "parties_only", "Parties only"
        PLAINTIFFS_AND_MEMBERS = "plaintiffs_and_members", "Plaintiffs and their members"
        STATE = "state", "Statewide"
        NATIONWIDE = "nationwide", "Nationwide"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    slug = models.SlugField(validators=[lowercase_slug], max_length=150, unique=True, help_text="Stable identifier.")
    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="rulings", help_text="The case.")
    decided_on = models.DateField(validators=[plausible_date], db_index=True, help_text="Date of the ruling.")
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True, help_text="Kind of ruling.")
    judge = models.CharField(max_length=200, blank=True, help_text="Judge, or the opinion's author and panel.")
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, db_index=True, help_text="Who the ruling favoured."
    )
    scope = models.CharField(
        max_length=30, choices=Scope.choices, blank=True, db_index=True, help_text="Whom the relief covers."
    )
    citation = models.CharField(max_length=100, blank=True, help_text="Reporter citation, e.g. 888 F.3d 272.")
    summary = models.TextField(blank=True, help_text="What the court held.")
    opinion_url = models.URLField(
        validators=[uri_characters], max_length=1000, blank=True, help_text="A copy of the opinion or order."
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        # The API pages through by (decided_on, id): one index range scan per page.
        indexes = [models.Index(fields=["decided_on", "id"], name="ruling_decided__keyset")]
        ordering = ["-decided_on", "slug"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.case.caption} ({self.decided_on})"

    def clean(self) -> None:
        # The database enforces this too (a trigger, see migrations).
        if self.case_id and self.case.filed_on and self.decided_on and self.decided_on < self.case.filed_on:
            raise ValidationError({"decided_on": "A ruling cannot be dated before its case was filed."})


class Event(TrackedModel):
    """A meeting, boycott, statement, executive order or other dated event."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        BOYCOTT = "boycott", "Boycott"
        STATEMENT = "statement", "Statement"
        LEGISLATION = "legislation", "Legislation"
        EXECUTIVE_ORDER = "executive_order", "Executive order"
        DIRECTIVE = "directive", "Directive or memorandum"
        PRESS_RELEASE = "press_release", "Press release"
        OTHER = "other", "Other"

    slug = models.SlugField(validators=[lowercase_slug], max_length=150, unique=True, help_text="Stable identifier.")
    date = models.DateField(validators=[plausible_date], db_index=True, help_text="When it happened.")
    title = models.CharField(max_length=300, help_text="What happened, in a line.")
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True, help_text="Kind of event.")
    summary = models.TextField(blank=True, help_text="What happened, in plain words.")
    jurisdictions = models.ManyToManyField(
        Jurisdiction, related_name="events", blank=True, help_text="Jurisdictions involved."
    )
    officials = models.ManyToManyField(Official, related_name="events", blank=True, help_text="Officials involved.")
    sources = sources_field()

    history = History(m2m_fields=[jurisdictions, officials, sources])

    class Meta:
        # The API pages through by (date, id): one index range scan per page.
        indexes = [models.Index(fields=["date", "id"], name="event_date_keyset")]
        ordering = ["-date", "slug"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class EventParticipant(TrackedModel):
    """A person who took part in an event (or declined to), with their jurisdiction."""

    class Participation(models.TextChoices):
        DECLINED = "declined", "Declined"
        ATTENDED = "attended", "Attended"
        EXPECTED = "expected", "Was expected"
        INVITED = "invited", "Invited"
        NOT_INVITED = "not_invited", "Not invited"

    PARENT = "event"
    IN_FEEDS = False
    NATURAL_KEY = ("event__slug", "name")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants", help_text="The event.")
    name = models.CharField(max_length=200, help_text="The person's name.")
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        help_text="Their jurisdiction, when it is in the dataset.",
    )
    place = models.CharField(max_length=200, blank=True, help_text="Their place when not in the dataset.")
    role = models.CharField(max_length=200, blank=True, help_text="Their office, e.g. Mayor of Dallas.")
    participation = models.CharField(
        max_length=20, choices=Participation.choices, db_index=True, help_text="How they took part."
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        ordering = ["event", "participation", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="event_participant_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_participation_display()})"


class DesignationList(TrackedModel):
    """One authority's list of 'sanctuary' jurisdictions, as published on a date."""

    FEED_NAME = "designation-list"

    slug = models.SlugField(
        validators=[lowercase_slug], max_length=100, unique=True, help_text="Stable identifier, e.g. doj-2025-08."
    )
    authority = models.CharField(max_length=200, db_index=True, help_text="Who published the list.")
    title = models.CharField(max_length=300, help_text="The list's title.")
    published_on = models.DateField(validators=[plausible_date], db_index=True, help_text="Publication date.")
    withdrawn_on = models.DateField(
        validators=[plausible_date], null=True, blank=True, help_text="When the authority withdrew the list."
    )
    url = models.URLField(
        validators=[uri_characters], max_length=1000, blank=True, help_text="Where the list was published."
    )
    criteria = models.TextField(blank=True, help_text="The authority's rubric for inclusion.")
    jurisdictions = models.ManyToManyField(
        Jurisdiction, through="Designation", related_name="designation_lists", help_text="Jurisdictions listed."
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        # The API pages through by (published_on, id): one index range scan per page.
        indexes = [models.Index(fields=["published_on", "id"], name="designatio_publishe_keyset")]
        ordering = ["-published_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("published_on")),
                name="designation_list_withdrawn_after_published",
                violation_error_message="A list cannot be withdrawn before it was published.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.published_on})"


class Designation(TrackedModel):
    """One jurisdiction on one designation list, with the label, any dispute and removal."""

    PARENT = "designation_list"
    NATURAL_KEY = ("designation_list__slug", "jurisdiction__slug")

    designation_list = models.ForeignKey(
        DesignationList, on_delete=models.CASCADE, related_name="designations", help_text="The list."
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="designations", help_text="The listed jurisdiction."
    )
    label = models.CharField(max_length=200, blank=True, help_text="The label the authority used.")
    disputed = models.BooleanField(default=False, db_index=True, help_text="Whether the jurisdiction disputes it.")
    response = models.TextField(blank=True, help_text="The jurisdiction's response, if any.")
    removed_on = models.DateField(
        validators=[plausible_date],
        null=True,
        blank=True,
        db_index=True,
        help_text="When the authority dropped it from the list.",
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        ordering = ["designation_list", "jurisdiction__name"]
        constraints = [
            models.UniqueConstraint(fields=["designation_list", "jurisdiction"], name="designation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} on {self.designation_list}"

"""Places and their people: jurisdictions, their officials and their policies."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from tracker.models import History, TrackedModel, ancestors, lowercase_slug, plausible_date, sources_field


class State(models.TextChoices):
    """USPS codes of the states, DC and the territories."""

    AL = "AL", "Alabama"
    AK = "AK", "Alaska"
    AZ = "AZ", "Arizona"
    AR = "AR", "Arkansas"
    CA = "CA", "California"
    CO = "CO", "Colorado"
    CT = "CT", "Connecticut"
    DE = "DE", "Delaware"
    DC = "DC", "District of Columbia"
    FL = "FL", "Florida"
    GA = "GA", "Georgia"
    HI = "HI", "Hawaii"
    ID = "ID", "Idaho"
    IL = "IL", "Illinois"
    IN = "IN", "Indiana"
    IA = "IA", "Iowa"
    KS = "KS", "Kansas"
    KY = "KY", "Kentucky"
    LA = "LA", "Louisiana"
    ME = "ME", "Maine"
    MD = "MD", "Maryland"
    MA = "MA", "Massachusetts"
    MI = "MI", "Michigan"
    MN = "MN", "Minnesota"
    MS = "MS", "Mississippi"
    MO = "MO", "Missouri"
    MT = "MT", "Montana"
    NE = "NE", "Nebraska"
    NV = "NV", "Nevada"
    NH = "NH", "New Hampshire"
    NJ = "NJ", "New Jersey"
    NM = "NM", "New Mexico"
    NY = "NY", "New York"
    NC = "NC", "North Carolina"
    ND = "ND", "North Dakota"
    OH = "OH", "Ohio"
    OK = "OK", "Oklahoma"
    OR = "OR", "Oregon"
    PA = "PA", "Pennsylvania"
    RI = "RI", "Rhode Island"
    SC = "SC", "South Carolina"
    SD = "SD", "South Dakota"
    TN = "TN", "Tennessee"
    TX = "TX", "Texas"
    UT = "UT", "Utah"
    VT = "VT", "Vermont"
    VA = "VA", "Virginia"
    WA = "WA", "Washington"
    WV = "WV", "West Virginia"
    WI = "WI", "Wisconsin"
    WY = "WY", "Wyoming"
    AS = "AS", "American Samoa"
    GU = "GU", "Guam"
    MP = "MP", "Northern Mariana Islands"
    PR = "PR", "Puerto Rico"
    VI = "VI", "U.S. Virgin Islands"


class PointKind(models.TextChoices):
    """What a jurisdiction's latitude and longitude mark."""

    INTERNAL_POINT = "internal_point", "Internal point of its area (Census)"
    SEAT = "seat", "Its seat of government"
    PLACE_POINT = "place_point", "Point of the populated place (GeoNames)"


class Jurisdiction(TrackedModel):
    """A city, county, consolidated city-county, state or territory."""

    class Kind(models.TextChoices):
        CITY = "city", "City"
        COUNTY = "county", "County"
        CONSOLIDATED = "consolidated", "Consolidated city-county"
        STATE = "state", "State"
        FEDERAL_DISTRICT = "federal_district", "Federal district"
        TERRITORY = "territory", "Territory"

    slug = models.SlugField(
        validators=[lowercase_slug],
        max_length=100,
        unique=True,
        help_text="Stable identifier, e.g. chicago-il, cook-county-il, california.",
    )
    name = models.CharField(max_length=200, db_index=True, help_text="Official name, e.g. City of Chicago.")
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True, help_text="Level of government.")
    state = models.CharField(
        max_length=2, choices=State.choices, db_index=True, help_text="USPS code of the state it lies in."
    )
    fips = models.CharField(
        max_length=7,
        blank=True,
        help_text="Census FIPS code: 2 digits for a state, 5 for a county, 7 for a place.",
    )
    population = models.PositiveBigIntegerField(
        null=True, blank=True, db_index=True, help_text="Resident population, from a cited count."
    )
    population_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1790), MaxValueValidator(2100)],
        help_text="Year of the population count (the first census was in 1790).",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The jurisdiction it lies in (a county's state).",
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Latitude of its representative point (WGS 84).",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Longitude of its representative point (WGS 84).",
    )
    point_kind = models.CharField(
        max_length=20,
        choices=PointKind.choices,
        blank=True,
        help_text="What the latitude and longitude mark: an internal point, the seat, or the populated place's point.",
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        # The API pages through by (name, id): one index range scan per page, within a state too
        # (state=CA, the commonest filter); a state's facet on kind is counted from an index alone.
        indexes = [
            models.Index(fields=["name", "id"], name="jurisdicti_name_keyset"),
            models.Index(fields=["state", "name", "id"], name="jurisdicti_state_keyset"),
            models.Index(fields=["state", "kind", "id"], name="jurisdicti_state_kind"),
        ]
        ordering = ["name", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["fips"], condition=~Q(fips=""), name="jurisdiction_fips_unique_when_known"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="jurisdiction_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="jurisdiction_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(population_year__isnull=False),
                name="jurisdiction_population_has_year",
                violation_error_message="A population needs the year of its count.",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="jurisdiction_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A jurisdiction cannot lie in itself."})
        if self.pk and self.parent_id and self.pk in ancestors(self.parent, "parent"):
            raise ValidationError({"parent": f"{self.parent} already lies in this jurisdiction: that would be a loop."})


class Official(TrackedModel):
    """A person holding an office in a jurisdiction (mayor, governor, sheriff…), with the term."""

    class Role(models.TextChoices):
        MAYOR = "mayor", "Mayor"
        COUNTY_EXECUTIVE = "county_executive", "County executive"
        BOARD_CHAIR = "board_chair", "Chair or president of the governing board"
        COUNTY_MANAGER = "county_manager", "County manager"
        GOVERNOR = "governor", "Governor"
        SHERIFF = "sheriff", "Sheriff"
        ATTORNEY_GENERAL = "attorney_general", "Attorney general"
        CITY_ATTORNEY = "city_attorney", "City or county attorney"
        POLICE_CHIEF = "police_chief", "Police chief or superintendent"
        OTHER = "other", "Other"

    slug = models.SlugField(
        validators=[lowercase_slug],
        max_length=150,
        unique=True,
        help_text="Stable identifier, e.g. rahm-emanuel-chicago-il-mayor.",
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="officials",
        help_text="The jurisdiction the official serves.",
    )
    name = models.CharField(max_length=200, db_index=True, help_text="Full name.")
    role = models.CharField(max_length=30, choices=Role.choices, db_index=True, help_text="Office held.")
    title = models.CharField(
        max_length=200, blank=True, help_text="The office's exact title where the role is too coarse."
    )
    party = models.CharField(max_length=50, blank=True, help_text="Political party, if partisan office.")
    term_start = models.DateField(
        validators=[plausible_date], null=True, blank=True, db_index=True, help_text="First day in office."
    )
    term_end = models.DateField(
        validators=[plausible_date],
        null=True,
        blank=True,
        db_index=True,
        help_text="Last day in office; empty while serving or unknown.",
    )
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        # The API pages through by (name, id): one index range scan per page.
        indexes = [models.Index(fields=["name", "id"], name="official_name_keyset")]
        ordering = ["jurisdiction__name", "-term_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_start__isnull=True) | Q(term_end__gte=F("term_start")),
                name="official_term_ends_after_start",
                violation_error_message="A term cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.jurisdiction})"


class Policy(TrackedModel):
    """A local or state policy on cooperation with federal immigration enforcement."""

    class Kind(models.TextChoices):
        DETAINER_LIMITS = "detainer_limits", "Limits on honouring ICE detainers"
        INFORMATION_SHARING_LIMITS = "information_sharing_limits", "Limits on sharing information"
        ACCESS_LIMITS = "access_limits", "Limits on ICE access to jails"
        ENDED_287G = "ended_287g", "Ended a 287(g) agreement"
        STATE_LAW = "state_law", "State law"
        EXECUTIVE_ORDER = "executive_order", "Executive order"
        OTHER = "other", "Other"

    slug = models.SlugField(validators=[lowercase_slug], max_length=150, unique=True, help_text="Stable identifier.")
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="policies",
        help_text="The jurisdiction that adopted the policy.",
    )
    title = models.CharField(max_length=300, help_text="Name of the ordinance, law or order.")
    kind = models.CharField(max_length=40, choices=Kind.choices, db_index=True, help_text="What the policy does.")
    citation = models.CharField(max_length=200, blank=True, help_text="Ordinance, bill or order number, e.g. SB 54.")
    enacted_on = models.DateField(
        validators=[plausible_date], null=True, blank=True, db_index=True, help_text="Date it took effect."
    )
    ended_on = models.DateField(
        validators=[plausible_date],
        null=True,
        blank=True,
        db_index=True,
        help_text="Date it was repealed or struck down; empty if in force.",
    )
    summary = models.TextField(blank=True, help_text="What the policy provides, in plain words.")
    sources = sources_field()

    history = History(m2m_fields=[sources])

    class Meta:
        # The API pages through by (title, id): one index range scan per page.
        indexes = [models.Index(fields=["title", "id"], name="policy_title_keyset")]
        ordering = ["jurisdiction__name", "-enacted_on", "slug"]
        verbose_name_plural = "policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(enacted_on__isnull=True) | Q(ended_on__gte=F("enacted_on")),
                name="policy_ends_after_enacted",
                violation_error_message="A policy cannot end before it was enacted.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

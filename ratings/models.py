"""Evidence: studies, their findings, rating scales, ratings and unit costs."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from evidence_store import record_rules
from evidence_store.record_rules import Rule
from interventions.models import LONG_TEXT, Intervention, Outcome
from ratings import effect_sizes
from ratings.cost_breakdown import TOLERANCE as BREAKDOWN_TOLERANCE
from ratings.cost_breakdown import breakdown_mismatch
from ratings.costs import CostBand, band_for
from ratings.finding_effects import effect_of

UK = "GB"
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]

# Plausible ranges for reported statistics: wider than any real study, narrow
# enough that a slip of the keyboard (or 1e308) never reaches a public page.
SCORE = [
    MinValueValidator(-1e6, "A score must be between -1,000,000 and 1,000,000."),
    MaxValueValidator(1e6, "A score must be between -1,000,000 and 1,000,000."),
]
SPREAD = [
    MinValueValidator(1e-6, "A standard deviation must be more than 0."),
    MaxValueValidator(1e6, "A standard deviation must be at most 1,000,000."),
]
COUNT = [MaxValueValidator(10_000_000, "A count must be at most 10,000,000.")]
EFFECT = [
    MinValueValidator(-10.0, "An effect size must be between -10 and 10."),
    MaxValueValidator(10.0, "An effect size must be between -10 and 10."),
]
T_STATISTIC = [
    MinValueValidator(-1000.0, "A t statistic must be between -1,000 and 1,000."),
    MaxValueValidator(1000.0, "A t statistic must be between -1,000 and 1,000."),
]
STANDARD_ERROR = [
    MinValueValidator(1e-6, "A standard error must be more than 0."),
    MaxValueValidator(10.0, "A standard error must be at most 10."),
]


class RatingScale(models.Model):
    """An ordered scale, e.g. the store's evidence-strength scale. Data, not code."""

    EVIDENCE = "evidence-strength"
    COST = "cost"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=LONG_TEXT)
    version = models.CharField(
        max_length=40, help_text="Version of the written standard the levels follow."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# A cost band's ends in order, written once for RatingLevel.clean() and its constraint.
RATING_LEVEL_RULES = {
    "rating_level_cost_band_ordered": (
        Rule(
            "max_cost",
            Q(min_cost__isnull=True) | Q(max_cost__isnull=True) | Q(min_cost__lt=F("max_cost")),
            "The top of the cost band must be above its bottom.",
        ),
    ),
}


class RatingLevel(record_rules.Checked, models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(max_length=10, help_text='Short code, e.g. "3+" or "NE".')
    label = models.CharField(max_length=80)
    rank = models.SmallIntegerField(
        help_text="Order within the scale: higher is stronger evidence or higher cost."
    )
    plain_meaning = models.TextField(
        help_text="What the level means, in plain words.", max_length=LONG_TEXT
    )
    technical_meaning = models.TextField(blank=True, max_length=LONG_TEXT)
    # Cost scales only: the unit-cost band in pounds. Upper bound is exclusive.
    min_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    max_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    # A level's meaning is what past ratings on it say: keep every change.
    history = HistoricalRecords()

    rules = RATING_LEVEL_RULES  # clean() refuses what they forbid (record_rules.Checked)

    class Meta:
        ordering = ["scale", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "code"], name="rating_level_code_unique_in_scale"
            ),
            models.UniqueConstraint(
                fields=["scale", "rank"], name="rating_level_rank_unique_in_scale"
            ),
            # Lets Rating reference (level, scale) together so a rating's level is on its scale.
            models.UniqueConstraint(fields=["id", "scale"], name="rating_level_id_scale_unique"),
            *record_rules.check_constraints(RATING_LEVEL_RULES),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    def as_cost_band(self) -> CostBand:
        return CostBand(self.code, self.label, self.min_cost, self.max_cost)


class WebAddressField(models.URLField):
    """A web address that public pages link to: http or https only, never javascript:,
    data: or any other scheme a browser might run. The database keeps the same rule
    (the study_url_is_http constraint) for anything that writes without validating."""

    default_validators = [
        URLValidator(
            schemes=["http", "https"],
            message="Enter a web address that starts with https:// or http://.",
        )
    ]

    def formfield(self, **kwargs):
        # A curator who types "example.org/trial" means https.
        return super().formfield(**{"assume_scheme": "https", **kwargs})


# The database's own check, the last line of defence: empty or http(s)://.
WEB_ADDRESS_PATTERN = r"^https?://"


def _group_size(field: str) -> Rule:
    return Rule(
        field,
        Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": 0}),
        "A group must have at least 1 child or family. Leave it empty if the study does not say.",
    )


# A study's rules across its fields, each written once: Study.clean() explains them (the
# admin and the catalogue import ask it) and Meta.constraints are built from them.
STUDY_RULES = {
    "study_intervention_n_positive": (_group_size("intervention_n"),),
    "study_comparison_n_positive": (_group_size("comparison_n"),),
}


class StudyQuerySet(models.QuerySet):
    def public(self):
        """Studies that inform at least one published intervention."""
        published = Intervention.objects.published().filter(studies=models.OuterRef("pk"))
        return self.filter(models.Exists(published))

    def for_detail(self):
        """The study page's shape: public findings and published interventions prefetched."""
        return self.prefetch_related(
            models.Prefetch(
                "findings",
                queryset=Finding.objects.filter(
                    intervention__status=Intervention.Status.PUBLISHED
                ).select_related("outcome__domain", "intervention"),
                to_attr="public_findings",
            ),
            models.Prefetch(
                "interventions",
                queryset=Intervention.objects.published().order_by("name"),
                to_attr="public_interventions",
            ),
        )


class Study(record_rules.Checked, models.Model):
    class Design(models.TextChoices):
        RCT = "rct", "Randomised controlled trial"
        CLUSTER_RCT = "cluster_rct", "Cluster randomised controlled trial"
        QED = "qed", "Quasi-experimental design with a comparison group"
        PRE_POST = "pre_post", "Before and after study without a comparison group"
        QUALITATIVE = "qualitative", "Qualitative study"
        SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"

    # Citation
    authors = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(
        # Some of the best-known evaluations of children's services are from the 1930s:
        # only a year before controlled trials existed at all is a slip of the keyboard.
        validators=[
            MinValueValidator(1800, "Check the year: it is before any controlled trial."),
            MaxValueValidator(2100),
        ]
    )
    title = models.CharField(max_length=500)
    publication = models.CharField(max_length=300, blank=True, help_text="Journal or publisher.")
    doi = models.CharField("DOI", max_length=200, blank=True)
    url = WebAddressField("web address", max_length=500, blank=True)

    # Design and sample
    design = models.CharField(max_length=30, choices=Design)
    country = CountryField()
    setting = models.CharField(max_length=300, blank=True, help_text="Where it took place.")
    intervention_n = models.PositiveIntegerField(
        "children in the intervention group", null=True, blank=True
    )
    comparison_n = models.PositiveIntegerField(
        "children in the comparison group", null=True, blank=True
    )
    attrition_overall = models.DecimalField(
        "overall attrition (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    attrition_differential = models.DecimalField(
        "differential attrition (percentage points)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    baseline_equivalence = models.BooleanField(
        null=True,
        blank=True,
        help_text="Groups were similar at the start (needed for quasi-experiments).",
    )
    follow_up_months = models.PositiveSmallIntegerField(
        "follow-up after the intervention ended (months)", null=True, blank=True
    )
    independent = models.BooleanField(
        "independent of the developer",
        default=False,
        help_text="The evaluators had no stake in the intervention.",
    )
    population = models.TextField("population as reported", blank=True, max_length=LONG_TEXT)
    ethnicity = models.TextField("ethnicity as reported", blank=True, max_length=LONG_TEXT)

    summary = models.TextField("plain-language summary", blank=True, max_length=LONG_TEXT)
    quality_notes = models.TextField("curator's quality notes", blank=True, max_length=LONG_TEXT)
    cost_benefit = models.TextField(
        "cost-benefit results",
        blank=True,
        help_text="e.g. a fiscal return per £1, as reported.",
        max_length=LONG_TEXT,
    )

    interventions = models.ManyToManyField(
        Intervention,
        related_name="studies",
        help_text="The interventions this study evaluated, one per arm.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[interventions])
    objects = StudyQuerySet.as_manager()

    rules = STUDY_RULES  # clean() refuses what they forbid (record_rules.Checked)

    class Meta:
        ordering = ["-year", "authors"]
        verbose_name_plural = "studies"
        constraints = [
            *record_rules.check_constraints(STUDY_RULES),
            models.CheckConstraint(
                condition=Q(attrition_overall__isnull=True)
                | Q(attrition_overall__gte=0, attrition_overall__lte=100),
                name="study_attrition_overall_percent",
            ),
            models.CheckConstraint(
                condition=Q(attrition_differential__isnull=True)
                | Q(attrition_differential__gte=0, attrition_differential__lte=100),
                name="study_attrition_differential_percent",
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__iregex=WEB_ADDRESS_PATTERN),
                name="study_url_is_http",
                violation_error_message="A web address must start with https:// or http://.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_citation}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("ratings:study", args=[self.pk])

    @property
    def short_citation(self) -> str:
        return f"{self.authors.split(',')[0].strip()} ({self.year})"

    @property
    def in_uk(self) -> bool:
        return self.country.code == UK


# Which statistics each statistics form needs (required) and may have (optional); every
# other statistic stays empty. Finding.clean() explains it and the database constraint
# finding_exactly_one_statistics_form is built from it.
STATISTICS_FIELDS = (
    "intervention_mean",
    "intervention_sd",
    "comparison_mean",
    "comparison_sd",
    "intervention_events",
    "comparison_events",
    "intervention_n",
    "comparison_n",
    "t_statistic",
    "reported_effect_size",
    "reported_se",
    "reported_ci_lower",
    "reported_ci_upper",
)
STATISTICS_BY_FORM: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "continuous": (
        (
            "intervention_mean",
            "intervention_sd",
            "intervention_n",
            "comparison_mean",
            "comparison_sd",
            "comparison_n",
        ),
        (),
    ),
    "t_statistic": (
        ("t_statistic", "intervention_n", "comparison_n"),
        (),
    ),
    "binary": (
        ("intervention_events", "intervention_n", "comparison_events", "comparison_n"),
        (),
    ),
    # Group sizes are optional context for a reported effect size.
    "effect_size": (
        ("reported_effect_size",),
        ("reported_se", "reported_ci_lower", "reported_ci_upper", "intervention_n", "comparison_n"),
    ),
}


def _one_statistics_form() -> Q:
    """The database's statement of STATISTICS_BY_FORM: one form, with exactly its numbers."""
    condition = Q()
    for form, (required, optional) in STATISTICS_BY_FORM.items():
        part = Q(
            statistics_form=form,
            **{f"{name}__isnull": False for name in required},
            **{
                f"{name}__isnull": True
                for name in STATISTICS_FIELDS
                if name not in required + optional
            },
        )
        if form == "effect_size":  # and its precision: a standard error or an interval
            part &= Q(reported_se__isnull=False) | Q(
                reported_ci_lower__isnull=False, reported_ci_upper__isnull=False
            )
        condition |= part
    return condition


def _more_than_zero(field: str, message: str) -> Rule:
    return Rule(field, Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": 0}), message)


def _events_within_group(arm: str) -> Rule:
    events, n = f"{arm}_events", f"{arm}_n"
    return Rule(
        events,
        Q(**{f"{events}__isnull": True}) | Q(**{f"{events}__lte": F(n)}),
        f"Cannot be more than the number in the group ({{{n}}}).",
    )


_ONE_END = "Give both ends of the confidence interval, or neither."

# The rules a finding's values follow, each written once, in the order clean() asks them:
# Finding.clean() explains them (the admin and the catalogue import ask it), and
# Meta.constraints are built from them. See evidence_store/record_rules.py.
FINDING_RULES = {
    "finding_intervention_n_positive": (
        _more_than_zero("intervention_n", "A group must have at least 1 child or family."),
    ),
    "finding_comparison_n_positive": (
        _more_than_zero("comparison_n", "A group must have at least 1 child or family."),
    ),
    "finding_sds_positive": (
        _more_than_zero("intervention_sd", "A standard deviation must be more than 0."),
        _more_than_zero("comparison_sd", "A standard deviation must be more than 0."),
    ),
    "finding_events_not_more_than_n": (
        _events_within_group("intervention"),
        _events_within_group("comparison"),
    ),
    "finding_reported_se_positive": (
        _more_than_zero("reported_se", "A standard error must be more than 0."),
    ),
    "finding_reported_ci_both_ends_or_neither": (
        Rule(
            "reported_ci_lower",
            Q(reported_ci_upper__isnull=True) | Q(reported_ci_lower__isnull=False),
            _ONE_END,
        ),
        Rule(
            "reported_ci_upper",
            Q(reported_ci_lower__isnull=True) | Q(reported_ci_upper__isnull=False),
            _ONE_END,
        ),
    ),
    "finding_reported_ci_lower_below_upper": (
        Rule(
            "reported_ci_lower",
            Q(reported_ci_lower__lt=F("reported_ci_upper")),
            "The lower end must be below the upper end.",
        ),
    ),
    "finding_reported_ci_contains_estimate": (
        Rule(
            "reported_effect_size",
            Q(reported_ci_lower__isnull=True, reported_ci_upper__isnull=True)
            | Q(
                reported_ci_lower__lte=F("reported_effect_size"),
                reported_ci_upper__gte=F("reported_effect_size"),
            ),
            "The effect size must lie inside its confidence interval ({reported_ci_lower} "
            "to {reported_ci_upper}). Check the signs and which end is which.",
        ),
    ),
}


class Finding(record_rules.Checked, models.Model):
    """One result of one study, with its statistics exactly as reported."""

    class Informant(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        CHILD = "child", "Child or young person"
        TEACHER = "teacher", "Teacher"
        PRACTITIONER = "practitioner", "Practitioner"
        OBSERVER = "observer", "Independent observer"
        RECORDS = "records", "Administrative records"

    class StatisticsForm(models.TextChoices):
        CONTINUOUS = "continuous", "Means, standard deviations and numbers per group"
        BINARY = "binary", "Events and numbers per group (yes/no outcome)"
        T_STATISTIC = "t_statistic", "A t statistic and numbers per group"
        EFFECT_SIZE = (
            "effect_size",
            "Effect size as reported, with its standard error or confidence interval",
        )

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="findings")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="findings"
    )
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="findings")
    measure = models.CharField(
        max_length=300, help_text="The instrument, e.g. SDQ total difficulties."
    )
    validated_measure = models.BooleanField(
        "valid and reliable measure",
        default=True,
        help_text="A standardised measure shown to be valid and reliable, or administrative data.",
    )
    # No default: a guessed direction would silently flip the sign of the effect size.
    higher_is_better = models.BooleanField(
        "which way is better on this measure",
        choices=[(True, "A higher score is better"), (False, "A lower score is better")],
        help_text="A lower score is better on a difficulties score, for example.",
    )
    informant = models.CharField(max_length=20, choices=Informant)
    timepoint = models.CharField(
        max_length=200, help_text='e.g. "End of programme" or "12 months after".'
    )
    months_after_end = models.PositiveSmallIntegerField(
        "months after the intervention ended", default=0
    )

    statistics_form = models.CharField(max_length=20, choices=StatisticsForm)
    intervention_mean = models.FloatField(null=True, blank=True, validators=SCORE)
    intervention_sd = models.FloatField("intervention SD", null=True, blank=True, validators=SPREAD)
    comparison_mean = models.FloatField(null=True, blank=True, validators=SCORE)
    comparison_sd = models.FloatField("comparison SD", null=True, blank=True, validators=SPREAD)
    intervention_events = models.PositiveIntegerField(null=True, blank=True, validators=COUNT)
    comparison_events = models.PositiveIntegerField(null=True, blank=True, validators=COUNT)
    intervention_n = models.PositiveIntegerField(
        "intervention group n", null=True, blank=True, validators=COUNT
    )
    comparison_n = models.PositiveIntegerField(
        "comparison group n", null=True, blank=True, validators=COUNT
    )
    t_statistic = models.FloatField(
        null=True,
        blank=True,
        validators=T_STATISTIC,
        help_text="Positive when the intervention group scored higher. For an F test with one "
        "numerator degree of freedom, t is the square root of F, signed the same way.",
    )
    reported_effect_size = models.FloatField(null=True, blank=True, validators=EFFECT)
    reported_se = models.FloatField(
        "reported standard error", null=True, blank=True, validators=STANDARD_ERROR
    )
    reported_ci_lower = models.FloatField(
        "reported 95% CI lower", null=True, blank=True, validators=EFFECT
    )
    reported_ci_upper = models.FloatField(
        "reported 95% CI upper", null=True, blank=True, validators=EFFECT
    )
    p_value = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )

    source_location = models.CharField(
        max_length=200, help_text="Where in the study the numbers are, e.g. Table 3, page 12."
    )
    notes = models.TextField(blank=True, max_length=LONG_TEXT)

    # Computed from the statistics above on every save (ratings/finding_effects.py),
    # never typed in. Oriented: a positive effect is better for the child.
    effect_size = models.FloatField(null=True, editable=False)
    effect_se = models.FloatField("standard error of the effect size", null=True, editable=False)
    effect_ci_lower = models.FloatField("95% CI lower", null=True, editable=False)
    effect_ci_upper = models.FloatField("95% CI upper", null=True, editable=False)
    effect_method = models.CharField(
        max_length=20, choices=effect_sizes.Method.CHOICES, blank=True, editable=False
    )
    # When the working copy last changed: the admin compares it with the latest version.
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    rules = FINDING_RULES  # clean() refuses what they forbid (record_rules.Checked)

    class Meta:
        ordering = ["study", "outcome", "months_after_end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_one_statistics_form(), name="finding_exactly_one_statistics_form"
            ),
            *record_rules.check_constraints(FINDING_RULES),
            models.CheckConstraint(
                condition=Q(p_value__isnull=True) | Q(p_value__gte=0, p_value__lte=1),
                name="finding_p_value_is_probability",
            ),
            models.CheckConstraint(
                # Spelled out: a comparison with NULL passes a CHECK constraint.
                condition=Q(
                    effect_size__isnull=False,
                    effect_se__isnull=False,
                    effect_ci_lower__isnull=False,
                    effect_ci_upper__isnull=False,
                    effect_se__gt=0,
                    effect_ci_lower__lte=F("effect_size"),
                    effect_ci_upper__gte=F("effect_size"),
                )
                & ~Q(effect_method=""),
                name="finding_effect_size_computed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.timepoint})"

    EFFECT_FIELDS = (
        "effect_size",
        "effect_se",
        "effect_ci_lower",
        "effect_ci_upper",
        "effect_method",
    )

    def save(self, *args, **kwargs) -> None:
        self.compute_effect()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.EFFECT_FIELDS}
        super().save(*args, **kwargs)

    def compute_effect(self) -> None:
        """Set the effect-size fields from the statistics. Raises CannotCompute
        (a ValueError) when the statistics cannot give one; forms check first."""
        effect = effect_of(self)
        self.effect_size = effect.estimate
        self.effect_se = effect.se
        self.effect_ci_lower = effect.ci_lower
        self.effect_ci_upper = effect.ci_upper
        self.effect_method = effect.method

    # --- The rules a finding's statistics follow, stated once: STATISTICS_BY_FORM and
    # FINDING_RULES, from which the constraints above are built. The admin's forms and the
    # catalogue import both ask clean(); the database constraints are the last line of
    # defence, and effect_sizes.py refuses what it cannot compute. ---

    def problems(self) -> dict[str, str]:
        """What is wrong with the statistics, one plain message per field at fault (the
        first, most specific one); "__all__" when no one field is."""
        found: dict[str, str] = {}

        def flag(name: str, message: str) -> None:
            found.setdefault(name, message)

        self._check_statistics_form(flag)
        self._check_groups_big_enough(flag)
        record_rules.problems(self.rules, record_rules.values_of(self), found)
        self._check_groups_differ(flag)
        if not found:
            try:
                effect_of(self)
            except effect_sizes.CannotCompute as reason:
                flag(
                    NON_FIELD_ERRORS,
                    f"No effect size can be worked out from these statistics. {reason}",
                )
        return found

    def _check_statistics_form(self, flag) -> None:
        chosen = self.statistics_form
        if chosen not in STATISTICS_BY_FORM:
            return
        required, optional = STATISTICS_BY_FORM[chosen]
        label = self.StatisticsForm(chosen).label
        for name in required:
            if getattr(self, name) is None:
                flag(name, f"Needed for “{label}”.")
        for name in STATISTICS_FIELDS:
            if name not in required + optional and getattr(self, name) is not None:
                flag(
                    name,
                    f"Leave this empty: it is not part of “{label}”. If these are the "
                    "numbers the study reports, choose the matching statistics form instead.",
                )
        has_ci = None not in (self.reported_ci_lower, self.reported_ci_upper)
        if chosen == self.StatisticsForm.EFFECT_SIZE and self.reported_se is None and not has_ci:
            flag(
                "reported_se",
                "Give the standard error, or both ends of the 95% confidence interval.",
            )

    def _check_groups_big_enough(self, flag) -> None:
        """A standardised mean difference needs two or more in each group."""
        from_scores = SCORE_FORMS.get(self.statistics_form)
        for arm in ("intervention", "comparison"):
            n = getattr(self, f"{arm}_n")
            if n is not None and from_scores and n < 2:
                flag(
                    f"{arm}_n",
                    f"An effect size from {from_scores} needs at least 2 children or "
                    "families in each group.",
                )

    def _check_groups_differ(self, flag) -> None:
        """Nobody, or everybody, in both groups had the outcome: nothing to compare."""
        values = (self.intervention_events, self.intervention_n)
        values += (self.comparison_events, self.comparison_n)
        if None in values:
            return
        events1, n1, events2, n2 = values
        if events1 > n1 or events2 > n2:
            return
        if events1 == 0 and events2 == 0:
            who = "Nobody in either group"
        elif events1 == n1 and events2 == n2:
            who = "Everybody in both groups"
        else:
            return
        flag(
            "intervention_events",
            f"{who} had this outcome ({events1} of {n1} and {events2} of {n2}), so the "
            "groups cannot be compared and no effect size can be worked out. Check the "
            "numbers against the study.",
        )

    @property
    def improvement_index(self) -> float | None:
        if self.effect_size is None:
            return None
        return effect_sizes.improvement_index(self.effect_size)

    @property
    def is_significant(self) -> bool:
        """Significant at the 5% level: as reported, or from the interval."""
        return effect_sizes.significant(self.p_value, self.effect_ci_lower, self.effect_ci_upper)

    @property
    def interval_from_p_value(self) -> bool:
        """The interval shown is the one the reported p-value implies, as the one worked
        out from the statistics disagreed with it (effect_sizes.agreeing_with_p_value)."""
        try:
            return effect_of(self).from_p_value
        except effect_sizes.CannotCompute:
            return False


# Which statistics each form of a finding gives: (required, optional). The
# other statistics must be empty. The admin and the catalogue import check
# against this; the database's finding_exactly_one_statistics_form agrees.
# Forms whose effect size is a standardised mean difference: it needs two or more per group.
SCORE_FORMS = {
    Finding.StatisticsForm.CONTINUOUS: "means and standard deviations",
    Finding.StatisticsForm.T_STATISTIC: "a t statistic",
}


class SupersedableQuerySet(models.QuerySet):
    """Ratings and cost estimates: superseded, never overwritten."""

    def current(self):
        return self.filter(superseded_at__isnull=True)

    def supersede(self, when) -> None:
        """Mark the current rows superseded. Saved one by one, not with .update(),
        so each keeps a history entry of the change."""
        for row in self.current().select_for_update():
            row.superseded_at = when
            row.save(update_fields=["superseded_at"])


# A rating's rules across its fields, written once for Rating.clean() and its constraints.
RATING_RULES = {
    "rating_override_has_reason": (
        Rule(
            "reason",
            ~Q(basis="override") | ~Q(reason=""),
            "Say why you are overriding the suggested level.",
        ),
    ),
}


class Rating(record_rules.Checked, models.Model):
    """A dated rating of one intervention on one scale. Never edited: a new one supersedes it."""

    class Basis(models.TextChoices):
        CONFIRMED = "confirmed", "Suggested by the standard and confirmed by a curator"
        DERIVED = "derived", "Follows from the unit cost"
        OVERRIDE = "override", "Curator override, with a reason"
        IMPORTED = "imported", "Carried over from an earlier review"

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="ratings")
    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="ratings")
    level = models.ForeignKey(RatingLevel, on_delete=models.PROTECT, related_name="ratings")
    rated_on = models.DateField(default=timezone.localdate)
    basis = models.CharField(max_length=20, choices=Basis, default=Basis.CONFIRMED)
    reason = models.TextField(
        help_text="Why this level. Required for an override.", blank=True, max_length=LONG_TEXT
    )
    suggestion = models.TextField(
        blank=True,
        help_text="What the standard suggested from the studies when this rating was "
        "recorded, with its reasons. Kept so an override can be checked against it.",
        max_length=LONG_TEXT,
    )
    standards_version = models.CharField(max_length=40)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = SupersedableQuerySet.as_manager()

    rules = RATING_RULES  # clean() refuses what they forbid (record_rules.Checked)

    class Meta:
        ordering = ["intervention", "scale", "-created_at"]
        get_latest_by = "created_at"
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "scale"],
                condition=Q(superseded_at__isnull=True),
                name="rating_one_current_per_intervention_and_scale",
            ),
            *record_rules.check_constraints(RATING_RULES),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True) | Q(superseded_at__gte=F("created_at")),
                name="rating_superseded_after_created",
            ),
        ]
        # The level must belong to the rating's scale: a composite foreign key
        # (level, scale) -> rating level (id, scale), added in migration 0002.

    def __str__(self) -> str:
        return f"{self.intervention}: {self.scale} {self.level.code} ({self.rated_on})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @classmethod
    @transaction.atomic
    def record(cls, *, intervention, level, **fields) -> "Rating":
        """Supersede the current rating on this level's scale and record a new one."""
        now = timezone.now()
        _lock_and_mark_changed(intervention, now)
        cls.objects.filter(intervention=intervention, scale=level.scale_id).supersede(now)
        fields.setdefault("standards_version", level.scale.version)
        return cls.objects.create(
            intervention=intervention, scale_id=level.scale_id, level=level, **fields
        )


COST_BREAKDOWN_FIELDS = ["staff_time", "training", "licence", "materials", "set_up", "other"]


def _parts_total(names: list[str]):
    """The sum of the breakdown parts in SQL, a missing part counting as £0."""
    zero = models.Value(Decimal("0"), output_field=models.DecimalField())
    return sum((Coalesce(F(name), zero) for name in names[1:]), Coalesce(F(names[0]), zero))


def _not_negative(field: str, *, required: bool = False) -> Rule:
    at_least_0 = Q(**{f"{field}__gte": 0})
    return Rule(
        field,
        at_least_0 if required else Q(**{f"{field}__isnull": True}) | at_least_0,
        "An amount cannot be negative.",
    )


# An estimate's rules across its amounts, written once: UnitCostEstimate.clean() explains
# them (the admin and the catalogue import ask it) and Meta.constraints are built from
# them. The breakdown adding up is ratings/cost_breakdown.py's, with its own constraint.
COST_RULES = {
    "cost_amounts_not_negative": (
        _not_negative("unit_cost", required=True),
        *(_not_negative(name) for name in [*COST_BREAKDOWN_FIELDS, "set_up_cost_total"]),
    ),
}


class UnitCostEstimate(record_rules.Checked, models.Model):
    """What one child or family's place costs, with the price year and what it buys."""

    class Per(models.TextChoices):
        CHILD = "child", "per child"
        FAMILY = "family", "per family"

    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="cost_estimates"
    )
    per = models.CharField(max_length=10, choices=Per, default=Per.CHILD)
    unit_cost = models.DecimalField("unit cost (£)", max_digits=10, decimal_places=2)
    price_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    staff_time = models.DecimalField(
        "staff time (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    training = models.DecimalField(
        "training (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    licence = models.DecimalField(
        "licence (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    materials = models.DecimalField(
        "materials (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    set_up = models.DecimalField(
        "set-up, spread per unit (£)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The part of the unit cost that is set-up spread over each place. When the "
        "one-off set-up cost below is given, costings count set-up once, as that figure, and "
        "take this part out of the unit cost (business/calculator.py).",
    )
    other = models.DecimalField("other (£)", max_digits=10, decimal_places=2, null=True, blank=True)
    set_up_cost_total = models.DecimalField(
        "one-off set-up cost for a service (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Paid once per service, outside the unit cost.",
    )
    assumptions = models.TextField(
        blank=True, help_text="Caseload, staff grades, sources.", max_length=LONG_TEXT
    )
    estimated_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = SupersedableQuerySet.as_manager()

    BREAKDOWN_FIELDS = COST_BREAKDOWN_FIELDS

    rules = COST_RULES  # clean() refuses what they forbid (record_rules.Checked)

    class Meta:
        ordering = ["intervention", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention"],
                condition=Q(superseded_at__isnull=True),
                name="cost_one_current_per_intervention",
            ),
            *record_rules.check_constraints(COST_RULES),
            models.CheckConstraint(
                condition=Q(price_year__gte=2000, price_year__lte=2100),
                name="cost_price_year_plausible",
            ),
            # ratings/cost_breakdown.py: the parts, where given, add up to the unit cost.
            models.CheckConstraint(
                condition=Q(**{f"{name}__isnull": True for name in COST_BREAKDOWN_FIELDS})
                | Q(
                    unit_cost__gte=_parts_total(COST_BREAKDOWN_FIELDS) - BREAKDOWN_TOLERANCE,
                    unit_cost__lte=_parts_total(COST_BREAKDOWN_FIELDS) + BREAKDOWN_TOLERANCE,
                ),
                name="cost_breakdown_adds_up",
                violation_error_message="The parts of the breakdown must add up to the unit cost.",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.unit_cost:,.0f} {self.get_per_display()} ({self.price_year} prices)"

    def problems(self) -> dict[str, str]:
        """The rules across an estimate's amounts, stated once (the admin and the import ask
        clean(); the constraints built from COST_RULES and cost_breakdown_adds_up back them
        up)."""
        found = record_rules.problems(self.rules, record_rules.values_of(self))
        if self.unit_cost is not None and not found:
            parts = (getattr(self, name) for name in self.BREAKDOWN_FIELDS)
            mismatch = breakdown_mismatch(self.unit_cost, parts)
            if mismatch:
                found["unit_cost"] = mismatch.explain()
        return found

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @classmethod
    @transaction.atomic
    def record(cls, *, intervention, **fields) -> "UnitCostEstimate":
        """Supersede the intervention's current estimate, record a new one, and
        record the cost rating that follows from it."""
        now = timezone.now()
        _lock_and_mark_changed(intervention, now)
        cls.objects.filter(intervention=intervention).supersede(now)
        estimate = cls.objects.create(intervention=intervention, **fields)
        level = estimate.cost_level()
        if level is None:
            raise ValueError(f"No cost band covers £{estimate.unit_cost}.")
        Rating.record(
            intervention=intervention,
            level=level,
            basis=Rating.Basis.DERIVED,
            reason=f"{estimate} is in the {level.label.lower()} cost band "
            f"({level.as_cost_band().describe()}).",
            rated_on=estimate.estimated_on,
        )
        return estimate

    def cost_level(self) -> "RatingLevel | None":
        """The level of the cost scale this estimate's unit cost falls in."""
        levels = RatingLevel.objects.filter(scale__slug=RatingScale.COST).select_related("scale")
        bands = {level.code: level for level in levels}
        band = band_for(self.unit_cost, (level.as_cost_band() for level in levels))
        return bands[band.code] if band else None


def _lock_and_mark_changed(intervention: Intervention, when) -> None:
    """Date the intervention's page as changed. The UPDATE also locks its row until
    commit, so two ratings recorded at once queue instead of both becoming current."""
    Intervention.objects.filter(pk=intervention.pk).update(updated_at=when)

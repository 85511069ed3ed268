"""The catalogue: interventions and the taxonomies that describe them."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from evidence_store import record_rules
from evidence_store.record_rules import Rule

# Ages are stored in months so that "pre-birth" (negative: months before
# birth) and "0 to 2 years" are both exact. 25 years is the upper bound of
# children's services (care leavers).
EARLIEST_AGE_MONTHS = -9
LATEST_AGE_MONTHS = 25 * 12

# The rules of an age range, each written once: the database constraints are built from
# them, and clean() (which the admin and the import ask) explains them. An age band may
# cover any ages in order; an intervention's ages are also within children's services.
AGES_IN_ORDER = Rule(
    "max_age_months",
    Q(min_age_months__lte=F("max_age_months")),
    "The oldest age must not be below the youngest.",
)
AGES_IN_RANGE = (
    # The oldest first, as the constraint was first written (its SQL is unchanged).
    Rule(
        "max_age_months",
        Q(max_age_months__lte=LATEST_AGE_MONTHS),
        f"The oldest age can be at most {LATEST_AGE_MONTHS} months (25 years).",
    ),
    Rule(
        "min_age_months",
        Q(min_age_months__gte=EARLIEST_AGE_MONTHS),
        f"The youngest age can be at most {-EARLIEST_AGE_MONTHS} months before birth.",
    ),
)
AGE_BAND_RULES = {"age_band_min_not_after_max": (AGES_IN_ORDER,)}
INTERVENTION_RULES = {
    "intervention_ages_in_range": AGES_IN_RANGE,
    "intervention_min_age_not_after_max": (AGES_IN_ORDER,),
}


def age_range_problems(youngest, oldest, *, within_bounds: bool) -> dict[str, str]:
    """What is wrong with an age range, one plain message per field at fault."""
    table = INTERVENTION_RULES if within_bounds else AGE_BAND_RULES
    ages = {"min_age_months": youngest, "max_age_months": oldest}
    return record_rules.problems(table, ages)


# The most any long text a curator types may hold (descriptions, notes, meanings):
# many pages of plain words, and far inside PostgreSQL's 1 MB limit on the search
# vector. A TextField's max_length is kept by its form field (the admin shows an
# error) and by the catalogue import, which reads it from the field.
LONG_TEXT = 20_000
# The other names an intervention is known by, each at most 200 characters.
MOST_OTHER_NAMES = 20

# The text-search configuration: English stemming, so "parents" finds "parenting".
SEARCH_CONFIG = "english"


class NamesAsText(models.Func):
    """A text array as one string. PostgreSQL's array_to_string is only STABLE, and
    a generated column needs IMMUTABLE functions, so migration 0004 wraps it."""

    function = "intervention_names_as_text"
    output_field = models.TextField()


class Term(models.Model):
    """A taxonomy term curators can add to: a name, a permanent slug, a note."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, help_text="Plain words: what this term covers.", max_length=LONG_TEXT
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in lists and filters; lower comes first."
    )

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class AgeBand(Term):
    min_age_months = models.SmallIntegerField()
    max_age_months = models.SmallIntegerField()

    class Meta(Term.Meta):
        constraints = record_rules.check_constraints(AGE_BAND_RULES)

    def clean(self) -> None:
        super().clean()
        problems = age_range_problems(self.min_age_months, self.max_age_months, within_bounds=False)
        if problems:
            raise ValidationError(problems)


class OutcomeDomain(Term):
    """The top level of the outcome tree, e.g. "Mental health and wellbeing"."""

    class Subject(models.TextChoices):
        CHILD = "child", "Child outcome"
        PARENT_FAMILY = "parent_family", "Parent or family outcome"

    subject = models.CharField(
        max_length=20,
        choices=Subject,
        default=Subject.CHILD,
        help_text="Only child outcomes decide the evidence rating.",
    )


class Outcome(Term):
    """A specific outcome within a domain, e.g. "Behaviour problems"."""

    domain = models.ForeignKey(OutcomeDomain, on_delete=models.PROTECT, related_name="outcomes")
    name = models.CharField(max_length=120)

    class Meta(Term.Meta):
        ordering = ["domain__position", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "name"], name="outcome_name_unique_in_domain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain.name}: {self.name}"


class NeedLevel(Term):
    pass


class Setting(Term):
    pass


class DeliveryModel(Term):
    pass


class Topic(Term):
    """A way into the list by situation (kinship care) or by need (children's behaviour).

    A need names the specific outcomes it covers. Then an intervention is under it when
    it aims to improve one of them, or was found to improve one (the list's two ways of
    reading outcomes), so the routes to one need agree: publishing/topics.py."""

    outcomes = models.ManyToManyField(
        "Outcome",
        blank=True,
        related_name="topics",
        help_text=(
            "For a topic that is a need, such as children's behaviour: the specific outcomes "
            "it covers. Interventions then come under it by what they aim or were found to "
            "improve, with no need to tick it. Leave empty for a situation, such as kinship care."
        ),
    )


class InterventionQuerySet(models.QuerySet):
    def published(self):
        """Working copies with a published version (the public reads the versions)."""
        return self.filter(versions__isnull=False).distinct()


class Intervention(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Programme"
        PRACTICE_MODEL = "practice_model", "Practice model"
        APPROACH = "approach", "Service approach"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    # Identity
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="Part of the page address. Never change it once published.",
    )
    other_names = ArrayField(
        models.CharField(max_length=200),
        size=MOST_OTHER_NAMES,
        blank=True,
        default=list,
        help_text="Other names people know it by, separated by commas.",
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PROGRAMME)
    developer = models.CharField(max_length=200, blank=True, help_text="Developer or provider.")
    contact = models.CharField(max_length=300, blank=True, help_text="Website or email address.")

    # What it is
    summary = models.TextField(
        max_length=600, help_text="About 60 words, plain language, no acronyms."
    )
    description = models.TextField(blank=True, max_length=LONG_TEXT)

    # Who it is for
    min_age_months = models.SmallIntegerField(
        help_text="Youngest age in months. Negative means months before birth."
    )
    max_age_months = models.SmallIntegerField(help_text="Oldest age in months.")
    need_levels = models.ManyToManyField(NeedLevel, related_name="interventions")
    target_population = models.TextField(blank=True, max_length=LONG_TEXT)
    eligibility_criteria = models.TextField(blank=True, max_length=LONG_TEXT)
    exclusion_criteria = models.TextField(blank=True, max_length=LONG_TEXT)
    topics = models.ManyToManyField(Topic, blank=True, related_name="interventions")
    target_outcomes = models.ManyToManyField(
        "Outcome",
        blank=True,
        related_name="interventions",
        help_text="The outcomes it sets out to improve.",
    )

    # How it is delivered
    delivery_models = models.ManyToManyField(DeliveryModel, related_name="interventions")
    settings = models.ManyToManyField(Setting, related_name="interventions")
    sessions = models.CharField(
        max_length=300, blank=True, help_text="e.g. 12 weekly sessions of 2 hours."
    )
    duration_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    workforce = models.TextField(
        blank=True,
        help_text="Who delivers it and the qualifications they need.",
        max_length=LONG_TEXT,
    )
    training = models.TextField(blank=True, max_length=LONG_TEXT)
    supervision = models.TextField(blank=True, max_length=LONG_TEXT)
    licensing = models.TextField(blank=True, max_length=LONG_TEXT)
    fidelity_monitoring = models.TextField(blank=True, max_length=LONG_TEXT)

    # Theory of change
    change_need = models.TextField("the need it addresses", blank=True, max_length=LONG_TEXT)
    change_activities = models.TextField("what it does", blank=True, max_length=LONG_TEXT)
    change_short_term = models.TextField("short-term outcomes", blank=True, max_length=LONG_TEXT)
    change_long_term = models.TextField("long-term outcomes", blank=True, max_length=LONG_TEXT)
    change_mechanism = models.TextField("why it should work", blank=True, max_length=LONG_TEXT)

    available_in_uk = models.BooleanField(
        "available in the UK", default=False, help_text="Can be bought or delivered in the UK now."
    )
    # Publication
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    evidence_last_reviewed = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("page last changed", auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[need_levels, topics, target_outcomes, delivery_models, settings],
    )

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            *record_rules.check_constraints(INTERVENTION_RULES),
            models.CheckConstraint(condition=~Q(slug=""), name="intervention_slug_not_empty"),
        ]
        permissions = [("publish_intervention", "Can publish, archive and withdraw interventions")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("interventions:detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        problems = age_range_problems(self.min_age_months, self.max_age_months, within_bounds=True)
        if problems:
            raise ValidationError(problems)

    @property
    def is_public(self) -> bool:
        """It has a published version (archived ones keep their address too)."""
        return self.status in (self.Status.PUBLISHED, self.Status.ARCHIVED)


class GlossaryTerm(models.Model):
    """An abbreviation or term a public page uses, explained in plain words: measures'
    acronyms such as GAD-7, for instance. Pages link each use to /glossary/."""

    term = models.CharField(max_length=60, unique=True, help_text="As it appears, e.g. GAD-7.")
    slug = models.SlugField(max_length=60, unique=True)
    meaning = models.TextField(max_length=600, help_text="Plain words, e.g. what it measures.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class Catalogue(models.Model):
    """One row describing what is loaded: lets every page warn about demonstration data."""

    is_demonstration = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(auto_now=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="catalogue_single_row"),
        ]

    def __str__(self) -> str:
        return "Demonstration catalogue" if self.is_demonstration else "Catalogue"

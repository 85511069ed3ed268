"""Published versions of interventions, and the listing the public list reads.

A `Version` is immutable: a numbered snapshot (publishing/snapshot.py) of what
the public saw, kept for ever at its own address. The database refuses to
change or delete one (migration 0001 adds a trigger), so the guarantee does
not depend on the code that writes them.

A `Listing` is one row per intervention that has ever been published: the
latest version's facts that the list filters, sorts, searches and shows,
built from the snapshot on publication (publishing/listing.py). The public
list, its counts and its downloads read only this table, so an unpublished
edit cannot reach them.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from interventions.models import SEARCH_CONFIG, Intervention, NamesAsText

CHANGE_NOTE_LENGTH = 1000


class Version(models.Model):
    class Change(models.TextChoices):
        MAJOR = "major", "Major: the rating, cost, evidence or anything a reader would act on"
        MINOR = "minor", "Minor: wording, spelling or layout"

    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept beside the account, which does not travel in a catalogue export.
    publisher_name = models.CharField(max_length=150, blank=True)
    change = models.CharField(max_length=10, choices=Change)
    change_note = models.TextField(max_length=CHANGE_NOTE_LENGTH)
    content = models.JSONField(help_text="The snapshot: see publishing/snapshot.py.")
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["intervention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "number"], name="version_number_unique_per_intervention"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_from_one"),
            models.CheckConstraint(condition=~Q(change_note=""), name="version_has_change_note"),
        ]
        indexes = [
            # A study page finds the versions that showed it: content @> {"studies": [...]}.
            GinIndex(fields=["content"], opclasses=["jsonb_path_ops"], name="version_content_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} version {self.number}"

    def get_absolute_url(self) -> str:
        # The public slug is the listing's (as last published), never the working copy's,
        # which may hold an unpublished change: load with select_related("intervention__listing").
        return reverse("interventions:version", args=[self.intervention.listing.slug, self.number])

    @property
    def is_major(self) -> bool:
        return self.change == self.Change.MAJOR


class ListingQuerySet(models.QuerySet):
    def current(self):
        """Not archived: what the list shows unless asked for archived entries too."""
        return self.filter(archived_at__isnull=True)


class Listing(models.Model):
    intervention = models.OneToOneField(
        Intervention, on_delete=models.PROTECT, primary_key=True, related_name="listing"
    )
    version = models.OneToOneField(Version, on_delete=models.PROTECT, related_name="+")
    version_number = models.PositiveIntegerField()
    first_published_at = models.DateTimeField()
    published_at = models.DateTimeField()

    # What the cards, filters and sorts need, from the version's snapshot.
    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=200)
    other_names = ArrayField(models.CharField(max_length=200), default=list)
    summary = models.TextField()
    min_age_months = models.SmallIntegerField()
    max_age_months = models.SmallIntegerField()
    available_in_uk = models.BooleanField()
    uk_tested = models.BooleanField()
    evidence_last_reviewed = models.DateField(null=True)
    evidence_rank = models.SmallIntegerField(null=True)
    evidence_code = models.CharField(max_length=10, blank=True)
    evidence_label = models.CharField(max_length=80, blank=True)
    cost_rank = models.SmallIntegerField(null=True)
    cost_code = models.CharField(max_length=10, blank=True)
    cost_label = models.CharField(max_length=80, blank=True)
    unit_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    cost_per = models.CharField(max_length=10, blank=True)
    price_year = models.PositiveSmallIntegerField(null=True)

    # Taxonomy slugs: a filter matches when these overlap the chosen ones.
    need_levels = ArrayField(models.SlugField(max_length=120), default=list)
    topics = ArrayField(models.SlugField(max_length=120), default=list)
    outcomes = ArrayField(models.SlugField(max_length=120), default=list)
    domains = ArrayField(models.SlugField(max_length=120), default=list)
    settings = ArrayField(models.SlugField(max_length=120), default=list)
    delivery_models = ArrayField(models.SlugField(max_length=120), default=list)
    # Found to improve (publishing/derived.py): a rigorous study found an improvement.
    improved_outcomes = ArrayField(models.SlugField(max_length=120), default=list)
    improved_domains = ArrayField(models.SlugField(max_length=120), default=list)
    # Situations as ticked, and needs whose outcomes it was found to improve
    # (publishing/topics.py); `topics` is the same for what it aims to improve.
    improved_topics = ArrayField(models.SlugField(max_length=120), default=list)
    harmful = models.BooleanField(default=False, help_text="A rigorous study found harm.")
    # [{"slug", "name", "places"}]: each outcome improved, with the places in 100 an average
    # child would move up (for the cards).
    improvements = models.JSONField(default=list)
    # For downloads: "Domain: outcome" and need-level names as published.
    outcome_names = ArrayField(models.CharField(max_length=250), default=list)
    need_level_names = ArrayField(models.CharField(max_length=120), default=list)
    # Which studies the version shows, so a study page finds its interventions.
    study_ids = ArrayField(models.BigIntegerField(), default=list)

    # The description and the names of its outcomes, their domains and its topics.
    search_text = models.TextField(blank=True, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector(
            "name", NamesAsText("other_names"), weight="A", config=SEARCH_CONFIG
        )
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("search_text", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # Archived entries keep their address, with a notice (GOV.UK's "withdrawn").
    archived_at = models.DateTimeField(null=True, blank=True)
    archive_reason = models.TextField(blank=True)
    replaced_by = models.ForeignKey(
        Intervention, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age_months__lte=F("max_age_months")),
                name="listing_min_age_not_after_max",
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | ~Q(archive_reason=""),
                name="listing_archive_has_reason",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="listing_search_idx"),
            GinIndex(fields=["study_ids"], name="listing_study_ids_idx"),
            # The home page asks which terms some intervention uses, one index probe each.
            GinIndex(fields=["domains"], name="listing_domains_idx"),
            GinIndex(fields=["improved_domains"], name="listing_improved_domains_idx"),
            GinIndex(fields=["topics"], name="listing_topics_idx"),
            # "Recently updated": the home page's newest five without sorting them all.
            models.Index(F("published_at").desc(), "name", name="listing_recent_idx"),
            # The list's usual order: its first page without sorting every row.
            models.Index(fields=["name"], name="listing_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("interventions:detail", args=[self.slug])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def get_cost_per_display(self) -> str:
        return f"per {self.cost_per}" if self.cost_per else ""


class SearchSynonym(models.Model):
    """Words and phrases that mean the same to a searcher, e.g. behaviour, behavior and
    conduct problems: a search for one finds the others (publishing/search.py)."""

    words = ArrayField(
        models.CharField(max_length=100),
        size=12,
        help_text="Two or more words or phrases that mean the same, separated by commas, "
        "e.g. behaviour, behavior, conduct problems. Spell out acronyms as one of them.",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why these go together.")

    class Meta:
        ordering = ["words"]
        verbose_name = "search synonym group"
        constraints = [
            models.CheckConstraint(
                condition=Q(words__len__gte=2), name="search_synonym_has_two_words"
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(self.words)

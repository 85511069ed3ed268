"""Curating the evidence: studies with their findings, rating scales, ratings and costs.

Ratings and cost estimates are never edited or deleted: adding one supersedes
the current one (Rating.record, UnitCostEstimate.record), so the history of
judgements is kept.
"""

import math

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils import timezone
from django_countries.filters import CountryFilter

from interventions.admin import InterventionAdmin
from interventions.admin_history import HistoryAdmin
from interventions.admin_plain_language import PlainLanguageAdmin, PlainLanguageFields
from interventions.formatting import percent
from interventions.models import Intervention
from ratings.admin_forms import (
    EvidenceRatingForm,
    FindingForm,
    FindingFormSet,
    StandaloneFindingForm,
    StudyForm,
    UnitCostEstimateForm,
)
from ratings.admin_recording import adopt, record_cost, record_rating, save_added_only
from ratings.admin_suggestion import SuggestedRatingAdmin
from ratings.effect_sizes import Method
from ratings.finding_effects import CannotCompute, effect_of
from ratings.models import Finding, Rating, RatingLevel, RatingScale, Study, UnitCostEstimate


class CurrentFilter(admin.SimpleListFilter):
    title = "current or superseded"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "Current"), ("no", "Superseded")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(superseded_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(superseded_at__isnull=False)
        return queryset


class AddOnlyMixin:
    """Rows that are added, then kept: no change, no delete, for anybody."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RatingInline(PlainLanguageFields, AddOnlyMixin, admin.StackedInline):
    model = Rating
    plain_language_fields = ("reason",)  # shown with the rating on the public page
    form = EvidenceRatingForm
    extra = 0
    fields = ["scale", "level", "basis", "reason", "rated_on", "rated_by", "superseded_at"]
    readonly_fields = ["rated_by", "superseded_at"]
    ordering = ["-created_at"]
    verbose_name = "rating"
    verbose_name_plural = (
        "Ratings (newest first; a new rating supersedes the current one on its scale)"
    )


class UnitCostEstimateInline(PlainLanguageFields, AddOnlyMixin, admin.StackedInline):
    model = UnitCostEstimate
    plain_language_fields = ("assumptions",)  # "How we worked it out" on the public page
    form = UnitCostEstimateForm
    extra = 0
    fields = [
        ("per", "unit_cost", "price_year"),
        tuple(UnitCostEstimate.BREAKDOWN_FIELDS),
        "set_up_cost_total",
        "assumptions",
        ("estimated_on", "superseded_at"),
    ]
    readonly_fields = ["superseded_at"]
    ordering = ["-created_at"]
    verbose_name_plural = "Unit cost estimates (newest first; a new one supersedes the current one)"


@admin.register(Rating)
class RatingAdmin(PlainLanguageAdmin, AddOnlyMixin, HistoryAdmin):
    # Checks an evidence rating against the standard's suggestion and keeps the suggestion.
    form = EvidenceRatingForm
    plain_language_fields = RatingInline.plain_language_fields
    list_display = ["intervention", "scale", "level_code", "rated_on", "basis", "is_current"]
    list_filter = ["scale", "basis", CurrentFilter]
    list_select_related = ["intervention", "scale", "level"]
    search_fields = ["intervention__name", "reason"]
    autocomplete_fields = ["intervention"]
    date_hierarchy = "rated_on"

    def get_fields(self, request, obj=None):
        fields = ["intervention", "scale", "level", "basis", "reason", "rated_on"]
        if obj is not None:
            fields += ["suggestion", "standards_version", "rated_by", "created_at", "superseded_at"]
        return fields

    @admin.display(description="level", ordering="level__rank")
    def level_code(self, rating: Rating) -> str:
        return f"{rating.level.code} ({rating.level.label})"

    @admin.display(description="current", boolean=True)
    def is_current(self, rating: Rating) -> bool:
        return rating.is_current

    def save_model(self, request, obj, form, change):
        adopt(obj, record_rating(obj, request.user))


@admin.register(UnitCostEstimate)
class UnitCostEstimateAdmin(PlainLanguageAdmin, AddOnlyMixin, HistoryAdmin):
    form = UnitCostEstimateForm
    plain_language_fields = UnitCostEstimateInline.plain_language_fields
    list_display = ["intervention", "unit_cost", "per", "price_year", "estimated_on", "is_current"]
    list_filter = ["per", "price_year", CurrentFilter]
    list_select_related = ["intervention"]
    search_fields = ["intervention__name", "assumptions"]
    autocomplete_fields = ["intervention"]

    def get_fields(self, request, obj=None):
        fields = list(UnitCostEstimateForm._meta.fields)
        if obj is not None:
            fields += ["created_at", "superseded_at"]
        return fields

    @admin.display(description="current", boolean=True)
    def is_current(self, estimate: UnitCostEstimate) -> bool:
        return estimate.is_current

    def save_model(self, request, obj, form, change):
        adopt(obj, record_cost(obj, request.user))


# --- Rating scales: data, viewed by curators, changed rarely ---


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    extra = 0
    fields = ["rank", "code", "label", "plain_meaning", "technical_meaning", "min_cost", "max_cost"]
    ordering = ["rank"]


@admin.register(RatingScale)
class RatingScaleAdmin(HistoryAdmin):
    list_display = ["name", "slug", "version"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RatingLevelInline]


# --- Studies and their findings ---


EFFECT_NAMES = {
    Method.MEANS: "g",
    Method.T_STATISTIC: "g",
    Method.COX: "Cox index",
    Method.REPORTED: "Effect size",
}


def _two_places(value: float) -> str:
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _significance(finding: Finding) -> str:
    verdict = "significant" if finding.is_significant else "not significant"
    p = finding.p_value
    if p is None:
        where_zero = "leaves out" if finding.is_significant else "includes"
        return f"{verdict} (no p-value reported; the 95% CI {where_zero} 0)"
    return f"{verdict} ({'p < 0.001' if p < 0.001 else f'p = {p:g}'})"


def _effect_is_up_to_date(finding: Finding) -> bool:
    """Whether the stored effect is the one the statistics shown give. It is not for a
    finding not yet saved, nor while a form with errors shows statistics not yet saved."""
    if finding.effect_size is None:
        return False
    try:
        effect = effect_of(finding)
    except CannotCompute:
        return False
    return math.isclose(effect.estimate, finding.effect_size, abs_tol=1e-12) and math.isclose(
        effect.se, finding.effect_se
    )


def effect_summary(finding: Finding) -> str:
    """A finding's stored effect size in words, e.g. "g = 0.32 (95% CI 0.05 to 0.59),
    improvement index +13, significant (p = 0.003). [...] Method: Hedges' g from ..."."""
    if not _effect_is_up_to_date(finding):
        return "Worked out from the statistics when you save."
    index = round(finding.improvement_index)
    sentences = [
        f"{EFFECT_NAMES[finding.effect_method]} = {_two_places(finding.effect_size)} "
        f"(95% CI {_two_places(finding.effect_ci_lower)} to "
        f"{_two_places(finding.effect_ci_upper)}), improvement index "
        f"{f'{index:+d}' if index else '0'}, {_significance(finding)}."
    ]
    if finding.statistics_form == Finding.StatisticsForm.BINARY:
        sentences.append(
            f"{percent(finding.intervention_events, finding.intervention_n)} of the "
            f"intervention group and {percent(finding.comparison_events, finding.comparison_n)} "
            "of the comparison group had this outcome."
        )
    if not finding.higher_is_better:
        sentences.append(
            "On this measure lower is better, so the sign is turned: a positive value means "
            "better for the child."
        )
    sentences.append(f"Method: {finding.get_effect_method_display()}.")
    return " ".join(sentences)


class ShowsEffectSize:
    """The effect size the last save worked out, read-only, beside the statistics."""

    readonly_fields = ["computed_effect"]

    @admin.display(description="effect size")
    def computed_effect(self, finding: Finding) -> str:
        return effect_summary(finding)


class FindingInline(PlainLanguageFields, ShowsEffectSize, admin.StackedInline):
    """Stacked, because a finding has many statistics: grouped so only one block is filled."""

    model = Finding
    plain_language_fields = ("measure",)  # on the public pages, its abbreviations explained
    form = FindingForm
    formset = FindingFormSet
    extra = 0
    radio_fields = {"higher_is_better": admin.HORIZONTAL}
    autocomplete_fields = ["intervention", "outcome"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("intervention", "outcome"),
                    "measure",
                    ("validated_measure", "higher_is_better"),
                    ("informant", "timepoint", "months_after_end"),
                ]
            },
        ),
        (
            "Statistics as reported",
            {
                "description": (
                    "Choose the form the study reports, then fill in only that block. "
                    "Group sizes are needed for means, for a t statistic and for events, and "
                    "optional for a reported effect size. The effect size is worked out from "
                    "the raw numbers: never type one in when the raw numbers are reported."
                ),
                "fields": [
                    "statistics_form",
                    ("intervention_n", "comparison_n"),
                ],
            },
        ),
        (
            "Means and standard deviations",
            {
                "fields": [
                    ("intervention_mean", "intervention_sd"),
                    ("comparison_mean", "comparison_sd"),
                ]
            },
        ),
        (
            "t statistic (or F with one numerator degree of freedom)",
            {"fields": ["t_statistic"]},
        ),
        ("Events (yes/no outcomes)", {"fields": [("intervention_events", "comparison_events")]}),
        (
            "Effect size as reported",
            {
                "fields": [
                    "reported_effect_size",
                    "reported_se",
                    ("reported_ci_lower", "reported_ci_upper"),
                ]
            },
        ),
        ("Significance and source", {"fields": ["p_value", "source_location", "notes"]}),
        (
            "Effect size, worked out from the statistics",
            {
                "description": (
                    "Worked out each time the finding is saved, never typed in. A positive "
                    "value means better for the child."
                ),
                "fields": ["computed_effect"],
            },
        ),
    ]


@admin.register(Study)
class StudyAdmin(PlainLanguageAdmin, HistoryAdmin):
    form = StudyForm
    # The text fields the public study page shows.
    plain_language_fields = ("population", "ethnicity", "summary", "quality_notes", "cost_benefit")
    inlines = [FindingInline]
    list_display = ["short_citation", "title", "design", "country", "independent"]
    list_filter = ["design", ("country", CountryFilter), "independent", "year"]
    search_fields = ["authors", "title", "publication", "doi", "interventions__name"]
    autocomplete_fields = ["interventions"]
    save_on_top = True
    fieldsets = [
        ("Citation", {"fields": ["authors", "year", "title", "publication", "doi", "url"]}),
        (
            "Interventions evaluated",
            {
                "description": (
                    "One per arm: choose at least one. An intervention chosen for a finding "
                    "below is also added here when you save."
                ),
                "fields": ["interventions"],
            },
        ),
        (
            "Design and sample",
            {
                "fields": [
                    "design",
                    ("country", "setting"),
                    ("intervention_n", "comparison_n"),
                    ("attrition_overall", "attrition_differential"),
                    "baseline_equivalence",
                    "follow_up_months",
                ]
            },
        ),
        (
            "Independence and population",
            {"fields": ["independent", "population", "ethnicity"]},
        ),
        ("Summary and notes", {"fields": ["summary", "quality_notes", "cost_benefit"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.method == "POST":  # the confirmation a look-alike study needs
            (name, options), *rest = fieldsets
            fields = [*options["fields"], "save_anyway"]
            fieldsets = [(name, {**options, "fields": fields}), *rest]
        return fieldsets

    @admin.display(description="study", ordering="authors")
    def short_citation(self, study: Study) -> str:
        return study.short_citation

    # The public study page shows published versions, not this working copy.
    view_on_site = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The database requires every finding's intervention to be linked to the study.
        study = form.instance
        linked = Intervention.objects.filter(findings__study=study).distinct()
        study.interventions.add(*linked)
        # Their pages show this study and its findings: date them as changed.
        Intervention.objects.filter(studies=study).update(updated_at=timezone.now())


@admin.register(Finding)
class FindingAdmin(PlainLanguageAdmin, ShowsEffectSize, HistoryAdmin):
    form = StandaloneFindingForm
    plain_language_fields = FindingInline.plain_language_fields
    radio_fields = FindingInline.radio_fields
    list_display = ["measure", "study", "intervention", "outcome", "statistics_form", "effect"]
    list_filter = ["statistics_form", "informant", "outcome__domain"]
    list_select_related = ["study", "intervention", "outcome__domain"]
    search_fields = ["measure", "study__title", "study__authors", "intervention__name"]
    autocomplete_fields = ["study", "intervention", "outcome"]
    fieldsets = [
        (None, {"fields": ["study"]}),
        *FindingInline.fieldsets,
    ]

    @admin.display(description="effect size (95% CI)", ordering="effect_size")
    def effect(self, finding: Finding) -> str:
        lower, upper = finding.effect_ci_lower, finding.effect_ci_upper
        return f"{_two_places(finding.effect_size)} ({_two_places(lower)} to {_two_places(upper)})"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        mark_page_changed(obj.intervention_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        mark_page_changed(obj.intervention_id)


def mark_page_changed(intervention_id: int) -> None:
    """A finding shows on its intervention's page: date that page as changed."""
    Intervention.objects.filter(pk=intervention_id).update(updated_at=timezone.now())


# --- The evidence on the intervention's own page ---


class RatedInterventionAdmin(SuggestedRatingAdmin, InterventionAdmin):
    """The intervention admin with its ratings and costs, and the suggested-rating panel."""

    inlines = [RatingInline, UnitCostEstimateInline]

    def save_formset(self, request, form, formset, change):
        if formset.model in (Rating, UnitCostEstimate):
            save_added_only(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        intervention = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if intervention is not None and self.has_view_permission(request, intervention):
            extra_context["suggestion"] = self.suggestion_panel(request, intervention)
        return super().change_view(request, object_id, form_url, extra_context)


admin.site.unregister(Intervention)
admin.site.register(Intervention, RatedInterventionAdmin)

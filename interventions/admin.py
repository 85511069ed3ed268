"""Curating the catalogue: taxonomies, and interventions.

The evidence under an intervention (its ratings, costs and the suggested-rating panel)
is added by ratings/admin.py, and publishing by publishing/admin.py: each extends this
InterventionAdmin and registers it again, so this app imports neither.

Publication status is never typed in: it moves through the workflow in
interventions/publication.py, by the buttons on the change page or the list's
actions, so the publish permission is always checked.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from interventions import publication
from interventions.admin_history import HistoryAdmin
from interventions.admin_plain_language import PlainLanguageAdmin
from interventions.models import (
    AgeBand,
    DeliveryModel,
    GlossaryTerm,
    Intervention,
    NeedLevel,
    Outcome,
    OutcomeDomain,
    Setting,
    Topic,
)

Status = Intervention.Status

# --- Taxonomies: data curators can add to ---


class InUseFilter(admin.SimpleListFilter):
    """Terms some intervention uses, or none does: which can be merged or retired."""

    title = "used by an intervention"
    parameter_name = "in_use"

    def lookups(self, request, model_admin):
        return [("yes", "Used"), ("no", "Not used")]

    def queryset(self, request, queryset):
        # The Intervention field that points at this taxonomy, e.g. "topics".
        link = next(
            field.name
            for field in Intervention._meta.many_to_many
            if field.related_model is queryset.model
        )
        used = Exists(Intervention.objects.filter(**{link: OuterRef("pk")}))
        if self.value() == "yes":
            return queryset.filter(used)
        if self.value() == "no":
            return queryset.filter(~used)
        return queryset


class TermAdmin(HistoryAdmin):
    list_display = ["name", "slug", "position"]
    list_filter = [InUseFilter]
    list_editable = ["position"]
    # Name and slug only: autocomplete should offer "Parental conflict" for "par",
    # not a term whose description mentions grandparents.
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AgeBand)
class AgeBandAdmin(TermAdmin):
    list_display = ["name", "slug", "min_age_months", "max_age_months", "position"]
    list_filter = []  # interventions match age bands by overlapping ages, not by a link


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    fields = ["name", "slug", "position", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(OutcomeDomain)
class OutcomeDomainAdmin(TermAdmin):
    list_display = ["name", "slug", "subject", "position"]
    list_filter = ["subject"]  # interventions link to specific outcomes, not domains
    inlines = [OutcomeInline]


@admin.register(Outcome)
class OutcomeAdmin(TermAdmin):
    list_display = ["name", "domain", "slug", "position"]
    list_filter = ["domain", InUseFilter]
    list_select_related = ["domain"]
    search_fields = ["name", "slug", "domain__name"]


for taxonomy in (NeedLevel, Setting, DeliveryModel):
    admin.site.register(taxonomy, TermAdmin)


@admin.register(Topic)
class TopicAdmin(TermAdmin):
    list_display = ["name", "slug", "is_a_need", "position"]
    filter_horizontal = ["outcomes"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("outcomes")

    @admin.display(boolean=True, description="A need (has outcomes)")
    def is_a_need(self, topic: Topic) -> bool:
        return bool(topic.outcomes.all())


# --- Interventions ---


def has_been_published(intervention: Intervention) -> bool:
    """Its address has been public at some point, so links to it exist."""
    if intervention.pk is None:
        return False
    if intervention.status in (Status.PUBLISHED, Status.ARCHIVED):
        return True
    # Publishing sets the status without a history entry: its versions are the record.
    if intervention.versions.exists():
        return True
    return intervention.history.filter(status=Status.PUBLISHED).exists()


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields with its fieldsets

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        # self.instance still holds the saved values while fields are cleaned.
        saved_slug = self.instance.slug
        if slug != saved_slug and has_been_published(self.instance):
            raise ValidationError(
                f"This intervention has been published at /interventions/{saved_slug}/, so its "
                f"address cannot change: people link to it. Put it back to “{saved_slug}”."
            )
        return slug

    # The age rules are the model's (Intervention.clean), which the form asks.


def can_publish(request: HttpRequest) -> bool:
    return request.user.has_perm(publication.PUBLISH_PERMISSION)


# The text fields the public page shows: each gets plain-language advice beside it.
PUBLIC_TEXT_FIELDS = (
    "summary",
    "description",
    "target_population",
    "eligibility_criteria",
    "exclusion_criteria",
    "workforce",
    "training",
    "supervision",
    "licensing",
    "fidelity_monitoring",
    "change_need",
    "change_activities",
    "change_short_term",
    "change_long_term",
    "change_mechanism",
)


@admin.register(Intervention)
class InterventionAdmin(PlainLanguageAdmin, HistoryAdmin):
    form = InterventionForm
    plain_language_fields = PUBLIC_TEXT_FIELDS
    list_display = ["name", "kind", "status", "evidence_last_reviewed", "updated_at"]
    list_filter = ["status", "kind", "need_levels", "available_in_uk", "topics"]
    search_fields = ["name", "slug", "developer", "summary"]
    autocomplete_fields = [
        "need_levels",
        "topics",
        "target_outcomes",
        "delivery_models",
        "settings",
    ]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["status", "created_at", "updated_at"]
    date_hierarchy = "updated_at"
    history_list_display = ["status"]
    save_on_top = True
    actions = ["send_for_review", "move_to_draft"]
    fieldsets = [
        (
            "Identity",
            {"fields": ["name", "slug", "other_names", "kind", "developer", "contact"]},
        ),
        ("What it is", {"fields": ["summary", "description"]}),
        (
            "Who it is for",
            {
                "fields": [
                    ("min_age_months", "max_age_months"),
                    "need_levels",
                    "target_population",
                    "eligibility_criteria",
                    "exclusion_criteria",
                    "topics",
                    "target_outcomes",
                ]
            },
        ),
        (
            "How it is delivered",
            {
                "fields": [
                    "delivery_models",
                    "settings",
                    ("sessions", "duration_weeks"),
                    "workforce",
                    "training",
                    "supervision",
                    "licensing",
                    "fidelity_monitoring",
                    # Tested in the UK follows from the studies (see the suggested rating).
                    "available_in_uk",
                ]
            },
        ),
        (
            "Theory of change",
            {
                "fields": [
                    "change_need",
                    "change_activities",
                    "change_short_term",
                    "change_long_term",
                    "change_mechanism",
                ]
            },
        ),
        (
            "Publication",
            {
                "description": (
                    "Use the buttons at the top of the page to move it between draft, in "
                    "review, published and archived. Saving changes only this working copy: "
                    "the public sees the last published version until a new one is published."
                ),
                "fields": ["status", "evidence_last_reviewed", ("created_at", "updated_at")],
            },
        ),
    ]

    # The public page shows the published version, not this working copy (publishing/admin.py).
    view_on_site = False

    # Publication workflow

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request)

    def get_urls(self):
        move = self.admin_site.admin_view(require_POST(self.move_view))
        return [
            path(
                "<path:object_id>/move-to/<str:target>/",
                move,
                name="interventions_intervention_move",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        intervention = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if intervention is not None and self.has_change_permission(request, intervention):
            extra_context["publication_moves"] = [
                self.move_link(intervention, target)
                for target in publication.available_moves(
                    intervention.status, can_publish=can_publish(request)
                )
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    # Publishing and archiving ask for a change note or a reason first (publishing/admin.py).
    FORM_MOVES = (Status.PUBLISHED, Status.ARCHIVED)

    def move_link(self, intervention: Intervention, target: str) -> dict:
        """The button for one move: a small POST form that moves it at once."""
        url = reverse("admin:interventions_intervention_move", args=[intervention.pk, target])
        return {"label": publication.MOVE_LABELS[target], "url": url, "method": "post"}

    def move_view(self, request, object_id, target):
        intervention = self.get_object(request, unquote(object_id))
        if intervention is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, intervention):
            raise PermissionDenied
        self.move(request, [intervention], target)
        return HttpResponseRedirect(
            reverse("admin:interventions_intervention_change", args=[intervention.pk])
        )

    def move(self, request, interventions, target: str) -> None:
        """Move each intervention that may go to `target`; say which moved and which did not."""
        moved, refused = [], []
        for intervention in interventions:
            current = intervention.status
            if target in self.FORM_MOVES:
                refused.append(
                    f"{intervention} was not moved. Use its “{publication.MOVE_LABELS[target]}” "
                    "button: it asks for a change note or a reason first."
                )
                continue
            try:
                publication.check_move(current, target, can_publish=can_publish(request))
            except publication.TransitionNotAllowed as reason:
                refused.append(f"{intervention} was not moved. {reason}")
                continue
            intervention.status = target
            intervention._change_reason = (
                f"Moved from {publication.status_label(current)} to "
                f"{publication.status_label(target)}"
            )
            # The status is workflow, not content: the page's "last changed" date stays.
            intervention.save(update_fields=["status"])
            self.log_change(request, intervention, intervention._change_reason + ".")
            moved.append(str(intervention))
        if moved:
            self.message_user(
                request,
                f"Now {publication.status_label(target)}: {', '.join(moved)}.",
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Send for review", permissions=["change"])
    def send_for_review(self, request, queryset):
        self.move(request, queryset, Status.IN_REVIEW)

    @admin.action(description="Move back to draft", permissions=["change"])
    def move_to_draft(self, request, queryset):
        self.move(request, queryset, Status.DRAFT)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PlainLanguageAdmin, HistoryAdmin):
    """Abbreviations the public pages explain, linked from each use."""

    plain_language_fields = ("meaning",)

    list_display = ["term", "meaning"]
    search_fields = ["term", "meaning"]
    prepopulated_fields = {"slug": ["term"]}

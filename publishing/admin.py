"""Publishing in the admin: review the differences, then publish a version with a change note;
archive with a reason. Adds these to the intervention admin (interventions/admin.py, with
its evidence from ratings/admin.py), which knows nothing of versions."""

from datetime import UTC, datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import DateTimeField, Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from interventions.models import Intervention
from publishing import provenance, snapshot
from publishing.changes import between
from publishing.models import Listing, SearchSynonym, Version
from publishing.publish import (
    CannotPublish,
    archive,
    check_second_curator,
    differs_from,
    publish,
)
from ratings.admin import RatedInterventionAdmin
from ratings.models import Finding, Rating, Study, UnitCostEstimate

Status = Intervention.Status
NOT_READY = {Status.DRAFT: "a draft", Status.ARCHIVED: "archived"}
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class PublishForm(forms.Form):
    change = forms.ChoiceField(
        label="What kind of change is this?",
        choices=Version.Change.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this is a major or a minor change."},
    )
    change_note = forms.CharField(
        label="Change note",
        help_text="Shown to the public on the page history. Say in plain words what changed "
        "and why, e.g. “Added a 2025 trial from Leeds; the evidence rating rose to 3.”",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": "Write a change note: say what changed and why."},
    )


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label="Why it is archived",
        help_text="Shown at the top of its page, e.g. “The developer no longer offers it.”",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Say why it is archived: readers see the reason."},
    )
    replaced_by = forms.ModelChoiceField(
        label="Replaced by (optional)",
        queryset=Intervention.objects.none(),
        required=False,
    )

    def __init__(self, *args, intervention: Intervention, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = Intervention.objects.filter(
            listing__archived_at__isnull=True
        ).exclude(pk=intervention.pk)


def _last_change_subqueries():
    """The newest moment anything in each working copy changed, as SQL."""
    pk = OuterRef("pk")

    def newest(model, field: str, link: str):
        rows = model.objects.filter(**{link: pk}).order_by().values(link)
        return Subquery(rows.annotate(at=Max(field)).values("at")[:1])

    return Greatest(
        "updated_at",
        Coalesce(newest(Study, "updated_at", "interventions"), NEVER),
        Coalesce(newest(Finding, "updated_at", "intervention"), NEVER),
        Coalesce(newest(Rating, "created_at", "intervention"), NEVER),
        Coalesce(newest(UnitCostEstimate, "created_at", "intervention"), NEVER),
        output_field=DateTimeField(),
    )


class PublishingInterventionAdmin(RatedInterventionAdmin):
    # The history includes the evidence under the intervention (publishing/provenance.py).
    object_history_template = "admin/publishing/intervention_history.html"

    list_display = [
        "name",
        "kind",
        "status",
        "public_version",
        "evidence_last_reviewed",
        "updated_at",
    ]

    def get_queryset(self, request):
        latest = Version.objects.filter(intervention=OuterRef("pk")).order_by("-number")
        return (
            super()
            .get_queryset(request)
            .annotate(
                latest_number=Subquery(latest.values("number")[:1]),
                latest_published_at=Subquery(latest.values("published_at")[:1]),
                last_change_at=_last_change_subqueries(),
                archived=Exists(
                    Listing.objects.filter(intervention=OuterRef("pk"), archived_at__isnull=False)
                ),
            )
        )

    @admin.display(description="Public version", ordering="latest_number")
    def public_version(self, intervention: Intervention) -> str:
        if intervention.latest_number is None:
            return "Never published"
        text = f"Version {intervention.latest_number}"
        if intervention.archived:
            text += ", archived"
        if intervention.last_change_at > intervention.latest_published_at:
            text += ": unpublished changes"
        return text

    def view_on_site(self, intervention: Intervention) -> str | None:
        listing = Listing.objects.filter(intervention=intervention).first()
        return listing.get_absolute_url() if listing else None

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/publish/",
                wrap(self.publish_view),
                name="interventions_intervention_publish",
            ),
            path(
                "<path:object_id>/archive/",
                wrap(self.archive_view),
                name="interventions_intervention_archive",
            ),
            *super().get_urls(),
        ]

    def move_link(self, intervention: Intervention, target: str) -> dict:
        if target == Status.PUBLISHED:
            url = reverse("admin:interventions_intervention_publish", args=[intervention.pk])
            return {"label": "Review and publish a version", "url": url, "method": "get"}
        if target == Status.ARCHIVED:
            url = reverse("admin:interventions_intervention_archive", args=[intervention.pk])
            return {"label": "Archive", "url": url, "method": "get"}
        return super().move_link(intervention, target)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        intervention = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if intervention is not None:
            latest = intervention.versions.order_by("-number").defer("content").first()
            extra_context["public_version"] = latest
            extra_context["public_archived"] = Listing.objects.filter(
                intervention=intervention, archived_at__isnull=False
            ).exists()
            if latest is not None:
                extra_context["unpublished_changes"] = differs_from(latest, intervention)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        intervention = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if intervention is not None:
            extra_context["working_copy_history"] = provenance.changes(intervention)
        return super().history_view(request, object_id, extra_context)

    def _publishable(self, request: HttpRequest, object_id: str) -> Intervention:
        intervention = self.get_object(request, unquote(object_id))
        if intervention is None:
            raise PermissionDenied
        if not (
            self.has_change_permission(request, intervention)
            and self.has_publish_permission(request)
        ):
            raise PermissionDenied
        return intervention

    def _back(self, intervention: Intervention) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse("admin:interventions_intervention_change", args=[intervention.pk])
        )

    def publish_view(self, request: HttpRequest, object_id: str):
        """What publishing would change, and the form to publish it as the next version."""
        intervention = self._publishable(request, object_id)
        if intervention.status not in (Status.IN_REVIEW, Status.PUBLISHED):
            self.message_user(
                request,
                f"{intervention} is {NOT_READY[intervention.status]}. "
                "Send it for review before publishing it.",
                messages.ERROR,
            )
            return self._back(intervention)
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version = publish(
                    intervention,
                    user=request.user,
                    change=form.cleaned_data["change"],
                    note=form.cleaned_data["change_note"],
                )
            except CannotPublish as reason:
                form.add_error(None, str(reason))
            else:
                self.log_change(request, intervention, f"Published version {version.number}.")
                self.message_user(
                    request,
                    f"Published version {version.number} of {intervention}. The public page "
                    f"now shows it: {version.get_absolute_url()}",
                    messages.SUCCESS,
                )
                return self._back(intervention)
        working = snapshot.of(intervention)
        latest = intervention.versions.order_by("-number").first()
        blocked = ""
        try:
            check_second_curator(intervention, request.user)
        except CannotPublish as reason:
            blocked = str(reason)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": intervention,
            "title": f"Publish a version of {intervention}",
            "form": form,
            "latest": latest,
            "blocked": blocked,
            "public_archived": Listing.objects.filter(
                intervention=intervention, archived_at__isnull=False
            ).exists(),
            "changes": between(latest.content, working) if latest else None,
            "unchanged": latest is not None
            and latest.content_hash == snapshot.content_hash(working),
        }
        return TemplateResponse(request, "admin/publishing/publish.html", context)

    def archive_view(self, request: HttpRequest, object_id: str):
        intervention = self._publishable(request, object_id)
        form = ArchiveForm(request.POST or None, intervention=intervention)
        if request.method == "POST" and form.is_valid():
            try:
                archive(
                    intervention,
                    reason=form.cleaned_data["reason"],
                    replaced_by=form.cleaned_data["replaced_by"],
                )
            except CannotPublish as reason:
                form.add_error(None, str(reason))
            else:
                self.log_change(request, intervention, "Archived.")
                self.message_user(
                    request,
                    f"Archived {intervention}. Its pages stay at their addresses with a notice.",
                    messages.SUCCESS,
                )
                return self._back(intervention)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": intervention,
            "title": f"Archive {intervention}",
            "form": form,
        }
        return TemplateResponse(request, "admin/publishing/archive.html", context)


admin.site.unregister(Intervention)
admin.site.register(Intervention, PublishingInterventionAdmin)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Groups of words that mean the same to a searcher (publishing/search.py)."""

    list_display = ["__str__", "note"]
    search_fields = ["note"]

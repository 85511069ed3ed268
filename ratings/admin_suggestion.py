"""Confirming or overriding the evidence standard's suggestion, on the intervention's
admin page.

The panel shows the current evidence rating beside the level the standard suggests
from the studies (ratings/rules.py), with its itemised reasons, the harm flag and
whether it was tested in the UK. Confirming records a new dated rating on the
suggested level; overriding records another level with the curator's reason. Both
go through the Rating admin's own form (EvidenceRatingForm: permission to change a
published page, a level of the right scale, a reason for an override, a suggestion
that is still current) and its recorder, which supersedes the current rating rather
than overwriting it and keeps the suggestion with the new one.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interventions.models import Intervention
from ratings.admin_forms import EvidenceRatingForm
from ratings.admin_recording import record_rating
from ratings.derived import suggest
from ratings.evidence import summarise
from ratings.models import Finding, Rating, RatingLevel, RatingScale

ADD_RATING = "ratings.add_rating"
Basis = Rating.Basis


def why_not_record(request: HttpRequest, intervention: Intervention) -> str:
    """Why this curator may not record a rating here; empty when they may."""
    if not request.user.has_perm(ADD_RATING):
        return "You do not have permission to record ratings. Ask an administrator."
    return ""


class SuggestedRatingAdmin:
    """For InterventionAdmin: the suggested-rating panel and its confirm and override views."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/rating/confirm/",
                wrap(require_POST(self.confirm_rating_view)),
                name="interventions_intervention_confirm_rating",
            ),
            path(
                "<path:object_id>/rating/override/",
                wrap(self.override_rating_view),
                name="interventions_intervention_override_rating",
            ),
            *super().get_urls(),
        ]

    def suggestion_panel(
        self, request, intervention: Intervention, override_form=None, assessment=None
    ) -> dict:
        """What the panel shows: the current rating, the suggestion and its reasons. The
        override form is folded away, except on the override page (`override_form` given,
        bound after a post)."""
        assessment = assessment or suggest(intervention)
        levels = {
            level.code: level
            for level in RatingLevel.objects.filter(scale__slug=RatingScale.EVIDENCE)
        }
        current = (
            Rating.objects.current()
            .filter(intervention=intervention, scale__slug=RatingScale.EVIDENCE)
            .select_related("level")
            .first()
        )
        return {
            "assessment": assessment,
            "explanation": assessment.explanation(),
            "suggested": levels.get(assessment.level),
            "current": current,
            "matches": current is not None and current.level.code == assessment.level,
            "other_levels": [level for code, level in levels.items() if code != assessment.level],
            "blocked": why_not_record(request, intervention),
            "override_form": override_form,
            # What the studies found, domain by domain, with the forest plots the
            # public page shows: the curator sees them as soon as findings are saved.
            "evidence": summarise(
                Finding.objects.filter(intervention=intervention).select_related(
                    "study", "outcome__domain"
                )
            ),
            "override_open": override_form is not None,
            "confirm_url": reverse(
                "admin:interventions_intervention_confirm_rating", args=[intervention.pk]
            ),
            "override_url": reverse(
                "admin:interventions_intervention_override_rating", args=[intervention.pk]
            ),
        }

    def confirm_rating_view(self, request, object_id):
        intervention = self._rating_target(request, object_id)
        if intervention is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if self._refuse(request, intervention):
            return self._back_to(intervention)
        form = self._rating_form(
            request,
            intervention,
            basis=Basis.CONFIRMED,
            reason=suggest(intervention).explanation(),
        )
        if form.is_valid():
            rating = self._record(request, form, "Confirmed the suggested evidence rating")
            self.message_user(
                request,
                f"Recorded evidence rating {rating.level.code} for {intervention}, as the "
                "standard suggests. The previous rating is kept in the history.",
                messages.SUCCESS,
            )
        else:
            errors = " ".join(message for errors in form.errors.values() for message in errors)
            self.message_user(request, f"Nothing was recorded. {errors}", messages.ERROR)
        return self._back_to(intervention)

    def override_rating_view(self, request, object_id):
        intervention = self._rating_target(request, object_id)
        if intervention is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if self._refuse(request, intervention):
            return self._back_to(intervention)
        assessment = suggest(intervention)
        form = EvidenceRatingForm()  # unbound: the override page shows the form open
        if request.method == "POST":
            form = self._rating_form(
                request,
                intervention,
                basis=Basis.OVERRIDE,
                reason=request.POST.get("reason", ""),
            )
            if form.is_valid():
                rating = self._record(request, form, "Overrode the suggested evidence rating")
                self.message_user(
                    request,
                    f"Recorded evidence rating {rating.level.code} for {intervention}, "
                    f"overriding the suggested {assessment.level}. The previous rating is kept "
                    "in the history.",
                    messages.SUCCESS,
                )
                return self._back_to(intervention)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Override the suggested evidence rating of {intervention}",
            "opts": self.opts,
            "original": intervention,
            "suggestion": self.suggestion_panel(request, intervention, form, assessment),
        }
        return TemplateResponse(
            request, "admin/interventions/intervention/override_rating.html", context
        )

    # --- helpers ---

    def _rating_target(self, request, object_id) -> Intervention | None:
        intervention = self.get_object(request, unquote(object_id))
        if intervention is not None and not self.has_view_permission(request, intervention):
            raise PermissionDenied
        return intervention

    def _refuse(self, request, intervention) -> bool:
        """Say so and refuse when this curator may not record ratings at all. (A published
        page's extra permission is the form's check, with the form's message.)"""
        if request.user.has_perm(ADD_RATING):
            return False
        self.message_user(
            request,
            f"Nothing was recorded. {why_not_record(request, intervention)}",
            messages.ERROR,
        )
        return True

    def _rating_form(self, request, intervention, *, basis: str, reason: str):
        """The Rating admin's form, filled in with what the panel decides: only the level
        and an override's reason come from the curator."""
        scale = RatingScale.objects.filter(slug=RatingScale.EVIDENCE).first()
        form = EvidenceRatingForm(
            data={
                "intervention": intervention.pk,
                "scale": scale.pk if scale else "",
                "level": request.POST.get("level", ""),
                "basis": basis,
                "reason": reason,
                "rated_on": timezone.localdate().isoformat(),
            }
        )
        return form

    def _record(self, request, form, what: str) -> Rating:
        rating = record_rating(form.save(commit=False), request.user)
        self.log_change(request, rating.intervention, f"{what}: {rating.level.code}.")
        return rating

    def _back_to(self, intervention) -> HttpResponseRedirect:
        url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
        return HttpResponseRedirect(url + "#suggested-rating")

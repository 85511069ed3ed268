"""Plain-language advice beside each public text field in the admin.

Beside each field the curator sees its reading ease and the abbreviations it leaves
unexplained (the rules are in interventions/plain_language.py). The page shows them for
the text it was loaded with, so they work without JavaScript; a small script
(static/admin-extra/plain-language.js) asks `plain_language_view` again as the curator
types. It is advice only: nothing here stops a save.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AdminTextareaWidget, AdminTextInputWidget
from django.core.exceptions import PermissionDenied
from django.forms import Script
from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from interventions.models import LONG_TEXT, GlossaryTerm
from interventions.plain_language import Advice, advise

ADVICE_TEMPLATE = "admin/plain_language/advice.html"


def glossary_terms(request: HttpRequest) -> list[str]:
    """The glossary's terms, read at most once per request, and only if a field is shown."""
    if not hasattr(request, "_glossary_terms"):
        request._glossary_terms = SimpleLazyObject(
            lambda: list(GlossaryTerm.objects.values_list("term", flat=True))
        )
    return request._glossary_terms


class PlainLanguageWidget:
    """A text box with the advice on what it holds beside it, in a live region so a
    screen reader says the new advice after the script updates it."""

    class Media:
        js = [Script("admin-extra/plain-language.js", type="module")]
        css = {"all": ["admin-extra/plain-language.css"]}

    def __init__(self, glossary, check_url: str, attrs=None):
        super().__init__(attrs)
        self.glossary = glossary
        self.check_url = check_url

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        advice_id = f"{attrs['id']}_plain_language" if attrs.get("id") else None
        if advice_id:
            described_by = [attrs.get("aria-describedby"), advice_id]
            attrs["aria-describedby"] = " ".join(filter(None, described_by))
        attrs["data-plain-language-url"] = self.check_url
        text_box = super().render(name, value, attrs, renderer)
        advice = advise(self.format_value(value) or "", self.glossary)
        return render_to_string(
            "admin/plain_language/field.html",
            {"text_box": text_box, "advice_id": advice_id, "advice": advice},
        )


class PlainLanguageTextarea(PlainLanguageWidget, AdminTextareaWidget):
    """For a public text of any length, such as a summary."""


class PlainLanguageTextInput(PlainLanguageWidget, AdminTextInputWidget):
    """For a short public text, such as a finding's measure: "GAD-7 anxiety total"."""


class PlainLanguageFields:
    """For a ModelAdmin or an inline: the public text fields that get advice.

    An inline's fields ask its parent's admin page, which must be a PlainLanguageAdmin.
    """

    plain_language_fields: tuple[str, ...] = ()

    def plain_language_url(self) -> str:
        opts = getattr(self, "parent_model", self.model)._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_plain_language")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.plain_language_fields:
            long = db_field.get_internal_type() == "TextField"
            widget = PlainLanguageTextarea if long else PlainLanguageTextInput
            kwargs["widget"] = widget(glossary_terms(request), self.plain_language_url())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PlainLanguageAdmin(PlainLanguageFields):
    """A ModelAdmin whose change page shows plain-language advice, with the address the
    script asks as the curator types."""

    def get_urls(self):
        opts = self.model._meta
        check = self.admin_site.admin_view(require_POST(self.plain_language_view))
        return [
            path(
                "plain-language/",
                check,
                name=f"{opts.app_label}_{opts.model_name}_plain_language",
            ),
            *super().get_urls(),
        ]

    def plain_language_view(self, request: HttpRequest) -> JsonResponse:
        """The advice on the posted `text`, for anyone who may add or change these records."""
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        text = request.POST.get("text")
        if text is None:
            return JsonResponse({"error": "Send the text to check as “text”."}, status=400)
        if len(text) > LONG_TEXT:
            return JsonResponse(
                {
                    "error": f"The text is over {LONG_TEXT:,} characters, more than any field "
                    "can save, so it was not checked."
                },
                status=400,
            )
        advice: Advice = advise(text, glossary_terms(request))
        html = render_to_string(ADVICE_TEMPLATE, {"advice": advice})
        return JsonResponse({**advice.as_json(), "html": html})

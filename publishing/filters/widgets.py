"""GOV.UK widgets for django-filter, set for every filter in one place."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.forms.renderers import TemplatesSetting
from django.template.defaultfilters import pluralize
from django.utils.html import format_html
from django.utils.safestring import SafeString


def option_label(label) -> SafeString:
    """An option's name, and the number of results it gives when the list has counted them."""
    if getattr(label, "name", None):
        return format_html(
            '{} <span class="app-filter__count">({}<span class="govuk-visually-hidden">'
            " result{}</span>)</span>\n",
            label.name,
            label.count,
            pluralize(label.count),
        )
    return format_html("{}\n", label)


class OptionsInPython:
    """Each option's markup made here, not by a template included once per option: the
    filter panel has about a hundred options, and an include each was most of the time
    it took to render the list. The widget's template places `option.html`."""

    def create_option(self, *args, **kwargs) -> dict:
        option = super().create_option(*args, **kwargs)
        option["html"] = self.option_html(option)
        return option

    def option_html(self, option: dict) -> SafeString:
        raise NotImplementedError


class GovukChoices(OptionsInPython):
    """GOV.UK checkboxes or radios: `kind` names the component ("checkboxes", "radios")."""

    kind = ""

    def option_html(self, option: dict) -> SafeString:
        item_id = option["attrs"].get("id", "")
        return format_html(
            '<div class="govuk-{kind}__item">\n'
            '  <input class="govuk-{kind}__input" id="{}" name="{}" type="{}" value="{}"{}>\n'
            '  <label class="govuk-label govuk-{kind}__label" for="{}">{}</label>\n'
            "</div>\n",
            item_id,
            option["name"],
            self.input_type,
            f"{option['value']}",
            " checked" if option["selected"] else "",
            item_id,
            option_label(option["label"]),
            kind=self.kind,
        )


class GovukCheckboxes(GovukChoices, forms.CheckboxSelectMultiple):
    template_name = "components/widgets/checkboxes.html"
    kind = "checkboxes"


class GovukRadios(GovukChoices, forms.RadioSelect):
    template_name = "components/widgets/radios.html"
    kind = "radios"


class GovukSelect(OptionsInPython, forms.Select):
    template_name = "components/widgets/select.html"

    def option_html(self, option: dict) -> SafeString:
        return format_html(
            '<option value="{}"{}>{}</option>\n',
            f"{option['value']}",
            " selected" if option["selected"] else "",
            option["label"],
        )


class GovukSearchInput(forms.TextInput):
    input_type = "search"
    template_name = "components/widgets/input.html"


class GovukForm(forms.Form):
    # Our widget templates live in templates/ with the rest of the site's.
    default_renderer = TemplatesSetting


@dataclass(frozen=True)
class OptionLabel:
    """An option's name with the number of results it gives, for the checkbox label."""

    name: str
    count: int

    def __str__(self) -> str:
        return f"{self.name} ({self.count})"


class GovukFilterSet(django_filters.FilterSet):
    """Gives each kind of filter its GOV.UK widget and plain-words error messages."""

    WIDGETS = [
        (django_filters.MultipleChoiceFilter, GovukCheckboxes),
        (django_filters.ChoiceFilter, GovukRadios),
        (django_filters.CharFilter, GovukSearchInput),
    ]

    class Meta:
        form = GovukForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            widget = next(w for kind, w in self.WIDGETS if isinstance(filter_, kind))
            filter_.extra.setdefault("widget", widget)
            filter_.extra.setdefault(
                "error_messages",
                {
                    "invalid_choice": f"We do not recognise that {filter_.label.lower()}, "
                    "so that filter is not used."
                },
            )

"""GOV.UK widgets for django-filter, set for every filter in one place."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.forms.renderers import TemplatesSetting


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "components/widgets/checkboxes.html"
    option_template_name = "components/widgets/checkbox_option.html"


class GovukRadios(forms.RadioSelect):
    template_name = "components/widgets/radios.html"
    option_template_name = "components/widgets/radio_option.html"


class GovukSelect(forms.Select):
    template_name = "components/widgets/select.html"
    option_template_name = "components/widgets/select_option.html"


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

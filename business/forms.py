"""The calculator's inputs: a GET form, so a calculation is a link that can be shared."""

from django import forms

MAX_PLACES = 100_000
MAX_YEARS = 10


class CalculatorForm(forms.Form):
    places = forms.IntegerField(
        label="How many children or families each year",
        min_value=1,
        max_value=MAX_PLACES,
        error_messages={
            "required": "Enter how many children or families you would serve each year",
            "invalid": "Enter the number of children or families as a whole number, like 40",
            "min_value": "Enter at least 1 child or family",
            "max_value": f"Enter no more than {MAX_PLACES:,} children or families",
        },
    )
    years = forms.IntegerField(
        label="For how many years",
        min_value=1,
        max_value=MAX_YEARS,
        error_messages={
            "required": "Enter the number of years",
            "invalid": "Enter the number of years as a whole number, like 2",
            "min_value": "Enter at least 1 year",
            "max_value": f"Enter no more than {MAX_YEARS} years",
        },
    )
    price_year = forms.TypedChoiceField(
        label="Prices of which year (optional)",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a price year from the list"},
    )

    def __init__(self, data, price_years: list[tuple[str | int, str]], **kwargs):
        """price_years: the choices, the first ("", label) for the default year."""
        super().__init__(data, **kwargs)
        self.fields["price_year"].choices = price_years

    @classmethod
    def submitted(cls, params) -> bool:
        return any(name in params for name in ("places", "years"))

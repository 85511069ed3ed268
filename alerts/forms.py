from django import forms

from alerts.models import Subscription


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the right form, like name@example.com.",
        },
    )
    frequency = forms.ChoiceField(
        label="How often do you want emails?",
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.IMMEDIATELY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often you want emails.",
            "invalid_choice": "Choose how often you want emails.",
        },
    )


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Subscription.Frequency.choices)

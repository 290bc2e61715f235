"""The forms of "your part": making a pledge and checking in on it."""

from __future__ import annotations

from django import forms

from thedeal import geography
from thedeal.deal.models import CheckIn, Pledge
from thedeal.web.forms import GovukForm, clean_postcode


class PledgeForm(GovukForm):
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=32,
        help_text="Only to count pledges by neighbourhood. We never show it.",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        # No longer than the pledge keeps: a form's email field otherwise takes 320 characters.
        max_length=Pledge._meta.get_field("email").max_length,
        help_text="Only if you would like a reminder each month, with a link back to your pledge.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Enter an email address of %(limit_value)d characters or fewer",
        },
    )
    reminders = forms.BooleanField(
        label="I agree to reminder emails about my pledge. I can stop them at any time.",
        required=False,
    )

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.place: geography.Postcode | None = None
        self.account = account
        if account is not None:
            # The pledge belongs to the account: reminders go to the account's own address.
            del self.fields["email"]
            self.fields[
                "reminders"
            ].label = (
                "Send me a reminder email about my pledge each month. I can stop them at any time."
            )
            self.fields["reminders"].help_text = (
                f"To {account.email}."
                if account.email
                else "They start once you have confirmed your email address (see your account)."
            )

    def clean_postcode(self) -> str:
        return clean_postcode(self)

    def clean(self):
        data = super().clean()
        if self.account is not None:
            return data
        if data.get("email") and not data.get("reminders"):
            self.add_error(
                "reminders",
                "Tick the box to agree to reminder emails, or leave the email address out",
            )
        if data.get("reminders") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address for your reminders")
        return data


class CheckInForm(GovukForm):
    progress = forms.ChoiceField(
        label="How is your pledge going?",
        choices=CheckIn.Progress.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how your pledge is going"},
    )

"""Outreach's forms: the purpose of a re-identification, and an attempt to reach the person."""

from __future__ import annotations

from django import forms

from thedeal.casework.forms import DateParts
from thedeal.casework.models import ContactMethod, OutreachAttempt
from thedeal.web.forms import GovukForm

PURPOSE_LIMIT = 1000


class PurposeForm(GovukForm):
    purpose = forms.CharField(
        label="Why are you re-identifying this resident?",
        help_text="For example, to offer support from the falls prevention outreach in Hindley "
        "Green. This is kept with your name in the audit log.",
        max_length=PURPOSE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are re-identifying this resident",
            "max_length": f"Why you are re-identifying this resident must be {PURPOSE_LIMIT:,} "
            "characters or fewer",
        },
    )

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"].strip()
        if not purpose:
            raise forms.ValidationError("Enter why you are re-identifying this resident")
        return purpose


class AttemptForm(GovukForm):
    method = forms.ChoiceField(
        label="How did you try to reach them?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you tried to reach them"},
    )
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=OutreachAttempt.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.tried_on = DateParts(self, "tried_on", "Date of the attempt")
        # The date first: it is what a practitioner reads down a list of attempts by.
        self.order_fields(["tried_on_day", "tried_on_month", "tried_on_year"])

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["tried_on"] = self.tried_on.clean()
        return data

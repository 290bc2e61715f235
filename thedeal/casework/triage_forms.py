"""Forms for the triage queue: whose caseload a referred person joins, and why a referral is
declined."""

from __future__ import annotations

from typing import Any

from django import forms

from thedeal.web.forms import GovukForm


class TakeOnForm(GovukForm):
    """Taking a referral on: a practitioner in several teams chooses whose caseload."""

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = list(teams)
        if len(self.teams) > 1:
            self.fields["team"] = forms.ModelChoiceField(
                queryset=teams,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                empty_label=None,
                label="Which team takes them on?",
                help_text="They join that team's caseload. You are in more than one team.",
                error_messages={
                    "required": "Select the team that takes them on",
                    "invalid_choice": "Select one of your teams",
                },
            )

    def team(self) -> Any:
        return self.cleaned_data["team"] if len(self.teams) > 1 else self.teams[0]


class DeclineForm(GovukForm):
    reason = forms.CharField(
        label="Why can the link workers not take this referral on?",
        help_text=(
            "The referrer reads this. For example, 'They already see the Leigh community team: "
            "we have passed the referral to them'."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the link workers cannot take this referral on",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the link workers cannot take this referral on")
        return reason

"""Forms for teams: which team's caseload a new person joins, and a break-glass reason."""

from __future__ import annotations

from typing import Any

from django import forms

from thedeal.casework.teams_actions import SHORTEST_REASON
from thedeal.web.forms import GovukForm


def choose_team(form: forms.Form, teams: Any) -> None:
    """Add "whose caseload do they join?" to a form, for a practitioner in several teams."""
    form.fields["team"] = forms.ModelChoiceField(
        queryset=teams,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which team's caseload do they join?",
        help_text="Your team will be able to see their record. You are in more than one team.",
        error_messages={
            "required": "Select the team whose caseload they join",
            "invalid_choice": "Select one of your teams",
        },
    )
    # Added after GovukForm set each field's class: set this one's as it does.
    form.fields["team"].widget.attrs["class"] = "govuk-radios__input"


class BreakGlassForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text=(
            "For example, 'Covering for a colleague in the Leigh team: the person rang about "
            "tomorrow's appointment'. Your team administrator will read this."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you need to open this record",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < SHORTEST_REASON:
            raise forms.ValidationError(
                f"The reason must say why, in {SHORTEST_REASON} characters or more"
            )
        return reason


class ReviewForm(GovukForm):
    use = forms.IntegerField(widget=forms.HiddenInput)


class CaseloadChangeForm(GovukForm):
    """Adding a person to a team's caseload, or taking them off it: which team (for someone in
    several that could) and why."""

    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )

    def __init__(self, *args: Any, teams: Any, joining: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = list(teams)
        verb = "add them to" if joining else "take them off"
        self.fields["reason"].label = f"Why do you {verb} the caseload?"
        self.fields["reason"].help_text = (
            "For example, 'Moved to Wigan: our team is working with them now'. It is kept and "
            "shown on their record."
            if joining
            else "For example, 'Their plan is closed and they are settled at the walking group'. "
            "It is kept and shown on their record."
        )
        self.fields["reason"].error_messages["required"] = f"Enter why you {verb} the caseload"
        if len(self.teams) > 1:
            self.fields["team"] = forms.ModelChoiceField(
                queryset=teams,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                empty_label=None,
                label="Which team's caseload?",
                error_messages={
                    "required": "Select the team",
                    "invalid_choice": "Select one of your teams",
                },
            )
            self.order_fields(["team", "reason"])

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < SHORTEST_REASON:
            raise forms.ValidationError(
                f"The reason must say why, in {SHORTEST_REASON} characters or more"
            )
        return reason

    def team(self) -> Any:
        return self.cleaned_data["team"] if len(self.teams) > 1 else self.teams[0]

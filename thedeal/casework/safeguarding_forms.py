"""The forms for safeguarding concerns: raising one, and the lead's acknowledgement and close."""

from __future__ import annotations

from django import forms

from thedeal.casework.models import ConcernCategory, Urgency
from thedeal.web.forms import GovukForm


class RaiseConcernForm(GovukForm):
    category = forms.ChoiceField(
        label="What kind of concern is it?",
        choices=ConcernCategory.choices,
        widget=forms.RadioSelect,
        help_text="The kinds of abuse and neglect in the Care Act 2014 guidance, or a child.",
        error_messages={"required": "Select what kind of concern it is"},
    )
    urgency = forms.ChoiceField(
        label="How soon must the safeguarding lead act?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text="The lead must acknowledge it within this time, and is chased by email after it.",
        error_messages={"required": "Select how soon the safeguarding lead must act"},
    )
    details = forms.CharField(
        label="What happened",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you saw or were told, by whom, and when. Use their words where you can.",
        error_messages={"required": "Enter what happened"},
    )


class AcknowledgeForm(GovukForm):
    action_taken = forms.CharField(
        label="What was done",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example: spoke to the practitioner, referred to adult social care.",
        error_messages={"required": "Enter what was done"},
    )


class CloseForm(GovukForm):
    outcome = forms.CharField(
        label="Outcome",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="How the concern ended: for example, a section 42 enquiry found no abuse.",
        error_messages={"required": "Enter the outcome"},
    )

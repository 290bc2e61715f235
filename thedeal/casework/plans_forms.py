"""The forms of a person's plan: agree it, add goals in their words and actions towards them,
change an action's status, say how a goal went, and close the plan with a summary."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from thedeal.accounts.models import CASEWORK_ROLES
from thedeal.casework.forms import DateParts
from thedeal.casework.models import ActionStatus, GoalStatus
from thedeal.directory.forms import category_groups
from thedeal.directory.models import TaxonomyTerm
from thedeal.web.forms import GovukForm

LONG_TEXT = 4000


def _scale(low: int, high: int) -> list[tuple[str, str]]:
    return [(str(n), str(n)) for n in range(low, high + 1)]


class PlanForm(GovukForm):
    agreed_with = forms.CharField(
        label="Agreed with",
        required=False,
        max_length=200,
        help_text="Leave it empty if agreed with the person themselves; otherwise their "
        "representative's name and role.",
    )
    responsible_for_review = forms.ModelChoiceField(
        label="Who will review it",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Not decided yet",
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Those who do casework: the people a review can fall to.
        self.fields["responsible_for_review"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=CASEWORK_ROLES)
            .distinct()
            .order_by("username")
        )
        self.fields["responsible_for_review"].widget.choices = self.fields[
            "responsible_for_review"
        ].choices
        self.fields["responsible_for_review"].label_from_instance = lambda user: user.get_username()
        self.agreed_on = DateParts(self, "agreed_on", "Date agreed")
        self.review_on = DateParts(self, "review_on", "Review date")
        self.order_fields(
            ["agreed_on_day", "agreed_on_month", "agreed_on_year", "agreed_with",
             "review_on_day", "review_on_month", "review_on_year", "responsible_for_review"]
        )  # fmt: skip

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["agreed_on"] = self.agreed_on.clean()
        data["review_on"] = self.review_on.clean(required=False, past=False)
        if data["agreed_on"] and data["review_on"] and data["review_on"] < data["agreed_on"]:
            self.add_error(
                "review_on_day", "The review date must be on or after the date the plan was agreed"
            )
        return data


def _category_choices() -> list:
    choices: list = [("", "Not decided yet")]
    for top, under in category_groups():
        choices.append(
            (top.name, [(str(top.pk), f"{top.name} (any)")] + [(str(t.pk), t.name) for t in under])
        )
    return choices


class GoalForm(GovukForm):
    in_their_words = forms.CharField(
        label="The goal, in their words",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: \u201cto get out of the house twice a week\u201d.",
        error_messages={"required": "Enter the goal, in their words"},
    )
    importance = forms.ChoiceField(
        label="How much it matters to them",
        choices=_scale(1, 10),
        widget=forms.RadioSelect,
        help_text="1 is a little, 10 is more than anything.",
        error_messages={"required": "Select how much the goal matters to them, from 1 to 10"},
    )
    category = forms.ChoiceField(
        label="Kind of help",
        required=False,
        help_text="A category from the directory: suggested services start from it.",
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        choices = _category_choices()
        self.fields["category"].choices = choices
        self.fields["category"].widget.choices = choices

    def clean_category(self) -> TaxonomyTerm | None:
        value = self.cleaned_data["category"]
        return TaxonomyTerm.objects.filter(pk=value).first() if value else None


class ActionForm(GovukForm):
    description = forms.CharField(
        label="What will be done",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    who = forms.CharField(
        label="Who will do it",
        max_length=200,
        help_text="For example: me, my daughter, the link worker.",
        error_messages={"required": "Enter who will do it"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        initial=ActionStatus.NOT_STARTED,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    confidence = forms.ChoiceField(
        label="How confident they are that it will happen",
        required=False,
        choices=_scale(0, 10),
        widget=forms.RadioSelect,
        help_text="0 is not at all, 10 is certain. Leave it if they did not say.",
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.due_on = DateParts(self, "due_on", "By when")
        self.order_fields(
            ["description", "who", "due_on_day", "due_on_month", "due_on_year", "status",
             "confidence"]
        )  # fmt: skip

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        # An action's date is usually still to come, so a future date is the ordinary case.
        data["due_on"] = self.due_on.clean(required=False, past=False)
        data["confidence"] = int(data["confidence"]) if data.get("confidence") else None
        return data


class ActionStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )


class GoalOutcomeForm(GovukForm):
    status = forms.ChoiceField(
        label="How the goal went",
        choices=GoalStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the goal went"},
    )
    outcome = forms.CharField(
        label="What happened",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In their words where you can.",
    )


class ClosePlanForm(GovukForm):
    closing_summary = forms.CharField(
        label="Closing summary",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happened, for their record and for whoever referred them. Say so if "
        "no actions were taken.",
        error_messages={"required": "Enter a closing summary"},
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.plan = kwargs.pop("plan")
        super().__init__(*args, **kwargs)
        self.closed_on = DateParts(self, "closed_on", "Date closed")
        self.order_fields(["closed_on_day", "closed_on_month", "closed_on_year", "closing_summary"])

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["closed_on"] = self.closed_on.clean()
        if data["closed_on"] and data["closed_on"] < self.plan.agreed_on:
            self.add_error(
                "closed_on_day",
                f"Date closed must be on or after the date the plan was agreed, "
                f"{self.plan.agreed_on:%-d %B %Y}",
            )
        return data

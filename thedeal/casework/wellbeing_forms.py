"""The well-being measures form: ONS4's four questions (0 to 10) and SWEMWBS's seven
statements (1 to 5) in their published wording, and a PAM score where the licensed survey was
used. Any of the three may be left out, but SWEMWBS is all seven answers or none: with one
missing it has no score."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from thedeal.casework.forms import DateParts, layout
from thedeal.casework.measures import ons4, swemwbs
from thedeal.casework.models import Conversation, Occasion, WellbeingMeasure
from thedeal.web.forms import GovukForm


def _conversation_label(conversation: Conversation) -> str:
    return f"{conversation.get_kind_display()}, {conversation.held_on:%-d %B %Y}"


class MeasuresForm(GovukForm):
    occasion = forms.ChoiceField(
        label="When in their support",
        choices=Occasion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a first contact, a review or other"},
    )
    pam_score = forms.DecimalField(
        label="Patient Activation Measure (PAM) score",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        help_text="From 0 to 100, as the PAM report gives it. Leave it empty if PAM was not used.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "invalid": "The PAM score must be a number from 0 to 100, like 56.2",
            "min_value": "The PAM score must be a number from 0 to 100, like 56.2",
            "max_value": "The PAM score must be a number from 0 to 100, like 56.2",
            "max_digits": "The PAM score must be a number from 0 to 100, like 56.2",
            "max_decimal_places": "The PAM score must have no more than one decimal place",
        },
    )

    conversation = forms.ModelChoiceField(
        label="The conversation they were taken in",
        queryset=Conversation.objects.none(),
        required=False,
        empty_label="Not taken in a conversation",
        help_text="One of their conversations, so that each shows the other.",
        error_messages={"invalid_choice": "Select one of their conversations, or none"},
    )

    def __init__(self, *args, person, conversation=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Only this person's conversations; by default the one held today (the date's default),
        # or the one the practitioner came from.
        self.fields["conversation"].queryset = person.conversations.order_by("-held_on", "-pk")
        self.fields["conversation"].label_from_instance = _conversation_label
        if not self.is_bound:
            today = person.conversations.filter(held_on=timezone.localdate()).first()
            chosen = conversation or today
            self.initial["conversation"] = chosen.pk if chosen is not None else None
        for item in ons4.items():
            self.fields[item.key] = forms.ChoiceField(
                label=item.question,
                required=False,
                choices=[(str(n), str(n)) for n in range(item.lowest, item.highest + 1)],
                # Added after GovukForm set each widget's class: set here, as it would.
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                help_text=f"{item.lowest} is {item.lowest_means}, "
                f"{item.highest} is {item.highest_means}.",
            )
        for statement, name in zip(swemwbs.items(), WellbeingMeasure.SWEMWBS_FIELDS, strict=True):
            self.fields[name] = forms.ChoiceField(
                label=statement.statement,
                required=False,
                choices=[(str(n), text) for n, text in swemwbs.RESPONSES.items()],
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
            )
        self.taken_on = DateParts(self, "taken_on", "Date")
        if not self.is_bound:
            self.taken_on.set_initial(timezone.localdate())
        self.order_fields(
            ["taken_on_day", "taken_on_month", "taken_on_year", "occasion", "conversation",
             *WellbeingMeasure.ONS4_FIELDS, *WellbeingMeasure.SWEMWBS_FIELDS, "pam_score"]
        )  # fmt: skip

    def when_items(self) -> list[dict[str, object]]:
        """The date, the occasion and the conversation, drawn as casework's forms are."""
        return [
            i
            for i in layout(self)
            if i["kind"] == "date" or i["field"].name in ("occasion", "conversation")  # type: ignore[attr-defined]
        ]

    def ons4_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in WellbeingMeasure.ONS4_FIELDS]

    def swemwbs_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in WellbeingMeasure.SWEMWBS_FIELDS]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["taken_on"] = self.taken_on.clean()
        answers = {}
        for name in (*WellbeingMeasure.ONS4_FIELDS, *WellbeingMeasure.SWEMWBS_FIELDS):
            value = data.get(name)
            answers[name] = int(value) if value not in (None, "") else None
        scale = [answers[name] for name in WellbeingMeasure.SWEMWBS_FIELDS]
        # SWEMWBS has no score with a statement unanswered (measures.swemwbs): all or none.
        if any(v is not None for v in scale) and any(v is None for v in scale):
            for statement, name in zip(
                swemwbs.items(), WellbeingMeasure.SWEMWBS_FIELDS, strict=True
            ):
                if answers[name] is None:
                    self.add_error(
                        name,
                        f"Select an answer for \u201c{statement.statement}\u201d: SWEMWBS "
                        "needs all seven answers, or none",
                    )
        if (
            not self.errors
            and all(v is None for v in answers.values())
            and data.get("pam_score") is None
        ):
            self.add_error(
                "life_satisfaction",
                "Record at least one measure: an ONS4 question, all of SWEMWBS, or a PAM score",
            )
        data["answers"] = answers
        return data

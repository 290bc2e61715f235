"""The form a practitioner fills in during or right after a conversation: one page in
sections (how it was held, why, the person's own words, risks), so that nothing is lost between
pages and the whole conversation is saved at once; and the form to add a risk later."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from thedeal.casework import snomed
from thedeal.casework.forms import DateParts, layout
from thedeal.casework.models import ContactMethod, ConversationKind, ReasonForContactChoice
from thedeal.web.forms import GovukForm

LONG_TEXT = 4000
# Risks written on the conversation's own form; more can be added on the conversation's page.
RISK_BOXES = 3

# The person's own words, in the order the "three conversations" practice asks about them.
THEIR_WORDS = (
    ("what_matters", "What matters to them", "In their words: what matters to them now."),
    ("strengths", "Their strengths", "What they are good at, what keeps them going."),
    ("gifts_and_interests", "Gifts and interests", "What they enjoy, know about or could share."),
    (
        "connections",
        "People and community connections",
        "Family, friends, neighbours, groups and places they are part of.",
    ),
    ("worries", "What worries them", ""),
    ("tried_already", "What they have tried", "What has helped before, and what has not."),
    ("good_day", "What a good day looks like", ""),
    ("notes", "Anything else", ""),
)
THEIR_WORDS_FIELDS = tuple(name for name, _, _ in THEIR_WORDS)
HOW_FIELDS = ("kind", "held_on", "place", "contact_method", "is_review")
WHY_FIELDS = ("reason_for_contact", "source_of_referral")


def _source_choices() -> list[tuple[str, str]]:
    return [("", "Not from a referral, or not known")] + [
        (concept.code, concept.display) for concept in snomed.sources_of_referral()
    ]


class ConversationForm(GovukForm):
    kind = forms.ChoiceField(
        label="Which conversation",
        choices=ConversationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which conversation this was"},
    )
    place = forms.CharField(
        label="Where it was held",
        required=False,
        max_length=200,
        help_text="For example, their home, the library, Wigan Life Centre.",
    )
    contact_method = forms.ChoiceField(
        label="How it was held",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the conversation was held"},
    )
    reason_for_contact = forms.ChoiceField(
        label="Why we are talking",
        choices=ReasonForContactChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you are talking with them"},
    )
    source_of_referral = forms.ChoiceField(
        label="Who referred them",
        required=False,
        help_text="Where the conversation came from a referral. For a GP or a self-referral, "
        "leave it and we record the usual code.",
    )
    is_review = forms.BooleanField(
        label="A review of their plan",
        required=False,
        help_text="Record their well-being measures too: the change is worked out from them.",
    )
    no_known_risks = forms.BooleanField(
        label="No known risks",
        required=False,
        help_text="You asked about risks to them or to others, and there are none.",
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["source_of_referral"].choices = _source_choices()
        self.fields["source_of_referral"].widget.choices = _source_choices()
        for name, label, hint in THEIR_WORDS:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=LONG_TEXT,
                help_text=hint,
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
            )
        for n in range(1, RISK_BOXES + 1):
            self.fields[f"risk_{n}"] = forms.CharField(
                label=f"Risk {n}",
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"class": "govuk-input"}),
            )
        # GovukForm set its classes and hints before these fields were added.
        for name in (*THEIR_WORDS_FIELDS, *self.risk_fields):
            self._describe(name)
        self.held_on = DateParts(self, "held_on", "Date of the conversation")
        if not self.is_bound:
            self.held_on.set_initial(timezone.localdate())
        # The page's order, which the error summary follows.
        self.order_fields(
            [
                "kind", "held_on_day", "held_on_month", "held_on_year", "place", "contact_method",
                "is_review",
                *WHY_FIELDS, *THEIR_WORDS_FIELDS, *self.risk_fields, "no_known_risks",
            ]
        )  # fmt: skip

    @property
    def risk_fields(self) -> tuple[str, ...]:
        return tuple(f"risk_{n}" for n in range(1, RISK_BOXES + 1))

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["held_on"] = self.held_on.clean()
        data["risks"] = [data[f].strip() for f in self.risk_fields if (data.get(f) or "").strip()]
        # The standard makes Risks mandatory: either risks are described or "no known risks" is
        # recorded, and never both (a conversation cannot say there are none and list some).
        if data.get("no_known_risks") and data["risks"]:
            self.add_error(
                "no_known_risks",
                "Either describe the risks or tick \u2018No known risks\u2019, not both",
            )
        elif not data.get("no_known_risks") and not data["risks"] and not self.errors.get("risk_1"):
            self.add_error("risk_1", "Describe a risk, or tick \u2018No known risks\u2019")
        return data

    def sections(self) -> list[tuple[str, list[dict[str, object]]]]:
        """The form's fields in the page's sections, each drawn as casework's forms are."""
        items = layout(self)

        def name_of(item: dict[str, object]) -> str:
            if item["kind"] == "date":
                return item["date"].name  # type: ignore[attr-defined,no-any-return]
            return item["field"].name  # type: ignore[attr-defined,no-any-return]

        def pick(names: tuple[str, ...]) -> list[dict[str, object]]:
            by_name = {name_of(item): item for item in items}
            return [by_name[name] for name in names]

        return [
            ("The conversation", pick(HOW_FIELDS)),
            ("Reason for contact", pick(WHY_FIELDS)),
            ("In their words", pick(THEIR_WORDS_FIELDS)),
            ("Risks", pick(self.risk_fields)),
        ]

    def conversation_details(self) -> dict[str, object]:
        data = self.cleaned_data
        details = {name: data[name] for name in (*HOW_FIELDS, *WHY_FIELDS, *THEIR_WORDS_FIELDS)}
        details["no_known_risks"] = bool(data.get("no_known_risks"))
        if not details["source_of_referral"]:
            # A GP's or a self-referral has one usual code; worklist outreach and "other" none.
            concept = snomed.default_source(snomed.ReasonForContact(details["reason_for_contact"]))
            details["source_of_referral"] = concept.code if concept else ""
        return details


class RiskForm(GovukForm):
    risk = forms.CharField(
        label="The risk",
        max_length=300,
        error_messages={"required": "Describe the risk"},
        help_text="To them or to others. For example, lives alone and has had falls.",
    )
    comment = forms.CharField(
        label="More about it",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is in place, and who knows about it.",
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.started_on = DateParts(self, "started_on", "When it started")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["started_on"] = self.started_on.clean(required=False)
        return data


class ChangeRiskForm(GovukForm):
    """A risk's wording and what is known about it, changed; what it said before is kept."""

    risk = RiskForm.base_fields["risk"]
    comment = RiskForm.base_fields["comment"]


class EndRiskForm(GovukForm):
    end_reason = forms.CharField(
        label="Why it has ended",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the risk has ended"},
        help_text="For example, moved to a ground-floor flat with no stairs.",
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.ended_on = DateParts(self, "ended_on", "When it ended")
        if not self.is_bound:
            self.ended_on.set_initial(timezone.localdate())
        self.order_fields(["ended_on_day", "ended_on_month", "ended_on_year", "end_reason"])

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["ended_on"] = self.ended_on.clean()
        return data

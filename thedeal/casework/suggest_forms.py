"""The forms of suggesting services, signposting and referring, in GOV.UK markup."""

from __future__ import annotations

from django import forms

from thedeal.casework import suggestions
from thedeal.casework.models import ContactMethod, Person, SignpostMethod
from thedeal.casework.suggest_queries import Ask
from thedeal.directory.demo import PROVENANCE_TAXONOMY_NAME
from thedeal.directory.models import TaxonomyTerm
from thedeal.web.forms import GovukForm

DISTANCES = [("", "Any distance"), ("1", "1 km"), ("2", "2 km"), ("5", "5 km"), ("10", "10 km")]
WORDS_LONGEST = 100


def category_choices() -> list[tuple[str, object]]:
    """The directory's categories, each under its broader one (the demo's provenance marker is
    not a kind of help)."""
    terms = list(
        TaxonomyTerm.objects.exclude(taxonomy_detail__name=PROVENANCE_TAXONOMY_NAME)
        .order_by("name")
        .values_list("pk", "name", "parent_id")
    )
    top = [(pk, name) for pk, name, parent in terms if parent is None]
    choices: list[tuple[str, object]] = [("", "Any kind of help")]
    for pk, name in top:
        under = [(str(p), n) for p, n, parent in terms if parent == pk]
        choices.append((name, [(str(pk), f"{name} (all)"), *under]))
    loose = [
        (str(p), n) for p, n, parent in terms if parent is not None and parent not in dict(top)
    ]
    choices += loose
    return choices


class SuggestForm(GovukForm):
    """The filters of the suggestions page, read from the address (a GET form)."""

    category = forms.ChoiceField(label="Kind of help", required=False)
    words = forms.CharField(
        label="Words to look for",
        required=False,
        max_length=WORDS_LONGEST,
        help_text="For example: walking, knitting, debt.",
    )
    within = forms.ChoiceField(label="How far from home", choices=DISTANCES, required=False)
    slots = forms.MultipleChoiceField(
        label="When suits them",
        choices=[(s.value, s.label) for s in suggestions.Slot],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    free_first = forms.BooleanField(label="Free services first", required=False)
    needs = forms.MultipleChoiceField(
        label="Access needs",
        choices=[(n.value, n.label) for n in suggestions.Need],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def ask(self) -> Ask:
        data = self.cleaned_data if self.is_bound and self.is_valid() else self.initial
        category = None
        if data.get("category"):
            category = TaxonomyTerm.objects.filter(pk=data["category"]).first()
        return Ask(
            category=category,
            words=(data.get("words") or "").strip(),
            within_km=float(data["within"]) if data.get("within") else None,
            slots=frozenset(suggestions.Slot(s) for s in data.get("slots") or ()),
            free_first=bool(data.get("free_first")),
            needs=frozenset(suggestions.Need(n) for n in data.get("needs") or ()),
        )


def initial_for(person: Person, category: object = None) -> dict[str, object]:
    """The filters as first shown: the goal's category, and the times their record names."""
    return {
        "category": str(category.pk) if category is not None else "",
        "slots": [s.value for s in suggestions.slots_in(person.contact_times)],
    }


def allowed_methods(person: Person) -> tuple[list[tuple[str, str]], list[str]]:
    """How details may be handed to this person, and why the others may not: email and text
    only as their contact preferences allow, and never when they asked not to be contacted."""
    allowed = [(SignpostMethod.PRINTED.value, SignpostMethod.PRINTED.label),
               (SignpostMethod.TOLD.value, SignpostMethod.TOLD.label)]  # fmt: skip
    why_not = []
    for method, way, address, noun in (
        (SignpostMethod.EMAIL, ContactMethod.EMAIL, person.email, "an email address"),
        (SignpostMethod.TEXT, ContactMethod.TEXT, person.phone, "a phone number"),
    ):
        label = "Email" if method == SignpostMethod.EMAIL else "A text message"
        if person.do_not_contact:
            why_not.append(f"{label}: they have asked not to be contacted")
        elif way not in person.contact_methods:
            why_not.append(f"{label}: it is not one of the ways they like to be contacted")
        elif not address:
            why_not.append(f"{label}: their record has no {noun.split(' ', 1)[1]}")
        else:
            allowed.insert(-1, (method.value, method.label))
    return allowed, why_not


class SignpostForm(GovukForm):
    method = forms.ChoiceField(
        label="How are you giving them the details?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you are giving them the details"},
    )

    def __init__(self, *args, person: Person, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["method"].choices, self.why_not = allowed_methods(person)


class ReferForm(GovukForm):
    reason = forms.CharField(
        label="Reason for referral",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="What you are asking them to help with. The organisation reads this.",
        error_messages={"required": "Enter the reason for the referral"},
    )

    consent = forms.BooleanField(
        help_text="Recorded as their consent to share, dated today. They can withdraw it."
    )

    def __init__(self, *args, needs_consent: bool, organisation: str, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if not needs_consent:
            del self.fields["consent"]
            return
        field = self.fields["consent"]
        field.label = f"They agree to their details being shared with {organisation}"
        field.error_messages["required"] = (
            f"Confirm they agree to share their details with {organisation}, or do not refer"
        )


class ChangeReferralForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, reason_required: bool, prompt: str, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = reason_required
        field.help_text = prompt
        field.error_messages["required"] = "Enter the reason"

"""The forms of a person's record, one per part, in GOV.UK markup (thedeal.web.forms)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from thedeal.casework.models import ConsentKind, ContactMethod, GPPractice, Person
from thedeal.casework.nhs_number import InvalidNHSNumber, normalise_nhs_number
from thedeal.directory.models import Organization
from thedeal.web.forms import GovukForm, clean_postcode

OLDEST_AGE = 130


class DateParts:
    """A GOV.UK date input: day, month and year as three boxes, checked together, with one
    error naming what is missing or wrong (the Design System's "Date input" wording)."""

    def __init__(self, form: forms.Form, name: str, label: str) -> None:
        self.form, self.name, self.label = form, name, label
        for part, size in (("day", 2), ("month", 2), ("year", 4)):
            form.fields[f"{name}_{part}"] = forms.CharField(
                required=False,
                label=part.capitalize(),
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "class": f"govuk-input govuk-date-input__input govuk-input--width-{size}",
                    }
                ),
            )

    def boxes(self) -> list[forms.BoundField]:
        return [self.form[f"{self.name}_{part}"] for part in ("day", "month", "year")]

    @property
    def id(self) -> str:
        return self.form[f"{self.name}_day"].auto_id

    @property
    def errors(self) -> list[str]:
        return self.form.errors.get(f"{self.name}_day", [])

    def clean(self, *, required: bool = True, past: bool = True) -> datetime.date | None:
        data = self.form.cleaned_data
        # A box's own check (a NUL character, say) is not shown beside the box: the date has
        # one error, for all three.
        refused = [
            self.form.errors.pop(box)
            for box in (f"{self.name}_{p}" for p in ("day", "month", "year"))
            if box in self.form.errors
        ]
        day, month, year = (
            str(data.get(f"{self.name}_{p}") or "").strip() for p in ("day", "month", "year")
        )
        error = None
        if refused:
            error = f"{self.label} must be a real date, like 27 3 1958"
        elif not (day or month or year):
            if required:
                error = f"Enter {self.label.lower()}"
        elif not (day and month and year):
            missing = " and ".join(
                p for p, v in (("day", day), ("month", month), ("year", year)) if not v
            )
            error = f"{self.label} must include a {missing}"
        elif (
            not all(v.isascii() and v.isdigit() for v in (day, month, year))
            or len(day) > 2
            or len(month) > 2
            or len(year) != 4
        ):
            error = f"{self.label} must be a real date, like 27 3 1958"
        else:
            try:
                value = datetime.date(int(year), int(month), int(day))
            except ValueError:
                error = f"{self.label} must be a real date, like 27 3 1958"
            else:
                today = timezone.localdate()
                if past and value > today:
                    error = f"{self.label} must be today or in the past"
                elif value.year < today.year - OLDEST_AGE:
                    error = f"{self.label} must be after {today.year - OLDEST_AGE}"
                else:
                    return value
        if error:
            self.form.add_error(f"{self.name}_day", error)
        return None

    def set_initial(self, value: datetime.date | None) -> None:
        if value is not None:
            for part in ("day", "month", "year"):
                self.form.initial[f"{self.name}_{part}"] = getattr(value, part)


def clean_nhs_number(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return normalise_nhs_number(text)
    except InvalidNHSNumber as error:
        raise forms.ValidationError(str(error)) from None


class NameForm(GovukForm):
    given_name = forms.CharField(
        label="Given name",
        required=False,
        max_length=100,
        help_text="As the person gives it. Leave it empty if they have none.",
    )
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    preferred_name = forms.CharField(
        label="What they like to be called", required=False, max_length=100
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not any(data.get(f) for f in ("given_name", "family_name", "preferred_name")):
            self.add_error(
                "given_name", "Enter a given name, a family name or what they like to be called"
            )
        return data


class DateOfBirthForm(GovukForm):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.date_of_birth = DateParts(self, "date_of_birth", "Date of birth")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["date_of_birth"] = self.date_of_birth.clean()
        return data


class NHSNumberForm(GovukForm):
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, like 943 476 5919. Leave it empty if you do not know it.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
    )

    def clean_nhs_number(self) -> str | None:
        return clean_nhs_number(self.cleaned_data["nhs_number"])


class AddressForm(GovukForm):
    address = forms.CharField(
        label="Address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Without the postcode.",
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )

    def clean_postcode(self) -> str:
        return clean_postcode(self)


class GPPracticeForm(GovukForm):
    gp_practice = forms.ModelChoiceField(
        label="GP practice",
        queryset=GPPractice.objects.filter(closed=False),
        required=False,
        empty_label="Not known",
    )


class ContactForm(GovukForm):
    contact_methods = forms.MultipleChoiceField(
        label="How they would like to be contacted",
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}
        ),
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact_times = forms.CharField(
        label="When to contact them",
        required=False,
        max_length=200,
        help_text="For example, weekday mornings, not after 6pm.",
    )
    do_not_contact = forms.BooleanField(
        label="Please don't contact me",
        required=False,
        help_text="They have asked not to be contacted: no one will contact them, by any means.",
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        methods = data.get("contact_methods") or []
        if ContactMethod.PHONE in methods or ContactMethod.TEXT in methods:
            if not data.get("phone"):
                self.add_error(
                    "phone", "Enter a phone number, to contact them by phone or text message"
                )
        if ContactMethod.EMAIL in methods and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address, to contact them by email")
        return data


class AdjustmentsForm(GovukForm):
    reasonable_adjustments = forms.CharField(
        label="Reasonable adjustments",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What helps them take part: for example, a British Sign Language interpreter, large print, step-free access, extra time.",
    )


class AboutMeForm(GovukForm):
    what_matters = forms.CharField(
        label="What matters to me",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    important_people = forms.CharField(
        label="People who are important to me",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    how_i_communicate = forms.CharField(
        label="How I like to communicate",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    please_do = forms.CharField(
        label="Please do", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    please_dont = forms.CharField(
        label="Please don't",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewPersonForm(NameForm, NHSNumberForm, AddressForm):
    """Adding a person: who they are, and where they live (the rest is added on their page)."""

    field_order = [
        "given_name",
        "family_name",
        "preferred_name",
        "date_of_birth_day",
        "date_of_birth_month",
        "date_of_birth_year",
        "nhs_number",
        "address",
        "postcode",
    ]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.date_of_birth = DateParts(self, "date_of_birth", "Date of birth")
        # The date's boxes are made after Django has ordered the fields: order them again.
        self.order_fields(self.field_order)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["date_of_birth"] = self.date_of_birth.clean()
        return data

    def cleaned_data_for_person(self) -> dict[str, object]:
        return {f: self.cleaned_data[f] for f in (*self.Meta_fields, "date_of_birth")}

    Meta_fields = (
        "given_name",
        "family_name",
        "preferred_name",
        "nhs_number",
        "address",
        "postcode",
    )


class FindForm(GovukForm):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="Any part of a given, family or preferred name.",
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    field_order = [
        "name",
        "date_of_birth_day",
        "date_of_birth_month",
        "date_of_birth_year",
        "postcode",
        "nhs_number",
    ]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.date_of_birth = DateParts(self, "date_of_birth", "Date of birth")
        self.order_fields(self.field_order)

    def clean_nhs_number(self) -> str | None:
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean_postcode(self) -> str:
        text = self.cleaned_data["postcode"].strip()
        if not text:
            return ""
        from thedeal import geography

        try:
            return geography.normalise_postcode(text)
        except geography.InvalidPostcode:
            raise forms.ValidationError("Enter a real postcode, like WN1 1AA") from None

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["date_of_birth"] = self.date_of_birth.clean(required=False)
        if not self.errors and not any(
            data.get(f) for f in ("name", "nhs_number", "postcode", "date_of_birth")
        ):
            self.add_error(
                "name", "Enter a name, a date of birth, a postcode or an NHS number to search for"
            )
        return data


class ConsentForm(GovukForm):
    kind = forms.ChoiceField(
        label="What they consent to",
        choices=ConsentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what they consent to"},
    )
    organization = forms.ModelChoiceField(
        label="Organisation they agree to share with",
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label="Choose an organisation",
        help_text="Only for consent to share: one organisation from the directory.",
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.given_on = DateParts(self, "given_on", "Date given")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["given_on"] = self.given_on.clean()
        kind = data.get("kind")
        if kind == ConsentKind.SHARE and not data.get("organization"):
            self.add_error("organization", "Choose the organisation they agree to share with")
        if kind and kind != ConsentKind.SHARE:
            data["organization"] = None
        return data


class WithdrawForm(GovukForm):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.withdrawn_on = DateParts(self, "withdrawn_on", "Date withdrawn")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["withdrawn_on"] = self.withdrawn_on.clean()
        return data


# Each part of a person's record: its form, heading, and the Person fields it changes.
PARTS: dict[str, tuple[type[forms.Form], str, tuple[str, ...]]] = {
    "name": (NameForm, "Name", ("given_name", "family_name", "preferred_name")),
    "date-of-birth": (DateOfBirthForm, "Date of birth", ("date_of_birth",)),
    "nhs-number": (NHSNumberForm, "NHS number", ("nhs_number",)),
    "address": (AddressForm, "Address", ("address", "postcode")),
    "gp-practice": (GPPracticeForm, "GP practice", ("gp_practice",)),
    "contact": (
        ContactForm,
        "Contact preferences",
        ("contact_methods", "phone", "email", "contact_times", "do_not_contact"),
    ),
    "adjustments": (AdjustmentsForm, "Reasonable adjustments", ("reasonable_adjustments",)),
    "about-me": (
        AboutMeForm,
        "About me",
        ("what_matters", "important_people", "how_i_communicate", "please_do", "please_dont"),
    ),
}


def initial_for(person: Person, fields: tuple[str, ...]) -> dict[str, object]:
    initial: dict[str, object] = {}
    for f in fields:
        value = getattr(person, f)
        initial[f] = value.pk if f == "gp_practice" and value is not None else value
    return initial


def layout(form: forms.Form) -> list[dict[str, object]]:
    """The form's fields in order, each with how the page draws it: a text box, radios or
    checkboxes in a fieldset, one checkbox, or a GOV.UK date input (three boxes, one error)."""
    dates = {v.name: v for v in vars(form).values() if isinstance(v, DateParts)}
    items: list[dict[str, object]] = []
    for name, field in form.fields.items():
        if name.endswith(("_month", "_year")) and name.rsplit("_", 1)[0] in dates:
            continue
        if name.endswith("_day") and name[: -len("_day")] in dates:
            items.append({"kind": "date", "date": dates[name[: -len("_day")]]})
        # Checkboxes first: Django's CheckboxSelectMultiple is a kind of RadioSelect, so asked
        # the other way round they were drawn as radios, and only one could be chosen.
        elif isinstance(field.widget, forms.CheckboxSelectMultiple):
            items.append({"kind": "checkboxes", "field": form[name]})
        elif isinstance(field.widget, forms.RadioSelect):
            items.append({"kind": "radios", "field": form[name]})
        elif isinstance(field.widget, forms.CheckboxInput):
            items.append({"kind": "checkbox", "field": form[name]})
        else:
            items.append({"kind": "field", "field": form[name]})
    return items

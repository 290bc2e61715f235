"""The forms of an organisation editor's pages for each part of a listing: times, phone numbers,
places, accessibility, ages and categories. Each applies the rule the admin and imports apply
(the model's own), in GOV.UK wording, naming the field it is about."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from thedeal.directory.models import (
    _ORDINALS,
    Accessibility,
    Address,
    Phone,
    Schedule,
    Service,
)
from thedeal.web.forms import GovukForm, clean_postcode

WEEKLY = "weekly"
# "Every week", or which week of the month (RFC 5545's ordinals: 1 to 4, and -1 for the last).
HOW_OFTEN = [(WEEKLY, "Every week")] + [
    (ordinal, f"The {word} week of the month") for ordinal, word in _ORDINALS.items()
]
# What people type: 14:00, 9:30, 2pm, 2:30pm, 2.30pm.
TIME_FORMATS = ["%H:%M", "%H.%M", "%I%p", "%I:%M%p", "%I.%M%p", "%I %p", "%I:%M %p"]


class TimeField(forms.TimeField):
    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lower().replace(" ", "")
            # "midday" and "noon" are how the public pages say 12pm.
            value = {"midday": "12:00", "noon": "12:00", "midnight": "00:00"}.get(value, value)
        return super().to_python(value)


def _time(label: str, what: str) -> TimeField:
    return TimeField(
        label=label,
        required=False,
        input_formats=TIME_FORMATS,
        help_text="For example, 9:30am or 14:00",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": f"Enter the time it {what} as a time, like 9:30am or 14:00"},
    )


class ScheduleForm(GovukForm):
    """One schedule: which days, how often, and the hours; or, for times that days and hours
    cannot say, the organisation's own words."""

    how_often = forms.ChoiceField(
        label="How often",
        choices=HOW_OFTEN,
        initial=WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often it runs"},
    )
    days = forms.MultipleChoiceField(
        label="Which days",
        choices=Schedule.Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    opens_at = _time("Opens at", "opens")
    closes_at = _time("Closes at", "closes")
    description = forms.CharField(
        label="Describe the times in your own words (optional)",
        required=False,
        max_length=500,
        help_text="Only if days and hours cannot say it, for example 'Term time only'. "
        "Residents then see these words instead of the days and hours",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, schedule: Schedule, **kwargs):
        self.schedule = schedule
        initial = {}
        if schedule.pk:
            days = [d.strip().upper() for d in schedule.byday.split(",") if d.strip()]
            ordinals = {d[:-2] for d in days if d[:-2]}
            initial = {
                "how_often": ordinals.pop() if len(ordinals) == 1 else WEEKLY,
                "days": [d[-2:] for d in days],
                "opens_at": _shown(schedule.opens_at),
                "closes_at": _shown(schedule.closes_at),
                "description": schedule.description,
            }
        super().__init__(*args, initial=initial, **kwargs)

    def clean(self):
        data = super().clean()
        if "days" in self.errors or "how_often" in self.errors:
            return data
        days = data.get("days") or []
        if not days and not data.get("description"):
            self.add_error("days", "Select the days it runs, or describe the times in words")
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if "opens_at" not in self.errors and "closes_at" not in self.errors:
            if opens is None and closes is not None:
                self.add_error("opens_at", "Enter the time it opens")
            elif closes is None and opens is not None:
                self.add_error("closes_at", "Enter the time it closes")
        schedule = self.schedule
        order = list(Schedule.Weekday.values)
        days = sorted(days, key=order.index)
        often = data["how_often"]
        if often == WEEKLY:
            schedule.freq = Schedule.Freq.WEEKLY if days else ""
            schedule.byday = ",".join(days)
        else:
            schedule.freq = Schedule.Freq.MONTHLY
            schedule.byday = ",".join(f"{often}{day}" for day in days)
        schedule.opens_at, schedule.closes_at = opens, closes
        schedule.description = data.get("description", "").strip()
        try:
            # The rule the admin and imports apply (Schedule.clean).
            schedule.clean()
        except ValidationError as error:
            fields = {"byday": "days", "opens_at": "opens_at", "closes_at": "closes_at"}
            for name, messages in error.message_dict.items():
                field = fields.get(name)
                if field not in self.errors:
                    self.add_error(field, messages[0])
        return data


def _shown(time: datetime.time | None) -> str:
    return time.strftime("%H:%M") if time else ""


# Digits, spaces and the signs people write numbers with; 3 digits (111) to 15 (E.164's most).
PHONE_NUMBER = re.compile(r"^\+?[\d ()\-]+$")


class PhoneForm(GovukForm, forms.ModelForm):
    class Meta:
        model = Phone
        fields = ["number", "description"]
        labels = {"number": "Phone number", "description": "What the number is for (optional)"}
        help_texts = {
            "number": "For example, 01942 828 000",
            "description": "For example, 'Bookings' or 'Text only'",
        }
        widgets = {
            "number": forms.TextInput(attrs={"class": "govuk-input--width-20",
                                             "autocomplete": "off", "inputmode": "tel"}),
            "description": forms.TextInput(),
        }  # fmt: skip
        error_messages = {"number": {"required": "Enter a phone number"}}

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].split())
        digits = re.sub(r"\D", "", number)
        if not PHONE_NUMBER.match(number) or not 3 <= len(digits) <= 15:
            raise forms.ValidationError(
                "Enter a phone number, like 01942 828 000 or +44 1942 828 000"
            )
        return number


class AccessibilityForm(GovukForm, forms.ModelForm):
    class Meta:
        model = Accessibility
        fields = ["description", "details"]
        labels = {"description": "What is there", "details": "More detail (optional)"}
        help_texts = {"description": "For example, 'Step-free access' or 'Hearing loop'",
                      "details": "For example, 'Ramp at the side entrance on Mill Lane'"}  # fmt: skip
        widgets = {"description": forms.TextInput(), "details": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"description": {"required": "Enter what there is to help people get in and around"}}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = True


class ExistingPlaceForm(GovukForm):
    place = forms.ChoiceField(
        label="Which place",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a place"},
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {str(p.pk): p for p in places}
        self.fields["place"].choices = [
            (str(p.pk), f"{p}{' (not shown to the public)' if p.confidential else ''}")
            for p in places
        ]

    def clean_place(self):
        return self.places[self.cleaned_data["place"]]


class NewPlaceForm(GovukForm):
    """A new place by its address; the postcode gives its position (for distance searches)."""

    name = forms.CharField(label="Name of the place", max_length=200,
                           help_text="For example, Hindley Library",
                           error_messages={"required": "Enter the name of the place"})  # fmt: skip
    address_1 = forms.CharField(label="Address line 1", max_length=200,
                                error_messages={"required": "Enter address line 1, typically the building and street"})  # fmt: skip
    address_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    city = forms.CharField(label="Town or city", max_length=100,
                           widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
                           error_messages={"required": "Enter town or city"})  # fmt: skip
    county = forms.CharField(label="County", max_length=100,
                             help_text="For example, Greater Manchester",
                             widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
                             error_messages={"required": "Enter the county"})  # fmt: skip
    postcode = forms.CharField(label="Postcode", max_length=32,
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                             "autocomplete": "postal-code"}),
                               error_messages={"required": "Enter the postcode"})  # fmt: skip

    def clean_postcode(self) -> str:
        return clean_postcode(self)

    def address(self) -> Address:
        data = self.cleaned_data
        return Address(address_1=data["address_1"].strip(), address_2=data["address_2"].strip(),
                       city=data["city"].strip(), state_province=data["county"].strip(),
                       postal_code=data["postcode"], country="GB")  # fmt: skip


AGE = {"min_value": 0, "max_value": 120, "required": False,
       "widget": forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"})}  # fmt: skip


class AgesForm(GovukForm):
    minimum_age = forms.IntegerField(
        label="Youngest age (optional)", help_text="Leave empty if there is no youngest age",
        error_messages={"invalid": "Enter the youngest age in whole years, like 16",
                        "min_value": "The youngest age must be 0 or more",
                        "max_value": "The youngest age must be 120 or less"}, **AGE,
    )  # fmt: skip
    maximum_age = forms.IntegerField(
        label="Oldest age (optional)", help_text="Leave empty if there is no oldest age",
        error_messages={"invalid": "Enter the oldest age in whole years, like 65",
                        "min_value": "The oldest age must be 0 or more",
                        "max_value": "The oldest age must be 120 or less"}, **AGE,
    )  # fmt: skip

    def __init__(self, *args, service: Service, **kwargs):
        self.service = service
        initial = {name: None if getattr(service, name) is None else round(getattr(service, name))
                   for name in ("minimum_age", "maximum_age")}  # fmt: skip
        super().__init__(*args, initial=initial, **kwargs)

    def clean(self):
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        # The rule the database keeps (service_minimum_age_not_above_maximum).
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age", "The oldest age must be the same as or above the youngest age"
            )
        return data


class CategoriesForm(GovukForm):
    categories = forms.MultipleChoiceField(
        label="Categories", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.terms = {str(t.pk): t for top, under in groups for t in (top, *under)}
        self.fields["categories"].choices = [(pk, t.name) for pk, t in self.terms.items()]

    def clean_categories(self):
        return [self.terms[pk] for pk in self.cleaned_data["categories"]]

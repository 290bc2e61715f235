"""The resident's search form and the "Is this information wrong?" report."""

from __future__ import annotations

import datetime

from django import forms
from django.core.cache import cache
from django.urls import reverse

from thedeal import geography
from thedeal.directory.demo import PROVENANCE_TAXONOMY_NAME
from thedeal.directory.listings import METRES_PER_MILE
from thedeal.directory.models import Report, Schedule, TaxonomyTerm
from thedeal.directory.queries import Filters, Near
from thedeal.web.forms import GovukForm, clean_postcode

DISTANCES = [("", "Any distance"), ("1", "1 mile"), ("2", "2 miles"), ("5", "5 miles"),
             ("10", "10 miles")]  # fmt: skip
DAYS = [("", "Any day"), *Schedule.Weekday.choices]
# Windows of the day a resident thinks in, rather than a clock time.
TIMES = {
    "morning": ("Morning (before midday)", datetime.time(0, 0), datetime.time(12, 0)),
    "afternoon": ("Afternoon (midday to 5pm)", datetime.time(12, 0), datetime.time(17, 0)),
    "evening": ("Evening (after 5pm)", datetime.time(17, 0), datetime.time(23, 59)),
}


# The categories change rarely (staff add one now and then), and every search page lists them.
CATEGORIES_KEPT_FOR = 60  # seconds


def category_choices() -> list:
    """Top-level categories with the ones under them, for a select with groups; read from the
    database at most once a minute (kept in the cache)."""
    return cache.get_or_set(
        "directory:category-choices", _read_category_choices, CATEGORIES_KEPT_FOR
    )


def category_groups() -> list[tuple[TaxonomyTerm, list[TaxonomyTerm]]]:
    """The categories residents search by and editors choose from: each top-level category
    with the ones under it, A to Z (not where a record came from, which is ours)."""
    terms = list(
        TaxonomyTerm.objects.exclude(taxonomy_detail__name=PROVENANCE_TAXONOMY_NAME).order_by(
            "name"
        )
    )
    children: dict = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    return [(top, children.get(top.pk, [])) for top in children.get(None, [])]


def _read_category_choices() -> list:
    choices: list = [("", "All categories")]
    for top, under in category_groups():
        choices.append(
            (
                top.name,
                [(str(top.pk), f"All of {top.name.lower()}")]
                + [(str(t.pk), t.name) for t in under],
            )
        )
    return choices


class SearchForm(GovukForm):
    q = forms.CharField(label="What are you looking for?", required=False, max_length=200,
                        help_text="For example, swimming, stop smoking or coffee morning")  # fmt: skip
    category = forms.ChoiceField(label="Category", required=False)
    postcode = forms.CharField(label="Postcode", required=False, max_length=32,
                               help_text="To find what is near you, for example WN1 1AA",
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                             "autocomplete": "postal-code"}))  # fmt: skip
    distance = forms.ChoiceField(label="Distance", choices=DISTANCES, required=False)
    age = forms.IntegerField(label="Age", required=False, min_value=0, max_value=120,
                             widget=forms.TextInput(attrs={"class": "govuk-input--width-3",
                                                           "inputmode": "numeric"}),
                             help_text="The age of the person it is for",
                             error_messages={"invalid": "Enter an age in years, like 42",
                                             "min_value": "Age must be 0 or more",
                                             "max_value": "Age must be 120 or less"})  # fmt: skip
    day = forms.ChoiceField(label="Day", choices=DAYS, required=False)
    time = forms.ChoiceField(
        label="Time of day",
        required=False,
        choices=[("", "Any time")] + [(key, label) for key, (label, _, _) in TIMES.items()],
    )

    # With JavaScript, choosing from a list fetches the results at once (htmx takes the results
    # panel from the same page and updates the address); typed words and postcodes wait for
    # the Search button, so nothing moves under the resident's fingers. Without, the button.
    LIVE = ("category", "distance", "day", "time")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.place: geography.Postcode | None = None
        for name in self.LIVE:
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("directory:search"),
                    "hx-include": "closest form",
                    "hx-target": "#results-panel",
                    "hx-select": "#results-panel",
                    "hx-swap": "outerHTML",
                    # The heading (a category's name) and the count of filters chosen too.
                    "hx-select-oob": "#search-heading,#filters-chosen",
                    "hx-push-url": "true",
                }
            )

    def clean_postcode(self) -> str:
        return clean_postcode(self)

    def clean(self):
        data = super().clean()
        if data.get("distance") and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to search within a distance of it")
        return data

    @property
    def is_search(self) -> bool:
        """Whether the resident asked for anything (an empty form lists everything)."""
        return any(self.data.get(name) for name in self.fields)

    # The filters behind "Filter results" (the words are always in view).
    FILTERS = ("category", "postcode", "distance", "age", "day", "time")

    @property
    def chosen_filters(self) -> int:
        """How many of the filters the resident set: said beside "Filter results", so that a
        resident whose filters are folded away knows the results are narrowed."""
        return sum(1 for name in self.FILTERS if self.data.get(name))

    @property
    def category_name(self) -> str:
        """The chosen category's name (a category page's title), or empty."""
        chosen = self.cleaned_data.get("category") if self.is_valid() else None
        if not chosen:
            return ""
        term = TaxonomyTerm.objects.filter(pk=chosen).only("name").first()
        return term.name if term is not None else ""

    def what_to_try(self) -> str:
        """When nothing matches: what the resident could change, naming only what they set
        ("a longer distance" only when they chose one)."""
        data = self.cleaned_data
        ideas = []
        if data.get("q"):
            ideas.append("fewer words" if len(data["q"].split()) > 1 else "other words")
        if data.get("category"):
            ideas.append("another category")
        if data.get("distance"):
            ideas.append("a longer distance")
        if data.get("day") or data.get("time"):
            ideas.append("another day or time")
        if data.get("age") is not None:
            ideas.append("leaving out the age")
        if not ideas:
            return ""
        if len(ideas) == 1:
            return f"Try {ideas[0]}."
        return f"Try {', '.join(ideas[:-1])} or {ideas[-1]}."

    def filters(self) -> Filters:
        data = self.cleaned_data
        term_ids = None
        if data.get("category"):
            chosen = TaxonomyTerm.objects.filter(pk=data["category"]).first()
            if chosen is not None:
                ids = [chosen.pk, *chosen.children.values_list("pk", flat=True)]
                term_ids = tuple(ids)
        near = None
        if self.place is not None:
            within = float(data["distance"]) * METRES_PER_MILE if data.get("distance") else None
            near = Near(self.place.easting, self.place.northing, within)
        window = TIMES.get(data.get("time") or "")
        return Filters(
            search=data.get("q") or None,
            term_ids=term_ids,
            suitable_for_age=data.get("age"),
            day=data.get("day") or None,
            open_between=(window[1], window[2]) if window else None,
            near=near,
        )


class ReportForm(GovukForm):
    """'Is this information wrong?': what is wrong, and how to reply if the resident wants."""

    problem = forms.CharField(
        label="What is wrong with this information?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, the opening times have changed or the phone number does not work",
        error_messages={
            "required": "Tell us what is wrong with this information",
            "max_length": "Tell us in 2,000 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        # No longer than the report keeps: a form's email field otherwise takes 320 characters.
        max_length=Report._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text="Only if you would like a reply. We will not use it for anything else.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Enter an email address of %(limit_value)d characters or fewer",
        },
    )

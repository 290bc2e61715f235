"""Casework's forms drawn in GOV.UK markup (casework.forms.layout and casework/_fields.html): a
field of checkboxes is drawn as GOV.UK Frontend's checkboxes, so that more than one can be
ticked. Django's CheckboxSelectMultiple is a kind of RadioSelect: asked about in the wrong
order, layout drew them as radios, and a person's second way of being contacted was lost."""

import importlib
import inspect
import pkgutil
from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string

import thedeal.casework
from thedeal.casework.forms import layout

pytestmark = pytest.mark.django_db

# What a form that needs more than its data is made with.
MADE_WITH = {
    "ContactForm": {},
    "SuggestForm": {},
}


def forms_with_checkboxes():
    """Every casework form class with a field of checkboxes, by module and name."""
    found = {}
    for info in pkgutil.iter_modules(thedeal.casework.__path__):
        if not info.name.endswith("forms"):
            continue
        module = importlib.import_module(f"thedeal.casework.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            if any(
                isinstance(f.widget, forms.CheckboxSelectMultiple) for f in cls.base_fields.values()
            ):
                found[name] = cls
    return found


class Inputs(HTMLParser):
    """Each input's attributes, with the classes of the elements it sits in."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str]] = []  # (tag, class) of each open element
        self.inputs: list[dict] = []
        self.labels: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self.inputs.append({**attrs, "inside": [cls for _, cls in self.open]})
            return
        if tag == "label" and "for" in attrs:
            self.labels[attrs["for"]] = attrs.get("class", "")
        self.open.append((tag, attrs.get("class", "") + f" data-module={attrs.get('data-module')}"))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break


def test_every_form_with_checkboxes_is_checked_here():
    assert set(forms_with_checkboxes()) == set(MADE_WITH)


@pytest.mark.parametrize("name", sorted(MADE_WITH))
def test_checkboxes_are_drawn_as_govuk_checkboxes_and_keep_each_tick(name):
    cls = forms_with_checkboxes()[name]
    fields = [
        n for n, f in cls.base_fields.items() if isinstance(f.widget, forms.CheckboxSelectMultiple)
    ]
    # Two boxes of each ticked, as a practitioner sending the form back with an error would see.
    ticked = {n: [str(v) for v, _ in list(cls.base_fields[n].choices)[:2]] for n in fields}
    form = cls(data=ticked, **MADE_WITH[name])
    form.is_valid()

    page = Inputs()
    page.feed(render_to_string("casework/_fields.html", {"items": layout(form)}))

    assert all(
        item["kind"] == "checkboxes"
        for item in layout(form)
        if item.get("field") and item["field"].name in fields
    )
    for field in fields:
        boxes = [i for i in page.inputs if i.get("name") == field]
        assert boxes and all(b["type"] == "checkbox" for b in boxes), field
        assert all(b["class"] == "govuk-checkboxes__input" for b in boxes), field
        assert all(
            any("govuk-checkboxes__item" in c for c in b["inside"])
            and any(
                "govuk-checkboxes " in c and "data-module=govuk-checkboxes" in c
                for c in b["inside"]
            )
            and any("govuk-fieldset" in c for c in b["inside"])
            for b in boxes
        ), field
        assert all(page.labels[b["id"]] == "govuk-label govuk-checkboxes__label" for b in boxes)
        assert [b["value"] for b in boxes if "checked" in b] == ticked[field], field

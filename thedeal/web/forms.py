"""Forms in the GOV.UK Design System's markup: classes, hints and errors tied to their fields."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from thedeal import geography


class Select(forms.Select):
    """Django's select, drawn in Python rather than one template per option: a category list
    of forty options costs a page several milliseconds through the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {
            "" if value is None else str(v) for v in (value if isinstance(value, list) else [value])
        }
        final = self.build_attrs(self.attrs, attrs)

        def options(choices):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (v, mark_safe(" selected") if str(v) in chosen else "", label)
                    for v, label in choices
                ),
            )

        parts = []
        for group, choices in self.choices:
            if isinstance(choices, (list, tuple)):
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group, options(choices))
                )
            else:
                parts.append(options([(group, choices)]))
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final), mark_safe("".join(parts))
        )


_CLASSES = {
    forms.Select: "govuk-select",
    Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


class GovukForm(forms.Form):
    """Sets each widget's GOV.UK class, and points aria-describedby at its hint and error, so a
    screen reader reads them with the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field.widget) is forms.Select:
                field.widget = Select(attrs=field.widget.attrs, choices=field.widget.choices)
            widget = field.widget
            base = _CLASSES.get(type(widget), "govuk-input")
            widget.attrs["class"] = " ".join(filter(None, [base, widget.attrs.get("class")]))
            self._describe(name)

    def full_clean(self):
        super().full_clean()
        for name in self.fields:
            self._describe(name)

    def _describe(self, name: str) -> None:
        field = self.fields[name]
        # Not self[name].auto_id: that would create (and cache) the bound field before
        # subclasses have finished setting labels.
        html_name = self.add_prefix(name)
        auto_id = self.auto_id % html_name if "%s" in str(self.auto_id) else html_name
        ids = []
        if field.help_text:
            ids.append(f"{auto_id}-hint")
        if self.is_bound and self._errors is not None and name in self._errors:
            ids.append(f"{auto_id}-error")
            base = field.widget.attrs["class"].split()[0]
            if f"{base}--error" not in field.widget.attrs["class"]:
                field.widget.attrs["class"] += f" {base}--error"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)
        else:
            field.widget.attrs.pop("aria-describedby", None)


def clean_postcode(form: forms.Form) -> str:
    """A form's optional `postcode`, normalised ("wn11aa" -> "WN1 1AA"), with the place it names
    left in `form.place`; a postcode that is malformed or unknown is a field error."""
    form.place = None
    text = form.cleaned_data["postcode"].strip()
    if not text:
        return ""
    try:
        normalised = geography.normalise_postcode(text)
    except geography.InvalidPostcode:
        raise forms.ValidationError("Enter a real postcode, like WN1 1AA") from None
    form.place = geography.lookup_postcode(normalised)
    if form.place is None:
        raise forms.ValidationError(f"We cannot find the postcode {normalised}")
    return normalised

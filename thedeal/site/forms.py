"""Forms in the GOV.UK Design System's markup: classes, hints and errors tied to their fields."""

from __future__ import annotations

from django import forms

_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


class GovukForm(forms.Form):
    """Sets each widget's GOV.UK class, and points aria-describedby at its hint and error, so a
    screen reader reads them with the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
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

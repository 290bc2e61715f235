"""The form an administrator records an erasure request with."""

from __future__ import annotations

from django import forms

from thedeal.casework.forms import DateParts
from thedeal.casework.models import ErasureBasis
from thedeal.web.forms import GovukForm


class ErasureForm(GovukForm):
    basis = forms.ChoiceField(
        label="What they ask under",
        choices=ErasureBasis.choices,
        widget=forms.RadioSelect,
        help_text="The ground of UK GDPR Article 17(1) their request relies on.",
        error_messages={"required": "Select what they ask under"},
    )
    identity_checked = forms.BooleanField(
        label="I have checked that the request comes from the person, or someone acting for them",
        error_messages={"required": "Confirm that you have checked who the request comes from"},
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.received_on = DateParts(self, "received_on", "Date the request was received")
        # The date first, as the request's letter or email gives it.
        self.order_fields(["received_on_day", "received_on_month", "received_on_year", "basis"])

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["received_on"] = self.received_on.clean()
        return data

"""The casework reports' one filter: the period reported on."""

from __future__ import annotations

from django import forms

from thedeal.casework import report_periods as reports
from thedeal.web.forms import GovukForm


class PeriodForm(GovukForm):
    period = forms.ChoiceField(
        label="Period",
        choices=[(key, label) for key, (label, _) in reports.PERIODS.items()],
        initial=reports.DEFAULT_PERIOD,
        required=False,
        error_messages={"invalid_choice": "Choose a period from the list"},
    )

    def chosen(self) -> str:
        """The period asked for, or the default (with the error shown) when it is not one."""
        if self.is_bound and self.is_valid() and self.cleaned_data["period"]:
            return self.cleaned_data["period"]
        if self.is_bound:
            # The error stays; the list shows the period the reports are for.
            self.data = self.data.copy()
            self.data["period"] = reports.DEFAULT_PERIOD
        return reports.DEFAULT_PERIOD

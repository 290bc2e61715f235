"""The staff's forms for the savings ledger: a programme cost, the ledger's settings, and the
choice of the evaluation to publish. Shares are asked for as percentages (what an officer
writes in a report) and kept as fractions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from thedeal.indicators.periods import financial_year
from thedeal.insight.models import CostCategory, EvaluationRun, Payer, ProgrammeCost
from thedeal.web.forms import GovukForm

# The first financial year the programme's costs may fall in: the synthetic borough's records
# start in April 2019, and no council's Deal programme began before.
FIRST_YEAR = 2015


def this_financial_year(today: datetime.date | None = None) -> int:
    """The year today's financial year (April to March) starts in."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def financial_years(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """Financial years from FIRST_YEAR to next year (a budget set ahead), newest first, as a
    council writes them: "2024/25"."""
    return [
        (str(year), financial_year(year).label)
        for year in range(this_financial_year(today) + 1, FIRST_YEAR - 1, -1)
    ]


def _money(value: str) -> str:
    """£1,234.50 as 1234.50: people type money as they read it."""
    return value.strip().replace(",", "").removeprefix("£").strip() if value else value


class MoneyField(forms.DecimalField):
    def to_python(self, value):
        return super().to_python(_money(value) if isinstance(value, str) else value)


class PercentField(forms.DecimalField):
    """A share typed as a percentage (0 to 100), cleaned to a fraction (0 to 1)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Enter a percentage from 0 to 100",
                "invalid": "Enter a percentage from 0 to 100, like 25",
            },
        )
        super().__init__(
            max_digits=4,
            decimal_places=1,
            validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
            widget=forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "class": "govuk-input--width-4",
                    "spellcheck": "false",
                }
            ),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        return super().to_python(value)

    def clean(self, value):
        share = super().clean(value)
        return None if share is None else (share / 100).quantize(Decimal("0.001"))

    def prepare_value(self, value):
        # A stored share (a Decimal fraction) is shown as a percentage: 0.25 as 25. What was
        # typed (a string) is shown back as typed.
        if isinstance(value, Decimal):
            return f"{(value * 100).normalize():f}"
        return value


class CostForm(GovukForm):
    financial_year = forms.ChoiceField(
        label="Financial year",
        help_text="April to March: the year the money was spent in.",
    )
    category = forms.ChoiceField(label="What the money paid for", choices=CostCategory.choices)
    payer = forms.ChoiceField(label="Who paid", choices=Payer.choices)
    amount = MoneyField(
        label="Amount, in pounds",
        help_text="For example, 42,500.00",
        error_messages={
            "required": "Enter the amount, in pounds",
            "invalid": "Enter the amount as a number, like 42,500.00",
        },
        min_value=Decimal("0.00"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
    )
    description = forms.CharField(
        label="Description",
        max_length=300,
        error_messages={"required": "Enter what the money paid for"},
        help_text="What it was, so that someone else can check it: for example, "
        "“Two link workers, 1.6 full-time equivalent”.",
    )

    def __init__(self, *args, instance: ProgrammeCost | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "financial_year": str(instance.period_start.year),
                "category": instance.category,
                "payer": instance.payer,
                "amount": instance.amount,
                "description": instance.description,
            }
        kwargs.setdefault("initial", {"financial_year": str(this_financial_year())})
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = financial_years()
        self.fields["financial_year"].widget.choices = self.fields["financial_year"].choices

    def values(self) -> dict:
        """The cost's fields, as `ledger_actions` takes them."""
        year = financial_year(int(self.cleaned_data["financial_year"]))
        return {
            "period_start": year.start,
            "period_end": year.end,
            "category": self.cleaned_data["category"],
            "payer": self.cleaned_data["payer"],
            "amount": self.cleaned_data["amount"],
            "description": self.cleaned_data["description"].strip(),
        }


class LedgerSettingsForm(GovukForm):
    cost_per_admission = MoneyField(
        label="Cost of one emergency admission, in pounds",
        help_text="The average cost of a non-elective admission, its bed days included.",
        error_messages={
            "required": "Enter the cost of an admission, in pounds",
            "invalid": "Enter the cost as a number, like 2,595.43",
        },
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
    )
    cost_source = forms.CharField(
        label="Where that cost comes from",
        help_text="The publication and its year, so that a reader can check it.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter where the cost comes from, with its year"},
    )
    council_share = PercentField(
        label="The council's share of each saving, as a percentage",
        help_text="0 if the NHS would save all of it. The rest is the NHS's.",
    )
    cashable_share = PercentField(
        label="The share of each saving that is cash, as a percentage",
        help_text="0 if a bed freed is filled by the next patient, as it usually is: the saving "
        "is then capacity, not money that can be spent elsewhere.",
    )

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "cost_per_admission": instance.cost_per_admission,
                "cost_source": instance.cost_source,
                "council_share": instance.council_share,
                "cashable_share": instance.cashable_share,
            }
        super().__init__(*args, **kwargs)


class PublishForm(GovukForm):
    run = forms.ModelChoiceField(queryset=EvaluationRun.objects.all(), widget=forms.HiddenInput)

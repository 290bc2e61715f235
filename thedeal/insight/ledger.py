"""The savings ledger: what the admissions the programme avoided are worth, who would save it,
how much of it is cash, and what is left once the programme's costs are paid.

Pure (no Django): the staff pages and the public page pass in the evaluation's figures, the
ledger's settings and the costs staff entered, and show what comes back.

Money is `Decimal`, in pounds, exact to the penny: every figure is rounded to a penny once, and
each split takes its last part as the remainder, so that the parts always add up to the totals
on the page (a councillor who adds up a column gets the total printed under it). Each figure
carries the interval of the admissions avoided it comes from; the costs are taken as known.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

PENNY = Decimal("0.01")

# The payers, as `insight.models.Payer` spells them (this module cannot import it).
NHS, COUNCIL = "nhs", "council"
PAYERS = (NHS, COUNCIL)
# As a sentence names them: "savings to the NHS", "paid by the council".
PAYER_NAMES = {NHS: "NHS", COUNCIL: "council"}

# The average cost of one non-elective (emergency) admission, its bed days included: NHS
# England's National Cost Collection (NCC) 2023/24, national schedule of NHS costs, all
# non-elective inpatient activity (short stay and long stay together): £28,271,665,110 over
# 10,892,864 finished consultant episodes = £2,595.43 an episode. Long stays alone average
# £5,132.23 and short stays (0 or 1 day) £790.84. The 2023/24 schedule has no excess bed day
# rows (the older reference costs priced them apart): an episode's cost covers all its bed
# days, so none are added here.
# How sure: NHS England publishes 2023/24 only as Power BI dashboards
# (https://www.england.nhs.uk/costing-in-the-nhs/national-cost-collection/, which says the
# year's data "will not be available in Excel format"); the figure was computed from the
# national schedule's rows (cost and activity by service and HRG) as NICE's COSTmos tool keeps
# them (github.com/NICE-Data-and-Analytics/COSTmos, inst/extdata/ncc_2023_24.csv, commit
# 3b36636), not read from NHS England's site itself. The NCC counts episodes, not spells: an
# admission that passes between consultants is two episodes, so the cost of a whole admission
# is somewhat higher than this. NCC 2024/25 was published in November 2025; a council should
# put in its own figure (or the newer year's) on the ledger's settings page.
NCC_COST_PER_ADMISSION = Decimal("2595.43")
NCC_YEAR = "2023/24"
NCC_SOURCE = (
    "NHS England, National Cost Collection 2023/24, national schedule of NHS costs: the "
    "average cost of a non-elective inpatient episode (short and long stays together, bed "
    "days included), £28,271,665,110 over 10,892,864 episodes. Computed from the schedule's "
    "rows as NICE's COSTmos tool keeps them; an episode, not a whole admission, so it slightly "
    "understates an admission's cost."
)


def pennies(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Range:
    """A figure with its 95% interval (lower and upper), all in the same unit."""

    central: Decimal
    lower: Decimal
    upper: Decimal

    def __iter__(self):
        return iter((self.central, self.lower, self.upper))

    def __add__(self, other: Range) -> Range:
        return Range(*(a + b for a, b in zip(self, other, strict=True)))

    def minus(self, amount: Decimal) -> Range:
        return Range(*(figure - amount for figure in self))

    @property
    def includes_zero(self) -> bool:
        return self.lower <= 0 <= self.upper


def _split(whole: Range, share: Decimal) -> tuple[Range, Range]:
    """`whole` split into (share of it, the rest), each rounded to the penny and adding up to
    the whole exactly. Rounding is monotone, so each part keeps lower <= central <= upper."""
    part = Range(*(pennies(figure * share) for figure in whole))
    rest = Range(*(figure - piece for figure, piece in zip(whole, part, strict=True)))
    return part, rest


@dataclass(frozen=True)
class PayerLine:
    """What one payer (the NHS or the council) would save, cash and not, what it paid, and what
    is left."""

    payer: str
    cashable: Range
    not_cashable: Range
    gross: Range
    costs: Decimal
    net: Range

    @property
    def name(self) -> str:
        return PAYER_NAMES[self.payer]


@dataclass(frozen=True)
class Ledger:
    admissions_avoided: Range
    cost_per_admission: Decimal
    council_share: Decimal
    cashable_share: Decimal
    payers: tuple[PayerLine, ...]
    gross: Range
    cashable: Range
    not_cashable: Range
    costs: Decimal
    net: Range
    # Gross savings for each £1 the programme cost, in pounds; None when no costs are entered.
    return_per_pound: Range | None


def _decimal(value: float | int | Decimal | str, what: str) -> Decimal:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{what} must be a number, not {value}")
    # str() of a float is its shortest exact spelling: 12.3 stays 12.3, not 12.2999...
    figure = value if isinstance(value, Decimal) else Decimal(str(value))
    if not figure.is_finite():
        raise ValueError(f"{what} must be a number, not {value}")
    return figure


def _share(value: Decimal | float | str, what: str) -> Decimal:
    share = _decimal(value, what)
    if not 0 <= share <= 1:
        raise ValueError(f"{what} must be between 0 and 1, not {share}")
    return share


def ledger(
    avoided: float | Decimal,
    lower: float | Decimal,
    upper: float | Decimal,
    *,
    cost_per_admission: Decimal,
    council_share: Decimal,
    cashable_share: Decimal,
    costs: Mapping[str, Decimal],
) -> Ledger:
    """The ledger for `avoided` admissions (with the 95% interval `lower` to `upper`), each
    worth `cost_per_admission`; `council_share` of each saving is the council's (the rest the
    NHS's) and `cashable_share` of it is cash (the rest capacity freed, such as bed days);
    `costs` is what each payer spent on the programme ({"nhs": ..., "council": ...}).

    A negative number of admissions avoided (the programme added admissions) gives negative
    savings: the ledger shows what the evaluation found, whichever way it points."""
    figures = Range(
        _decimal(avoided, "Admissions avoided"),
        _decimal(lower, "The lower limit of admissions avoided"),
        _decimal(upper, "The upper limit of admissions avoided"),
    )
    if not figures.lower <= figures.central <= figures.upper:
        raise ValueError(
            "Admissions avoided must lie within its interval: "
            f"{figures.lower} <= {figures.central} <= {figures.upper}"
        )
    cost_per_admission = _decimal(cost_per_admission, "The cost of an admission")
    if cost_per_admission <= 0:
        raise ValueError(f"The cost of an admission must be above £0, not £{cost_per_admission}")
    council_share = _share(council_share, "The council's share")
    cashable_share = _share(cashable_share, "The cashable share")
    unknown = set(costs) - set(PAYERS)
    if unknown:
        raise ValueError(f"Costs are paid by the NHS or the council, not {sorted(unknown)}")
    spent = {payer: pennies(_decimal(costs.get(payer, 0), "A cost")) for payer in PAYERS}
    if any(amount < 0 for amount in spent.values()):
        raise ValueError("A cost cannot be negative")

    gross = Range(*(pennies(figure * cost_per_admission) for figure in figures))
    council, nhs = _split(gross, council_share)
    lines = []
    for payer, saving in ((NHS, nhs), (COUNCIL, council)):
        cashable, not_cashable = _split(saving, cashable_share)
        lines.append(
            PayerLine(
                payer=payer,
                cashable=cashable,
                not_cashable=not_cashable,
                gross=saving,
                costs=spent[payer],
                net=saving.minus(spent[payer]),
            )
        )
    total_costs = sum(spent.values(), Decimal("0.00"))
    return_per_pound = None
    if total_costs > 0:
        return_per_pound = Range(*(pennies(figure / total_costs) for figure in gross))
    return Ledger(
        admissions_avoided=figures,
        cost_per_admission=cost_per_admission,
        council_share=council_share,
        cashable_share=cashable_share,
        payers=tuple(lines),
        gross=gross,
        cashable=lines[0].cashable + lines[1].cashable,
        not_cashable=lines[0].not_cashable + lines[1].not_cashable,
        costs=total_costs,
        net=gross.minus(total_costs),
        return_per_pound=return_per_pound,
    )

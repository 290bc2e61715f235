"""The evaluation and the savings ledger on the web: the public page "What the Deal has
achieved" (the published evaluation, its ledger, and what the figures cannot say), and the
staff's pages (every estimator of the latest evaluations, publishing one; the programme's costs
and the ledger's settings). Staff are analysts and administrators.

The figures are borough-wide estimates, never counts of residents: nothing here can pick out a
person, so nothing needs suppressing.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.accounts.models import Role, roles_of
from thedeal.accounts.views import verified_staff
from thedeal.indicators.periods import financial_year
from thedeal.insight import charts, ledger, ledger_actions, ledger_forms, queries
from thedeal.insight.ledger_charts import interval_chart
from thedeal.insight.models import EvaluationRun, LedgerSettings, ProgrammeCost

GET_OR_POST = ["GET", "HEAD", "POST"]
# How many of the latest evaluation runs the staff's page shows.
LATEST_RUNS = 5
# A matched comparison is balanced when every standardised mean difference is below this.
BALANCED_BELOW = 0.1
LEDGER_ROLES = (Role.ANALYST, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class Estimator:
    key: str
    name: str
    explanation: str


# The analyses in the order a reader should weigh them: the primary one first, the biased one
# last. Each explanation says what it compares and why it may differ from the primary.
ESTIMATORS = (
    Estimator(
        "primary",
        "Stepped wedge (the primary analysis)",
        "Compares residents on the worklist in wards that had joined the programme with "
        "residents on the worklist in wards that had not joined yet, in the same quarter. "
        "Wards joined in a set order, not because they chose to, so the two groups differ "
        "only in when their ward joined. This is the fairest comparison, and the one the "
        "savings are worked out from. It measures the effect of offering support, whether or "
        "not people took it up.",
    ),
    Estimator(
        "matched",
        "Matched comparison",
        "Compares residents who took up support with similar residents, matched on what their "
        "records show, on worklists in wards that had not joined yet. It measures the effect "
        "on those who took support up, so it is usually larger than the primary estimate. It "
        "cannot match on what records do not show, such as how motivated someone is.",
    ),
    Estimator(
        "interrupted_time_series",
        "Interrupted time series",
        "Follows the whole borough's monthly rate of emergency admissions before and after "
        "the programme began, and carries the earlier trend forward to compare. It cannot "
        "tell the programme from anything else that changed at the same time, and the earliest "
        "records are incomplete, so the trend it carries forward is uncertain.",
    ),
    Estimator(
        "naive",
        "Takers against non-takers (biased)",
        "Compares residents who took up support with residents offered it who did not. People "
        "who take up support differ from those who do not, in ways their records do not show: "
        "those who take it up would often have had fewer admissions anyway. So this "
        "comparison flatters the programme. It is shown only to show how far a careless "
        "comparison can mislead.",
    ),
)
ESTIMANDS = {
    "intention_to_treat": "Everyone offered support",
    "on_treated": "Those who took it up",
}


def may_see_ledger(user: Any) -> bool:
    """Analysts and administrators, who answer for the evaluation and the costs."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or not roles_of(user).isdisjoint(LEDGER_ROLES)


def ledger_staff_only(view: Any) -> Any:
    """Signed in, past two-factor, never cached (verified_staff), and an analyst or an
    administrator (else 403)."""

    @verified_staff
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not may_see_ledger(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- Figures in words -------------------------------------------------------------------------


def pounds(amount: Decimal, *, pence: bool = False) -> str:
    """£1,234 (or £1,234.56 with `pence`); a negative amount as "−£1,234"."""
    text = f"£{abs(amount):,.2f}" if pence else f"£{abs(amount):,.0f}"
    return f"−{text}" if amount < 0 else text


def percent(share: Decimal) -> str:
    """A share (0 to 1) as a percentage without trailing zeros: 0.125 as "12.5"."""
    return f"{(share * 100).normalize():f}"


def period_label(cost: ProgrammeCost) -> str:
    """A cost's period: "2024/25" for a financial year (April to March), as the form enters
    them; otherwise its first and last days."""
    start, end = cost.period_start, cost.period_end
    year = financial_year(start.year)
    if (year.start, year.end) == (start, end):
        return year.label
    return f"{start:%-d %b %Y} to {end:%-d %b %Y}"


def _number(value: Any) -> float | None:
    try:
        figure = float(value)
    except (TypeError, ValueError):
        return None
    return figure if math.isfinite(figure) else None


def change_in_words(relative_risk: float, lower: float, upper: float) -> str:
    """A relative risk with its interval as a councillor would say it: "18% fewer emergency
    admissions (between 9% and 26% fewer)"."""

    def percent(value: float) -> int:
        return round(abs(1 - value) * 100)

    central = (
        f"{percent(relative_risk)}% fewer"
        if relative_risk < 1
        else f"{percent(relative_risk)}% more"
        if relative_risk > 1
        else "no change in"
    )
    if upper < 1:
        return (
            f"{central} emergency admissions (between {percent(upper)}% and "
            f"{percent(lower)}% fewer)"
        )
    if lower > 1:
        return (
            f"{central} emergency admissions (between {percent(lower)}% and {percent(upper)}% more)"
        )
    return (
        f"{central} emergency admissions (between {percent(lower)}% fewer and "
        f"{percent(upper)}% more, so no change at all cannot be ruled out)"
    )


def estimates(result: dict) -> list[dict]:
    """Each estimator's figures in `result` (an EvaluationRun's JSON), in ESTIMATORS' order,
    ready for a page; estimators missing from the result, or without figures, are left out."""
    rows = []
    for estimator in ESTIMATORS:
        figures = result.get(estimator.key)
        if not isinstance(figures, dict):
            continue
        rr, lower, upper = (_number(figures.get(k)) for k in ("relative_risk", "lower", "upper"))
        if rr is None or lower is None or upper is None:
            continue
        avoided = [
            _number(figures.get(k))
            for k in ("admissions_avoided", "admissions_avoided_lower", "admissions_avoided_upper")
        ]
        rows.append(
            {
                "key": estimator.key,
                "name": estimator.name,
                "explanation": estimator.explanation,
                "primary": estimator.key == "primary",
                "estimand": ESTIMANDS.get(figures.get("estimand", ""), figures.get("estimand", "")),
                "method": figures.get("method", ""),
                "relative_risk": rr,
                "lower": lower,
                "upper": upper,
                "in_words": change_in_words(rr, lower, upper),
                "avoided": avoided if None not in avoided else None,
                "balance": balance_rows(figures.get("balance")),
            }
        )
    return rows


def balance_rows(balance: Any) -> list[dict]:
    """The matched comparison's balance table, as rows of (characteristic, standardised mean
    difference before matching, after): from a list of rows, or a mapping of characteristic
    to either its difference after matching or its {before, after}."""
    if not balance:
        return []
    if isinstance(balance, dict):
        items = [
            {"characteristic": name, **(value if isinstance(value, dict) else {"after": value})}
            for name, value in balance.items()
        ]
    elif isinstance(balance, list):
        items = [row for row in balance if isinstance(row, dict)]
    else:
        return []
    rows = []
    for item in items:
        name = next(
            (item[k] for k in ("characteristic", "variable", "name", "covariate") if k in item), ""
        )
        before = _number(next((item[k] for k in ("before", "smd_before") if k in item), None))
        after = _number(next((item[k] for k in ("after", "smd_after", "smd") if k in item), None))
        rows.append(
            {
                "characteristic": str(name).replace("_", " "),
                "before": before,
                "after": after,
                "balanced": after is not None and abs(after) < BALANCED_BELOW,
            }
        )
    return rows


def chart(rows: list[dict], *, chart_id: str) -> str:
    return interval_chart(
        [(r["name"], r["relative_risk"], r["lower"], r["upper"], r["primary"]) for r in rows],
        title="The relative risk of an emergency admission, by each analysis, with 95% "
        "confidence intervals",
        chart_id=chart_id,
    )


# --- The ledger -------------------------------------------------------------------------------


def costs_by_payer() -> dict[str, Decimal]:
    return {
        row["payer"]: row["total"]
        for row in ProgrammeCost.objects.values("payer").annotate(total=Sum("amount"))
    }


def ledger_for(run: EvaluationRun, settings: LedgerSettings | None = None) -> ledger.Ledger:
    """The ledger of a run's primary estimate, with today's settings (read here unless the page
    has them already) and costs; ValueError if the run has no primary estimate that can be
    costed."""
    primary = run.result.get("primary") if isinstance(run.result, dict) else None
    if not isinstance(primary, dict):
        raise ValueError("The evaluation has no primary estimate")
    keys = ("admissions_avoided", "admissions_avoided_lower", "admissions_avoided_upper")
    figures = [primary.get(k) for k in keys]
    if any(_number(figure) is None for figure in figures):
        raise ValueError("The primary estimate has no number of admissions avoided")
    settings = settings or ledger_actions.current_settings()
    return ledger.ledger(
        *(float(figure) for figure in figures),
        cost_per_admission=settings.cost_per_admission,
        council_share=settings.council_share,
        cashable_share=settings.cashable_share,
        costs=costs_by_payer(),
    )


def ledger_rows(result: ledger.Ledger) -> list[dict]:
    """The ledger as the rows of its table (and its CSV): savings by payer and cash or not,
    their totals, the costs, the net savings, and the return per pound."""
    rows = []
    for line in result.payers:
        rows += [
            {"item": f"Savings to the {line.name}, cash", "range": line.cashable},
            {"item": f"Savings to the {line.name}, not cash (capacity freed)", "range": line.not_cashable},
        ]  # fmt: skip
    rows.append({"item": "Gross savings", "range": result.gross, "total": True})
    for line in result.payers:
        rows.append({"item": f"Costs paid by the {line.name}", "known": -line.costs})
    rows.append({"item": "Costs in all", "known": -result.costs, "total": True})
    rows.append({"item": "Net savings", "range": result.net, "total": True})
    for line in result.payers:
        rows.append({"item": f"Net savings to the {line.name}", "range": line.net})
    return rows


def _ledger_context(result: ledger.Ledger) -> dict:
    rows = []
    for row in ledger_rows(result):
        if "range" in row:
            central, lower, upper = (pounds(v) for v in row["range"])
        else:
            central, lower, upper = pounds(row["known"]), "", ""
        rows.append({**row, "central": central, "lower": lower, "upper": upper})
    per_pound = result.return_per_pound
    return {
        "ledger": result,
        "ledger_rows": rows,
        "return_per_pound": (
            None if per_pound is None else [pounds(v, pence=True) for v in per_pound]
        ),
        "avoided": [f"{v:,.0f}" for v in result.admissions_avoided],
        "cost_per_admission": pounds(result.cost_per_admission, pence=True),
        "council_percent": percent(result.council_share),
        "cashable_percent": percent(result.cashable_share),
        "gross": [pounds(v) for v in result.gross],
        "net": [pounds(v) for v in result.net],
        "costs": pounds(result.costs),
    }


# --- The public page --------------------------------------------------------------------------


@require_safe
def achieved(request):
    """What the Deal has achieved: the published evaluation, its ledger, the method, and what
    the figures cannot say; or, before any is published, a page saying so."""
    run = EvaluationRun.objects.filter(published=True).first()
    context: dict[str, Any] = {
        "run": run,
        "settings": ledger_actions.current_settings(),
        "healthy_life": _healthy_life_expectancy(),
    }
    if run is not None:
        rows = estimates(run.result)
        context |= {"estimates": rows, "chart": chart(rows, chart_id="chart-estimates")}
        try:
            context |= _ledger_context(ledger_for(run, context["settings"]))
        except ValueError as error:
            context["ledger_error"] = str(error)
    return render(request, "insight/achieved.html", context)


def _healthy_life_expectancy() -> dict[str, Any] | None:
    """The measure the Deal is judged by: the borough's healthy life expectancy at birth in
    each period, women's and men's, as a chart and its table (None until it is computed)."""
    trend = queries.borough_trend("healthy-life-expectancy-birth")
    if trend is None:
        return None
    decimals = trend.indicator.decimals
    return {
        "trend": trend,
        "rows": [
            {
                "period": period,
                "women": _figure_text(women, decimals),
                "men": _figure_text(men, decimals),
            }
            for period, women, men in trend.periods
        ],
        "svg": charts.trend_chart(
            trend.points(),
            title=f"Healthy life expectancy at birth in {trend.borough.name}, women and men",
            unit="years",
            area_name="Women",
            benchmark_name="Men",
            chart_id="chart-healthy-life",
        ),
    }


def _figure_text(f, decimals: int) -> dict[str, str]:
    if f is None:
        return {"value": "not computed", "interval": ""}
    return {"value": queries.number(f.value, decimals), "interval": queries.interval(f, decimals)}


@require_safe
def achieved_csv(request):
    """The published ledger as CSV, to the penny."""
    run = EvaluationRun.objects.filter(published=True).first()
    if run is None:
        raise Http404("No evaluation has been published")
    try:
        result = ledger_for(run)
    except ValueError as error:
        raise Http404(str(error)) from None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="deal-savings-ledger-{run.created_at:%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["item", "estimate_pounds", "lower_95_pounds", "upper_95_pounds"])
    for row in ledger_rows(result):
        if "range" in row:
            writer.writerow([row["item"], *row["range"]])
        else:
            writer.writerow([row["item"], row["known"], row["known"], row["known"]])
    if result.return_per_pound is not None:
        writer.writerow(["Gross savings for each £1 spent", *result.return_per_pound])
    return response


# --- The staff's pages ------------------------------------------------------------------------


@ledger_staff_only
@require_http_methods(GET_OR_POST)
def evaluation(request):
    """Every estimator of the latest evaluation runs, with the matched comparison's balance,
    and a button to publish a run on the public page."""
    if request.method == "POST":
        form = ledger_forms.PublishForm(request.POST)
        if not form.is_valid():
            raise Http404("No such evaluation run")
        run = ledger_actions.publish(form.cleaned_data["run"], by=request.user)
        messages.success(request, f"Published: {run}. The public page now shows it.")
        return redirect("insight:evaluation")
    runs = []
    for run in EvaluationRun.objects.order_by("-created_at", "-pk")[:LATEST_RUNS]:
        rows = estimates(run.result)
        matched = next((r for r in rows if r["key"] == "matched"), None)
        runs.append(
            {
                "run": run,
                "estimates": rows,
                "chart": chart(rows, chart_id=f"chart-run-{run.pk}"),
                "balance": matched["balance"] if matched else [],
                "table_id": f"run-{run.pk}-estimates",
                # Two runs can start in the same minute: the number tells them apart.
                "name": f"run {run.pk}",
            }
        )
    return render(
        request,
        "insight/evaluation.html",
        {"runs": runs, "balanced_below": BALANCED_BELOW, "estimators": ESTIMATORS},
    )


@ledger_staff_only
@require_safe
def costs(request):
    """The programme's costs, the ledger's settings, and the latest changes to either."""
    settings = ledger_actions.current_settings()
    entered = list(
        ProgrammeCost.objects.select_related("entered_by").order_by(
            "-period_start", "category", "pk"
        )
    )
    for cost in entered:
        cost.period_label = period_label(cost)
    return render(
        request,
        "insight/costs.html",
        {
            "costs": entered,
            "totals": {
                ledger.PAYER_NAMES[payer]: pounds(total, pence=True)
                for payer, total in sorted(costs_by_payer().items())
            },
            "settings": settings,
            "council_percent": percent(settings.council_share),
            "cashable_percent": percent(settings.cashable_share),
            "changes": ledger_actions.recent_changes(),
        },
    )


@ledger_staff_only
@require_http_methods(GET_OR_POST)
def cost_new(request):
    form = ledger_forms.CostForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cost = ledger_actions.add_cost(by=request.user, **form.values())
        messages.success(request, f"Cost added: {cost}")
        return redirect("insight:costs")
    return render(request, "insight/costs_form.html", {"form": form, "cost": None})


@ledger_staff_only
@require_http_methods(GET_OR_POST)
def cost_change(request, pk: int):
    cost = get_object_or_404(ProgrammeCost, pk=pk)
    form = ledger_forms.CostForm(request.POST if request.method == "POST" else None, instance=cost)
    if request.method == "POST" and form.is_valid():
        if ledger_actions.change_cost(cost, by=request.user, **form.values()):
            messages.success(request, f"Cost changed: {cost}")
        return redirect("insight:costs")
    return render(request, "insight/costs_form.html", {"form": form, "cost": cost})


@ledger_staff_only
@require_http_methods(GET_OR_POST)
def cost_remove(request, pk: int):
    cost = get_object_or_404(ProgrammeCost, pk=pk)
    if request.method == "POST":
        description = str(cost)
        ledger_actions.remove_cost(cost, by=request.user)
        messages.success(request, f"Cost removed: {description}")
        return redirect("insight:costs")
    return render(request, "insight/costs_remove.html", {"cost": cost})


@ledger_staff_only
@require_http_methods(GET_OR_POST)
def ledger_settings(request):
    current = ledger_actions.current_settings()
    form = ledger_forms.LedgerSettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        ledger_actions.change_settings(**form.cleaned_data, by=request.user)
        messages.success(request, "The ledger's settings are saved")
        return redirect(reverse("insight:costs") + "#settings")
    return render(
        request,
        "insight/costs_settings.html",
        {"form": form, "settings": current, "ncc_cost": pounds(ledger.NCC_COST_PER_ADMISSION, pence=True), "ncc_source": ledger.NCC_SOURCE},
    )  # fmt: skip

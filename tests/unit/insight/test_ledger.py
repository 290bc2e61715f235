"""The savings ledger: worked cases by hand, the parts adding up to the totals for every input,
and clear errors for figures that cannot be costed."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.insight.ledger import (
    COUNCIL,
    NCC_COST_PER_ADMISSION,
    NHS,
    PENNY,
    Range,
    ledger,
)


def test_ledger_worked_by_hand():
    result = ledger(
        100, 40, 160,
        cost_per_admission=Decimal("2500.00"),
        council_share=Decimal("0.2"),
        cashable_share=Decimal("0.25"),
        costs={NHS: Decimal("50000"), COUNCIL: Decimal("100000")},
    )  # fmt: skip

    assert result.gross == Range(Decimal("250000.00"), Decimal("100000.00"), Decimal("400000.00"))
    nhs, council = result.payers
    assert nhs.gross.central == Decimal("200000.00")
    assert nhs.cashable.central == Decimal("50000.00")
    assert nhs.not_cashable.central == Decimal("150000.00")
    assert nhs.net.central == Decimal("150000.00")
    assert council.gross.central == Decimal("50000.00")
    assert council.net == Range(Decimal("-50000.00"), Decimal("-80000.00"), Decimal("-20000.00"))
    assert result.costs == Decimal("150000.00")
    assert result.net == Range(Decimal("100000.00"), Decimal("-50000.00"), Decimal("250000.00"))
    assert result.return_per_pound == Range(Decimal("1.67"), Decimal("0.67"), Decimal("2.67"))


def test_ledger_defaults_leave_every_saving_to_the_nhs_and_none_of_it_cash():
    result = ledger(
        10, 5, 15,
        cost_per_admission=NCC_COST_PER_ADMISSION,
        council_share=Decimal("0"),
        cashable_share=Decimal("0"),
        costs={},
    )  # fmt: skip

    nhs, council = result.payers
    assert nhs.not_cashable.central == Decimal("25954.30")
    assert result.cashable == Range(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert council.gross.central == 0
    assert result.return_per_pound is None


def test_ledger_rounds_each_figure_to_the_penny_once():
    # 1/3 of an admission at £100: £33.33, never £33.333...
    result = ledger(
        Decimal("0.3333333"), Decimal("0"), Decimal("1"),
        cost_per_admission=Decimal("100"),
        council_share=Decimal("0.5"),
        cashable_share=Decimal("0.5"),
        costs={COUNCIL: Decimal("10")},
    )  # fmt: skip

    assert result.gross.central == Decimal("33.33")
    halves = [line.gross.central for line in result.payers]
    assert sum(halves) == Decimal("33.33")
    assert sorted(halves) == [Decimal("16.66"), Decimal("16.67")]


def test_ledger_shows_a_harmful_programme_as_negative_savings():
    result = ledger(
        -20, -35, -5,
        cost_per_admission=Decimal("1000"),
        council_share=Decimal("0"),
        cashable_share=Decimal("0"),
        costs={NHS: Decimal("1000")},
    )  # fmt: skip

    assert result.gross.central == Decimal("-20000.00")
    assert result.net.upper == Decimal("-6000.00")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((10, 12, 15), "within its interval"),
        ((float("nan"), 1, 2), "must be a number"),
        ((10, 5, float("inf")), "must be a number"),
    ],
)
def test_ledger_refuses_figures_it_cannot_cost(arguments, message):
    with pytest.raises(ValueError, match=message):
        ledger(
            *arguments,
            cost_per_admission=Decimal("100"),
            council_share=Decimal("0"),
            cashable_share=Decimal("0"),
            costs={},
        )


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"cost_per_admission": Decimal("0")}, "must be above £0"),
        ({"council_share": Decimal("1.2")}, "between 0 and 1"),
        ({"cashable_share": Decimal("-0.1")}, "between 0 and 1"),
        ({"costs": {"charity": Decimal("5")}}, "NHS or the council"),
        ({"costs": {NHS: Decimal("-5")}}, "cannot be negative"),
    ],
)
def test_ledger_refuses_settings_out_of_range(changed, message):
    arguments = {
        "cost_per_admission": Decimal("100"),
        "council_share": Decimal("0"),
        "cashable_share": Decimal("0"),
        "costs": {},
    } | changed
    with pytest.raises(ValueError, match=message):
        ledger(10, 5, 15, **arguments)


money = st.decimals(min_value=0, max_value=10**7, places=2)
shares = st.decimals(min_value=0, max_value=1, places=3)


@given(
    figures=st.lists(
        st.floats(min_value=-10_000, max_value=10_000, allow_nan=False), min_size=3, max_size=3
    ),
    cost_per_admission=st.decimals(min_value=Decimal("0.01"), max_value=10**5, places=2),
    council_share=shares,
    cashable_share=shares,
    nhs_costs=money,
    council_costs=money,
)
def test_ledger_parts_always_add_up_to_the_totals(
    figures, cost_per_admission, council_share, cashable_share, nhs_costs, council_costs
):
    lower, avoided, upper = sorted(figures)

    result = ledger(
        avoided, lower, upper,
        cost_per_admission=cost_per_admission,
        council_share=council_share,
        cashable_share=cashable_share,
        costs={NHS: nhs_costs, COUNCIL: council_costs},
    )  # fmt: skip

    ranges = [result.gross, result.net, result.cashable, result.not_cashable]
    for line in result.payers:
        ranges += [line.gross, line.cashable, line.not_cashable, line.net]
        # Each payer's saving is its cash and its capacity freed, to the penny.
        assert line.cashable + line.not_cashable == line.gross
        assert line.net == line.gross.minus(line.costs)
    for figures_ in ranges:
        assert figures_.lower <= figures_.central <= figures_.upper
        assert all(figure == figure.quantize(PENNY) for figure in figures_)
    nhs, council = result.payers
    assert nhs.gross + council.gross == result.gross
    assert result.cashable + result.not_cashable == result.gross
    assert nhs.net + council.net == result.net
    assert result.costs == nhs_costs + council_costs
    assert result.net == result.gross.minus(result.costs)
    if result.costs:
        assert result.return_per_pound.lower <= result.return_per_pound.upper
    else:
        assert result.return_per_pound is None


# --- How the pages say it ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "words"),
    [
        ((0.82, 0.74, 0.91), "18% fewer emergency admissions (between 9% and 26% fewer)"),
        ((1.1, 1.02, 1.2), "10% more emergency admissions (between 2% and 20% more)"),
        ((0.97, 0.88, 1.07), "3% fewer emergency admissions (between 12% fewer and 7% more, "
                             "so no change at all cannot be ruled out)"),
        ((1.0, 0.9, 1.1), "no change in emergency admissions (between 10% fewer and 10% more, "
                          "so no change at all cannot be ruled out)"),
    ],
)  # fmt: skip
def test_a_relative_risk_in_words_a_councillor_reads(figures, words):
    from thedeal.insight.ledger_views import change_in_words

    assert change_in_words(*figures) == words


@pytest.mark.parametrize(
    "balance",
    [
        [{"characteristic": "risk_score", "before": 0.4, "after": 0.05}],
        [{"variable": "risk_score", "smd_before": 0.4, "smd_after": 0.05}],
        {"risk_score": {"before": 0.4, "after": 0.05}},
    ],
)
def test_the_balance_table_reads_each_shape_the_evaluation_may_give(balance):
    from thedeal.insight.ledger_views import balance_rows

    assert balance_rows(balance) == [
        {"characteristic": "risk score", "before": 0.4, "after": 0.05, "balanced": True}
    ]


def test_a_balance_given_after_matching_only_is_judged_by_it():
    from thedeal.insight.ledger_views import balance_rows

    (row,) = balance_rows({"age": 0.12})

    assert (row["before"], row["after"], row["balanced"]) == (None, 0.12, False)


def test_estimates_leave_out_an_analysis_without_figures_and_keep_the_order():
    from thedeal.insight.ledger_views import estimates

    figures = {"relative_risk": 0.9, "lower": 0.8, "upper": 1.0, "estimand": "on_treated"}
    result = {"naive": figures, "primary": figures | {"estimand": "intention_to_treat"},
              "matched": {"relative_risk": None}, "interrupted_time_series": "failed"}  # fmt: skip

    rows = estimates(result)

    assert [r["key"] for r in rows] == ["primary", "naive"]
    assert rows[0]["primary"] and rows[0]["avoided"] is None


def test_the_intervals_chart_marks_no_effect_and_names_its_table():
    from thedeal.insight.ledger_charts import interval_chart

    svg = interval_chart(
        [("Primary", 0.8, 0.7, 0.9, True), ("Naive", 0.5, 0.4, 0.6, False)],
        title="Relative risks",
        chart_id="c",
    )

    assert svg.startswith('<svg class="deal-chart"') and 'role="img"' in svg
    assert '<title id="c-title">Relative risks</title>' in svg
    assert "table beside the chart" in svg
    assert 'stroke-dasharray="6 4"' in svg  # the line at 1
    assert "style=" not in svg
    assert interval_chart([], title="x", chart_id="c") == ""

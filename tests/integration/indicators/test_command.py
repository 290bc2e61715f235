"""`thedeal indicators METHOD INPUT.csv ... --output OUT.csv`, as an analyst runs it."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REFERENCE = Path(__file__).parents[2] / "fixtures" / "phe-methods"


def run(*args):
    call_command("indicators", *[str(a) for a in args])


def test_dsr_from_a_csv_gives_the_reference_figures(tmp_path):
    out = tmp_path / "dsr.csv"
    run("dsr", REFERENCE / "dsr_input.csv", "--x", "count", "--n", "pop", "--age-band", "ageband",
        "--group-by", "area", "--confidence", "0.95,0.998", "--output", out)  # fmt: skip
    result = pd.read_csv(out)
    expected = pd.read_csv(REFERENCE / "dsr_results.csv").query("multiplier == 100000").head(3)
    assert result.columns.tolist()[:4] == ["area", "total_count", "total_pop", "value"]
    np.testing.assert_allclose(result["value"], expected["value"], rtol=1e-9)
    assert result["statistic"].tolist()[-1] == "dsr NA for total count < 10"


def test_options_reach_the_method(tmp_path):
    out = tmp_path / "rates.csv"
    source = tmp_path / "rates.csv.in"
    pd.DataFrame({"ward": ["A", "A", "B"], "events": [3, 4, 20], "people": [100, 100, 400]}).to_csv(
        source, index=False
    )
    run("rate", source, "--x", "events", "--n", "people", "--group-by", "ward", "--multiplier",
        "1000", "--confidence", "99.8", "--type", "standard", "-o", out)  # fmt: skip
    result = pd.read_csv(out)
    assert result.columns.tolist() == ["ward", "events", "people", "value", "lowercl", "uppercl"]
    assert result["value"].tolist() == [35.0, 50.0]


def write(tmp_path, rows, name="input.csv"):
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("rows", "flags", "message"),
    [
        # Row numbers count the header as row 1, as a spreadsheet shows them.
        ({"x": [1, -2], "n": [10, 10]}, [], "row 3, column 'x': numerators must be greater than"),
        ({"x": [1, "lots"], "n": [10, 10]}, [], "row 3, column 'x': field x must be numeric"),
        ({"x": [1, 12], "n": [10, 10]}, [], "row 3, column 'x': numerators must be less than or"),
        ({"x": [1, 2], "n": [10, 0]}, [], "row 3, column 'n': denominators must be greater"),
        ({"x": [1, 2], "denominator": [10, 20]}, [], "column 'n': field 'n' is not a column"),
        ({"x": [1, 2], "n": [10, 20]}, ["--confidence", "0.8"], "confidence level must be"),
    ],
)
def test_bad_input_is_refused_with_the_file_row_and_column(tmp_path, rows, flags, message):
    source = write(tmp_path, rows)
    with pytest.raises(CommandError) as error:
        run("proportion", source, "--x", "x", "--n", "n", *flags, "-o", tmp_path / "out.csv")
    assert str(error.value).startswith(str(source))
    assert message in str(error.value)
    assert not (tmp_path / "out.csv").exists()


def life_table(area, bands=20):
    ages = [0, 1, *range(5, 95, 5)][:bands]
    return pd.DataFrame({"area": area, "age": ages, "deaths": 10, "population": 5000})


def test_a_life_table_with_the_wrong_number_of_bands_names_the_area(tmp_path):
    source = tmp_path / "le.csv"
    pd.concat([life_table("Wigan"), life_table("Leigh", bands=19)]).to_csv(source, index=False)
    with pytest.raises(CommandError, match=r"row 22, column 'age': area=Leigh has 19 age bands"):
        run("life-expectancy", source, "--deaths", "deaths", "--population", "population",
            "--start-age", "age", "--group-by", "area", "-o", tmp_path / "out.csv")  # fmt: skip


def test_a_life_table_with_more_deaths_than_people_is_refused(tmp_path):
    source = tmp_path / "le.csv"
    table = life_table("Wigan")
    table.loc[3, "deaths"] = 6000
    table.to_csv(source, index=False)
    with pytest.raises(CommandError, match="row 5, column 'deaths': deaths are more than"):
        run("life_expectancy", source, "--deaths", "deaths", "--population", "population",
            "--start-age", "age", "-o", tmp_path / "out.csv")  # fmt: skip


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("mean", tmp_path / "nothing.csv", "--values", "v", "-o", tmp_path / "out.csv")


def test_life_expectancy_from_a_csv(tmp_path):
    source, out = tmp_path / "le.csv", tmp_path / "out.csv"
    tables = pd.concat([life_table("Wigan"), life_table("Leigh")])
    tables["deaths"] = np.tile(np.linspace(5, 900, 20).round(), 2)
    tables.to_csv(source, index=False)
    run("life-expectancy", source, "--deaths", "deaths", "--population", "population",
        "--start-age", "age", "--group-by", "area", "--le-age", "0,65", "-o", out)  # fmt: skip
    result = pd.read_csv(out)
    assert result.columns.tolist()[:5] == ["area", "start_age", "value", "lowercl", "uppercl"]
    assert result["start_age"].tolist() == [0, 65, 0, 65]
    assert (result["lowercl"] < result["value"]).all() and (
        result["value"] < result["uppercl"]
    ).all()


def small_areas(tmp_path):
    rng = np.random.default_rng(3)
    areas = pd.DataFrame({"area": [f"E0{i}" for i in range(30)],
                          "events": rng.integers(5, 80, 30), "people": rng.integers(500, 5000, 30)})  # fmt: skip
    areas["rate"] = areas["events"] / areas["people"] * 100_000
    areas["expected"] = areas["events"] * rng.uniform(0.8, 1.2, 30)
    return write(tmp_path, areas, "areas.csv")


def deciles(tmp_path):
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"area": np.repeat(["Wigan", "Leigh"], 10), "decile": np.tile(range(1, 11), 2),
                          "people": rng.integers(500, 2000, 20), "value": 60 - np.tile(range(10), 2),
                          "se": 1.0})  # fmt: skip
    return write(tmp_path, frame, "deciles.csv")


@pytest.mark.parametrize(
    ("method", "source", "flags", "columns"),
    [
        ("funnel-limits", small_areas,
         ["--numerator", "events", "--denominator", "people", "--statistic", "proportion",
          "--multiplier", "100"], ["Population", "lower_2s_limit", "upper_2s_limit"]),
        ("funnel-significance", small_areas,
         ["--numerator", "events", "--denominator", "expected", "--statistic", "ratio",
          "--ratio-type", "count", "--multiplier", "1"], ["area", "events", "significance"]),
        ("funnel-points", small_areas,
         ["--numerator", "events", "--denominator", "people", "--rate", "rate", "--statistic", "rate",
          "--rate-type", "dsr", "--multiplier", "100000", "--years-of-data", "3"],
         ["area", "rate_chart", "denominator_derived"]),
        ("quantiles", small_areas, ["--values", "rate", "--nquantiles", "5", "--invert", "no"],
         ["area", "quantile", "nquantiles", "groupvars", "qinverted"]),
        ("sii", deciles,
         ["--quantile", "decile", "--population", "people", "--value", "value", "--se", "se",
          "--group-by", "area", "--repetitions", "1000", "--seed", "1", "--rii", "yes"],
         ["area", "sii", "rii", "sii_lower95_0cl", "sii_upper95_0cl"]),
    ],
)  # fmt: skip
def test_each_method_runs_from_the_command_line(tmp_path, method, source, flags, columns):
    out = tmp_path / "out.csv"
    run(method, source(tmp_path), *flags, "-o", out)
    result = pd.read_csv(out)
    assert [c for c in result.columns if c in columns] == columns
    assert len(result) > 0


def test_healthy_life_expectancy_from_a_csv(tmp_path):
    source, out = tmp_path / "hle.csv", tmp_path / "out.csv"
    table = life_table("Wigan").assign(deaths=np.linspace(5, 900, 20).round(), healthy=0.8, n=300)
    table.to_csv(source, index=False)
    run("healthy-life-expectancy", source, "--deaths", "deaths", "--population", "population",
        "--start-age", "age", "--prevalence", "healthy", "--prevalence-n", "n", "--le-age", "0",
        "-o", out)  # fmt: skip
    result = pd.read_csv(out)
    assert result["value"].iloc[0] < result["life_expectancy"].iloc[0]

"""What the methods accept: pandas or Polars frames, and the package's ways of saying things."""

from pathlib import Path

import pandas as pd
import polars
import pytest

import thedeal.indicators as indicators
from thedeal.indicators import IndicatorInputError

REFERENCE = Path(__file__).parents[2] / "fixtures" / "phe-methods"


@pytest.mark.parametrize(
    ("method", "file", "arguments"),
    [
        (indicators.dsr, "dsr_input.csv", {"x": "count", "n": "pop", "age_band": "ageband"}),
        (indicators.israte, "isr_input.csv",
         {"x": "count", "n": "pop", "x_ref": "refcount", "n_ref": "refpop"}),
        (indicators.rate, "isr_input.csv", {"x": "count", "n": "pop"}),
        (indicators.proportion, "isr_input.csv", {"x": "count", "n": "pop"}),
        (indicators.mean, "mean_input.csv", {"values": "value"}),
    ],
)  # fmt: skip
def test_a_polars_frame_gives_the_same_result_as_pandas(method, file, arguments):
    data = pd.read_csv(REFERENCE / file)
    expected = method(data, **arguments, group_by="area")
    actual = method(polars.read_csv(REFERENCE / file), **arguments, group_by="area")
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False)


def test_the_methods_do_not_change_the_frame_they_are_given():
    data = pd.read_csv(REFERENCE / "dsr_input.csv")
    before = data.copy()
    indicators.dsr(data, "count", "pop", age_band="ageband", group_by="area")
    indicators.rate(data, "count", "pop")
    indicators.quantiles(data, "count", nquantiles=4)
    pd.testing.assert_frame_equal(data, before)


def test_importing_the_methods_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, thedeal.indicators; print('django' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("group_by", ["region", ["area", "region"]])
def test_a_group_column_that_does_not_exist_is_named(group_by):
    data = pd.read_csv(REFERENCE / "dsr_input.csv")
    with pytest.raises(IndicatorInputError, match="'region' is not a column") as error:
        indicators.rate(data, "count", "pop", group_by=group_by)
    assert error.value.column == "region"


def test_not_a_data_frame():
    with pytest.raises(IndicatorInputError, match="must be a pandas or Polars DataFrame"):
        indicators.rate([[1, 2]], "count", "pop")

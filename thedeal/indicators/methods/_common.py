"""What every indicator method shares: confidence levels, output types, groups and input checks.

The conventions are PHEindicatormethods' (see METHODS.md, section 0), so that an analyst who knows
the R package recognises every argument and every output column.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

OUTPUT_TYPES = ("value", "lower", "upper", "standard", "full")
METADATA = ("confidence", "statistic", "method")


class IndicatorInputError(ValueError):
    """Input that a method cannot use. The message starts with the R package's own wording.

    `column` and `row` (the 0-based position in the input frame) say where, when one place is to
    blame, so that the command line can name the file's row and column.
    """

    def __init__(self, message: str, *, column: str | None = None, row: int | None = None):
        self.reason = message
        self.column = column
        self.row = row
        where = []
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row + 1}")
        super().__init__(f"{message} ({', '.join(where)})" if where else message)


class IndicatorWarning(UserWarning):
    """Something an analyst should know about the result, as the R package warns (e.g. groups
    left out or suppressed). Raised with warnings.warn, never printed."""


class Levels:
    """The confidence levels asked for: none, one (0.9 to 1), or exactly 95% and 99.8%."""

    def __init__(self, confidence):
        if confidence is None:
            values: tuple[float, ...] = ()
        elif isinstance(confidence, (int, float, np.number)):
            values = () if math.isnan(confidence) else (float(confidence),)
        else:
            values = tuple(float(c) for c in confidence)
        if len(values) > 2:
            raise IndicatorInputError("a maximum of two confidence levels can be provided")
        if len(values) == 2:
            if values not in ((0.95, 0.998), (95.0, 99.8)):
                raise IndicatorInputError(
                    "two confidence levels can only be produced if they are specified as 0.95 and 0.998"
                )
            values = (0.95, 0.998)
        elif values:
            (c,) = values
            if c < 0.9 or 1 < c < 90 or c > 100:
                raise IndicatorInputError(
                    "confidence level must be between 90 and 100 or between 0.9 and 1"
                )
            values = (c / 100 if c >= 90 else c,)
        self.values = values

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)

    def __bool__(self):
        return bool(self.values)

    def columns(self) -> list[tuple[float, str, str]]:
        """(level, lower column, upper column) for each level, named as the R package names them."""
        if len(self.values) == 1:
            return [(self.values[0], "lowercl", "uppercl")]
        return [(c, f"lower{_level_tag(c)}cl", f"upper{_level_tag(c)}cl") for c in self.values]

    @property
    def lower_columns(self) -> list[str]:
        return [lower for _, lower, _ in self.columns()]

    @property
    def upper_columns(self) -> list[str]:
        return [upper for _, _, upper in self.columns()]

    @property
    def label(self) -> str:
        """'95%', or '95%, 99.8%' for two levels."""
        return ", ".join(f"{format_number(c * 100)}%" for c in self.values)


def _level_tag(c: float) -> str:
    whole, _, tenths = f"{c * 100:.1f}".partition(".")
    return f"{whole}_{tenths}"


def format_number(x: float) -> str:
    """A number as R's paste() and format(scientific = FALSE) show it: 95, 99.8, 100000."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.15g}"


def r_character(x: float) -> str:
    """A number as R's paste() shows it (as.character): 1, 1000, but 1e+05 for 100000.

    R writes a number in scientific notation when that is shorter than fixed notation; the
    proportion's statistic label ("proportion of 1e+05") inherits this.
    """
    fixed = format_number(x)
    mantissa, _, exponent = f"{x:.14e}".partition("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = int(exponent)
    scientific = f"{mantissa}e{'-' if power < 0 else '+'}{abs(power):02d}"
    return fixed if len(fixed) <= len(scientific) else scientific


def check_type(type: str) -> None:
    if type not in OUTPUT_TYPES:
        raise IndicatorInputError("type must be one of value, lower, upper, standard or full")


def as_pandas(df) -> pd.DataFrame:
    """pandas frames pass through; Polars (or anything with to_pandas) is converted."""
    if isinstance(df, pd.DataFrame):
        return df
    if type(df).__module__.startswith("polars"):
        # Column by column through NumPy: Polars' own to_pandas needs pyarrow, which we don't.
        return pd.DataFrame({name: df.get_column(name).to_numpy() for name in df.columns})
    if hasattr(df, "to_pandas"):
        return df.to_pandas()
    raise IndicatorInputError("data must be a pandas or Polars DataFrame")


def group_columns(df: pd.DataFrame, group_by) -> list[str]:
    if group_by is None:
        return []
    columns = [group_by] if isinstance(group_by, str) else list(group_by)
    for column in columns:
        require_column(df, column)
    return columns


def require_column(df: pd.DataFrame, column, *, role: str = "field") -> None:
    if not isinstance(column, str) or column not in df.columns:
        raise IndicatorInputError(f"{role} {column!r} is not a column of the data", column=column)


def numeric(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats (missing values as NaN), refusing text that is not a number."""
    require_column(df, column)
    series = df[column]
    if pd.api.types.is_bool_dtype(series) or not (
        pd.api.types.is_numeric_dtype(series) or series.dtype == object
    ):
        raise IndicatorInputError(f"field {column} must be numeric", column=column)
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() & series.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise IndicatorInputError(f"field {column} must be numeric", column=column, row=row)
    return values.to_numpy(dtype=float)


def refuse(mask: np.ndarray, message: str, column: str) -> None:
    """Raise `message` naming the first row where `mask` holds (NaN comparisons are False)."""
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        raise IndicatorInputError(message, column=column, row=int(np.flatnonzero(mask)[0]))


class Groups:
    """Rows split by the group columns, in the order dplyr would give them (sorted keys).

    `codes[i]` is row i's group; `keys` is a frame of the group columns, one row a group. With no
    group columns every row is in one group and `keys` has one row and no columns.
    """

    def __init__(self, df: pd.DataFrame, columns: Sequence[str]):
        self.columns = list(columns)
        if self.columns:
            # Missing keys are a group of their own, as in dplyr (and sorted last).
            grouped = df.groupby(self.columns, sort=True, dropna=False, observed=True)
            self.codes = grouped.ngroup().to_numpy()
            _, first = np.unique(self.codes, return_index=True)
            self.keys = df[self.columns].iloc[first].reset_index(drop=True)
        else:
            self.codes = np.zeros(len(df), dtype=np.intp)
            self.keys = pd.DataFrame(index=range(1 if len(df) else 0))
        self.count = len(self.keys)

    def sum(self, values: np.ndarray, *, skipna: bool = False) -> np.ndarray:
        """Sum within each group; with skipna=False a group with a missing value sums to NaN."""
        if skipna:
            values = np.where(np.isnan(values), 0.0, values)
        return np.bincount(self.codes, weights=values, minlength=self.count)

    def size(self) -> np.ndarray:
        return np.bincount(self.codes, minlength=self.count)

    def frame(self, **columns) -> pd.DataFrame:
        """The group keys followed by the given per-group columns."""
        out = self.keys.copy()
        for name, values in columns.items():
            out[name] = values
        return out


def shape_output(
    out: pd.DataFrame,
    *,
    levels: Levels,
    type: str,
    extra: Sequence[str] = (),
) -> pd.DataFrame:
    """Drop the columns that `type` leaves out, as the R package does.

    "standard" drops the metadata; "value", "lower" and "upper" keep only the inputs (or group
    columns) and that statistic, also dropping computed extras such as total_count.
    """
    drop: list[str] = []
    if type == "standard":
        drop = list(METADATA)
    elif type in ("value", "lower", "upper"):
        keep = {
            "value": ["value"],
            "lower": levels.lower_columns,
            "upper": levels.upper_columns,
        }[type]
        stats = ["value", *levels.lower_columns, *levels.upper_columns]
        drop = [c for c in stats if c not in keep] + list(METADATA) + list(extra)
    return out.drop(columns=[c for c in drop if c in out.columns])

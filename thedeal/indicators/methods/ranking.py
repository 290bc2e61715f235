"""Quantiles of small areas within larger ones, as PHE assigns them (phe_quantile): METHODS.md 6."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._common import (
    Groups,
    IndicatorInputError,
    IndicatorWarning,
    as_pandas,
    check_type,
    group_columns,
    numeric,
    require_column,
)

TOO_FEW = "One or more groups had too few small areas with values to allow quantiles to be assigned"


def quantiles(df, values, *, group_by=None, nquantiles=10, invert=True, type="full"):
    """The quantile of each row's value within its group (deciles by default).

    `invert=True` (the default) puts the highest values in quantile 1, as for indicators where a
    low value is good; `invert` may also name a column, which must be the same within a group.
    A group with fewer values than quantiles gets none, with a warning. "standard" output has
    only `quantile`; "full" adds `nquantiles`, `groupvars` and `qinverted`.
    """
    df = as_pandas(df)
    if type not in ("standard", "full"):
        check_type(type)
    if not isinstance(nquantiles, (int, np.integer)) or isinstance(nquantiles, bool):
        raise IndicatorInputError("nquantiles must be a whole number")
    columns = group_columns(df, group_by)
    groups = Groups(df, columns)
    require_column(df, values)
    if pd.api.types.is_bool_dtype(df[values]) or not pd.api.types.is_numeric_dtype(df[values]):
        raise IndicatorInputError(
            "values argument must be a numeric field from data", column=values
        )
    observed = numeric(df, values)
    inverted = _inverted(df, invert, groups)

    present = ~np.isnan(observed)
    count = np.bincount(groups.codes, weights=present, minlength=groups.count)[groups.codes]
    # Ranking the negated values puts the highest value first (rank 1), with ties at their lowest.
    adjusted = np.where(inverted, -observed, observed)
    rank = pd.Series(adjusted).groupby(groups.codes).rank(method="min", na_option="keep").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        quantile = np.floor((nquantiles + 1) - np.ceil((count + 1 - rank) / (count / nquantiles)))
    quantile = np.where(quantile == 0, 1, quantile)
    too_few = count < nquantiles
    quantile[too_few] = np.nan
    if (too_few & present).any():
        warnings.warn(TOO_FEW, IndicatorWarning, stacklevel=2)

    out = df.copy()
    out["quantile"] = pd.array(quantile, dtype="Int64") if len(quantile) else []
    if type == "full":
        out["nquantiles"] = nquantiles
        out["groupvars"] = ", ".join(columns)
        out["qinverted"] = np.where(
            inverted,
            "lowest quantile represents highest values",
            "lowest quantile represents lowest values",
        )
    return out


def _inverted(df: pd.DataFrame, invert, groups: Groups) -> np.ndarray:
    if isinstance(invert, (bool, np.bool_)):
        return np.full(len(df), bool(invert))
    if not isinstance(invert, str):
        raise IndicatorInputError(
            "invert must be True, False or the name of a column holding True or False"
        )
    if invert not in df.columns:
        raise IndicatorInputError("invert is not a field name from data", column=invert)
    flags = df[invert]
    if not pd.api.types.is_bool_dtype(flags):
        text = flags.astype(str).str.upper().map({"TRUE": True, "FALSE": False})
        if text.isna().any():
            row = int(np.flatnonzero(text.isna().to_numpy())[0])
            raise IndicatorInputError(
                "invert field values must be TRUE or FALSE", column=invert, row=row
            )
        flags = text
    flags = flags.to_numpy(dtype=bool)
    per_group = pd.Series(flags).groupby(groups.codes).nunique()
    if (per_group > 1).any():
        raise IndicatorInputError(
            "invert field values must take the same logical value for each data grouping set",
            column=invert,
        )
    return flags

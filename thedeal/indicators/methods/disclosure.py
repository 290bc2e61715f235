"""Statistical disclosure control: what every published table goes through before anyone sees it.

The platform's rule is "small numbers (1 to 7) suppressed in anything published". This module
applies it the way UK official statistics do (ONS and NHS England small-number suppression;
OpenSAFELY's redaction of counts of 7 or fewer and rounding to the nearest 5):

1. **Primary suppression.** A count from 1 to `threshold` (7) is replaced by missing (`<NA>`) and
   its note column says why ("suppressed: fewer than 8"). A true zero is published by default:
   it describes nobody. `keep_zero=False` suppresses zeros as well.
2. **Calculated values.** Rates, proportions and confidence limits computed from a suppressed
   count are suppressed with it, because they give the count back (rate x population). Optionally
   they are also suppressed where their denominator is small or suppressed.
3. **Secondary (complementary) suppression.** Cells that add up to a published total (the wards
   of a borough, the categories of a breakdown) are protected together: see
   `suppress_to_protect_totals` for the rule.
4. **Rounding** to a base (5 or 10), each figure on its own, totals included.

`publishable` applies the platform's default policy in one call; web pages and CSV downloads use
it and nothing else. Every function returns a new frame and never changes the one passed in.

Each count column gets a note column beside it, named `<count>_note` (see `note_column`): missing
where the count and its calculated values are published, otherwise the reason, which a page can
show as a footnote. Counts come back as pandas' nullable integers ("Int64"), so a CSV download
shows a blank, never "3.0" or "nan".

Pure pandas and NumPy, no Django, so analysts can use it in a notebook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._common import IndicatorInputError, as_pandas

# The largest count that is suppressed: counts 1 to 7 are never published.
SMALL_COUNT_THRESHOLD = 7
NOTE_SUFFIX = "_note"

PROTECTS_REASON = "suppressed: so the total cannot reveal a small number"
TOTAL_REASON = "suppressed: the total would reveal a small number"
DENOMINATOR_SUPPRESSED_REASON = "calculated values suppressed: denominator suppressed"


def small_count_reason(threshold: int = SMALL_COUNT_THRESHOLD) -> str:
    """The note on a count suppressed for being small: "suppressed: fewer than 8"."""
    return f"suppressed: fewer than {threshold + 1}"


def small_denominator_reason(threshold: int = SMALL_COUNT_THRESHOLD) -> str:
    """The note on a published count whose rate is suppressed because its denominator is small."""
    return f"calculated values suppressed: denominator fewer than {threshold + 1}"


def note_column(count_column: str) -> str:
    """The name of the column that says why `count_column` (or its rates) is suppressed."""
    return f"{count_column}{NOTE_SUFFIX}"


# --- The functions a publishing pipeline calls ----------------------------------------------------


def publishable(
    df: pd.DataFrame,
    count_columns: str | Sequence[str],
    *,
    derived: Mapping[str, str | Sequence[str]] | None = None,
    denominators: Mapping[str, str] | None = None,
    group_by: str | Sequence[str] | None = None,
    total_rows: str | None = None,
    protect_totals: bool = True,
    threshold: int = SMALL_COUNT_THRESHOLD,
    keep_zero: bool = True,
    rounding: int | None = None,
) -> pd.DataFrame:
    """The table as it may be published, under the platform's default disclosure policy.

    In order:

    1. counts from 1 to `threshold` are suppressed (zeros too if `keep_zero=False`);
    2. unless `protect_totals=False`, more cells are suppressed so that no group's total reveals
       a suppressed count (`suppress_to_protect_totals`). The rows of each `group_by` group are
       taken to add up to a total that is published somewhere; with no `group_by` the whole table
       is one group. Pass `protect_totals=False` only when the rows add up to nothing anyone
       publishes (a time series of one ward, say);
    3. the calculated values named in `derived` are suppressed wherever their count is, and where
       the count's denominator (`denominators`) is small or suppressed (`suppress_derived_values`);
    4. if `rounding` is given (5 or 10), the published counts are rounded to it, each figure on
       its own (`round_counts`). No rounding by default.

    `derived` maps each count column to the columns calculated from it, e.g.
    `{"deaths": ["value", "lowercl", "uppercl"]}`. `denominators` maps a count column to its
    denominator column, e.g. `{"deaths": "population"}`. `total_rows` names a True/False column
    that is True on each group's total row, if the table carries its totals.

    If you round, calculate rates from the rounded counts: a rate calculated from the true count
    gives the true count back.

    Returns a new frame; `df` is not changed. Polars frames are accepted (a pandas frame comes
    back).
    """
    df = as_pandas(df)
    counts = _column_list(count_columns, role="count column")
    out = _suppress(
        df,
        counts,
        threshold=threshold,
        keep_zero=keep_zero,
        group_by=group_by if protect_totals else None,
        protect=protect_totals,
        total_rows=total_rows,
        suppress_unprotected_totals=True,
    )
    if derived or denominators:
        out = suppress_derived_values(
            out, derived or {}, denominators=denominators, threshold=threshold
        )
    if rounding is not None:
        out = round_counts(out, counts, base=rounding)
    return out


def suppress_small_counts(
    df: pd.DataFrame,
    count_columns: str | Sequence[str],
    *,
    threshold: int = SMALL_COUNT_THRESHOLD,
    keep_zero: bool = True,
) -> pd.DataFrame:
    """Primary suppression: counts from 1 to `threshold` become missing, with a note why.

    With the default `threshold=7`, counts 1 to 7 are suppressed and their note column reads
    "suppressed: fewer than 8". Zeros are published unless `keep_zero=False`: a true zero
    describes nobody. `threshold=0` suppresses nothing (or only zeros, with `keep_zero=False`).

    Counts already missing in `df` stay missing with no note: there was nothing to publish.

    This alone does not protect totals: if the rows add up to a published figure, use
    `suppress_to_protect_totals` (or `publishable`) instead.
    """
    df = as_pandas(df)
    return _suppress(
        df,
        _column_list(count_columns, role="count column"),
        threshold=threshold,
        keep_zero=keep_zero,
        group_by=None,
        protect=False,
        total_rows=None,
        suppress_unprotected_totals=False,
    )


def suppress_to_protect_totals(
    df: pd.DataFrame,
    count_columns: str | Sequence[str],
    *,
    group_by: str | Sequence[str] | None = None,
    total_rows: str | None = None,
    threshold: int = SMALL_COUNT_THRESHOLD,
    keep_zero: bool = True,
    suppress_unprotected_totals: bool = True,
) -> pd.DataFrame:
    """Primary and secondary suppression, so that no published total reveals a suppressed count.

    `df` holds the true counts (not an already-suppressed table: the rule needs the values). The
    rows sharing the values of the `group_by` columns are the cells of one group, taken to add
    up to a total that is published (in this table or elsewhere); with no `group_by` the whole
    table is one group. Each count column is protected on its own.

    The rule, for each group and each count column: if any cell is suppressed, then

    * at least two cells are suppressed, so the total minus the published cells does not give
      one cell's value; and
    * the suppressed cells add up to more than `threshold`, so the total minus the published
      cells is not itself a small number.

    While a group breaks the rule, its smallest published non-zero cell is suppressed as well
    (note: "suppressed: so the total cannot reveal a small number"). Ties go to the cell nearer
    the top of the table, so the same table always gives the same result. Zeros are never
    suppressed to protect another cell: hiding a zero adds nothing to the hidden total. Because
    every published non-zero cell is bigger than `threshold`, one extra cell per group is always
    enough when the group has one to give.

    A group that cannot be protected (one cell only, or all its cells together `threshold` or
    fewer) has all its non-zero cells suppressed; if `total_rows` is given, its total row is
    then suppressed too (unless `suppress_unprotected_totals=False`; note: "suppressed: the total
    would reveal a small number").

    `total_rows` names a True/False column that is True on a group's total row (at most one per
    group). A total row is not a cell of its group: it is suppressed only if it is small itself
    or its group cannot be protected. If a group's total is published somewhere else, put it in
    the table as a total row, so that it is suppressed when it has to be.

    Cells already missing in `df` are neither protected nor used to protect: their values are
    unknown.

    Protection is for one level of totals: wards within boroughs, or the categories of one
    breakdown. A table with totals both ways (a cross-tabulation with row and column totals), or
    totals of totals, needs more than this rule.
    """
    df = as_pandas(df)
    return _suppress(
        df,
        _column_list(count_columns, role="count column"),
        threshold=threshold,
        keep_zero=keep_zero,
        group_by=group_by,
        protect=True,
        total_rows=total_rows,
        suppress_unprotected_totals=suppress_unprotected_totals,
    )


def suppress_derived_values(
    df: pd.DataFrame,
    derived: Mapping[str, str | Sequence[str]],
    *,
    denominators: Mapping[str, str] | None = None,
    threshold: int = SMALL_COUNT_THRESHOLD,
) -> pd.DataFrame:
    """Suppress the values calculated from suppressed counts: rates, proportions, intervals.

    Run on a table already through `suppress_small_counts` or `suppress_to_protect_totals`: each
    count column named here needs its note column. `derived` maps a count column to the columns
    calculated from it, e.g. `{"deaths": ["value", "lowercl", "uppercl"]}`; a column calculated
    from two counts (a ratio) can be listed under both.

    Calculated values are suppressed in every row where the count's note is set: where the count
    was suppressed, and so its rate would give it back.

    `denominators` maps a count column to its denominator column, e.g.
    `{"deaths": "population"}`. Its calculated values are then also suppressed where the
    denominator is `threshold` or fewer (a proportion of 5 people says something about each of
    them), or where the denominator is itself a suppressed count (a count and its rate would give
    the denominator back). The count stays published; its note says "calculated values
    suppressed: ...". A count named only in `denominators` gets the same treatment.
    """
    df = as_pandas(df)
    threshold = _check_threshold(threshold)
    derived_columns = {
        count: _column_list(columns, role="calculated column") for count, columns in derived.items()
    }
    denominators = dict(denominators or {})
    for count in denominators:
        derived_columns.setdefault(count, [])
    for count, columns in derived_columns.items():
        _require(df, count, "count column")
        _require(df, note_column(count), "note column", hint=_NOTE_HINT)
        for column in columns:
            _require(df, column, "calculated column")
            if _is_count_column(df, column):
                raise IndicatorInputError(
                    f"calculated column {column!r} is a count column; counts are suppressed by "
                    "their own rules, not as another count's calculated values",
                    column=column,
                )
    for denominator in denominators.values():
        _require(df, denominator, "denominator column")

    out = df.copy()
    for count, columns in derived_columns.items():
        note = note_column(count)
        notes = out[note].to_numpy(dtype=object, na_value=None)
        if count in denominators:
            denominator = denominators[count]
            small = np.zeros(len(out), dtype=bool)
            if _is_count_column(out, denominator):
                # A suppressed denominator: its own note is set and its value is gone.
                small_by_suppression = out[note_column(denominator)].notna().to_numpy() & (
                    out[denominator].isna().to_numpy()
                )
                _set_where_empty(notes, small_by_suppression, DENOMINATOR_SUPPRESSED_REASON)
                small |= small_by_suppression
            values = _numbers(out, denominator, role="denominator")
            _refuse(out, values < 0, denominator, "denominators cannot be negative", values)
            too_small = values <= threshold
            _set_where_empty(notes, too_small, small_denominator_reason(threshold))
            out[note] = pd.array(notes, dtype="string")
        hidden = out[note].notna().to_numpy()
        for column in columns:
            out[column] = out[column].mask(hidden)
    return out


def round_counts(
    df: pd.DataFrame,
    count_columns: str | Sequence[str],
    *,
    base: int = 5,
) -> pd.DataFrame:
    """Round counts to the nearest multiple of `base` (5 by default; 10 for "nearest 10").

    Halves round up (with base 10, 15 becomes 20 and 5 becomes 10), so the same count always
    rounds the same way. Suppressed (missing) counts stay missing, so this can run after
    suppression, as `publishable(..., rounding=5)` does.

    Every figure is rounded on its own, total rows included: a total is rounded from its true
    value, not added up from rounded cells. The rounded cells then need not add up to the rounded
    total (cells 12, 12, 12 round to 10 each, their total 36 to 35), and that is intended: a
    total made by adding rounded cells is less accurate, and a true total beside rounded cells
    can undo the rounding. For a total published somewhere else, use `round_to_base` on the true
    total.
    """
    df = as_pandas(df)
    base = _check_base(base)
    counts = _column_list(count_columns, role="count column")
    values = {count: _counts(df, count) for count in counts}
    out = df.copy()
    for count, array in values.items():
        out[count] = _as_counts(_round(array, base), out.index)
    return out


def round_to_base(count: int, base: int = 5) -> int:
    """One figure rounded to the nearest multiple of `base`, halves up, as `round_counts` does.

    For a headline total shown on a page: round the true total, not the sum of rounded cells.
    """
    base = _check_base(base)
    is_number = isinstance(count, (int, float, np.integer, np.floating)) and not isinstance(
        count, (bool, np.bool_)
    )
    if not is_number or not float(count).is_integer() or count < 0:
        raise IndicatorInputError(f"a count must be a whole number of 0 or more, not {count!r}")
    return int(_round(np.array([float(count)]), base)[0])


# --- How it is done ---------------------------------------------------------------------------

_NOTE_HINT = "run suppress_small_counts or suppress_to_protect_totals first"


def _suppress(
    df: pd.DataFrame,
    counts: list[str],
    *,
    threshold: int,
    keep_zero: bool,
    group_by: str | Sequence[str] | None,
    protect: bool,
    total_rows: str | None,
    suppress_unprotected_totals: bool,
) -> pd.DataFrame:
    """Primary suppression of every count column, then (if `protect`) secondary suppression."""
    threshold = _check_threshold(threshold)
    # Check everything before building anything, so an error leaves nothing half done.
    values = {count: _counts(df, count) for count in counts}
    for count in counts:
        if note_column(count) in df.columns:
            raise IndicatorInputError(
                f"the table already has a column {note_column(count)!r}: it looks already "
                "suppressed, and suppression needs the true counts",
                column=note_column(count),
            )
    groups = _group_columns(df, group_by) if protect else []
    is_total = _total_flags(df, total_rows) if protect else np.zeros(len(df), dtype=bool)
    codes = _group_codes(df, groups)
    if protect:
        _one_total_per_group(df, codes, is_total, total_rows)

    out = df.copy()
    for count in counts:
        array = values[count]
        smallest = 1 if keep_zero else 0
        small = (array >= smallest) & (array <= threshold)
        notes = np.full(len(df), None, dtype=object)
        notes[small] = small_count_reason(threshold)
        hidden = small.copy()
        if protect:
            protects, unprotected = _protect_totals(array, small, codes, ~is_total, threshold)
            notes[protects] = PROTECTS_REASON
            hidden |= protects
            if suppress_unprotected_totals:
                total_hidden = is_total & unprotected[codes] & ~hidden
                notes[total_hidden] = TOTAL_REASON
                hidden |= total_hidden
        out[count] = _as_counts(np.where(hidden, np.nan, array), out.index)
        out.insert(
            out.columns.get_loc(count) + 1,
            note_column(count),
            pd.array(notes, dtype="string"),
        )
    return out


def _protect_totals(
    values: np.ndarray,
    small: np.ndarray,
    codes: np.ndarray,
    is_cell: np.ndarray,
    threshold: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Secondary suppression within groups: (cells suppressed to protect others, groups left
    unprotected).

    Vectorised over groups: each round suppresses, in every group still breaking the rule, its
    smallest published non-zero cell (ties to the earlier row). Under the rule as written one
    round is enough for every group that can be protected; the loop keeps the result right
    without relying on that.
    """
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    known = ~np.isnan(values)
    hidden = small & is_cell
    protects = np.zeros(len(values), dtype=bool)
    candidate = is_cell & known & ~hidden & (np.nan_to_num(values) > 0)
    rows = np.arange(len(values))
    while True:
        n_hidden = np.bincount(codes, weights=hidden.astype(float), minlength=n_groups)
        hidden_total = np.bincount(codes, weights=np.where(hidden, values, 0.0), minlength=n_groups)
        breaks_rule = (n_hidden > 0) & ((n_hidden < 2) | (hidden_total <= threshold))
        available = np.flatnonzero(candidate & breaks_rule[codes])
        if not len(available):
            return protects, breaks_rule
        # Sort by group, then value, then row: the first row of each group is its smallest cell.
        order = np.lexsort((rows[available], values[available], codes[available]))
        available = available[order]
        first = np.ones(len(available), dtype=bool)
        first[1:] = codes[available][1:] != codes[available][:-1]
        chosen = available[first]
        hidden[chosen] = True
        protects[chosen] = True
        candidate[chosen] = False


# --- Checking what the caller passed ------------------------------------------------------------


def _column_list(columns: str | Sequence[str], *, role: str) -> list[str]:
    listed = [columns] if isinstance(columns, str) else list(columns)
    for column in listed:
        if not isinstance(column, str):
            raise IndicatorInputError(f"{role} names must be text, not {column!r}")
    # dict.fromkeys: naming a column twice is harmless, and the order is kept.
    return list(dict.fromkeys(listed))


def _require(df: pd.DataFrame, column: str, role: str, *, hint: str | None = None) -> None:
    if column not in df.columns:
        message = f"{role} {column!r} is not in the table"
        raise IndicatorInputError(f"{message}; {hint}" if hint else message, column=column)
    if isinstance(df.columns.get_loc(column), (slice, np.ndarray)):
        raise IndicatorInputError(f"the table has more than one column {column!r}", column=column)


def _numbers(df: pd.DataFrame, column: str, *, role: str) -> np.ndarray:
    """A column as floats (missing as NaN), refusing True/False and text that is not a number."""
    series = df[column]
    if pd.api.types.is_bool_dtype(series):
        raise IndicatorInputError(f"{role}s must be numbers, not True/False", column=column)
    if pd.api.types.is_numeric_dtype(series):
        values = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        # Text columns (a CSV read as strings): numbers written as text are accepted.
        converted = pd.to_numeric(series, errors="coerce")
        is_flag = series.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
        bad = (converted.isna().to_numpy() & series.notna().to_numpy()) | is_flag
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise IndicatorInputError(
                f"{role}s must be numbers, not {series.iloc[row]!r}{_label(df, row)}",
                column=column,
                row=row,
            )
        values = converted.to_numpy(dtype=float, na_value=np.nan)
    _refuse(df, np.isinf(values), column, f"{role}s must be finite numbers", values)
    return values


def _counts(df: pd.DataFrame, column: str) -> np.ndarray:
    """A count column as floats (missing as NaN): whole numbers of 0 or more, or an error."""
    _require(df, column, "count column")
    values = _numbers(df, column, role="count")
    _refuse(df, values < 0, column, "counts cannot be negative", values)
    fractional = ~np.isnan(values) & (values != np.floor(values))
    _refuse(df, fractional, column, "counts must be whole numbers", values)
    return values


def _refuse(
    df: pd.DataFrame, mask: np.ndarray, column: str, message: str, values: np.ndarray
) -> None:
    """Raise `message`, naming the column, the first offending row and its value."""
    mask = np.asarray(mask, dtype=bool)  # NaN comparisons are False: missing is never refused.
    if mask.any():
        row = int(np.flatnonzero(mask)[0])
        raise IndicatorInputError(
            f"{message}, not {_show(values[row])}{_label(df, row)}", column=column, row=row
        )


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _label(df: pd.DataFrame, row: int) -> str:
    """The row's index label, when the index is more than row numbers (a ward code, say)."""
    if isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1:
        return ""
    return f" at index {df.index[row]!r}"


def _check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 0:
        raise IndicatorInputError(
            f"threshold must be a whole number of 0 or more (the largest count suppressed), "
            f"not {threshold!r}"
        )
    return int(threshold)


def _check_base(base: int) -> int:
    if isinstance(base, bool) or not isinstance(base, (int, np.integer)) or base < 1:
        raise IndicatorInputError(
            f"rounding base must be a whole number of 1 or more (5 or 10), not {base!r}"
        )
    return int(base)


def _group_columns(df: pd.DataFrame, group_by: str | Sequence[str] | None) -> list[str]:
    if group_by is None:
        return []
    columns = _column_list(group_by, role="group column")
    for column in columns:
        _require(df, column, "group column")
    return columns


def _group_codes(df: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Each row's group number; rows with a missing key form a group of their own."""
    if not columns:
        return np.zeros(len(df), dtype=np.intp)
    grouped = df.groupby(columns, sort=False, dropna=False, observed=True)
    return grouped.ngroup().to_numpy(dtype=np.intp)


def _total_flags(df: pd.DataFrame, total_rows: str | None) -> np.ndarray:
    if total_rows is None:
        return np.zeros(len(df), dtype=bool)
    _require(df, total_rows, "total rows column")
    series = df[total_rows]
    if not pd.api.types.is_bool_dtype(series) or series.isna().any():
        raise IndicatorInputError(
            f"total rows column {total_rows!r} must be True on total rows and False on the "
            "others, with no blanks",
            column=total_rows,
        )
    return series.to_numpy(dtype=bool)


def _one_total_per_group(
    df: pd.DataFrame, codes: np.ndarray, is_total: np.ndarray, total_rows: str | None
) -> None:
    totals_per_group = np.bincount(codes[is_total], minlength=int(codes.max(initial=-1)) + 1)
    if (totals_per_group > 1).any():
        group = int(np.flatnonzero(totals_per_group > 1)[0])
        rows = np.flatnonzero(is_total & (codes == group))
        raise IndicatorInputError(
            f"a group has more than one total row (rows {', '.join(str(r + 1) for r in rows)})",
            column=total_rows,
            row=int(rows[1]),
        )


def _is_count_column(df: pd.DataFrame, column: str) -> bool:
    """Whether `column` went through suppression here (it has a note column)."""
    return note_column(column) in df.columns


def _set_where_empty(notes: np.ndarray, mask: np.ndarray, reason: str) -> None:
    """Note `reason` where `mask` holds and no earlier reason was noted: the first reason stands."""
    notes[mask & pd.isna(notes)] = reason


def _round(values: np.ndarray, base: int) -> np.ndarray:
    # Counts are whole numbers, so (x + base // 2) // base rounds to nearest with halves up.
    return np.floor((values + base // 2) / base) * base


def _as_counts(values: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(values, index=index).astype("Int64")

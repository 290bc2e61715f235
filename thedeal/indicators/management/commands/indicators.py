"""`thedeal indicators METHOD INPUT.csv [flags] --output OUT.csv`: one indicator method on a CSV.

Each method's flags are its Python arguments: columns of the input (--x, --n, --age-band, ...)
and options (--confidence, --multiplier, ...). `thedeal indicators dsr --help` lists them.
"""

from __future__ import annotations

import argparse
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thedeal import indicators
from thedeal.indicators.methods import IndicatorInputError, IndicatorWarning


@dataclass
class Method:
    """How a method's arguments appear on the command line."""

    function: str
    help: str
    columns: tuple[str, ...]  # positional column arguments, in the function's order
    keyword_columns: tuple[str, ...] = ()  # keyword arguments that name columns
    required_keywords: tuple[str, ...] = ()
    options: dict[str, type | str] = field(default_factory=dict)  # keyword options and their kind
    grouped: bool = True


CONFIDENCE = {"confidence": "confidence", "type": str}
METHODS = {
    "proportion": Method("proportion", "proportions with Wilson score limits", ("x", "n"),
                         options={"multiplier": float, **CONFIDENCE}),
    "rate": Method("rate", "crude rates with exact or Byar's limits", ("x", "n"),
                   options={"multiplier": float, **CONFIDENCE}),
    "mean": Method("mean", "means with Student's t limits", ("values",), options=CONFIDENCE),
    "dsr": Method(
        "dsr", "directly standardised rates (Dobson)", ("x", "n"),
        keyword_columns=("age_band", "stdpop", "event_freq"), required_keywords=("age_band",),
        options={"multiplier": float, "independent_events": bool, **CONFIDENCE},
    ),
    "israte": Method(
        "israte", "indirectly standardised rates", ("x", "n", "x_ref", "n_ref"),
        options={"multiplier": float, "observed_totals": "csv", **CONFIDENCE},
    ),
    "isratio": Method(
        "isratio", "indirectly standardised ratios (SMRs)", ("x", "n", "x_ref", "n_ref"),
        options={"refvalue": float, "observed_totals": "csv", **CONFIDENCE},
    ),
    "life-expectancy": Method(
        "life_expectancy", "life expectancy (Chiang II, Silcocks' limits)",
        ("deaths", "population"), keyword_columns=("start_age",), required_keywords=("start_age",),
        options={"le_age": "ages", **CONFIDENCE},
    ),
    "healthy-life-expectancy": Method(
        "healthy_life_expectancy", "healthy life expectancy (Sullivan)", ("deaths", "population"),
        keyword_columns=("start_age", "prevalence", "prevalence_n"),
        required_keywords=("start_age", "prevalence", "prevalence_n"),
        options={"le_age": "ages", "mortality_variance": bool, **CONFIDENCE},
    ),
    "funnel-limits": Method(
        "funnel_limits", "funnel plot control limits", ("numerator",),
        keyword_columns=("denominator", "rate"), grouped=False,
        options={"statistic": str, "multiplier": float, "ratio_type": str, "rate_type": str,
                 "years_of_data": float, "type": str},
    ),
    "funnel-significance": Method(
        "funnel_significance", "each area's place against the funnel", ("numerator", "denominator"),
        keyword_columns=("rate",), grouped=False,
        options={"statistic": str, "multiplier": float, "ratio_type": str, "rate_type": str},
    ),
    "funnel-points": Method(
        "funnel_points", "the points to plot on a funnel", ("numerator", "denominator"),
        keyword_columns=("rate",), grouped=False,
        options={"statistic": str, "multiplier": float, "ratio_type": str, "rate_type": str,
                 "years_of_data": float},
    ),
    "sii": Method(
        "sii", "slope and relative index of inequality", ("quantile", "population"),
        keyword_columns=("x", "value", "lower_cl", "upper_cl", "se"),
        options={"value_type": int, "transform": bool, "multiplier": float, "repetitions": int,
                 "rii": bool, "intercept": bool, "reliability_stat": bool, "seed": int,
                 **CONFIDENCE},
    ),
    "quantiles": Method(
        "quantiles", "quantiles of small areas within groups", ("values",),
        options={"nquantiles": int, "invert": "invert", "type": str},
    ),
}  # fmt: skip

# Whole-number options are passed as int so that labels read "per 100000", not "per 100000.0".
WHOLE = {"multiplier", "refvalue"}


class Command(BaseCommand):
    help = "Run one indicator method (PHEindicatormethods' statistics) on a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        methods = parser.add_subparsers(dest="method", required=True, metavar="METHOD")
        for name, method in METHODS.items():
            sub = methods.add_parser(
                name,
                aliases=[name.replace("-", "_")] if "-" in name else [],
                help=method.help,
                description=f"{method.help}. Column arguments name columns of INPUT.csv.",
            )
            sub.set_defaults(spec=method)
            sub.add_argument("input", metavar="INPUT.csv", type=Path)
            sub.add_argument("--output", "-o", metavar="OUT.csv", type=Path, required=True)
            for column in method.columns:
                sub.add_argument(f"--{_flag(column)}", dest=column, metavar="COLUMN", required=True)
            for column in method.keyword_columns:
                sub.add_argument(
                    f"--{_flag(column)}",
                    dest=column,
                    metavar="COLUMN",
                    required=column in method.required_keywords,
                )
            if method.grouped:
                sub.add_argument(
                    "--group-by",
                    metavar="COLUMN[,COLUMN]",
                    action="append",
                    help="group (area) columns; repeat or separate with commas",
                )
            for option, kind in method.options.items():
                _add_option(sub, option, kind)

    def handle(self, *args, **options):
        method: Method = options["spec"]
        source: Path = options["input"]
        data = read_csv(source)
        arguments = [options[column] for column in method.columns]
        keywords = {c: options[c] for c in method.keyword_columns if options[c] is not None}
        for option in method.options:
            if options.get(option) is not None:
                keywords[option] = options[option]
        if method.grouped and options.get("group_by"):
            keywords["group_by"] = [c for value in options["group_by"] for c in value.split(",")]
        if isinstance(keywords.get("observed_totals"), Path):
            keywords["observed_totals"] = read_csv(keywords["observed_totals"])
        for option in WHOLE & keywords.keys():
            if float(keywords[option]).is_integer():
                keywords[option] = int(keywords[option])
        if method.function in ("life_expectancy", "healthy_life_expectancy"):
            check_life_table(data, source, options, keywords.get("group_by"))

        function = getattr(indicators, method.function)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", IndicatorWarning)
            try:
                result = function(data, *arguments, **keywords)
            except IndicatorInputError as error:
                raise CommandError(where(source, error)) from None
        for warning in caught:
            self.stderr.write(f"Warning: {warning.message}")
        output: Path = options["output"]
        result.to_csv(output, index=False)
        self.stdout.write(f"Wrote {len(result):,} rows to {output}")


def _flag(name: str) -> str:
    return name.replace("_", "-")


def _add_option(parser: argparse.ArgumentParser, option: str, kind) -> None:
    flag = f"--{_flag(option)}"
    if kind is bool:
        parser.add_argument(flag, dest=option, type=_boolean, metavar="yes|no")
    elif kind == "confidence":
        parser.add_argument(
            flag, dest=option, type=_confidence, metavar="LEVEL",
            help="95, 0.95, 99.8, '0.95,0.998' for both, or 'none'",
        )  # fmt: skip
    elif kind == "csv":
        parser.add_argument(flag, dest=option, type=Path, metavar="TOTALS.csv")
    elif kind == "ages":
        parser.add_argument(
            flag, dest=option, type=_ages, metavar="AGES", help="'all', or start ages: 0,65"
        )
    elif kind == "invert":
        parser.add_argument(
            flag, dest=option, type=_invert, metavar="yes|no|COLUMN",
            help="the highest values in quantile 1 (yes, the default), or a column saying so",
        )  # fmt: skip
    else:
        parser.add_argument(flag, dest=option, type=kind)


def _boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "1"):
        return True
    if value in ("no", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, not {text!r}")


def _confidence(text: str):
    if text.strip().lower() in ("none", "na"):
        return None
    try:
        levels = [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a confidence level: {text!r}") from None
    return levels[0] if len(levels) == 1 else tuple(levels)


def _ages(text: str):
    if text.strip().lower() == "all":
        return "all"
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected 'all' or start ages such as 0,65: {text!r}"
        ) from None


def _invert(text: str):
    try:
        return _boolean(text)
    except argparse.ArgumentTypeError:
        return text


def read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: not a readable CSV file ({error})") from None


def where(source: Path, error: IndicatorInputError) -> str:
    """The error with its place in the file: rows are counted as a spreadsheet shows them."""
    place = [str(source)]
    if error.row is not None:
        place.append(f"row {error.row + 2}")
    if error.column is not None:
        place.append(f"column {error.column!r}")
    return f"{', '.join(place)}: {error.reason}"


LIFE_TABLE_BANDS = 20


def check_life_table(data: pd.DataFrame, source: Path, options, group_by) -> None:
    """Refuse a life table that cannot be right, naming the place.

    The method itself follows the R package and returns an area with bad bands as missing, with a
    warning, so that one bad area does not stop the others; a file given on the command line is
    better refused with its row and column, since the person running it can correct it.
    """
    columns = list(group_by or [])
    band = options["start_age"]
    for column in [*columns, band, options["deaths"], options["population"]]:
        if column not in data.columns:
            raise CommandError(f"{source}, column {column!r}: no such column")
    sizes = (
        data.groupby(columns, sort=False, dropna=False)[band].transform("size")
        if columns
        else pd.Series(len(data), index=data.index)
    )
    wrong = np.flatnonzero((sizes != LIFE_TABLE_BANDS).to_numpy())
    if len(wrong):
        row = int(wrong[0])
        group = ", ".join(f"{c}={data[c].iloc[row]}" for c in columns) or "the file"
        raise CommandError(
            f"{source}, row {row + 2}, column {band!r}: {group} has {int(sizes.iloc[row])} age "
            f"bands; life expectancy needs exactly {LIFE_TABLE_BANDS} (0, 1-4, 5-9, ..., 85-89, 90+)"
        )
    deaths = pd.to_numeric(data[options["deaths"]], errors="coerce")
    population = pd.to_numeric(data[options["population"]], errors="coerce")
    for mask, column, reason in (
        (data[options["deaths"]].notna() & deaths.isna(), options["deaths"], "is not a number"),
        (data[options["population"]].notna() & population.isna(), options["population"],
         "is not a number"),
        (deaths < 0, options["deaths"], "deaths cannot be negative"),
        (deaths > population, options["deaths"], "deaths are more than the population"),
    ):  # fmt: skip
        bad = np.flatnonzero(mask.to_numpy())
        if len(bad):
            raise CommandError(f"{source}, row {int(bad[0]) + 2}, column {column!r}: {reason}")

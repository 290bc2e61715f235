"""`thedeal insight evaluate --data DIR [--json] [--save]`: estimate the prevention programme's
effect on emergency admissions four ways (insight.evaluation; EVALUATION.md says how).

Without --json it prints a table, the primary analysis first; --json prints the result as one
JSON object; --save also keeps it as an `EvaluationRun`, with the data's fingerprint, for staff
to publish. Progress goes to stderr, so that --json's output is only the JSON.
"""

from __future__ import annotations

import json
import math
import textwrap
import time
from pathlib import Path

from django.core.management.base import CommandError

# The evaluation (DuckDB, pandas, statsmodels) is imported in run(): `thedeal insight --help`
# must not wait for it.

ANALYSES = {
    "primary": "Primary: stepped wedge",
    "matched": "Matched comparison",
    "interrupted_time_series": "Interrupted time series",
    "naive": "Naive: takers v. non-takers (biased)",
}
WIDTH = 100  # the prose's line length
ESTIMANDS = {
    "intention_to_treat": "everyone offered",
    "on_treated": "those who took it up",
}


def add_arguments(parser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        required=True,
        help="the borough's data folder (thedeal synthpop --programme-start)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument(
        "--save", action="store_true", help="keep the result as an evaluation staff can publish"
    )


def run(command, options) -> None:
    from thedeal.insight import evaluation

    data: Path = options["data"]
    started = time.perf_counter()

    def progress(step: str) -> None:
        command.stderr.write(f"  {step} ({time.perf_counter() - started:.1f} s)")

    command.stderr.write(f"Evaluating the programme in {data}...")
    try:
        result = _clean(evaluation.evaluate(data, progress=progress))
    except evaluation.EvaluationError as error:
        raise CommandError(str(error)) from None
    if options.get("save"):
        from thedeal.insight.actions import keep_evaluation

        run_ = keep_evaluation(data, result)
        command.stderr.write(f"Saved as evaluation {run_.pk}.")
    if options.get("json"):
        command.stdout.write(json.dumps(result, indent=2, allow_nan=False))
    else:
        command.stdout.write(table(result))
    command.stderr.write(f"Done in {time.perf_counter() - started:.1f} s.")


def _clean(value):
    """JSON has no NaN or infinity, nor NumPy's numbers: a figure that cannot be worked out is
    null."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _number(value, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(result: dict) -> str:
    """The four estimates as a table an analyst reads, then each one's method in words."""
    data = result["data"]
    lines = [
        textwrap.fill(
            f"Programme from {data['programme_start']}: {data['offers']:,} offers, "
            f"{data['take_ups']:,} take-ups, {data['wards']} wards "
            f"({data['wards_never_joined']} not joined by the last index date).",
            WIDTH,
        ),
        "",
    ]
    head = ("Analysis", "Effect among", "Relative risk (95% CI)", "Admissions avoided (95% CI)")
    rows = [head]
    for key, name in ANALYSES.items():
        e = result[key]
        rows.append((
            name,
            ESTIMANDS[e["estimand"]],
            f"{_number(e['relative_risk'], 2)} ({_number(e['lower'], 2)} to "
            f"{_number(e['upper'], 2)})",
            f"{_number(e['admissions_avoided'], 0)} ({_number(e['admissions_avoided_lower'], 0)} "
            f"to {_number(e['admissions_avoided_upper'], 0)})",
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for i, row in enumerate(rows):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * width for width in widths))
    bloom = result["primary"]["on_treated"]
    lines += [
        "",
        textwrap.fill(
            "Among those who took support up, from the primary analysis (if support not taken "
            f"up changes nothing): relative risk {_number(bloom['relative_risk'], 2)} "
            f"({_number(bloom['lower'], 2)} to {_number(bloom['upper'], 2)}).",
            WIDTH,
        ),
    ]
    check = result["primary"].get("imputation_relative_risk")
    if check is not None:
        lines.append(
            textwrap.fill(
                "Check on the primary: the imputation estimator (the model fitted to places "
                f"not offered support) gives a relative risk of {check:.2f}.",
                WIDTH,
            )
        )
    matched = result["matched"]
    lines += [
        "",
        textwrap.fill(
            f"Balance of the matched comparison ({matched['matched_takers']:,} takers matched, "
            f"{matched['unmatched_takers']:,} without a match): standardised mean differences, "
            f"{'all' if matched['balanced'] else 'NOT all'} below 0.1 after matching.",
            WIDTH,
        ),
    ]
    name_width = max(len(b["characteristic"]) for b in matched["balance"])
    lines.append(f"  {'Characteristic'.ljust(name_width)}  Before  After")
    for b in matched["balance"]:
        lines.append(
            f"  {b['characteristic'].ljust(name_width)}  "
            f"{b['standardised_difference_before']:6.3f}  {b['standardised_difference_after']:5.3f}"
        )
    lines += ["", "How each was made:"]
    for key in ANALYSES:
        lines.append(
            textwrap.fill(result[key]["method"], WIDTH, initial_indent="- ", subsequent_indent="  ")
        )
    return "\n".join(lines)

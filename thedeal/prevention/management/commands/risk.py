"""`thedeal risk features|train|evaluate|worklist|explain`: the emergency admission risk model.

thedeal risk features --data DIR [--engine duckdb|spark] [--index-date D] --out FILE
thedeal risk train    --data DIR --out MODEL_DIR
thedeal risk evaluate --data DIR --model MODEL_DIR [--json]
thedeal risk worklist --data DIR --model MODEL_DIR [--ward W] [--top K] --out FILE
thedeal risk explain  --data DIR --model MODEL_DIR --resident ID
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.management.base import BaseCommand, CommandError, CommandParser

# Only what the arguments need (the engines, the latest index date) is imported to start:
# the modelling libraries (LightGBM, scikit-learn, fairlearn, SHAP) take seconds to load, and
# `thedeal risk --help` or a mistyped option should answer at once. Each action imports them.
from thedeal.prevention import features

if TYPE_CHECKING:
    from thedeal.prevention import model as risk_model


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--index-date {text!r}: give a date as YYYY-MM-DD.") from error


def _clean(value):
    """JSON has no NaN: a metric that cannot be worked out (a group with no admissions) is null."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # NumPy scalars
        return _clean(value.item())
    return value


class Command(BaseCommand):
    help = "Features, training, evaluation and worklists for the emergency admission risk model."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        f = commands.add_parser("features", help="one row of features per resident (Parquet)")
        f.add_argument(
            "--data", type=Path, required=True, help="a folder of Parquet tables (thedeal synthpop)"
        )
        f.add_argument("--engine", choices=features.ENGINES, default="duckdb")
        f.add_argument("--index-date", type=_date, default=features.LATEST_INDEX_DATE,
                       help=f"default: the latest, {features.LATEST_INDEX_DATE}")  # fmt: skip
        f.add_argument("--out", type=Path, required=True, help="the Parquet file to write")

        t = commands.add_parser(
            "train", help="train, calibrate and validate over time; write the model card"
        )
        t.add_argument("--data", type=Path, required=True)
        t.add_argument("--out", type=Path, required=True, help="the model folder to write")

        e = commands.add_parser(
            "evaluate", help="score the latest index date and measure against what happened"
        )
        e.add_argument("--data", type=Path, required=True)
        e.add_argument("--model", type=Path, required=True)
        e.add_argument("--json", action="store_true", help="print one JSON object")

        x = commands.add_parser(
            "explain", help="one resident's risk and its reasons, worked out now"
        )
        x.add_argument("--data", type=Path, required=True)
        x.add_argument("--model", type=Path, required=True)
        x.add_argument("--resident", type=int, required=True, help="the pseudonymous resident id")

        w = commands.add_parser(
            "worklist", help="the highest-risk residents with reasons and local services"
        )
        w.add_argument("--data", type=Path, required=True)
        w.add_argument("--model", type=Path, required=True)
        w.add_argument("--ward", help="only this ward (as in the data's lsoas table)")
        w.add_argument("--top", type=int, default=50, help="how many residents (default 50)")
        w.add_argument("--out", type=Path, required=True, help="the CSV file to write")

    def handle(self, *args, action: str, **options) -> None:
        from thedeal.prevention import actions
        from thedeal.prevention import model as risk_model

        self.started = time.perf_counter()
        data = options["data"]
        if not data.is_dir():
            raise CommandError(f"--data {data}: not a folder.")
        try:
            getattr(self, action)(**options)
        except (features.FeatureError, risk_model.ModelError, actions.ScoringError) as error:
            raise CommandError(str(error)) from error

    def say(self, message: str) -> None:
        self.stderr.write(f"  {message} ({time.perf_counter() - self.started:.1f} s)")

    # --- actions ---------------------------------------------------------------------------
    def features(self, *, data: Path, engine: str, index_date: dt.date, out: Path, **_) -> None:
        if engine == "spark" and (reason := features.spark_unavailable()):
            raise CommandError(f"--engine spark: {reason}.")
        self.say(f"features at {index_date} on {engine}")
        table = features.compute(data, engine=engine, index_date=index_date)
        features.write(table, out)
        self.say(f"{table.num_rows:,} residents written to {out}")

    def train(self, *, data: Path, out: Path, **_) -> None:
        import pyarrow.parquet as pq

        from thedeal.prevention import actions, card

        features.check(data, features.OUTCOMES)
        outcomes = pq.read_table(data / "outcomes.parquet")
        dates = sorted({d.as_py() for d in outcomes.column("index_date").unique()})
        if len(dates) < 3:
            raise CommandError(
                f"{data / 'outcomes.parquet'}: needs at least 3 index dates (has {len(dates)})."
            )
        # actions.train learns from all but the last two, and validates on the second last.
        *_, validation_date, test_date = dates
        tables = {}
        for date in dates:
            tables[date] = features.compute(data, index_date=date)
            self.say(f"features at {date}: {tables[date].num_rows:,} residents")
        model = actions.train(data, tables, progress=self.say)
        model.save(out)
        _, _, validation = self._evaluate(model, tables[validation_date], outcomes)
        validation["index_date"] = str(validation_date)
        test_frame, baselines, test = self._evaluate(model, tables[test_date], outcomes)
        test["index_date"] = str(test_date)
        self.say("evaluated on the validation and test years")
        card.write(out, model.meta, test_frame, baselines, validation, test)
        metrics = {"validation": validation, "test": test}
        (out / "metrics.json").write_text(json.dumps(_clean(metrics), indent=2) + "\n")
        self.say(f"model {model.version} and its card written to {out}")
        self.stdout.write(
            f"Validation ({validation_date}): AUROC {validation['auroc']:.3f} "
            f"(best achievable {validation['oracle_auroc']:.3f}); test ({test_date}): AUROC "
            f"{test['auroc']:.3f} (best achievable {test['oracle_auroc']:.3f})."
        )

    def _evaluate(self, model: risk_model.RiskModel, table, outcomes):
        """(frame, baselines, metrics) for one index date."""
        from thedeal.prevention import evaluation
        from thedeal.prevention import model as risk_model

        frame = risk_model.evaluation_frame(model, table, outcomes)
        age_sex, prior = model.baselines(frame)
        metrics = evaluation.evaluate(frame, threshold=model.threshold, baseline_risk=age_sex,
                                      prior_admissions_risk=prior)  # fmt: skip
        return frame, {"Age and sex only": age_sex, "Prior admissions only": prior}, metrics

    def evaluate(self, *, data: Path, model: Path, json: bool, **_) -> None:
        import pyarrow.parquet as pq

        from thedeal.prevention import model as risk_model

        loaded = risk_model.load(model)
        features.check(data, features.OUTCOMES)
        table = features.compute(data)
        outcomes = pq.read_table(data / "outcomes.parquet")
        result = _clean(self._evaluate(loaded, table, outcomes)[2])
        result = {
            "model_version": loaded.version,
            "index_date": str(features.LATEST_INDEX_DATE),
            **result,
        }
        if json:
            self.stdout.write(_json_dumps(result))
            return
        for key in ("n", "auroc", "oracle_auroc", "baseline_auroc", "prior_admissions_auroc", "auprc",
                    "brier", "calibration_slope", "calibration_intercept", "ece", "top_decile_ppv",
                    "top_decile_sensitivity"):  # fmt: skip
            value = result[key]
            self.stdout.write(
                f"{key:>24}: {value:,.4f}" if isinstance(value, float) else f"{key:>24}: {value}"
            )
        for name, check in result["targets"].items():
            self.stdout.write(
                f"{'target ' + name:>40}: {'met' if check['met'] else 'NOT MET'} {check.get('failures', '')}"
            )

    def explain(self, *, data: Path, model: Path, resident: int, **_) -> None:
        import pandas as pd

        from thedeal.prevention import actions, explain
        from thedeal.prevention import model as risk_model

        loaded = risk_model.load(model)
        actions.refuse_synthetic_model_on_real_data(loaded, data)
        table = features.compute(data, residents=[resident])
        if table.num_rows == 0:
            raise CommandError(
                f"--resident {resident}: not in {data} on {features.LATEST_INDEX_DATE} (unknown, "
                "opted out of data sharing, or not alive and registered on that date)."
            )
        frame = table.to_pandas()
        risk = float(loaded.predict(frame)[0])
        row = frame.iloc[0]
        found = explain.explain(loaded, frame)[0]
        band = actions.band(risk, loaded.meta).value
        self.stdout.write(
            f"Resident {resident}: {risk:.1%} risk of an emergency admission in the next 12 "
            f"months ({band} band)."
        )
        self.stdout.write(f"Why: {explain.sentence(found)}")
        if pd.notna(row.efi_category):
            self.stdout.write(
                f"Electronic Frailty Index: {row.efi_score:.2f} ({row.efi_category})."
            )

    def worklist(
        self, *, data: Path, model: Path, ward: str | None, top: int, out: Path, **_
    ) -> None:
        if top < 1:
            raise CommandError(f"--top must be at least 1 (got {top}).")
        from thedeal.prevention import actions

        run = actions.score_population(model, data, also_ward=ward, also_top=top, progress=self.say)
        if run.drift_alert:
            self.stderr.write(self.style.WARNING(
                f"Drift: {run.drift['worst']} has population stability {run.drift['psi'][run.drift['worst']]:.2f} "
                f"(above {run.drift['threshold']}) against the model's validation year. Review before use."
            ))  # fmt: skip
        worklist = actions.make_worklist(run, ward=ward, top=top)
        frame = actions.worklist_frame(worklist)
        out.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(out, index=False)
        self.say(
            f"scoring run {run.pk}: {run.residents_scored:,} residents; worklist {worklist.pk} saved"
        )
        self.stdout.write(f"{out}: {len(frame)} residents{' in ' + ward if ward else ''}.")


def _json_dumps(value) -> str:
    return json.dumps(value, indent=2)

"""How fast predictive prevention is at the size of a borough, and of a region.

    .venv/bin/python benchmarks/prevention.py [--sizes 330000,1000000] [--no-spark] [--keep DIR]

For each size: drawing the synthetic borough, features at the latest index date on DuckDB and
on Spark, training (features at every index date, then the model, its baselines and its card),
scoring everyone (features and prediction), and explaining the 10,000 highest-risk residents.
Each step runs in a fresh Python process, so its peak memory (maximum resident set size) is its
own. Targets on a 2-core machine with DuckDB: features and prediction for 1,000,000 residents in
60 s at most; explanations for the 10,000 highest-risk residents in 10 s at most.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thedeal.settings")


def stage(name: str, data: Path, model: Path, size: int) -> dict:
    """Run one step here and return its figures (called in a child process)."""
    import numpy as np

    from thedeal.prevention import explain, features, synthpop
    from thedeal.prevention import model as risk_model

    started = time.perf_counter()
    extra: dict[str, object] = {}
    if name == "generate":
        population = synthpop.generate(size, seed=1)
        manifest = synthpop.write(population, data)
        extra["events"] = manifest["tables"]["events"]["rows"]
    elif name in ("features-duckdb", "features-spark"):
        engine = name.split("-")[1]
        if engine == "spark":
            features.spark_session()  # starting Java is not the features' time
            started = time.perf_counter()
        table = features.compute(data, engine=engine)
        extra["residents"] = table.num_rows
        if engine == "spark":
            extra["memory"] = "Python only; Spark's Java process is not counted"
    elif name == "train":
        subprocess.run(
            [sys.executable, "-m", "thedeal", "risk", "train", "--data", str(data), "--out", str(model)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        extra["trees"] = json.loads((model / "model.json").read_text())["trees"]
    elif name == "score":
        loaded = risk_model.load(model)
        frame = features.compute(data).to_pandas()
        extra["features_s"] = round(time.perf_counter() - started, 1)
        risk = loaded.predict(frame)
        extra["residents"] = len(risk)
    elif name == "explain":
        loaded = risk_model.load(model)
        frame = features.compute(data).to_pandas()
        risk = loaded.predict(frame)
        top = frame.iloc[np.argsort(-risk)[:10_000]]
        started = time.perf_counter()  # the explanations alone
        found = explain.explain(loaded, top)
        extra["explained"] = len(found)
    seconds = time.perf_counter() - started
    # KiB on Linux; training runs the command in a child process of its own.
    peak = (
        max(
            resource.getrusage(who).ru_maxrss
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        / 1024
    )
    return {"stage": name, "seconds": round(seconds, 1), "peak_mb": round(peak), **extra}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="330000,1000000")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark features")
    parser.add_argument("--keep", type=Path, help="keep the populations and models here")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.stage:  # a child process: one step
        import django

        django.setup()
        print(json.dumps(stage(args.stage, args.data, args.model, args.size)))
        return

    from thedeal.prevention import features

    spark = not args.no_spark and features.spark_unavailable() is None
    root = args.keep or Path(tempfile.mkdtemp(prefix="prevention-benchmark-"))
    print(f"{'residents':>10}  {'step':<16} {'seconds':>8} {'peak MB':>8}  notes", flush=True)
    for size in (int(s) for s in args.sizes.split(",")):
        data, model = root / f"borough-{size}", root / f"model-{size}"
        steps = [
            "generate",
            "features-duckdb",
            *(["features-spark"] if spark else []),
            "train",
            "score",
            "explain",
        ]
        for name in steps:
            command = [sys.executable, __file__, "--stage", name, "--data", str(data), "--model", str(model),
                       "--size", str(size)]  # fmt: skip
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            notes = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in result.items()
                              if k not in ("stage", "seconds", "peak_mb"))  # fmt: skip
            print(
                f"{size:>10,}  {name:<16} {result['seconds']:>8.1f} {result['peak_mb']:>8,}  {notes}",
                flush=True,
            )
    if not spark:
        print(f"(Spark skipped: {features.spark_unavailable() or '--no-spark'})")
    if not args.keep:
        print(f"Populations and models are in {root} (delete it when done).")


if __name__ == "__main__":
    main()

"""How fast the indicator methods are at the size of England's small areas.

    .venv/bin/python benchmarks/indicators.py [--areas 7000] [--repeat 3] [--sii-repetitions N]
        [--people 50000] [--only NAME]

Prints the best of --repeat runs for each method on synthetic data: a DSR over 7,000 areas of 19
age bands, life expectancy at all ages over 7,000 areas of 20 bands, and the other methods at the
same scale (7,000 areas); paired change over --people casework records (50,000) in 500 groups. For comparison, PHEindicatormethods (R) takes about 2.8 s for that DSR
and 13 s for that life expectancy on this kind of machine; the target is 20 times faster.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from thedeal import indicators

R_SECONDS = {"dsr": 2.8, "life_expectancy": 13.0}
LIFE_TABLE_AGES = [0, 1, *range(5, 95, 5)]


def areas_by_age(rng, areas: int, ages: list[int]) -> pd.DataFrame:
    """Populations and deaths by age band with mortality rising with age, as in real areas."""
    bands = len(ages)
    population = rng.integers(300, 1500, size=(areas, bands)).astype(float)
    population[:, 0] = rng.integers(60, 200, size=areas)  # the under-1s are a single year
    rate = 0.0004 * np.exp(0.085 * np.asarray(ages, dtype=float))
    rate = rate * rng.uniform(0.7, 1.4, size=(areas, 1))
    deaths = rng.poisson(np.minimum(rate, 0.5) * population).astype(float)
    return pd.DataFrame(
        {
            "area": np.repeat([f"E0{i:07d}" for i in range(areas)], bands),
            "region": np.repeat(rng.integers(1, 10, size=areas), bands),
            "age": np.tile(ages, areas),
            "deaths": deaths.ravel(),
            "population": population.ravel(),
            "good_health": np.tile(np.linspace(0.95, 0.45, bands), areas),
            "sample": np.tile(np.full(bands, 400.0), areas),
        }
    )


def one_row_per_area(rng, areas: int) -> pd.DataFrame:
    denominator = rng.integers(2_000, 60_000, size=areas).astype(float)
    numerator = rng.binomial(denominator.astype(int), rng.uniform(0.05, 0.2, size=areas))
    expected = numerator * rng.uniform(0.8, 1.25, size=areas)
    return pd.DataFrame(
        {
            "area": [f"E0{i:07d}" for i in range(areas)],
            "region": rng.integers(1, 10, size=areas),
            "numerator": numerator.astype(float),
            "denominator": denominator,
            "expected": expected,
            "rate": numerator / denominator * 100_000,
        }
    )


def deciles_per_area(rng, areas: int) -> pd.DataFrame:
    """Ten deprivation deciles in each area, for the slope index of inequality."""
    deciles = np.tile(np.arange(1, 11), areas)
    value = 80 - 1.2 * deciles + rng.normal(0, 1, size=areas * 10)
    return pd.DataFrame(
        {
            "area": np.repeat([f"E0{i:07d}" for i in range(areas)], 10),
            "decile": deciles,
            "population": rng.integers(500, 5_000, size=areas * 10).astype(float),
            "value": value,
            "se": rng.uniform(0.5, 1.5, size=areas * 10),
        }
    )


def scores_at_first_contact_and_review(rng, people: int, groups: int) -> pd.DataFrame:
    """Casework's people: a SWEMWBS metric score at first contact and, for two in three, at a
    review, in `groups` groups (practitioners or services), for paired change."""
    before = rng.uniform(7, 35, size=people).round(2)
    after = np.clip(before + rng.normal(1.5, 3.0, size=people), 7, 35).round(2)
    after[rng.random(people) < 1 / 3] = np.nan  # no review yet
    return pd.DataFrame(
        {"group": rng.integers(0, groups, size=people), "before": before, "after": after}
    )


def measure(name, function, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", indicators.IndicatorWarning)
            result = function()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", indicators.IndicatorWarning)
        function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    line = f"{name:<34} {best:8.3f} s  {peak / 2**20:7.1f} MiB peak  {len(result):>9,} rows out"
    if name in R_SECONDS:
        line += f"  ({R_SECONDS[name] / best:,.0f}x faster than R's {R_SECONDS[name]} s)"
    print(line, flush=True)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=7_000)
    parser.add_argument("--repeat", type=int, default=3)
    # R's default is 100,000 simulations; 10,000 (as R's own tests use) keeps the run short.
    parser.add_argument("--sii-repetitions", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=50_000, help="for paired change")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", help="run only the methods whose name starts with this")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    n = args.areas
    print(f"Synthetic data: {n:,} areas (seed {args.seed}); best of {args.repeat} runs each.")
    dsr_data = areas_by_age(rng, n, list(range(0, 95, 5)))
    life_tables = areas_by_age(rng, n, LIFE_TABLE_AGES)
    per_area = one_row_per_area(rng, n)
    deciles = deciles_per_area(rng, n)
    reference = dsr_data.groupby("age", as_index=False)[["deaths", "population"]].sum()
    reference = reference.rename(columns={"deaths": "ref_deaths", "population": "ref_population"})
    isr_data = dsr_data.merge(reference, on="age")
    casework = scores_at_first_contact_and_review(rng, args.people, max(n // 14, 1))
    by_area = {"group_by": "area"}
    both = {"confidence": (0.95, 0.998)}

    cases = {
        "dsr": lambda: indicators.dsr(
            dsr_data, "deaths", "population", age_band="age", **by_area, **both
        ),
        "life_expectancy": lambda: indicators.life_expectancy(
            life_tables, "deaths", "population", start_age="age", **by_area, **both
        ),
        "healthy_life_expectancy": lambda: indicators.healthy_life_expectancy(
            life_tables,
            "deaths",
            "population",
            start_age="age",
            prevalence="good_health",
            prevalence_n="sample",
            **by_area,
        ),
        "israte (19 bands)": lambda: indicators.israte(
            isr_data, "deaths", "population", "ref_deaths", "ref_population", **by_area, **both
        ),
        "isratio (19 bands)": lambda: indicators.isratio(
            isr_data, "deaths", "population", "ref_deaths", "ref_population", **by_area, **both
        ),
        "proportion (19 rows summed)": lambda: indicators.proportion(
            dsr_data, "deaths", "population", **by_area, **both
        ),
        "rate (19 rows summed)": lambda: indicators.rate(
            dsr_data, "deaths", "population", **by_area, **both
        ),
        "mean (19 values)": lambda: indicators.mean(dsr_data, "deaths", **by_area, **both),
        "quantiles (deciles in regions)": lambda: indicators.quantiles(
            per_area, "rate", group_by="region"
        ),
        "funnel_limits (proportion)": lambda: indicators.funnel_limits(
            per_area, "numerator", "denominator", statistic="proportion", multiplier=100
        ),
        "funnel_significance (ratio)": lambda: indicators.funnel_significance(
            per_area,
            "numerator",
            "expected",
            statistic="ratio",
            ratio_type="count",
            multiplier=1,
        ),
        "funnel_points (crude rate)": lambda: indicators.funnel_points(
            per_area,
            "numerator",
            "denominator",
            rate="rate",
            statistic="rate",
            rate_type="crude",
            multiplier=100_000,
            years_of_data=1,
        ),
        "funnel_limits (dsr, 3 years)": lambda: indicators.funnel_limits(
            per_area,
            "numerator",
            "denominator",
            rate="rate",
            statistic="rate",
            rate_type="dsr",
            multiplier=100_000,
            years_of_data=3,
        ),
        f"paired_change ({args.people:,} people)": lambda: indicators.paired_change(
            casework, "before", "after", group_by="group", **both
        ),
        "publishable_paired_change": lambda: indicators.publishable_paired_change(
            indicators.paired_change(casework, "before", "after", group_by="group", **both),
            group_by=None,
        ),
        f"sii ({args.sii_repetitions:,} simulations)": lambda: indicators.sii(
            deciles,
            "decile",
            "population",
            value="value",
            se="se",
            group_by="area",
            repetitions=args.sii_repetitions,
            seed=1,
        ),
    }
    for name, function in cases.items():
        if args.only and not name.startswith(args.only):
            continue
        # The simulated SII takes seconds: once is enough.
        measure(name, function, 1 if name.startswith("sii") else args.repeat)


if __name__ == "__main__":
    main()

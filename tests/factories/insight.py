"""Factories for insight: the borough's areas (the real 25 wards and 200 LSOAs, by best fit), the
computed indicators, and values for them that look like the borough's own.

`load_borough()` fills the store as `thedeal insight compute` would: every computed indicator
for the borough, its wards and LSOAs, in each financial year, for persons, men and women, each
value with its 95% limits, count and denominator, small counts stored suppressed with a note.
The figures are drawn, not computed: each area has a level (wards differ, an LSOA a little from
its ward), each indicator drifts a little over the years, and the limits follow from the count
as the indicator's method would give them (Byar's for rates, Wilson's for proportions).

Single values come from the factory_boy factories below.
"""

from __future__ import annotations

import csv
import math
import random

import factory

from thedeal.geography import wards as geography_wards
from thedeal.indicators.periods import parse_period
from thedeal.insight import catalogue
from thedeal.insight.models import (
    Area,
    AreaKind,
    Batch,
    BatchKind,
    Indicator,
    IndicatorValue,
    Sex,
)

BOROUGH_CODE, BOROUGH_NAME = "E08000010", "Wigan"
LSOA_CSV = geography_wards.LSOA_GEOJSON.with_name("wigan_lsoas.csv")
FINANCIAL_YEARS = tuple(
    f"{y}/{(y + 1) % 100:02d}" for y in range(2019, 2026)
)  # 2019/20 ... 2025/26
SEXES = (Sex.PERSONS, Sex.MALE, Sex.FEMALE)
# Fewer than 8 is suppressed on every published page (counts 1 to 7).
SMALL = 7


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    kind = AreaKind.WARD


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    definition = "What is counted, per how many."
    source = "The borough's linked records."
    method = "Proportion with 95% limits by Wilson's score method."
    value_type = "Proportion"
    polarity = catalogue.LOW_IS_GOOD
    unit = "%"
    multiplier = 100
    computed = True


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    kind = BatchKind.COMPUTE
    data_fingerprint = "0" * 64
    generator_version = "2"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SubFactory(AreaFactory)
    batch = factory.SubFactory(BatchFactory)
    period_label = "2025/26"
    period_start = factory.LazyAttribute(lambda o: parse_period(o.period_label).start)
    period_end = factory.LazyAttribute(lambda o: parse_period(o.period_label).end)
    sex = Sex.PERSONS
    age = factory.LazyAttribute(lambda o: o.indicator.age)
    value = 20.0
    lower95 = 18.0
    upper95 = 22.0
    count = 200.0
    denominator = 1000.0


def areas() -> dict[str, Area]:
    """The borough, its 25 wards and 200 LSOAs (each in its best-fit ward), by code."""
    borough = AreaFactory(code=BOROUGH_CODE, name=BOROUGH_NAME, kind=AreaKind.BOROUGH)
    found = {borough.code: borough}
    for ward in geography_wards.wards().values():
        found[ward.code] = AreaFactory(
            code=ward.code, name=ward.name, kind=AreaKind.WARD, parent=borough
        )
    lsoa_wards = geography_wards.lsoa_wards()
    with LSOA_CSV.open(encoding="utf-8") as f:
        names = {row["lsoa_code"]: row["lsoa_name"] for row in csv.DictReader(f)}
    existing = set(Area.objects.filter(kind=AreaKind.LSOA).values_list("code", flat=True))
    Area.objects.bulk_create(
        Area(code=code, name=names.get(code, code), kind=AreaKind.LSOA, parent=found[ward.code])
        for code, ward in sorted(lsoa_wards.items())
        if code not in existing
    )
    found |= {a.code: a for a in Area.objects.filter(kind=AreaKind.LSOA)}
    return found


def indicators() -> dict[str, Indicator]:
    """The computed indicators of the catalogue, by slug."""
    found = {}
    for order, d in enumerate(catalogue.CATALOGUE):
        found[d.slug] = IndicatorFactory(
            slug=d.slug,
            name=d.name,
            definition=d.definition,
            source=d.source,
            method=d.method,
            value_type=d.value_type,
            polarity=d.polarity,
            unit=d.unit,
            multiplier=d.multiplier,
            decimals=d.decimals,
            numerator_definition=d.numerator,
            denominator_definition=d.denominator,
            age=d.age,
            computed=True,
            order=order,
        )
    return found


# For each indicator: the borough's level, how much wards differ (a log-scale spread), the
# yearly drift, the share of people it counts over (the denominator), and men's level against
# women's. Levels near the synthetic borough's (docs/plans/insight.md).
LEVELS = {
    "emergency-admissions": (10_000, 0.18, 0.04, 1.0, 1.05),
    "mortality-all-causes": (1_000, 0.15, -0.01, 1.0, 1.2),
    "mortality-under-75": (420, 0.22, -0.015, 0.9, 1.4),
    "smoking": (15.0, 0.25, -0.04, 0.8, 1.15),
    "obesity": (30.0, 0.12, 0.01, 0.75, 1.0),
    "loneliness": (8.0, 0.2, 0.02, 0.55, 0.9),
    "frailty": (12.0, 0.2, 0.01, 0.2, 0.85),
    "life-expectancy-birth": (80.0, 0.015, 0.001, 1.0, 0.95),
    "life-expectancy-65": (19.0, 0.04, 0.002, 1.0, 0.9),
    "healthy-life-expectancy-birth": (61.0, 0.04, 0.002, 1.0, 0.97),
    "healthy-life-expectancy-65": (10.0, 0.08, 0.004, 1.0, 0.95),
}
POPULATION = {AreaKind.BOROUGH: 330_000, AreaKind.WARD: 13_200, AreaKind.LSOA: 1_650}


def load_borough(
    *,
    seed: int = 1,
    periods: tuple[str, ...] = FINANCIAL_YEARS,
    sexes: tuple[str, ...] = SEXES,
    levels: tuple[str, ...] = (AreaKind.BOROUGH, AreaKind.WARD, AreaKind.LSOA),
    slugs: tuple[str, ...] | None = None,
    generator_version: str = "2",
) -> Batch:
    """Every computed indicator (or those of `slugs`) for every area of `levels`, period and
    sex: one compute batch, as `thedeal insight compute` leaves the store."""
    rng = random.Random(seed)
    all_areas = areas()
    found = indicators()
    batch = BatchFactory(generator_version=generator_version)
    chosen = [found[s] for s in (slugs or [d.slug for d in catalogue.CATALOGUE])]
    # Each ward's own level (deprivation, roughly), and each LSOA's around its ward's.
    effect = {code: 0.0 for code, a in all_areas.items() if a.kind == AreaKind.BOROUGH}
    for code, a in all_areas.items():
        if a.kind == AreaKind.WARD:
            effect[code] = rng.gauss(0, 1)
    for code, a in all_areas.items():
        if a.kind == AreaKind.LSOA:
            effect[code] = effect[a.parent.code] + rng.gauss(0, 0.8)
    rows = []
    for indicator in chosen:
        level, spread, drift, share, male = LEVELS[indicator.slug]
        high_is_good = indicator.polarity == catalogue.HIGH_IS_GOOD
        for code, area in all_areas.items():
            if area.kind not in levels:
                continue
            for sex in sexes:
                for t, label in enumerate(periods):
                    rows.append(
                        _value(
                            rng,
                            indicator,
                            area,
                            batch,
                            label,
                            sex,
                            level
                            * math.exp(
                                # A ward that does worse on one indicator tends to on all.
                                spread * effect[code] * (-1 if high_is_good else 1)
                                + drift * (t - len(periods) + 1)
                            )
                            * (1 if sex == Sex.PERSONS else male if sex == Sex.MALE else 2 - male),
                            POPULATION[area.kind] * share / (1 if sex == Sex.PERSONS else 2),
                        )
                    )
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    batch.rows = len(rows)
    batch.save(update_fields=["rows"])
    return batch


def _value(rng, indicator, area, batch, label, sex, expected, population) -> IndicatorValue:
    period = parse_period(label)
    denominator = round(population * rng.uniform(0.85, 1.15))
    common = dict(
        indicator=indicator,
        area=area,
        batch=batch,
        period_label=label,
        period_start=period.start,
        period_end=period.end,
        sex=sex,
        age=indicator.age,
    )
    if indicator.value_type == "Life expectancy":
        if denominator < 5_000:
            # As the method says: not shown for an area under 5,000 people.
            return IndicatorValue(
                **common,
                suppressed=True,
                value_note="Suppressed: fewer than 5,000 people",
                denominator=denominator,
            )
        # A standard error of about 0.6 years for a ward and 0.1 for the borough.
        se = 0.6 * math.sqrt(13_200 / denominator) * expected / 80
        value = expected + rng.gauss(0, se)
        return IndicatorValue(
            **common,
            value=round(value, 2),
            lower95=round(value - 1.96 * se, 2),
            upper95=round(value + 1.96 * se, 2),
            denominator=denominator,
        )
    events = _poisson(rng, expected * denominator / indicator.multiplier)
    if 0 < events <= SMALL or (indicator.value_type != "Proportion" and events < 10):
        reason = "fewer than 10 events" if events > SMALL else "fewer than 8 people"
        return IndicatorValue(
            **common,
            suppressed=True,
            value_note=f"Suppressed: {reason}",
            denominator=denominator,
        )
    if indicator.value_type == "Proportion":
        low, high = _wilson(events, denominator)
        value = events / denominator
        m = indicator.multiplier
        return IndicatorValue(
            **common,
            value=round(value * m, 2),
            lower95=round(low * m, 2),
            upper95=round(high * m, 2),
            count=events,
            denominator=denominator,
        )
    value = events / denominator * indicator.multiplier
    low, high = _byar(events)
    scale = indicator.multiplier / denominator
    return IndicatorValue(
        **common,
        value=round(value, 1),
        lower95=round(low * scale, 1),
        upper95=round(high * scale, 1),
        count=events,
        denominator=denominator,
    )


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    # Knuth's method, for small means.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _wilson(x: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    p = x / n
    centre = (2 * x + z**2) / (2 * (n + z**2))
    half = z * math.sqrt(z**2 + 4 * x * (1 - p)) / (2 * (n + z**2))
    return max(0.0, centre - half), min(1.0, centre + half)


def _byar(x: int, z: float = 1.959964) -> tuple[float, float]:
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return lower, upper

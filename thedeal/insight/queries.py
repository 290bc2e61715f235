"""What insight's public pages show, read from the store in a few indexed queries and made ready
for the templates and the CSV downloads: which figures may be published, each area against the
borough, the trends, the spine, the funnel and the map.

**What may be published.** A value stored as suppressed never leaves this module as a figure,
nor does one whose count or denominator is a small number (1 to 7, the platform's disclosure
threshold): its value, limits and count all read "suppressed", on the page and in the CSV, and
it is left out of everything drawn from the areas together (the wards' range on the spine, the
funnel, the map's classes), so that no figure shown can give it away.

The statistics (thedeal.indicators: NumPy, SciPy, pandas) are imported inside the functions that
use them, so that the site's URL map starts without them.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from thedeal.insight import charts
from thedeal.insight.models import (
    Area,
    AreaKind,
    Batch,
    Indicator,
    IndicatorValue,
    Polarity,
    Sex,
)

SUPPRESSED = "suppressed"
# Counts of 1 to 7 are never published (thedeal.indicators.methods.disclosure's threshold).
SMALL_COUNT_THRESHOLD = 7
LEVELS = {"ward": AreaKind.WARD, "lsoa": AreaKind.LSOA}
LEVEL_NAMES = {"ward": "wards", "lsoa": "LSOAs (neighbourhoods of about 1,500 people)"}

# The groups of the indicators' list, by their type: what an officer would look for together.
GROUPS = {
    "Directly standardised rate": "Hospital admissions and deaths",
    "Proportion": "How people live",
    "Life expectancy": "How long people live, and in good health",
}
IMPORTED_GROUP = "Imported from Fingertips"

FIELDS = (
    "indicator_id",
    "area_id",
    "period_label",
    "period_start",
    "period_end",
    "sex",
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
    "suppressed",
    "value_note",
    "batch_id",
)


@dataclass(frozen=True)
class Figure:
    """One area's value in one period, as it may be published: `value` None when suppressed."""

    area: Area
    period: str
    period_start: object
    period_end: object
    sex: str
    value: float | None
    lower: float | None
    upper: float | None
    lower998: float | None
    upper998: float | None
    count: float | None
    denominator: float | None
    suppressed: bool
    note: str
    batch_id: int

    @property
    def shown(self) -> bool:
        return self.value is not None


def figure(row: tuple, areas: dict[int, Area]) -> Figure:
    """A stored value as it may be published (see the module's docstring)."""
    (_, area_id, label, start, end, sex, value, lower, upper, lower998, upper998, count,
     denominator, suppressed, note, batch_id) = row  # fmt: skip
    small = any(x is not None and 0 < x <= SMALL_COUNT_THRESHOLD for x in (count, denominator))
    if suppressed or value is None or small or not math.isfinite(value):
        reason = note or ("Suppressed: fewer than 8" if small else "Suppressed: no value published")
        return Figure(areas[area_id], label, start, end, sex, None, None, None, None, None,
                      None, None, True, reason, batch_id)  # fmt: skip
    return Figure(areas[area_id], label, start, end, sex, value, lower, upper, lower998,
                  upper998, count, denominator, False, note, batch_id)  # fmt: skip


def number(value: float | None, decimals: int = 1) -> str:
    """A figure as a page shows it: thousands separated, to the indicator's decimals."""
    if value is None:
        return SUPPRESSED
    return f"{value:,.{decimals}f}"


def count_text(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def interval(f: Figure, decimals: int) -> str:
    if not f.shown:
        return SUPPRESSED
    if f.lower is None or f.upper is None:
        return "not given"
    return f"{f.lower:,.{decimals}f} to {f.upper:,.{decimals}f}"


def limits(f: Figure, indicator: Indicator) -> tuple[float | None, float | None]:
    """The limits an indicator is compared at: 99.8% where it says so and they are given."""
    if indicator.comparison_level == Decimal("0.998") and f.lower998 is not None:
        return f.lower998, f.upper998
    return f.lower, f.upper


def compare(f: Figure | None, benchmark: Figure | None, indicator: Indicator) -> str:
    """The area against the benchmark in Fingertips' words (Better, Similar, Worse; Higher,
    Lower where neither is better; Not compared without both figures)."""
    from thedeal.indicators.methods.comparison import NOT_COMPARED, significance

    if f is None or benchmark is None or not f.shown or not benchmark.shown:
        return NOT_COMPARED
    lower, upper = limits(f, indicator)
    return significance(f.value, lower, upper, benchmark.value, polarity=indicator.polarity)


def direction(series: list[Figure], indicator: Indicator) -> str:
    """The direction of travel over the last five published figures (thedeal.indicators
    trends): better or worse only when the trend's 95% interval excludes no change."""
    from thedeal.indicators.methods import IndicatorInputError, trends

    shown = [f for f in series if f.shown]
    try:
        found = trends.trend(
            [f.period_start.year for f in shown],
            [f.value for f in shown],
            [f.lower for f in shown],
            [f.upper for f in shown],
        )
    except IndicatorInputError:
        return "Cannot tell"
    if indicator.polarity == Polarity.NO_JUDGEMENT:
        if found is None:
            return trends.TOO_FEW_FIGURES
        if found.slope_lower <= 0 <= found.slope_upper:
            return trends.NO_SIGNIFICANT_CHANGE
        return "Increasing" if found.slope_lower > 0 else "Decreasing"
    return trends.direction_of_travel(
        found, lower_is_better=indicator.polarity == Polarity.LOW_IS_GOOD
    )


def group_name(indicator: Indicator) -> str:
    if not indicator.computed:
        return IMPORTED_GROUP
    return GROUPS.get(indicator.value_type, "Other indicators")


def _shown(indicators) -> Q:
    """Each indicator's figures for the age group it is shown for (Indicator.age), with no
    category (Fingertips' breakdowns, by deprivation decile for one, are not shown)."""
    ages = Q(pk__in=[])
    for indicator in indicators:
        ages |= Q(indicator_id=indicator.pk, age=indicator.age)
    return ages & Q(category_type="")


def _values(*conditions, indicators, **filters) -> list[tuple]:
    return list(
        IndicatorValue.objects.filter(_shown(indicators), *conditions, **filters)
        .order_by("period_end", "period_start")
        .values_list(*FIELDS)
    )


# --- the list of indicators ------------------------------------------------------------------


@dataclass
class IndicatorSummary:
    indicator: Indicator
    latest: list[Figure] = field(default_factory=list)  # Persons, or each sex where no Persons
    trends: dict[str, str] = field(default_factory=dict)  # sex -> direction of travel

    @property
    def figures(self) -> list[tuple[Figure, str]]:
        """Each latest figure with its trend."""
        return [(f, self.trends[f.sex]) for f in self.latest]


def overview() -> tuple[Area | None, list[tuple[str, list[IndicatorSummary]]]]:
    """Every indicator with the borough's latest value and its trend, in groups (none, and no
    borough, before anything has been loaded)."""
    area = Area.objects.filter(kind=AreaKind.BOROUGH).order_by("code").first()
    if area is None:
        return None, []
    indicators = {i.pk: i for i in Indicator.objects.all()}
    series: dict[tuple[int, str], list[Figure]] = defaultdict(list)
    for row in _values(area=area, indicators=indicators.values()):
        series[row[0], row[5]].append(figure(row, {area.pk: area}))
    groups: dict[str, list[IndicatorSummary]] = defaultdict(list)
    for pk, indicator in indicators.items():
        sexes = [s for s in (Sex.PERSONS, Sex.FEMALE, Sex.MALE) if series.get((pk, s))]
        if Sex.PERSONS in sexes:
            sexes = [Sex.PERSONS]
        summary = IndicatorSummary(indicator)
        for sex in sexes:
            summary.latest.append(series[pk, sex][-1])
            summary.trends[sex] = direction(series[pk, sex], indicator)
        groups[group_name(indicator)].append(summary)
    order = [*GROUPS.values(), "Other indicators", IMPORTED_GROUP]
    return area, [(name, groups[name]) for name in order if groups.get(name)]


def overview_csv() -> list[list[str]]:
    area, groups = overview()
    rows = [
        ["Indicator", "Area", "Period", "Sex", "Value", "Unit", "Lower 95% limit",
         "Upper 95% limit", "Count", "Denominator", "Trend", "Note"]
    ]  # fmt: skip
    for _, summaries in groups:
        for s in summaries:
            for f in s.latest:
                rows.append(_csv_row(s.indicator, f, extra=[s.trends[f.sex]]))
    return rows


def _csv_row(indicator: Indicator, f: Figure, extra: list[str]) -> list[str]:
    d = indicator.decimals
    if not f.shown:
        figures = [SUPPRESSED, indicator.unit, SUPPRESSED, SUPPRESSED, SUPPRESSED, ""]
    else:
        figures = [
            f"{f.value:.{d}f}",
            indicator.unit,
            "" if f.lower is None else f"{f.lower:.{d}f}",
            "" if f.upper is None else f"{f.upper:.{d}f}",
            "" if f.count is None else f"{f.count:.0f}",
            "" if f.denominator is None else f"{f.denominator:.0f}",
        ]
    return [indicator.name, f.area.name, f.period, f.sex, *figures, *extra, f.note]


# --- a ward's profile ------------------------------------------------------------------------


@dataclass
class ProfileRow:
    indicator: Indicator
    ward: Figure | None
    borough: Figure | None
    lowest: float | None
    highest: float | None
    comparison: str
    trend: str
    series: list[Figure]
    borough_series: dict[str, Figure]
    spine: charts.SpineRow | None


@dataclass
class Profile:
    ward: Area
    borough: Area
    sex: str
    sexes: list[str]
    rows: list[ProfileRow]


def ward_profile(code: str, sex: str | None) -> Profile:
    """A ward's indicators against the borough and the other wards, in one period each (the
    ward's latest), with their trends.

    Five small indexed queries, whatever the store holds: the areas, the indicators, the sexes
    the ward has values for, the ward's and the borough's series (about 150 rows), and every
    ward's value in each indicator's latest period (about 300): the wards' earlier periods are
    never read."""

    from thedeal.indicators.methods.comparison import spine_scale

    areas = {a.pk: a for a in Area.objects.filter(kind__in=(AreaKind.BOROUGH, AreaKind.WARD))}
    the_ward = next((a for a in areas.values() if a.code == code and a.kind == AreaKind.WARD), None)
    if the_ward is None:
        raise Http404(f"There is no ward {code}.")
    the_borough = next((a for a in areas.values() if a.kind == AreaKind.BOROUGH), None)
    if the_borough is None:
        raise Http404("No indicators have been loaded yet.")
    indicators = {i.pk: i for i in Indicator.objects.all()}
    sexes = set(
        IndicatorValue.objects.filter(_shown(indicators.values()), area=the_ward)
        .values_list("sex", flat=True)
        .distinct()
    )
    sexes = [s for s in Sex.values if s in sexes]
    sex = sex if sex in sexes else (Sex.PERSONS if Sex.PERSONS in sexes or not sexes else sexes[0])
    series_by_indicator: dict[int, list[Figure]] = defaultdict(list)
    borough_by_indicator: dict[int, dict[str, Figure]] = defaultdict(dict)
    for row in _values(
        area__in=(the_ward.pk, the_borough.pk), sex=sex, indicators=indicators.values()
    ):
        f = figure(row, areas)
        if f.area.pk == the_ward.pk:
            series_by_indicator[row[0]].append(f)
        else:
            borough_by_indicator[row[0]][f.period] = f
    latest_periods = Q(pk__in=[])
    for pk, series in series_by_indicator.items():
        latest_periods |= Q(indicator_id=pk, period_label=series[-1].period)
    wards_latest: dict[int, list[float]] = defaultdict(list)
    for row in _values(
        latest_periods, area__in=list(areas), sex=sex, indicators=indicators.values()
    ):
        f = figure(row, areas)
        if f.shown and f.area.kind == AreaKind.WARD:
            wards_latest[row[0]].append(f.value)

    result = []
    for pk, indicator in indicators.items():
        series = series_by_indicator.get(pk)
        if not series:
            continue
        latest = series[-1]
        borough_series = borough_by_indicator[pk]
        benchmark = borough_series.get(latest.period)
        wards_now = wards_latest[pk]
        comparison = compare(latest, benchmark, indicator)
        spine = None
        scale = None
        if benchmark is not None and benchmark.shown and wards_now:
            scale = spine_scale(wards_now, benchmark.value, polarity=indicator.polarity)
        if scale is not None:
            spine = charts.SpineRow(
                label=indicator.name,
                position=scale.position(latest.value) if latest.shown else None,
                comparison=comparison,
                **scale.positions,
            )
        result.append(
            ProfileRow(
                indicator=indicator,
                ward=latest,
                borough=benchmark,
                lowest=min(wards_now) if wards_now else None,
                highest=max(wards_now) if wards_now else None,
                comparison=comparison,
                trend=direction(series, indicator),
                series=series,
                borough_series=borough_series,
                spine=spine,
            )
        )
    return Profile(the_ward, the_borough, sex, sexes, result)


def profile_csv(profile: Profile) -> list[list[str]]:
    rows = [
        ["Indicator", "Area", "Period", "Sex", "Value", "Unit", "Lower 95% limit",
         "Upper 95% limit", "Count", "Denominator", "Borough value", "Lowest ward",
         "Highest ward", "Compared with the borough", "Trend", "Note"]
    ]  # fmt: skip
    for r in profile.rows:
        d = r.indicator.decimals
        benchmark = "" if r.borough is None else number(r.borough.value, d).replace(",", "")
        extra = [
            benchmark,
            "" if r.lowest is None else f"{r.lowest:.{d}f}",
            "" if r.highest is None else f"{r.highest:.{d}f}",
            r.comparison,
            r.trend,
        ]
        rows.append(_csv_row(r.indicator, r.ward, extra=extra))
    return rows


def trends_csv(profile: Profile, slug: str | None) -> list[list[str]]:
    rows = [
        ["Indicator", "Area", "Period", "Sex", "Value", "Unit", "Lower 95% limit",
         "Upper 95% limit", "Count", "Denominator", "Borough value", "Note"]
    ]  # fmt: skip
    chosen = [r for r in profile.rows if slug is None or r.indicator.slug == slug]
    if slug is not None and not chosen:
        raise Http404(f"The ward has no values of {slug}.")
    for r in chosen:
        for f in r.series:
            benchmark = r.borough_series.get(f.period)
            value = "" if benchmark is None else number(benchmark.value, r.indicator.decimals)
            rows.append(_csv_row(r.indicator, f, extra=[value.replace(",", "")]))
    return rows


def trend_points(row: ProfileRow) -> list[charts.TrendPoint]:
    points = []
    for f in row.series:
        benchmark = row.borough_series.get(f.period)
        points.append(
            charts.TrendPoint(
                period=f.period,
                value=f.value,
                lower=f.lower,
                upper=f.upper,
                benchmark=benchmark.value if benchmark is not None else None,
            )
        )
    return points


@dataclass
class BoroughTrend:
    """One indicator's series for the borough, women's and men's side by side by period."""

    indicator: Indicator
    borough: Area
    periods: list[tuple[str, Figure | None, Figure | None]]  # (period, women's, men's)

    def points(self) -> list[charts.TrendPoint]:
        """Women's figures with their intervals, and men's as the comparison line."""
        return [
            charts.TrendPoint(
                period=period,
                value=women.value if women else None,
                lower=women.lower if women else None,
                upper=women.upper if women else None,
                benchmark=men.value if men else None,
            )
            for period, women, men in self.periods
        ]


def borough_trend(slug: str) -> BoroughTrend | None:
    """The borough's figures for one indicator in every period, by sex (None before the
    indicator, or the borough, has any)."""
    found = Indicator.objects.filter(slug=slug).first()
    borough = Area.objects.filter(kind=AreaKind.BOROUGH).order_by("code").first()
    if found is None or borough is None:
        return None
    by_period: dict[str, dict[str, Figure]] = defaultdict(dict)
    rows = _values(area=borough, sex__in=(Sex.FEMALE, Sex.MALE), indicators=[found])
    for row in rows:
        f = figure(row, {borough.pk: borough})
        by_period[f.period][f.sex] = f
    if not by_period:
        return None
    periods = [(p, by_sex.get(Sex.FEMALE), by_sex.get(Sex.MALE)) for p, by_sex in by_period.items()]
    return BoroughTrend(found, borough, periods)


# --- an indicator across the borough ---------------------------------------------------------


@dataclass
class AreaRow:
    figure: Figure
    comparison: str
    funnel: str  # the funnel's significance, "" when not on the funnel
    colour_class: int | None


@dataclass
class IndicatorPage:
    indicator: Indicator
    borough: Figure | None
    level: str
    period: str
    periods: list[str]
    sex: str
    sexes: list[str]
    rows: list[AreaRow]
    batches: list[Batch]
    funnel_svg: str
    funnel_note: str
    map_svg: str
    classes: list[charts.LegendClass]
    straddling: int
    lsoas: int


def indicator(slug: str) -> Indicator:
    found = Indicator.objects.filter(slug=slug).first()
    if found is None:
        raise Http404(f"There is no indicator {slug}.")
    return found


def indicator_page(slug: str, *, period: str | None, sex: str | None, level: str) -> IndicatorPage:
    """One indicator in one period for every ward (or LSOA): the table, the funnel and the map,
    each area against the borough."""
    the_indicator = indicator(slug)
    kind = LEVELS.get(level, AreaKind.WARD)
    level = "lsoa" if kind == AreaKind.LSOA else "ward"
    choices = (
        IndicatorValue.objects.filter(_shown([the_indicator]))
        .values_list("period_label", "period_end", "sex")
        .distinct()
    )
    seen = sorted(set(choices), key=lambda c: c[1])
    periods = list(dict.fromkeys(label for label, _, _ in seen))
    sexes = [s for s in Sex.values if any(c[2] == s for c in seen)]
    if not periods:
        raise Http404(f"{the_indicator.name} has no values yet.")
    period = period if period in periods else periods[-1]
    sex = sex if sex in sexes else (Sex.PERSONS if Sex.PERSONS in sexes else sexes[0])

    areas = {a.pk: a for a in Area.objects.filter(kind__in=(AreaKind.BOROUGH, kind))}
    values = _values(area__in=list(areas), period_label=period, sex=sex, indicators=[the_indicator])
    figures = [figure(row, areas) for row in values]
    benchmark = next((f for f in figures if f.area.kind == AreaKind.BOROUGH), None)
    local = sorted((f for f in figures if f.area.kind == kind), key=lambda f: f.area.name)
    classes, assigned = quantile_classes(local, the_indicator.decimals)
    funnel = cached_funnel(the_indicator, local, key=(period, sex, level))
    rows = [
        AreaRow(
            figure=f,
            comparison=compare(f, benchmark, the_indicator),
            funnel=funnel.significance.get(f.area.code, ""),
            colour_class=assigned.get(f.area.code),
        )
        for f in local
    ]
    batch_ids = {f.batch_id for f in figures}
    batches = list(Batch.objects.filter(pk__in=batch_ids).order_by("-created_at"))
    name = LEVEL_NAMES[level]
    unit = the_indicator.unit
    funnel_svg = ""
    if funnel.points:
        funnel_svg = charts.funnel_plot(
            funnel.points,
            funnel.limits,
            average=funnel.average,
            title=f"{the_indicator.name}, {period}: a funnel plot of the {name.split(' ')[0]}",
            unit=unit,
            x_label=funnel.x_label,
            chart_id="funnel",
        )
    map_svg = area_map(the_indicator, rows, level=level, period=period, sex=sex, classes=classes)
    return IndicatorPage(
        indicator=the_indicator,
        borough=benchmark,
        level=level,
        period=period,
        periods=periods,
        sex=sex,
        sexes=sexes,
        rows=rows,
        batches=batches,
        funnel_svg=funnel_svg,
        funnel_note=funnel.note,
        map_svg=map_svg,
        classes=classes,
        straddling=straddling_count(),
        lsoas=lsoa_count(),
    )


def indicator_csv(page: IndicatorPage) -> list[list[str]]:
    rows = [
        ["Indicator", "Area", "Area code", "Period", "Sex", "Value", "Unit", "Lower 95% limit",
         "Upper 95% limit", "Count", "Denominator", "Borough value",
         "Compared with the borough", "Funnel plot", "Note"]
    ]  # fmt: skip
    d = page.indicator.decimals
    benchmark = "" if page.borough is None else number(page.borough.value, d).replace(",", "")
    for r in page.rows:
        row = _csv_row(page.indicator, r.figure, extra=[benchmark, r.comparison, r.funnel])
        rows.append([*row[:2], r.figure.area.code, *row[2:]])
    return rows


# --- the map's classes -----------------------------------------------------------------------

CLASS_NAMES = ("Lowest fifth", "Second fifth", "Middle fifth", "Fourth fifth", "Highest fifth")


def quantile_classes(
    figures: list[Figure], decimals: int
) -> tuple[list[charts.LegendClass], dict[str, int]]:
    """Fifths of the published values (fewer classes when there are fewer than five values),
    lowest to highest, each labelled with the range of values in it; suppressed areas are in
    none. Ties stay in one class."""
    shown = sorted((f for f in figures if f.shown), key=lambda f: f.value)
    if not shown:
        return [], {}
    count = min(len(CLASS_NAMES), len({f.value for f in shown}))
    assigned: dict[str, int] = {}
    members: list[list[float]] = [[] for _ in range(count)]
    previous: tuple[float, int] | None = None
    for rank, f in enumerate(shown):
        n = min(rank * count // len(shown), count - 1)
        if previous is not None and f.value == previous[0]:
            n = previous[1]  # equal values share a class
        assigned[f.area.code] = n
        members[n].append(f.value)
        previous = (f.value, n)
    classes = []
    palette = _palette(count)
    names = CLASS_NAMES if count == 5 else [f"Class {n + 1} of {count}" for n in range(count)]
    used = [n for n in range(count) if members[n]]
    # A class left empty by ties is dropped and the rest renumbered.
    renumber = {old: new for new, old in enumerate(used)}
    for new, old in enumerate(used):
        low, high = min(members[old]), max(members[old])
        span = (
            f"{low:,.{decimals}f}"
            if low == high
            else f"{low:,.{decimals}f} to {high:,.{decimals}f}"
        )
        label = f"{names[old]}: {span}" if len(used) == count else f"{span}"
        classes.append(charts.LegendClass(label=label, colour=palette[old]))
        del new
    return classes, {code: renumber[n] for code, n in assigned.items()}


def _palette(count: int) -> list[str]:
    """`count` colours from the map's five, spread from lightest to darkest."""
    colours = charts.MAP_COLOURS
    if count == 1:
        return [colours[2]]
    return [colours[round(i * (len(colours) - 1) / (count - 1))] for i in range(count)]


# --- the funnel ------------------------------------------------------------------------------


@dataclass
class Funnel:
    points: list[charts.FunnelPoint] = field(default_factory=list)
    limits: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    average: float = 0.0
    x_label: str = ""
    significance: dict[str, str] = field(default_factory=dict)
    note: str = ""


def cached_funnel(indicator: Indicator, figures: list[Figure], *, key: tuple) -> Funnel:
    """The funnel, worked out once for each set of values: the Poisson limits of a rate take
    about 100 ms to find, and the values change only with a new batch (so the batches are in
    the cache's key, and a new import or compute run is a new key)."""
    from django.core.cache import cache

    batches = ",".join(str(b) for b in sorted({f.batch_id for f in figures}))
    name = f"insight:funnel:{indicator.pk}:{indicator.value_type}:{':'.join(key)}:{batches}"
    name = name.replace(" ", "_")
    found = cache.get(name)
    if found is None:
        found = funnel_points(indicator, figures)
        cache.set(name, found, timeout=24 * 3600)
    return found


def funnel_points(indicator: Indicator, figures: list[Figure]) -> Funnel:
    """The published areas on a funnel plot with the PHE method (thedeal.indicators.funnels):
    proportions against their denominators, rates against one year's population; the average
    and the limits from the published areas alone."""
    kind = indicator.value_type.lower()
    shown = [f for f in figures if f.shown and f.count is not None and f.denominator]
    if "life expectancy" in kind:
        return Funnel(note="Life expectancy has no count to draw a funnel plot from.")
    if "proportion" in kind:
        statistic = "proportion"
    elif "rate" in kind:
        statistic = "rate"
    else:
        return Funnel(note=f"A funnel plot is drawn for proportions and rates, not for a {kind}.")
    if len(shown) < 3:
        return Funnel(note="Too few areas have a published count to draw a funnel plot.")

    import pandas as pd

    from thedeal.indicators.methods import funnels

    frame = pd.DataFrame(
        {
            "code": [f.area.code for f in shown],
            "numerator": [f.count for f in shown],
            "denominator": [f.denominator for f in shown],
            "value": [f.value for f in shown],
        }
    )
    multiplier = indicator.multiplier
    funnel = Funnel()
    if statistic == "proportion":
        table = funnels.funnel_limits(
            frame, "numerator", "denominator", statistic="proportion", multiplier=multiplier
        )
        significance = funnels.funnel_significance(
            frame, "numerator", "denominator", statistic="proportion", multiplier=multiplier
        )
        x = table["Population"].tolist()
        for name in ("lower_2s", "upper_2s", "lower_3s", "upper_3s"):
            funnel.limits[name] = list(zip(x, table[f"{name}_limit"].tolist(), strict=True))
        xs = frame["denominator"].tolist()
        funnel.x_label = "Denominator (people)"
    else:
        rate_type = "dsr" if "standardised" in kind else "crude"
        common = dict(rate="value", statistic="rate", multiplier=multiplier, rate_type=rate_type)
        table = funnels.funnel_limits(frame, "numerator", "denominator", years_of_data=1, **common)
        significance = funnels.funnel_significance(frame, "numerator", "denominator", **common)
        derived = funnels.funnel_points(
            frame, "numerator", "denominator", years_of_data=1, **common
        )
        for name in ("lower_2s", "upper_2s", "lower_3s", "upper_3s"):
            funnel.limits[name] = list(
                zip(
                    table[f"{name}_population_1_year"].tolist(),
                    table[f"{name}_limit"].tolist(),
                    strict=True,
                )
            )
        xs = derived["denominator_derived"].tolist()
        funnel.x_label = "Population (one year)"
    funnel.average = float(table["baseline"].iloc[0])
    labels = significance["significance"].astype(str).tolist()
    for f, px, label in zip(shown, xs, labels, strict=True):
        if px is None or not math.isfinite(px):
            continue
        funnel.points.append(charts.FunnelPoint(f.area.name, px, f.value, label))
        funnel.significance[f.area.code] = label
    return funnel


# --- the map ---------------------------------------------------------------------------------

MAP_WIDTH = 440


@functools.cache
def map_paths(level: str):
    """The wards' or LSOAs' outlines as SVG paths, drawn once per process (the geometry does
    not change while the site runs)."""
    from thedeal.geography import wards

    shapes = wards.lsoa_shapes() if level == "lsoa" else wards.ward_shapes()
    return wards.svg_paths(shapes, MAP_WIDTH, margin=4)


@functools.cache
def straddling_count() -> int:
    from thedeal.geography import wards

    return len(wards.straddling())


@functools.cache
def lsoa_count() -> int:
    from thedeal.geography import wards

    return len(wards.best_fit())


def area_map(
    indicator: Indicator,
    rows: list[AreaRow],
    *,
    level: str,
    period: str,
    sex: str,
    classes: list[charts.LegendClass],
) -> str:
    drawn = map_paths(level)
    by_code = {r.figure.area.code: r for r in rows}
    areas = []
    from django.urls import reverse

    for code, path in drawn.paths.items():
        row = by_code.get(code)
        if row is None:
            label, suppressed, colour = f"{code}: no value", False, None
            href = "#values"
        else:
            f = row.figure
            if f.shown:
                label = f"{f.area.name}: {number(f.value, indicator.decimals)} {indicator.unit}"
            else:
                label = f"{f.area.name}: suppressed"
            suppressed, colour = not f.shown, row.colour_class
            href = reverse("insight:ward", args=[code]) if level == "ward" else f"#area-{code}"
        areas.append(charts.MapArea(code, path, href, label.strip(), colour, suppressed=suppressed))
    name = LEVEL_NAMES[level].split(" ")[0]
    return charts.choropleth(
        areas,
        width=drawn.width,
        height=drawn.height,
        classes=classes,
        title=f"{indicator.name}, {period}, {sex}: a map of the {name}",
        desc=(
            f"The {name} shaded by their value, lightest lowest; hatched where the value is "
            "suppressed. Each area is a link. The same figures are in the table below the map."
        ),
        chart_id=f"map-{level}",
    )

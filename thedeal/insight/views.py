"""Insight's public pages: thin views over insight.queries, which reads the store and decides
what may be published, and insight.charts, which draws it. Every table has its CSV, with the
same figures ("suppressed" where the page says so)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from thedeal.insight import charts, queries
from thedeal.insight.models import Area, AreaKind
from thedeal.insight.queries import LEVEL_NAMES


def _csv(rows: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows([[_inert(cell) for cell in row] for row in rows])
    return response


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: an imported indicator's name comes from
    a file, and "=HYPERLINK(...)" in it must reach the reader as text. Numbers, negative ones
    included, are left as they are."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


@require_safe
def index(request):
    """Every indicator with the borough's latest value and trend, and the wards to look at."""
    area, groups = queries.overview()
    wards = Area.objects.filter(kind=AreaKind.WARD).order_by("name")
    return render(
        request,
        "insight/index.html",
        {"borough": area, "groups": groups, "wards": wards, "suppressed": queries.SUPPRESSED},
    )


@require_safe
def index_csv(request):
    return _csv(queries.overview_csv(), "insight-borough-indicators.csv")


@require_safe
def ward(request, code: str):
    """A ward's profile: its spine chart, its table against the borough and the wards, and a
    small trend chart with its table for each indicator."""
    profile = queries.ward_profile(code, request.GET.get("sex"))
    spine_rows = [r.spine for r in profile.rows if r.spine is not None]
    spine = charts.spine_chart(
        spine_rows,
        title=(
            f"{profile.ward.name}: its indicators against {profile.borough.name} "
            f"(the line down the middle) and the range of its wards ({profile.sex})"
        ),
        chart_id="spine",
    )
    trends = [
        {
            "row": row,
            "points": [
                {"figure": f, "borough": row.borough_series.get(f.period)} for f in row.series
            ],
            "svg": charts.trend_chart(
                queries.trend_points(row),
                title=f"{row.indicator.name} in {profile.ward.name}, each period ({profile.sex})",
                unit=row.indicator.unit,
                area_name=profile.ward.name,
                benchmark_name=profile.borough.name,
                chart_id=f"trend-{row.indicator.slug}",
            ),
        }
        for row in profile.rows
    ]
    return render(
        request,
        "insight/ward.html",
        {
            "profile": profile,
            "spine": spine,
            "trends": trends,
            "suppressed": queries.SUPPRESSED,
        },
    )


@require_safe
def ward_csv(request, code: str):
    profile = queries.ward_profile(code, request.GET.get("sex"))
    return _csv(
        queries.profile_csv(profile), f"insight-{profile.ward.code}-{profile.sex.lower()}.csv"
    )


@require_safe
def ward_trends_csv(request, code: str):
    profile = queries.ward_profile(code, request.GET.get("sex"))
    slug = request.GET.get("indicator") or None
    suffix = f"-{slug}" if slug else ""
    return _csv(
        queries.trends_csv(profile, slug),
        f"insight-{profile.ward.code}-trends{suffix}-{profile.sex.lower()}.csv",
    )


def _indicator_page(request, slug: str) -> queries.IndicatorPage:
    return queries.indicator_page(
        slug,
        period=request.GET.get("period"),
        sex=request.GET.get("sex"),
        level=request.GET.get("level", "ward"),
    )


@require_safe
def indicator(request, slug: str):
    """One indicator: what it is and where it comes from; a funnel plot and a map of the wards
    (or LSOAs) in the period chosen, with the values in a table."""
    page = _indicator_page(request, slug)
    return render(
        request,
        "insight/indicator.html",
        {
            "page": page,
            "level_name": LEVEL_NAMES[page.level],
            "suppressed": queries.SUPPRESSED,
            "query": request.GET.urlencode(),
        },
    )


@require_safe
def indicator_csv(request, slug: str):
    page = _indicator_page(request, slug)
    period = page.period.replace("/", "-").replace(" ", "")
    return _csv(
        queries.indicator_csv(page),
        f"insight-{slug}-{page.level}-{period}-{page.sex.lower()}.csv",
    )

"""Casework's reports: counts for practitioners, commissioners and analysts (analysts see counts,
never a person, so nothing here links to one). Every figure has been through the disclosure
rules (casework.reports), on the page and in each table's CSV download alike."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from thedeal.accounts.models import Role, does_casework, roles_of
from thedeal.accounts.views import verified_staff
from thedeal.casework.reports_charts import bar_chart, change_chart
from thedeal.casework.reports_forms import PeriodForm

if TYPE_CHECKING:
    from thedeal.casework import reports


def may_see_reports(user: Any) -> bool:
    """Practitioners and administrators (who do casework), and analysts, who see only counts."""
    if does_casework(user):
        return True
    return user.is_authenticated and user.is_active and Role.ANALYST in roles_of(user)


def reports_only(view: Any) -> Any:
    """Signed in, past two-factor, never cached (verified_staff), and a role that reads reports
    (else 403)."""

    @verified_staff
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not may_see_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _figure(value: object) -> float | None:
    from thedeal.casework import reports  # pandas and scipy: only when a report is asked for

    return None if reports._missing(value) else float(value)  # type: ignore[arg-type]


def _bars(table: reports.Table, label: str, count: str) -> list[tuple[str, float | None]]:
    return [
        (str(record[label]), _figure(record[count]))
        for record in table.frame.to_dict("records")
        if not record.get("is_total")
    ]


@reports_only
@require_safe
def overview(request):
    from thedeal.casework import reports  # pandas and scipy: only when a report is asked for

    form = PeriodForm(request.GET or None)
    period = reports.period(form.chosen())
    tables = reports.tables(period)
    charts = {
        "by-outcome": bar_chart(
            _bars(tables["by-outcome"], "outcome", "referrals"),
            title="Referrals by outcome",
            chart_id="chart-by-outcome",
        ),
        "time-to-answer": bar_chart(
            _bars(tables["time-to-answer"], "band", "referrals"),
            title="Time to answer a referral",
            chart_id="chart-time-to-answer",
        ),
        "time-to-first-contact": bar_chart(
            _bars(tables["time-to-first-contact"], "band", "referrals"),
            title="Time to first contact",
            chart_id="chart-time-to-first-contact",
        ),
        "wellbeing": change_chart(
            [
                (
                    str(r["measure"]),
                    _figure(r["value"]),
                    _figure(r.get("lowercl")),
                    _figure(r.get("uppercl")),
                )
                for r in tables["wellbeing"].frame.to_dict("records")
            ],
            title="Mean change from first contact to review, with 95% confidence intervals",
            chart_id="chart-wellbeing",
        ),
    }
    sections = [
        {
            "table": table,
            "chart": charts.get(key, ""),
            "rows": zip(table.cells(), table.is_total, strict=True),
        }
        for key, table in tables.items()
    ]
    return render(
        request,
        "casework/reports/overview.html",
        {
            "form": form,
            "period": period,
            "sections": sections,
            "query": f"?period={period.key}",
            "suppressed": reports.SUPPRESSED,
            "threshold": reports.THRESHOLD,
        },
    )


@reports_only
@require_safe
def download(request, key: str):
    """One table as CSV: the same published figures as the page, with the notes saying why a
    figure is suppressed."""
    from thedeal.casework import reports  # pandas and scipy: only when a report is asked for

    if key not in reports.REPORTS:
        raise Http404
    form = PeriodForm(request.GET or None)
    period = reports.period(form.chosen())
    table = reports.REPORTS[key](period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="casework-{key}-{period.key}-{period.end:%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    for row in table.csv_rows():
        writer.writerow(row)
    return response

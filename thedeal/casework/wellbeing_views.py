"""A practitioner's pages for well-being measures: record them (at a first contact and at each
review), and read every measure with its scores and ONS's bands, the change from the first to
the latest, and a chart with a table as its text alternative. Every page is audited and never
cached (casework_only); writes go through casework.wellbeing_actions."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.casework import conversations_actions, wellbeing_actions, wellbeing_chart
from thedeal.casework.access import GET_OR_POST, casework_only
from thedeal.casework.access import person_or_404 as _person_or_404
from thedeal.casework.measures import ons4, ons4_change, swemwbs, swemwbs_change
from thedeal.casework.wellbeing_forms import MeasuresForm


def well_being(person) -> dict[str, object]:
    """A person's measures, oldest first, with the chart, its table's rows, and the change from
    the first measure of each scale to the latest."""
    measures = list(person.measures.select_related("conversation").order_by("taken_on", "pk"))
    rows = wellbeing_chart.rows(measures)
    with_ons4 = [m for m in measures if m.ons4() is not None]
    with_swemwbs = [m for m in measures if m.swemwbs() is not None]
    return {
        "measures": measures,
        "measure_rows": rows,
        "ons4_chart": wellbeing_chart.ons4_chart(rows, chart_id="ons4-chart"),
        "swemwbs_chart": wellbeing_chart.swemwbs_chart(rows, chart_id="swemwbs-chart"),
        "ons4_change": (
            ons4_change(with_ons4[0].ons4(), with_ons4[-1].ons4()) if len(with_ons4) > 1 else None
        ),
        "ons4_change_dates": (with_ons4[0].taken_on, with_ons4[-1].taken_on) if with_ons4 else (),
        "swemwbs_change": (
            swemwbs_change(with_swemwbs[0].swemwbs(), with_swemwbs[-1].swemwbs())
            if len(with_swemwbs) > 1
            else None
        ),
        "swemwbs_change_dates": (
            (with_swemwbs[0].taken_on, with_swemwbs[-1].taken_on) if with_swemwbs else ()
        ),
        "ons4_names": [item.name for item in ons4.items()],
    }


def on_person_page(request, person) -> dict[str, object]:
    return well_being(person)


@casework_only
@require_safe
def measures(request, reference):
    person = _person_or_404(request, reference)
    conversations_actions.record_look(
        person=person, record=None, record_type="wellbeing-measures", by=request.user
    )
    context = well_being(person)
    context.update(
        {
            "person": person,
            "heading": "Well-being measures",
            "copyright": swemwbs.COPYRIGHT,
            "done": "The measures have been recorded"
            if request.GET.get("done") == "recorded"
            else "",
        }
    )
    return render(request, "casework/wellbeing/measures.html", context)


@casework_only
@require_http_methods(GET_OR_POST)
def new_measures(request, reference):
    person = _person_or_404(request, reference)
    # From a conversation's page: that conversation, chosen for them.
    came_from = request.GET.get("conversation", "")
    came_from = person.conversations.filter(pk=came_from).first() if came_from.isdigit() else None
    form = MeasuresForm(
        request.POST if request.method == "POST" else None, person=person, conversation=came_from
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wellbeing_actions.record_measures(
            person=person,
            taken_on=data["taken_on"],
            occasion=data["occasion"],
            answers=data["answers"],
            pam_score=data["pam_score"],
            conversation=data["conversation"],
            by=request.user,
        )
        return redirect(f"{reverse('casework:wellbeing', args=[person.reference])}?done=recorded")
    if request.method != "POST":
        conversations_actions.record_look(
            person=person, record=person, record_type="person", by=request.user,
            reason="to record well-being measures",
        )  # fmt: skip
    return render(
        request,
        "casework/wellbeing/new.html",
        {
            "person": person,
            "form": form,
            "heading": "Record well-being measures",
            "copyright": swemwbs.COPYRIGHT,
        },
    )


urls = [
    path("wellbeing/", measures, name="wellbeing"),
    path("wellbeing/new/", new_measures, name="new-measures"),
]

"""A practitioner's pages for a person's plan: agree it, read it, add goals and actions, change
an action's status, say how a goal went, and close it. Every page is audited and never cached
(casework_only); writes go through casework.plans_actions."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.casework import plans_actions as actions
from thedeal.casework import plans_forms as forms
from thedeal.casework.access import GET_OR_POST, casework_only
from thedeal.casework.access import person_or_404 as _person_or_404
from thedeal.casework.conversations_actions import record_look
from thedeal.casework.forms import layout
from thedeal.casework.models import Action, Goal, Plan

DONE = {
    "agreed": "The plan has been agreed",
    "goal": "The goal has been added",
    "action": "The action has been added",
    "status": "The action's status has been changed",
    "outcome": "The goal has been updated",
    "closed": "The plan has been closed",
}


def on_person_page(request, person) -> dict[str, object]:
    """The person page's section: their open plan, with its goals, and their closed plans."""
    plans = list(person.plans.select_related("responsible_for_review").prefetch_related("goals"))
    return {
        "open_plan": next((p for p in plans if p.is_open), None),
        "closed_plans": [p for p in plans if not p.is_open],
    }


def _plan_url(plan: Plan, done: str = "") -> str:
    url = reverse("casework:plan", args=[plan.person.reference, plan.pk])
    return f"{url}?done={done}" if done else url


def _goal_url(goal: Goal, done: str = "") -> str:
    url = reverse("casework:goal", args=[goal.plan.person.reference, goal.pk])
    return f"{url}?done={done}" if done else url


def blocks(form) -> list[dict[str, object]]:
    """The form's fields as casework draws them, but a 0-10 or 1-10 scale as one row of small
    radios (eleven stacked radios would make the page long for one number)."""
    found = []
    for item in layout(form):
        field = item.get("field")
        if item["kind"] == "radios" and len(field.field.choices) > 6:  # type: ignore[union-attr]
            found.append({"kind": "scale", "field": field})
        else:
            found.append({"kind": "other", "items": [item]})
    return found


def _page(request, template: str, person, form, heading: str, **context):
    return render(
        request,
        template,
        {"person": person, "form": form, "blocks": blocks(form), "heading": heading, **context},
    )


def _open_plan_or_404(person, pk: int) -> Plan:
    # A closed plan is kept as it was: nothing is added to it or changed in it.
    return get_object_or_404(Plan, pk=pk, person=person, closed_on__isnull=True)


def _goal_or_404(person, pk: int, *, open_plan: bool = True) -> Goal:
    goal = get_object_or_404(
        Goal.objects.select_related("plan", "category"), pk=pk, plan__person=person
    )
    if open_plan and not goal.plan.is_open:
        raise Http404
    return goal


@casework_only
@require_http_methods(GET_OR_POST)
def new_plan(request, reference):
    person = _person_or_404(request, reference)
    existing = person.plans.filter(closed_on__isnull=True).first()
    if existing is not None:
        # One open plan at a time: the open one is where the work goes on.
        return redirect(_plan_url(existing))
    form = forms.PlanForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        form.agreed_on.set_initial(timezone.localdate())
        form.initial["responsible_for_review"] = request.user.pk
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = actions.agree_plan(
                person=person,
                agreed_on=data["agreed_on"],
                agreed_with=data["agreed_with"],
                review_on=data["review_on"],
                responsible_for_review=data["responsible_for_review"],
                by=request.user,
            )
        except actions.PlanAlreadyOpen as already:
            return redirect(_plan_url(already.plan))
        return redirect(_plan_url(plan, "agreed"))
    if request.method != "POST":
        record_look(person=person, record=person, record_type="person", by=request.user,
                    reason="to agree a plan")  # fmt: skip
    return _page(request, "casework/plan/form.html", person, form, "Agree a plan",
                 button="Agree plan")  # fmt: skip


@casework_only
@require_safe
def plan(request, reference, pk):
    person = _person_or_404(request, reference)
    plan = get_object_or_404(
        Plan.objects.select_related("responsible_for_review"), pk=pk, person=person
    )
    record_look(person=person, record=plan, record_type="plan", by=request.user)
    goals = plan.goals.select_related("category").prefetch_related("actions")
    return render(
        request,
        "casework/plan/plan.html",
        {
            "person": person,
            "plan": plan,
            "goals": goals,
            "heading": "Plan" if plan.is_open else f"Plan closed on {plan.closed_on:%-d %B %Y}",
            "done": DONE.get(request.GET.get("done", "")),
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def close_plan(request, reference, pk):
    person = _person_or_404(request, reference)
    plan = _open_plan_or_404(person, pk)
    form = forms.ClosePlanForm(request.POST if request.method == "POST" else None, plan=plan)
    if not form.is_bound:
        form.closed_on.set_initial(timezone.localdate())
    if request.method == "POST" and form.is_valid():
        actions.close_plan(
            plan=plan,
            closed_on=form.cleaned_data["closed_on"],
            summary=form.cleaned_data["closing_summary"],
            by=request.user,
        )
        return redirect(_plan_url(plan, "closed"))
    if request.method != "POST":
        record_look(person=person, record=plan, record_type="plan", by=request.user,
                    reason="to close the plan")  # fmt: skip
    return _page(request, "casework/plan/form.html", person, form, "Close the plan",
                 button="Close plan", plan=plan)  # fmt: skip


@casework_only
@require_http_methods(GET_OR_POST)
def new_goal(request, reference, pk):
    person = _person_or_404(request, reference)
    plan = _open_plan_or_404(person, pk)
    form = forms.GoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        goal = actions.add_goal(
            plan=plan,
            in_their_words=data["in_their_words"],
            importance=int(data["importance"]),
            category=data["category"],
            by=request.user,
        )
        return redirect(_goal_url(goal, "goal"))
    if request.method != "POST":
        record_look(person=person, record=plan, record_type="plan", by=request.user,
                    reason="to add a goal")  # fmt: skip
    return _page(request, "casework/plan/form.html", person, form, "Add a goal",
                 button="Add goal", plan=plan)  # fmt: skip


@casework_only
@require_safe
def goal(request, reference, pk):
    person = _person_or_404(request, reference)
    goal = _goal_or_404(person, pk, open_plan=False)
    record_look(person=person, record=goal, record_type="goal", by=request.user)
    return render(
        request,
        "casework/plan/goal.html",
        {
            "person": person,
            "goal": goal,
            "plan": goal.plan,
            "actions": goal.actions.all(),
            "heading": "Goal",
            "done": DONE.get(request.GET.get("done", "")),
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def goal_outcome(request, reference, pk):
    person = _person_or_404(request, reference)
    goal = _goal_or_404(person, pk)
    form = forms.GoalOutcomeForm(
        request.POST if request.method == "POST" else None,
        initial={"status": goal.status, "outcome": goal.outcome},
    )
    if request.method == "POST" and form.is_valid():
        actions.record_goal_outcome(
            goal=goal,
            status=form.cleaned_data["status"],
            outcome=form.cleaned_data["outcome"],
            by=request.user,
        )
        return redirect(_goal_url(goal, "outcome"))
    if request.method != "POST":
        record_look(person=person, record=goal, record_type="goal", by=request.user,
                    reason="to say how the goal went")  # fmt: skip
    return _page(request, "casework/plan/form.html", person, form, "How the goal went",
                 button="Save", goal=goal)  # fmt: skip


@casework_only
@require_http_methods(GET_OR_POST)
def new_action(request, reference, pk):
    person = _person_or_404(request, reference)
    goal = _goal_or_404(person, pk)
    form = forms.ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_action(
            goal=goal,
            description=data["description"],
            who=data["who"],
            due_on=data["due_on"],
            status=data["status"],
            confidence=data["confidence"],
            by=request.user,
        )
        return redirect(_goal_url(goal, "action"))
    if request.method != "POST":
        record_look(person=person, record=goal, record_type="goal", by=request.user,
                    reason="to add an action")  # fmt: skip
    return _page(request, "casework/plan/form.html", person, form, "Add an action",
                 button="Add action", goal=goal)  # fmt: skip


@casework_only
@require_http_methods(GET_OR_POST)
def action_status(request, reference, pk):
    person = _person_or_404(request, reference)
    action = get_object_or_404(
        Action.objects.select_related("goal__plan"),
        pk=pk,
        goal__plan__person=person,
        goal__plan__closed_on__isnull=True,
    )
    form = forms.ActionStatusForm(
        request.POST if request.method == "POST" else None, initial={"status": action.status}
    )
    if request.method == "POST" and form.is_valid():
        actions.change_action_status(
            action=action, status=form.cleaned_data["status"], by=request.user
        )
        return redirect(_goal_url(action.goal, "status"))
    if request.method != "POST":
        record_look(person=person, record=action, record_type="action", by=request.user,
                    reason="to change its status")  # fmt: skip
    return _page(request, "casework/plan/form.html", person, form, "Change the action's status",
                 button="Save", goal=action.goal, action=action)  # fmt: skip


urls = [
    path("plans/new/", new_plan, name="new-plan"),
    path("plans/<int:pk>/", plan, name="plan"),
    path("plans/<int:pk>/close/", close_plan, name="close-plan"),
    path("plans/<int:pk>/goals/new/", new_goal, name="new-goal"),
    path("goals/<int:pk>/", goal, name="goal"),
    path("goals/<int:pk>/outcome/", goal_outcome, name="goal-outcome"),
    path("goals/<int:pk>/actions/new/", new_action, name="new-action"),
    path("actions/<int:pk>/status/", action_status, name="action-status"),
]

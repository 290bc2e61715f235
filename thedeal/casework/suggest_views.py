"""A practitioner's pages for connecting a person to services: suggestions for a goal (or for
the person), signposting (with a page to print), referring, and each referral's history with
the referrer's next steps. Every page about a person is audited and never cached."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.casework import actions, suggest_actions, suggest_queries
from thedeal.casework import forms as casework_forms
from thedeal.casework import suggest_forms as forms
from thedeal.casework.access import casework_only, may_see
from thedeal.casework.lifecycle import STATUSES, Party, Status, TransitionRefused
from thedeal.casework.models import Goal, Person, Referral, Signpost
from thedeal.directory import listings
from thedeal.directory.models import Service

GET_OR_POST = ["GET", "HEAD", "POST"]
# Suggestions shown on a page: a practitioner narrows with the filters rather than scrolling.
MOST_SHOWN = 20
# The filters carried from the suggestions page to signposting and referring, so that the
# reasons kept are the ones the practitioner read.
FILTERS = ("category", "words", "within", "slots", "free_first", "needs")


def _person_or_404(request: HttpRequest, reference: str) -> Person:
    person = get_object_or_404(Person, reference=reference)
    if not may_see(request.user, person):
        raise Http404
    return person


def on_person_page(request: HttpRequest, person: Person) -> dict[str, Any]:
    """What the person page shows of this part: their referrals and the services signposted."""
    referrals = person.referrals.select_related("service", "performer_organization").order_by(
        "-requested_at", "-pk"
    )
    return {
        "referrals": [(r, r.label_for(Party.REQUESTER)) for r in referrals],
        "signposts": person.signposts.select_related("service")[:10],
    }


def _goal_or_404(person: Person, goal_pk: Any) -> Goal | None:
    if goal_pk in (None, ""):
        return None
    try:
        return Goal.objects.select_related("plan", "category").get(
            pk=int(goal_pk), plan__person=person
        )
    except (ValueError, Goal.DoesNotExist):
        raise Http404 from None


def _filters_query(request: HttpRequest) -> str:
    """The suggestions page's filters, as the address's query, for links that keep them."""
    kept = request.GET.copy()
    for key in list(kept):
        if key not in (*FILTERS, "goal"):
            del kept[key]
    return kept.urlencode()


def _suggest_form(request: HttpRequest, person: Person, goal: Goal | None) -> forms.SuggestForm:
    if any(key in request.GET for key in FILTERS):
        return forms.SuggestForm(request.GET)
    return forms.SuggestForm(
        initial=forms.initial_for(person, goal.category if goal is not None else None)
    )


@casework_only
@require_safe
def services(request: HttpRequest, reference: str, goal_pk: int | None = None) -> HttpResponse:
    person = _person_or_404(request, reference)
    goal = _goal_or_404(person, goal_pk)
    form = _suggest_form(request, person, goal)
    found = suggest_queries.suggest(person, form.ask()) if not form.errors else []
    shown = found[:MOST_SHOWN]
    figures = suggest_queries.organisation_figures(
        {s.candidate.organisation_id for s in shown if s.candidate.organisation_id}
    )
    actions.record_view(person=person, by=request.user, reason="to suggest services")
    open_plan = person.plans.filter(closed_on__isnull=True).first()
    query = _filters_query(request)
    if goal is not None:
        query = "&".join(filter(None, [query, f"goal={goal.pk}"]))
    return render(
        request,
        "casework/suggest/services.html",
        {
            "person": person,
            "goal": goal,
            "goals": open_plan.goals.all() if open_plan else [],
            "form": form,
            "items": casework_forms.layout(form),
            "suggestions": [(s, figures.get(s.candidate.organisation_id)) for s in shown],
            "total": len(found),
            "query": query,
            "heading": "Services that could help",
        },
    )


def _one_suggestion(
    request: HttpRequest, person: Person, service: Service, goal: Goal | None
) -> list[str]:
    """Why this service was suggested, worked out again with the suggestions page's filters
    (as the page first showed them, when none were chosen)."""
    form = _suggest_form(request, person, goal)
    ask = form.ask() if not form.errors else suggest_queries.Ask()
    found = suggest_queries.suggest(person, ask, only=[service.pk])
    if not found:
        # Not offered now (closed, or at a refuge): nothing to signpost or refer to.
        raise Http404
    return found[0].fits


def _service_or_404(service_id: Any) -> Service:
    return get_object_or_404(
        Service.objects.select_related("organization"),
        pk=service_id,
        status=Service.Status.ACTIVE,
    )


@casework_only
@require_http_methods(GET_OR_POST)
def signpost(request: HttpRequest, reference: str, service_id: Any) -> HttpResponse:
    person = _person_or_404(request, reference)
    service = _service_or_404(service_id)
    goal = _goal_or_404(person, request.GET.get("goal"))
    reasons = _one_suggestion(request, person, service, goal)
    form = forms.SignpostForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        given = suggest_actions.signpost(
            person=person,
            service=service,
            goal=goal,
            method=form.cleaned_data["method"],
            reasons=reasons,
            by=request.user,
        )
        if given.method == "printed":
            return redirect("casework:print-signpost", person.reference, given.pk)
        return redirect(f"{reverse('casework:person', args=[person.reference])}?done=signposted")
    if request.method != "POST":
        actions.record_view(person=person, by=request.user, reason="to signpost a service")
    return render(
        request,
        "casework/suggest/signpost.html",
        {
            "person": person,
            "service": service,
            "listing": listings.listing(service),
            "reasons": reasons,
            "form": form,
            "items": casework_forms.layout(form),
            "query": _filters_query(request),
            "heading": f"Give them the details of {service.name}",
        },
    )


@casework_only
@require_safe
def print_signpost(request: HttpRequest, reference: str, signpost_pk: int) -> HttpResponse:
    person = _person_or_404(request, reference)
    given = get_object_or_404(
        Signpost.objects.select_related("service__organization"), pk=signpost_pk, person=person
    )
    actions.record_view(person=person, by=request.user, reason="to print a service's details")
    return render(
        request,
        "casework/suggest/print.html",
        {
            "person": person,
            "signpost": given,
            "service": given.service,
            "listing": listings.listing(given.service),
            "heading": given.service.name,
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def refer(request: HttpRequest, reference: str, service_id: Any) -> HttpResponse:
    person = _person_or_404(request, reference)
    service = _service_or_404(service_id)
    organisation = service.organization
    if organisation is None:
        raise Http404
    goal = _goal_or_404(person, request.GET.get("goal"))
    reasons = _one_suggestion(request, person, service, goal)
    consent = suggest_actions.share_consent(person, organisation)
    form = forms.ReferForm(
        request.POST if request.method == "POST" else None,
        needs_consent=consent is None,
        organisation=organisation.name,
    )
    if request.method == "POST" and form.is_valid():
        referral = suggest_actions.refer(
            person=person,
            service=service,
            goal=goal,
            reason=form.cleaned_data["reason"],
            reasons_suggested=reasons,
            consent_now=bool(form.cleaned_data.get("consent")),
            by=request.user,
        )
        return redirect(
            f"{reverse('casework:referral', args=[person.reference, referral.pk])}?done=referred"
        )
    if request.method != "POST":
        actions.record_view(person=person, by=request.user, reason="to refer to a service")
    figures = suggest_queries.organisation_figures([organisation.pk])[organisation.pk]
    return render(
        request,
        "casework/suggest/refer.html",
        {
            "person": person,
            "service": service,
            "organisation": organisation,
            "figures": figures,
            "goal": goal,
            "consent": consent,
            "reasons": reasons,
            "form": form,
            "items": casework_forms.layout(form),
            "query": _filters_query(request),
            "heading": f"Refer to {service.name}",
        },
    )


def _referral_or_404(person: Person, referral_pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.select_related(
            "service", "performer_organization", "goal", "share_consent"
        ),
        pk=referral_pk,
        person=person,
    )


@casework_only
@require_safe
def referral(request: HttpRequest, reference: str, referral_pk: int) -> HttpResponse:
    person = _person_or_404(request, reference)
    found = _referral_or_404(person, referral_pk)
    actions.record_view(person=person, by=request.user, reason="to read a referral")
    changes = found.changes.select_related("by_user")
    history = [
        (
            change,
            STATUSES[Status(change.to_status)].label(Party.REQUESTER),
            Party(change.by_party).description,
        )
        for change in changes
    ]
    return render(
        request,
        "casework/suggest/referral.html",
        {
            "person": person,
            "referral": found,
            "status": found.label_for(Party.REQUESTER),
            "history": history,
            "next_steps": found.next_steps(Party.REQUESTER),
            "done": request.GET.get("done") == "referred",
            "heading": f"Referral to {found.service or found.performer_organization}",
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def change_referral(
    request: HttpRequest, reference: str, referral_pk: int, to: str
) -> HttpResponse:
    person = _person_or_404(request, reference)
    found = _referral_or_404(person, referral_pk)
    step = next((t for t in found.next_steps(Party.REQUESTER) if t.end.value == to), None)
    if step is None:
        raise Http404
    info = STATUSES[step.end]
    form = forms.ChangeReferralForm(
        request.POST if request.method == "POST" else None,
        reason_required=step.reason_required,
        prompt=info.reason_prompt,
    )
    if request.method == "POST" and form.is_valid():
        try:
            suggest_actions.change_referral(
                referral=found, to=step.end, reason=form.cleaned_data["reason"], by=request.user
            )
        except TransitionRefused as refused:
            # Someone else moved it first (the organisation answered): say so, and show it.
            form.add_error("reason", str(refused))
        else:
            return redirect("casework:referral", person.reference, found.pk)
    if request.method != "POST":
        actions.record_view(person=person, by=request.user, reason="to change a referral")
    return render(
        request,
        "casework/suggest/change_referral.html",
        {
            "person": person,
            "referral": found,
            "step": step,
            "form": form,
            "items": casework_forms.layout(form),
            "heading": step.action,
        },
    )

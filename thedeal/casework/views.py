"""A practitioner's pages for people: find, add, a person's record (every part with a Change
link), change each part, record and withdraw consents. Every page is audited and never cached
(casework_only); writes go through casework.actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.casework import (
    access,
    actions,
    outreach_views,
    suggest_views,
    teams_forms,
    teams_views,
    triage_views,
)
from thedeal.casework import forms as casework_forms
from thedeal.casework.access import GET_OR_POST, casework_only, may_see
from thedeal.casework.access import person_or_404 as _person_or_404
from thedeal.casework.models import Consent, Person

MOST_RESULTS = 50

DONE = {
    "added": "The person has been added",
    "changed": "Your changes have been saved",
    "consent": "The consent has been recorded",
    "withdrawn": "The consent has been withdrawn",
    "signposted": "The service's details have been given to them",
    "taken-on": "You have taken on the referral: they are in your team's caseload",
    "joined-caseload": "They have been added to your team's caseload",
    "left-caseload": "They have been taken off your team's caseload",
}


def _duplicate_error(request, existing: Person) -> str:
    """The duplicate NHS number error: naming the existing record only to someone who may
    open it (otherwise saying who to ask, and nothing about that record)."""
    if may_see(request.user, existing):
        return f"This NHS number is already on the record of person {existing.reference}: open that record instead of adding another"
    return "This NHS number is already on another person's record: ask your team's administrator"


@casework_only
@require_safe
def find(request):
    # A search only when one was asked for: "?done=..." (after a change) is not an empty search.
    searched = request.GET.copy()
    searched.pop("done", None)
    form = casework_forms.FindForm(searched or None)
    people = outside = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = Q()
        for word in data["name"].split():
            query &= (
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        if data["nhs_number"]:
            query &= Q(nhs_number=data["nhs_number"])
        if data["postcode"]:
            query &= Q(postcode=data["postcode"])
        if data["date_of_birth"]:
            query &= Q(date_of_birth=data["date_of_birth"])
        # Only the people the user may see (their teams' caseloads: casework.access).
        people = list(
            access.visible_people(request.user)
            .filter(query)
            .select_related("gp_practice")[: MOST_RESULTS + 1]
        )
        if not people:
            outside = teams_views.outside_caseload(request, query, nhs_number=data["nhs_number"])
        criteria = [k for k in ("name", "nhs_number", "postcode", "date_of_birth") if data.get(k)]
        shown = people[:MOST_RESULTS] + ([outside] if outside else [])
        actions.record_search(by=request.user, criteria=criteria, shown=shown)
    return render(
        request,
        "casework/find.html",
        {
            "form": form,
            "items": casework_forms.layout(form),
            "people": people[:MOST_RESULTS] if people is not None else None,
            "more": people is not None and len(people) > MOST_RESULTS,
            "outside_caseload": outside,
            **teams_views.on_find_page(request),
            **triage_views.on_find_page(request),
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def add_person(request):
    form = casework_forms.NewPersonForm(request.POST if request.method == "POST" else None)
    teams = access.teams_of(request.user)
    if len(teams) > 1:
        teams_forms.choose_team(form, teams)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.add_person(
                details=form.cleaned_data_for_person(),
                by=request.user,
                team=form.cleaned_data.get("team"),
            )
        except actions.DuplicateNHSNumber as duplicate:
            form.add_error("nhs_number", _duplicate_error(request, duplicate.existing))
        else:
            return redirect(f"{reverse('casework:person', args=[person.reference])}?done=added")
    return render(
        request, "casework/add_person.html", {"form": form, "items": casework_forms.layout(form)}
    )


@casework_only
@require_safe
def person(request, reference):
    person = _person_or_404(request, reference)
    actions.record_view(person=person, by=request.user)
    consents = person.consents.select_related(
        "organization", "recorded_by", "withdrawn_by"
    ).order_by("withdrawn_on", "-given_on", "-pk")
    # Each part of the work adds its section (those modules use this one's helpers).
    from thedeal.casework import conversations_views, plans_views, wellbeing_views

    context = {
        "person": person,
        "consents": consents,
        "done": DONE.get(request.GET.get("done", "")),
    }
    context.update(conversations_views.on_person_page(request, person))
    context.update(wellbeing_views.on_person_page(request, person))
    context.update(plans_views.on_person_page(request, person))
    context.update(suggest_views.on_person_page(request, person))
    # Each part's section of the page (imported here: those parts' views import this module).
    from thedeal.casework import rights_views, safeguarding_views

    context.update(safeguarding_views.on_person_page(request, person))
    context.update(rights_views.on_person_page(request, person))
    context.update(outreach_views.on_person_page(request, person))
    context.update(teams_views.on_person_page(request, person))
    return render(request, "casework/person.html", context)


@casework_only
@require_http_methods(GET_OR_POST)
def change_part(request, reference, part):
    if part not in casework_forms.PARTS:
        raise Http404
    person = _person_or_404(request, reference)
    form_class, heading, fields = casework_forms.PARTS[part]
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=casework_forms.initial_for(person, fields),
    )
    if hasattr(form, "date_of_birth") and request.method != "POST":
        form.date_of_birth.set_initial(person.date_of_birth)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in fields}
        try:
            actions.change_person(person=person, changes=changes, by=request.user)
        except actions.DuplicateNHSNumber as duplicate:
            form.add_error("nhs_number", _duplicate_error(request, duplicate.existing))
        else:
            return redirect(f"{reverse('casework:person', args=[person.reference])}?done=changed")
    if request.method != "POST":
        # Opening a part's form shows the record's details: a view, audited as one.
        actions.record_view(person=person, by=request.user, reason=f"to change: {heading.lower()}")
    return render(
        request,
        "casework/part.html",
        {
            "person": person,
            "form": form,
            "items": casework_forms.layout(form),
            "heading": heading,
            "part": part,
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def new_consent(request, reference):
    person = _person_or_404(request, reference)
    form = casework_forms.ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.record_consent(
            person=person,
            kind=data["kind"],
            given_on=data["given_on"],
            organization=data["organization"],
            by=request.user,
        )
        return redirect(f"{reverse('casework:person', args=[person.reference])}?done=consent")
    if request.method != "POST":
        actions.record_view(person=person, by=request.user, reason="to record a consent")
    return render(
        request,
        "casework/consent.html",
        {
            "person": person,
            "form": form,
            "items": casework_forms.layout(form),
            "heading": "Record a consent",
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def withdraw_consent(request, reference, consent_pk):
    person = _person_or_404(request, reference)
    consent = get_object_or_404(
        Consent.objects.select_related("organization"),
        pk=consent_pk,
        person=person,
        withdrawn_on__isnull=True,
    )
    form = casework_forms.WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_consent(
                consent=consent, on=form.cleaned_data["withdrawn_on"], by=request.user
            )
        except ValidationError as error:
            form.add_error("withdrawn_on_day", error.messages[0])
        else:
            return redirect(f"{reverse('casework:person', args=[person.reference])}?done=withdrawn")
    if request.method != "POST":
        actions.record_view(person=person, by=request.user, reason="to withdraw a consent")
    return render(
        request,
        "casework/withdraw.html",
        {
            "person": person,
            "consent": consent,
            "form": form,
            "items": casework_forms.layout(form),
            "heading": "Withdraw a consent",
        },
    )

"""A community organisation's referral inbox (/referrals/): the referrals sent to the
organisations an editor edits for, each opened (audited) to read what the organisation needs,
and answered along the lifecycle. And the referrer's side: the referrals made for a person, on
their page, with each answer and how often it was chased.

The person's details show only with their current consent to share with the organisation
(inbox_actions.consent_to_share); another organisation's referral is a 404, as if not there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.accounts.views import verified_staff
from thedeal.casework import inbox_actions, lifecycle
from thedeal.casework.inbox_actions import WITH_OUTCOME
from thedeal.casework.inbox_forms import AnswerForm
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import Referral
from thedeal.web.links import Links

GET_OR_POST = ["GET", "HEAD", "POST"]
REFERRALS_PER_PAGE = 50

DONE = {
    Status.ACCEPTED: "The referral has been accepted: the referrer has been told",
    Status.REJECTED: "The referral has been marked as not accepted: the referrer has been told",
    Status.IN_PROGRESS: "The referral has been marked as attending",
    Status.ON_HOLD: "The referral has been put on hold",
    Status.COMPLETED: "The referral has been marked as completed: the referrer has been told",
    Status.FAILED: "The referral has been marked as did not attend: the referrer has been told",
    Status.CANCELLED: "The referral has been cancelled: the referrer has been told",
}


def inbox_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in (else to sign in), past two-factor, never cached, and an organisation's
    editor (else 403: the inbox exists, but not for them)."""

    @verified_staff
    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not inbox_actions.edits_for_an_organisation(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _referral_or_404(request, fhir_id) -> Referral:
    referral = get_object_or_404(
        Referral.objects.select_related("performer_organization", "service", "person"),
        fhir_id=fhir_id,
    )
    if not inbox_actions.may_open_in_inbox(request.user, referral):
        raise Http404  # another organisation's referral: as if it were not there
    return referral


def _steps(referral: Referral) -> list[dict[str, Any]]:
    """What the organisation can do next, as the lifecycle offers it: a button for a change
    that needs nothing more, a link to a page asking for a reason or how it went otherwise."""
    return [
        {
            "to": t.end.value,
            "action": t.action,
            "asks": t.reason_required or t.end in WITH_OUTCOME,
            # The steps that move the person on are the main buttons; the others secondary.
            "forward": t.end in (Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED),
        }
        for t in referral.next_steps(Party.TARGET)
    ]


@inbox_only
@require_safe
def referral_list(request):
    referrals = inbox_actions.Inbox(request.user)
    page = Paginator(referrals, REFERRALS_PER_PAGE).get_page(request.GET.get("page"))
    links = Links("inbox:referral", stand_in=uuid.UUID(int=0))
    rows = [
        {
            "referral": r,
            "link": links.to(r.fhir_id),
            "label": r.label_for(Party.TARGET),
            "unanswered": r.status == Status.REQUESTED,
        }
        for r in page
    ]
    return render(
        request,
        "casework/inbox/list.html",
        {
            "rows": rows,
            "page": page,
            "waiting": referrals.waiting,
            "page_links": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        },
    )


@inbox_only
@require_safe
def referral(request, fhir_id):
    referral = _referral_or_404(request, fhir_id)
    consent = inbox_actions.consent_to_share(referral)
    inbox_actions.record_opened(referral=referral, by=request.user, shown_person=bool(consent))
    return render(
        request,
        "casework/inbox/referral.html",
        _context(request, referral, consent) | {"done": DONE.get(request.GET.get("done", ""))},
    )


def _context(request, referral: Referral, consent) -> dict[str, Any]:
    return {
        "referral": referral,
        "person": referral.person if consent else None,
        "consent": consent,
        "label": referral.label_for(Party.TARGET),
        "steps": _steps(referral),
        "changes": referral.changes.all(),
        "statuses": {s.value: lifecycle.STATUSES[s].label(Party.TARGET) for s in Status},
    }


@inbox_only
@require_http_methods(GET_OR_POST)
def answer(request, fhir_id, to):
    referral = _referral_or_404(request, fhir_id)
    try:
        to = Status(to)
    except ValueError:
        raise Http404 from None
    form = AnswerForm(request.POST if request.method == "POST" else None, to=to)
    refused = ""
    if to not in {t.end for t in referral.next_steps(Party.TARGET)}:
        # Offered by no button: another editor answered first, or the address was typed.
        refused = _why_refused(referral, to)
    elif request.method == "POST" and form.is_valid():
        try:
            inbox_actions.answer(
                referral=referral,
                to=to,
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                outcome=form.cleaned_data.get("outcome", ""),
            )
        except lifecycle.TransitionRefused:
            # Another editor changed it between the page and the button.
            referral.refresh_from_db()
            refused = _why_refused(referral, to)
        else:
            url = reverse("inbox:referral", args=[referral.fhir_id])
            return redirect(f"{url}?done={to.value}")
    info = lifecycle.STATUSES[to]
    response = render(
        request,
        "casework/inbox/answer.html",
        {
            "referral": referral,
            "form": form,
            "refused": refused,
            "heading": info.action if not refused else "This change cannot be made",
            "button": info.action,
            "to": to.value,
            "label": referral.label_for(Party.TARGET),
        },
    )
    if refused:
        response.status_code = 409
    return response


def _why_refused(referral: Referral, to: Status) -> str:
    """Why the organisation cannot make this change now, in the words its inbox uses (the
    lifecycle's own message names FHIR codes, for the API)."""
    now = referral.label_for(Party.TARGET)
    wanted = lifecycle.STATUSES[to].label(Party.TARGET)
    if referral.status == to:
        return f"The referral is already “{now}”: someone may have recorded it just now."
    if referral.is_closed:
        return f"The referral is “{now}”, so it is closed: it cannot be made “{wanted}”."
    if Party.TARGET not in lifecycle.STATUSES[to].set_by:
        return f"Only the practitioner who made the referral can mark it “{wanted}”."
    offered = [f"“{t.action}”" for t in referral.next_steps(Party.TARGET)]
    return f"A referral that is “{now}” cannot be made “{wanted}”. You can: {', '.join(offered)}."

"""A practitioner's pages for conversations: record one (a single page in sections, quick to
fill in during or right after it), read one, and add a risk to it; and for risks: read one with
what it said before each change, reword it, end it. Every page is audited and never cached
(casework_only); writes go through casework.conversations_actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.casework import conversations_actions as actions
from thedeal.casework import conversations_forms as forms
from thedeal.casework import snomed
from thedeal.casework.access import GET_OR_POST, casework_only
from thedeal.casework.access import person_or_404 as _person_or_404
from thedeal.casework.forms import layout
from thedeal.casework.models import Conversation, Risk

DONE = {
    "recorded": "The conversation has been recorded",
    "risk": "The risk has been added",
    "changed": "The risk has been changed",
    "ended": "The risk has been ended",
}


def on_person_page(request, person) -> dict[str, object]:
    """The person page's sections: their conversations, newest first, and their risks, the
    current ones apart from those ended."""
    risks = list(person.risks.select_related("ended_by").order_by("-started_on", "-pk"))
    return {
        "conversations": person.conversations.select_related("practitioner").order_by(
            "-held_on", "-pk"
        ),
        "current_risks": [r for r in risks if r.current],
        "ended_risks": sorted(
            (r for r in risks if not r.current), key=lambda r: (r.ended_on, r.pk), reverse=True
        ),
    }


def _conversation_url(conversation: Conversation, done: str = "") -> str:
    url = reverse("casework:conversation", args=[conversation.person.reference, conversation.pk])
    return f"{url}?done={done}" if done else url


@casework_only
@require_http_methods(GET_OR_POST)
def new_conversation(request, reference):
    person = _person_or_404(request, reference)
    form = forms.ConversationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        conversation = actions.record_conversation(
            person=person,
            details=form.conversation_details(),
            risks=form.cleaned_data["risks"],
            by=request.user,
        )
        return redirect(_conversation_url(conversation, "recorded"))
    if request.method != "POST":
        actions.record_look(
            person=person, record=person, record_type="person", by=request.user,
            reason="to record a conversation",
        )  # fmt: skip
    return render(
        request,
        "casework/conversations/new.html",
        {
            "person": person,
            "form": form,
            "sections": form.sections(),
            "heading": "Record a conversation",
        },
    )


@casework_only
@require_safe
def conversation(request, reference, pk):
    person = _person_or_404(request, reference)
    conversation = get_object_or_404(
        Conversation.objects.select_related("practitioner"), pk=pk, person=person
    )
    actions.record_look(
        person=person, record=conversation, record_type="conversation", by=request.user
    )
    return render(
        request,
        "casework/conversations/conversation.html",
        {
            "person": person,
            "conversation": conversation,
            "their_words": [
                (label, getattr(conversation, name)) for name, label, _ in forms.THEIR_WORDS
            ],
            "risks": conversation.risks.all(),
            "measures": conversation.measures.order_by("taken_on", "pk"),
            "source": _source_display(conversation.source_of_referral),
            "heading": f"{conversation.get_kind_display()}, {conversation.held_on:%-d %B %Y}",
            "done": DONE.get(request.GET.get("done", "")),
        },
    )


def _source_display(code: str) -> str:
    if not code:
        return ""
    try:
        return snomed.source_of_referral(code).display
    except snomed.UnknownSource:
        return code


@casework_only
@require_http_methods(GET_OR_POST)
def new_risk(request, reference, pk):
    person = _person_or_404(request, reference)
    conversation = get_object_or_404(Conversation, pk=pk, person=person)
    form = forms.RiskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_risk(
            person=person,
            conversation=conversation,
            risk=data["risk"],
            comment=data["comment"],
            started_on=data["started_on"],
            by=request.user,
        )
        return redirect(_conversation_url(conversation, "risk"))
    if request.method != "POST":
        actions.record_look(
            person=person, record=conversation, record_type="conversation", by=request.user,
            reason="to add a risk",
        )  # fmt: skip
    return render(
        request,
        "casework/conversations/risk.html",
        {
            "person": person,
            "conversation": conversation,
            "form": form,
            "items": layout(form),
            "heading": "Add a risk",
        },
    )


def _risk_or_404(person, pk):
    return get_object_or_404(
        Risk.objects.select_related("conversation", "recorded_by", "ended_by"),
        pk=pk,
        person=person,
    )


def _risk_url(risk: Risk, done: str = "") -> str:
    url = reverse("casework:risk", args=[risk.person.reference, risk.pk])
    return f"{url}?done={done}" if done else url


@casework_only
@require_safe
def risk(request, reference, pk):
    person = _person_or_404(request, reference)
    risk = _risk_or_404(person, pk)
    actions.record_look(person=person, record=risk, record_type="risk", by=request.user)
    return render(
        request,
        "casework/conversations/risk_page.html",
        {
            "person": person,
            "risk": risk,
            # What it said before each change, newest first.
            "edits": risk.edits.select_related("changed_by").order_by("-changed_at", "-pk"),
            "heading": "Risk",
            "done": DONE.get(request.GET.get("done", "")),
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def change_risk(request, reference, pk):
    person = _person_or_404(request, reference)
    risk = _risk_or_404(person, pk)
    form = forms.ChangeRiskForm(
        request.POST if request.method == "POST" else None,
        initial={"risk": risk.risk, "comment": risk.comment},
    )
    if request.method == "POST" and form.is_valid():
        actions.change_risk(
            risk=risk,
            wording=form.cleaned_data["risk"],
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
        return redirect(_risk_url(risk, "changed"))
    if request.method != "POST":
        actions.record_look(
            person=person, record=risk, record_type="risk", by=request.user,
            reason="to change a risk",
        )  # fmt: skip
    return render(
        request,
        "casework/conversations/risk_form.html",
        {
            "person": person,
            "risk": risk,
            "items": layout(form),
            "form": form,
            "heading": "Change a risk",
            "button": "Save changes",
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def end_risk(request, reference, pk):
    person = _person_or_404(request, reference)
    risk = _risk_or_404(person, pk)
    if risk.ended_on is not None:
        # Ended already (perhaps by someone else just now): its page says when and why.
        return redirect(_risk_url(risk))
    form = forms.EndRiskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_risk(
                risk=risk,
                on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
                by=request.user,
            )
        except ValidationError as error:
            # The model's rules (not before it started), shown beside the field they concern.
            fields = {"ended_on": "ended_on_day", "end_reason": "end_reason"}
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, messages in errors.items():
                form.add_error(fields.get(field), messages)
        else:
            return redirect(_risk_url(risk, "ended"))
    if request.method != "POST":
        actions.record_look(
            person=person, record=risk, record_type="risk", by=request.user,
            reason="to end a risk",
        )  # fmt: skip
    return render(
        request,
        "casework/conversations/risk_form.html",
        {
            "person": person,
            "risk": risk,
            "items": layout(form),
            "form": form,
            "heading": "End a risk",
            "button": "End the risk",
        },
    )


urls = [
    path("conversations/new/", new_conversation, name="new-conversation"),
    path("conversations/<int:pk>/", conversation, name="conversation"),
    path("conversations/<int:pk>/risks/new/", new_risk, name="new-risk"),
    path("risks/<int:pk>/", risk, name="risk"),
    path("risks/<int:pk>/change/", change_risk, name="change-risk"),
    path("risks/<int:pk>/end/", end_risk, name="end-risk"),
]

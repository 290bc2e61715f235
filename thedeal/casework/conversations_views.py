"""A practitioner's pages for conversations: record one (a single page in sections, quick to
fill in during or right after it), read one, and add a risk to it. Every page is audited and
never cached (casework_only); writes go through casework.conversations_actions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.casework import conversations_actions as actions
from thedeal.casework import conversations_forms as forms
from thedeal.casework import snomed
from thedeal.casework.access import GET_OR_POST, casework_only
from thedeal.casework.access import person_or_404 as _person_or_404
from thedeal.casework.forms import layout
from thedeal.casework.models import Conversation

DONE = {
    "recorded": "The conversation has been recorded",
    "risk": "The risk has been added",
}


def on_person_page(request, person) -> dict[str, object]:
    """The person page's section: their conversations, newest first."""
    return {
        "conversations": person.conversations.select_related("practitioner").order_by(
            "-held_on", "-pk"
        )
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


urls = [
    path("conversations/new/", new_conversation, name="new-conversation"),
    path("conversations/<int:pk>/", conversation, name="conversation"),
    path("conversations/<int:pk>/risks/new/", new_risk, name="new-risk"),
]

"""The organisation's answer to a referral: the reason a change needs (declining, putting on
hold, a missed appointment), and how it went once it is over."""

from __future__ import annotations

from django import forms

from thedeal.casework import lifecycle
from thedeal.casework.inbox_actions import WITH_OUTCOME
from thedeal.casework.lifecycle import Status
from thedeal.web.forms import GovukForm

LONGEST_ANSWER = 2000


class AnswerForm(GovukForm):
    """One change of status: a reason when the lifecycle asks for one, an outcome when the
    referral ends with the person having come (or not)."""

    reason = forms.CharField(
        required=False,
        max_length=LONGEST_ANSWER,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = forms.CharField(
        label="How it went",
        required=False,
        max_length=LONGEST_ANSWER,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For the person's practitioner: what they took part in, and what came of it.",
    )

    def __init__(self, *args, to: Status, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        info = lifecycle.STATUSES[to]
        self.reason_required = info.reason_required
        if info.reason_required:
            self.fields["reason"].label = info.reason_prompt
            self.fields["reason"].required = True
            # "Say why it is on hold" asks; its error says what to enter (GOV.UK's wording).
            prompt = info.reason_prompt.split(" (")[0].removeprefix("Say ")
            self.fields["reason"].error_messages["required"] = (
                f"Enter {prompt}: the referrer will read it"
            )
        else:
            del self.fields["reason"]
        if to not in WITH_OUTCOME:
            del self.fields["outcome"]

"""The conversation form's rule on risks, for every way the boxes can be filled in: risks are
described or "No known risks" is ticked, exactly one of the two (the standard makes Risks
mandatory)."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.casework.conversations_forms import RISK_BOXES, ConversationForm

box = st.sampled_from(["", "   ", "Lives alone", "Has had falls"])


@settings(max_examples=80, deadline=None)
@given(st.lists(box, min_size=RISK_BOXES, max_size=RISK_BOXES), st.booleans())
def test_risks_or_no_known_risks_exactly_one(risks, ticked):
    data = {
        "kind": "crisis", "contact_method": "phone", "reason_for_contact": "other",
        "held_on_day": "5", "held_on_month": "1", "held_on_year": "2026",
        **{f"risk_{n}": text for n, text in enumerate(risks, start=1)},
    }  # fmt: skip
    if ticked:
        data["no_known_risks"] = "on"
    form = ConversationForm(data)
    described = [text.strip() for text in risks if text.strip()]
    assert form.is_valid() == (bool(described) != ticked)
    if form.is_valid():
        assert form.cleaned_data["risks"] == described
        assert form.cleaned_data["held_on"] == datetime.date(2026, 1, 5)
        assert form.conversation_details()["no_known_risks"] == ticked
    elif ticked:
        assert "no_known_risks" in form.errors and "risk_1" not in form.errors
    else:
        assert "risk_1" in form.errors and "no_known_risks" not in form.errors

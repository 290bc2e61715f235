"""The referral lifecycle, held to the reference it was written from.

The external truth is the pair of CSVs in thedeal/casework/data/, read here (the module itself
never reads them): referral-task-status.csv (the R4 Task statuses, the referral value set, who
sets each, which need a statusReason) and referral-task-status-transitions.csv (the Gravity
IG's state diagram). Every pair of statuses is asserted, allowed or refused.
"""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.casework.lifecycle import (
    CLOSED,
    OPEN,
    STATUSES,
    TASK_STATUSES_NOT_FOR_REFERRALS,
    TRANSITIONS,
    Party,
    Refusal,
    Status,
    TransitionRefused,
    UnknownStatus,
    check_transition,
    choices,
    parse_status,
    transitions_from,
)

DATA = Path(__file__).resolve().parents[3] / "thedeal" / "casework" / "data"
START = "(start)"


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


STATUS_ROWS = {row["code"]: row for row in _rows("referral-task-status.csv")}
REFERRAL_CODES = [
    code for code, row in STATUS_ROWS.items() if row["in_sdohcc_referral_task_valueset"] == "yes"
]
SET_BY = {"Requester": {Party.REQUESTER}, "Referral Target": {Party.TARGET}}
SET_BY["Requester or Referral Target"] = {Party.REQUESTER, Party.TARGET}


def _reference_transitions():
    """{(from, to)} from the diagram, "(any)" read as every referral status but the target."""
    pairs = set()
    for row in _rows("referral-task-status-transitions.csv"):
        if row["from_status"] == "(any)":
            pairs |= {
                (code, row["to_status"]) for code in REFERRAL_CODES if code != row["to_status"]
            }
        else:
            pairs.add((row["from_status"], row["to_status"]))
    return pairs


REFERENCE = _reference_transitions()
EVERY_PAIR = [(start, end) for start in [START, *REFERRAL_CODES] for end in REFERRAL_CODES]


def _start(code):
    return None if code == START else code


def test_the_statuses_are_the_referral_value_set_spelt_as_fhir_r4_spells_them():
    assert [s.value for s in Status] == REFERRAL_CODES
    assert {"in-progress", "entered-in-error", "on-hold"} <= set(REFERRAL_CODES)
    assert TASK_STATUSES_NOT_FOR_REFERRALS == set(STATUS_ROWS) - set(REFERRAL_CODES)


@pytest.mark.parametrize("code", REFERRAL_CODES)
def test_each_status_carries_the_references_display_definition_party_and_reason(code):
    row, info = STATUS_ROWS[code], STATUSES[Status(code)]

    assert info.fhir_display == row["display"]
    assert info.definition == row["definition"]
    assert info.set_by == SET_BY[row["set_by"]]
    assert info.reason_required is (row["statusReason_text_expected"] == "yes")
    # A form asks for the reason exactly when one is needed.
    assert bool(info.reason_prompt) is info.reason_required


@pytest.mark.parametrize(("start", "end"), EVERY_PAIR)
def test_every_pair_of_statuses_is_allowed_exactly_when_the_reference_draws_it(start, end):
    row = STATUS_ROWS[end]
    party = next(iter(SET_BY[row["set_by"]]))
    reason = "They moved away" if row["statusReason_text_expected"] == "yes" else None

    if (start, end) in REFERENCE:
        transition = check_transition(_start(start), end, by=party, reason=reason)
        assert (transition.start, transition.end) == (_start(start), Status(end))
    else:
        # Refused as illegal whoever asks, with or without a reason.
        for anyone in Party:
            with pytest.raises(TransitionRefused) as refused:
                check_transition(_start(start), end, by=anyone, reason=reason)
            assert refused.value.why is Refusal.ILLEGAL


def test_the_table_holds_the_references_transitions_and_no_others():
    ours = {(START if s is None else s.value, e.value) for s, e in TRANSITIONS}

    assert ours == REFERENCE
    assert len(ours) == 28


@pytest.mark.parametrize(("start", "end"), sorted(REFERENCE))
def test_only_the_party_the_reference_names_makes_each_change(start, end):
    allowed = SET_BY[STATUS_ROWS[end]["set_by"]]

    for party in Party:
        if party in allowed:
            check_transition(_start(start), end, by=party, reason="Moved out of the borough")
        else:
            with pytest.raises(TransitionRefused, match="only .* can do that") as refused:
                check_transition(_start(start), end, by=party, reason="Moved out of the borough")
            assert refused.value.why is Refusal.WRONG_PARTY


@pytest.mark.parametrize(
    ("start", "end"),
    sorted(p for p in REFERENCE if STATUS_ROWS[p[1]]["statusReason_text_expected"] == "yes"),
)
@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_a_change_that_needs_a_reason_is_refused_without_one(start, end, reason):
    party = next(iter(SET_BY[STATUS_ROWS[end]["set_by"]]))

    with pytest.raises(TransitionRefused, match="without a reason") as refused:
        check_transition(_start(start), end, by=party, reason=reason)

    assert refused.value.why is Refusal.REASON_MISSING
    assert (refused.value.start, refused.value.end) == (_start(start), Status(end))


def test_the_main_path_of_a_social_prescribing_referral():
    # A link worker sends a referral; the walking group accepts it, the person starts, pauses
    # over the winter, comes back and completes it.
    steps = [
        (None, "requested", Party.REQUESTER, None),
        ("requested", "accepted", Party.TARGET, None),
        ("accepted", "in-progress", Party.TARGET, None),
        ("in-progress", "on-hold", Party.TARGET, "In hospital for two weeks"),
        ("on-hold", "in-progress", Party.TARGET, None),
        ("in-progress", "completed", Party.TARGET, None),
    ]

    for start, end, party, reason in steps:
        check_transition(start, end, by=party, reason=reason)

    assert [t.action for t in transitions_from(Status.ON_HOLD, by=Party.TARGET)][0] == "Resume"


def test_refusals_say_which_change_was_refused_and_why():
    cases = [
        (
            ("requested", "completed", Party.TARGET, None),
            'Cannot change the referral from "requested" to "completed": from "requested" it '
            'can become only "accepted", "rejected", "cancelled" or "entered-in-error".',
        ),
        (
            ("completed", "in-progress", Party.TARGET, None),
            'Cannot change the referral from "completed" to "in-progress": a referral that is '
            '"completed" is closed: it can only be marked "entered-in-error".',
        ),
        (
            (None, "accepted", Party.TARGET, None),
            'Cannot create a referral as "accepted": a new referral can start only as "draft" '
            'or "requested".',
        ),
        (
            ("accepted", "accepted", Party.TARGET, None),
            'Cannot change the referral from "accepted" to "accepted": it is already "accepted".',
        ),
        (
            ("requested", "accepted", Party.REQUESTER, None),
            'Cannot change the referral from "requested" to "accepted": only the organisation '
            "the referral was sent to can do that, not the referrer.",
        ),
        (
            ("requested", "rejected", Party.TARGET, " "),
            'Cannot change the referral from "requested" to "rejected" without a reason '
            "(Task.statusReason): say why the referral cannot be accepted.",
        ),
    ]

    for (start, end, party, reason), message in cases:
        with pytest.raises(TransitionRefused) as refused:
            check_transition(start, end, by=party, reason=reason)
        assert str(refused.value) == message


def test_an_illegal_change_is_named_before_the_wrong_party_and_the_missing_reason():
    # Wrong party and no reason as well: the most basic problem is the one reported.
    with pytest.raises(TransitionRefused) as refused:
        check_transition("completed", "failed", by=Party.REQUESTER)

    assert refused.value.why is Refusal.ILLEGAL


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("in_progress", 'did you mean "in-progress"'),
        ("Entered-In-Error", 'did you mean "entered-in-error"'),
        ("ready", "a FHIR Task status that a referral cannot have"),
        ("received", "a FHIR Task status that a referral cannot have"),
        ("attended", "must be one of"),
        (None, "must be one of"),
    ],
)
def test_a_word_that_is_not_a_status_is_refused_with_a_hint(code, message):
    with pytest.raises(UnknownStatus, match=message):
        parse_status(code)
    with pytest.raises(UnknownStatus):
        check_transition("requested", code, by=Party.TARGET)


def test_each_side_reads_the_status_in_its_own_words():
    practitioner = dict(choices(Party.REQUESTER))
    organisation = dict(choices(Party.TARGET))

    assert practitioner["requested"] == "Waiting for a reply"
    assert organisation["requested"] == "New referral"
    assert practitioner["failed"] == organisation["failed"] == "Did not attend"
    assert practitioner["accepted"] == "Accepted"
    # Every label is distinct on each side, so a list sorted or filtered by label is unambiguous.
    assert len(set(practitioner.values())) == len(Status)
    assert len(set(organisation.values())) == len(Status)


def test_an_organisation_is_offered_only_the_changes_it_can_make():
    offered = transitions_from(Status.REQUESTED, by=Party.TARGET)

    assert [(t.end.value, t.action) for t in offered] == [
        ("accepted", "Accept referral"),
        ("rejected", "Do not accept"),
        ("cancelled", "Cancel referral"),
    ]
    assert [t.end for t in transitions_from(Status.COMPLETED, by=Party.TARGET)] == []
    assert [t.end for t in transitions_from(Status.COMPLETED, by=Party.REQUESTER)] == [
        Status.ENTERED_IN_ERROR
    ]


# --- Properties ----------------------------------------------------------------------------


def _reachable_from_start():
    reached, frontier = set(), {START}
    while frontier:
        step = {end for (start, end) in REFERENCE if start in frontier} - reached
        reached |= step
        frontier = step
    return reached


def _closed_in_reference():
    # Closed: the diagram leads nowhere from it but to entered-in-error.
    return {
        code
        for code in REFERRAL_CODES
        if {end for (start, end) in REFERENCE if start == code} <= {"entered-in-error"}
    }


def test_the_closed_statuses_are_those_the_reference_leads_nowhere_from():
    assert {s.value for s in CLOSED} == _closed_in_reference()
    assert _closed_in_reference() == {
        "completed",
        "cancelled",
        "failed",
        "rejected",
        "entered-in-error",
    }
    assert OPEN == set(Status) - CLOSED


ATTEMPTS = st.lists(
    st.tuples(
        st.sampled_from([*REFERRAL_CODES, *sorted(TASK_STATUSES_NOT_FOR_REFERRALS), "done"]),
        st.sampled_from(list(Party)),
        st.sampled_from([None, "", "  ", "Asked to stop"]),
    ),
    max_size=25,
)


@settings(derandomize=True, max_examples=500, deadline=None)
@given(attempts=ATTEMPTS)
def test_any_sequence_of_attempts_moves_a_referral_only_along_the_reference(attempts):
    reachable = _reachable_from_start()
    status = None
    for end, party, reason in attempts:
        before = status
        try:
            status = check_transition(status, end, by=party, reason=reason).end
        except (TransitionRefused, UnknownStatus):
            continue
        # Each accepted move is drawn in the reference, by a party it names, with a reason
        # where it asks for one.
        assert (START if before is None else before.value, status.value) in REFERENCE
        assert party in SET_BY[STATUS_ROWS[status.value]["set_by"]]
        if STATUS_ROWS[status.value]["statusReason_text_expected"] == "yes":
            assert reason and reason.strip()
        # A closed referral moves again only to entered-in-error, and from there never.
        if before is not None and before.value in _closed_in_reference():
            assert status is Status.ENTERED_IN_ERROR
            assert before is not Status.ENTERED_IN_ERROR

    assert status is None or status.value in reachable


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    closed=st.sampled_from(sorted(CLOSED)),
    end=st.sampled_from(list(Status)),
    party=st.sampled_from(list(Party)),
)
def test_a_closed_referral_never_reopens(closed, end, party):
    try:
        moved = check_transition(closed, end, by=party, reason="Reopened by mistake")
    except TransitionRefused:
        return

    assert moved.end is Status.ENTERED_IN_ERROR
    assert closed is not Status.ENTERED_IN_ERROR

"""SNOMED CT codes for casework, held to the reference files in thedeal/casework/data/ (the
concepts the standard names, UK Core's sources of referral, and the PRSB standard's elements)."""

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.casework import snomed
from thedeal.casework.snomed import (
    CONCEPTS,
    REFERRAL_TO_SOCIAL_PRESCRIBING_SERVICE,
    SOCIAL_PRESCRIBING_DECLINED,
    ReasonForContact,
    UnknownSource,
    default_source,
    has_valid_check_digit,
    is_concept_id,
    namespace,
    reason_for_source,
    source_of_referral,
    sources_of_referral,
    verhoeff_check_digit,
)

DATA = Path(__file__).resolve().parents[3] / "thedeal" / "casework" / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


REFERENCE_CONCEPTS = {
    row["concept_id"]: row for row in _rows("snomed-social-prescribing-concepts.csv")
}
UK_CORE_SOURCES = _rows("ukcore-source-of-service-request.csv")
PRSB_ELEMENTS = _rows("prsb-social-prescribing-v1.1-elements.csv")
# Every identifier the standard's value sets and their links cite.
PRSB_CODES = sorted(
    {
        code
        for row in PRSB_ELEMENTS
        for code in re.findall(r"\b\d{6,18}\b", row["value_set"] + " " + row["links"])
    }
)


@pytest.mark.parametrize(
    "code",
    sorted({*REFERENCE_CONCEPTS, *(row["concept_id"] for row in UK_CORE_SOURCES), *PRSB_CODES}),
)
def test_every_code_in_the_references_is_a_concept_id_with_a_valid_check_digit(code):
    assert is_concept_id(code)


def test_the_references_cite_codes_enough_to_matter():
    # Guards the parametrised test above against a reference read as empty.
    assert (len(REFERENCE_CONCEPTS), len(UK_CORE_SOURCES), len(PRSB_CODES)) == (60, 57, 44)


@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda c: c.code)
def test_each_named_concept_is_as_the_reference_lists_it(concept):
    row = REFERENCE_CONCEPTS[concept.code]

    assert concept.term == row["term"]
    assert concept.used_for
    assert is_concept_id(concept.code)
    # Those the PRSB standard names are in its elements, where the standard uses them.
    if "prsb-sp-v1.1-json" in row["source"]:
        cited = [r for r in PRSB_ELEMENTS if concept.code in " ".join(r.values())]
        assert cited, f"{concept.code} is not in the PRSB standard's elements"


def test_the_national_social_prescribing_codes():
    assert REFERRAL_TO_SOCIAL_PRESCRIBING_SERVICE.coding() == {
        "system": "http://snomed.info/sct",
        "code": "871731000000106",
        "display": "Referral to social prescribing service",
    }
    assert SOCIAL_PRESCRIBING_DECLINED.coding() == {
        "system": "http://snomed.info/sct",
        "code": "871711000000103",
        "display": "Social prescribing declined",
    }
    assert namespace(SOCIAL_PRESCRIBING_DECLINED.code) == "1000000"  # the UK clinical extension


def test_the_standards_refsets_for_needs_and_support_are_named():
    assert snomed.concept("1373501000000105") is snomed.SOCIAL_PRESCRIBING_NEEDS_AND_CONCERNS
    assert snomed.concept("1373511000000107") is snomed.SOCIAL_PRESCRIBING_SUPPORT
    with pytest.raises(KeyError):
        snomed.concept("219006")  # in the reference (alcohol intake), not used by casework


@pytest.mark.parametrize(
    ("term", "display"),
    [
        ("Referral to Social Services (procedure)", "Referral to Social Services"),
        (
            "Requires reasonable adjustments for health and care access (Equality Act 2010) "
            "(finding)",
            "Requires reasonable adjustments for health and care access (Equality Act 2010)",
        ),
        (
            "Services simple reference set (foundation metadata concept)",
            "Services simple reference set",
        ),
        ("Finding context", "Finding context"),
    ],
)
def test_a_display_drops_only_the_semantic_tag(term, display):
    assert snomed.Concept("408729009", term, "").display == display


# --- The check digit ------------------------------------------------------------------------


def test_the_check_digit_of_the_published_examples():
    # 236 -> 3 is Verhoeff's worked example; 138875005 is SNOMED CT's root concept.
    assert verhoeff_check_digit("236") == "3"
    assert verhoeff_check_digit("13887500") == "5"
    assert has_valid_check_digit("138875005")
    assert not has_valid_check_digit("138875006")


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("871731000000107", "wrong check digit"),
        ("2363", "too short"),
        ("0871731000000106", "leading zero"),
        ("1234567890123456789", "too long"),
        ("71388012", "a description's partition (01)"),
        ("871731000000116", "an extension description's partition (11)"),
        ("８７１７３１０００００００１０６", "not ASCII digits"),
        ("871731000000106 ", "a trailing space"),
    ],
)
def test_what_is_not_a_concept_id(code, why):
    assert not is_concept_id(code), why


PAYLOADS = st.text(alphabet="0123456789", min_size=5, max_size=17).filter(
    lambda s: not s.startswith("0")
)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(payload=PAYLOADS, position=st.integers(min_value=0), wrong=st.integers(1, 9))
def test_any_single_wrong_digit_is_caught(payload, position, wrong):
    code = payload + verhoeff_check_digit(payload)
    i = position % len(code)
    mistyped = code[:i] + str((int(code[i]) + wrong) % 10) + code[i + 1 :]

    assert has_valid_check_digit(code)
    assert not has_valid_check_digit(mistyped)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(payload=PAYLOADS, position=st.integers(min_value=0))
def test_any_swap_of_two_neighbouring_digits_is_caught(payload, position):
    code = payload + verhoeff_check_digit(payload)
    i = position % (len(code) - 1)
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]

    if swapped != code:
        assert not has_valid_check_digit(swapped)


# --- Where a person came from ----------------------------------------------------------------


def test_the_sources_of_referral_are_uk_cores_value_set_in_its_order():
    assert [(c.code, c.term) for c in sources_of_referral()] == [
        (row["concept_id"], row["term"]) for row in UK_CORE_SOURCES
    ]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("310434002", ReasonForContact.SELF_REFERRAL),  # Self-referral to service
        ("1991000124105", ReasonForContact.SELF_REFERRAL),  # Referred by self
        ("760081000000107", ReasonForContact.SELF_REFERRAL),  # Physiotherapy self-referral
        ("304301000000105", ReasonForContact.SELF_REFERRAL),  # Self referral to substance misuse
        ("108161000000109", ReasonForContact.GP),  # Referred by general practitioner
        ("185359002", ReasonForContact.GP),  # Referred by another GP
        ("2021000124102", ReasonForContact.GP),  # Referred by primary care physician
        ("276491000", ReasonForContact.OTHER),  # Referred by member of Primary Health Care Team
        ("185365002", ReasonForContact.OTHER),  # Referred by social worker
        ("1065391000000104", ReasonForContact.OTHER),  # Referred by carer
        ("185373006", ReasonForContact.OTHER),  # Referred by family
    ],
)
def test_a_source_of_referral_maps_onto_the_reason_the_person_came(code, reason):
    assert reason_for_source(code) is reason


def test_every_source_is_a_self_referral_exactly_when_its_term_says_so():
    for row in UK_CORE_SOURCES:
        term = row["term"].lower()
        says_self = "self-referral" in term or "self referral" in term or term == "referred by self"

        assert (reason_for_source(row["concept_id"]) is ReasonForContact.SELF_REFERRAL) is says_self


def test_no_source_stands_for_worklist_outreach():
    # Outreach is the council reaching out: nobody referred the person.
    reasons = {reason_for_source(row["concept_id"]) for row in UK_CORE_SOURCES}

    assert ReasonForContact.WORKLIST_OUTREACH not in reasons
    assert default_source(ReasonForContact.WORKLIST_OUTREACH) is None


def test_each_reason_records_its_usual_source_or_asks_for_one():
    assert default_source(ReasonForContact.SELF_REFERRAL).term == "Self-referral to service"
    assert default_source(ReasonForContact.GP).term == "Referred by general practitioner"
    assert default_source(ReasonForContact.OTHER) is None
    for reason in ReasonForContact:
        source = default_source(reason)
        assert source is None or reason_for_source(source.code) is reason


def test_a_code_outside_the_value_set_is_refused_naming_it():
    with pytest.raises(UnknownSource, match='"871731000000106" is not in UK Core'):
        source_of_referral("871731000000106")


def test_each_reason_reads_as_a_practitioner_would_choose_it():
    assert [r.label for r in ReasonForContact] == [
        "We contacted them (from a prevention worklist)",
        "They contacted us themselves",
        "Referred by their GP",
        "Referred by someone else",
    ]

"""SNOMED CT for casework: the concepts the social prescribing standard names, where people come
from, and the identifiers' check digit.

The concepts are those of the PRSB Social Prescribing Information Standard v1.1 and the national
codes NHS England asks GP systems to record (data/snomed-social-prescribing-concepts.csv lists
each with its source); the sources of a referral are UK Core's SourceOfServiceRequest value set
(data/ukcore-source-of-service-request.csv, read here). tests/unit/casework/test_snomed.py holds
every constant to those files and every identifier to its check digit.

SNOMED CT identifiers and terms belong to SNOMED International and, for the UK extension, NHS
England; UK users may use them free of charge under the NHS England affiliate licence. Pure
Python, no Django: the referral models and the FHIR API (Coding.system SNOMED_CT) use them.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

SNOMED_CT = "http://snomed.info/sct"
DATA = Path(__file__).resolve().parent / "data"


# --- Identifiers ------------------------------------------------------------------------------

# Verhoeff's dihedral-group check (SNOMED CT Technical Implementation Guide, "SCTID" check
# digit): it catches every single wrong digit and every swap of two neighbouring digits.
_MULTIPLY = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)


def _powers(first: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """The permutation for each position, i mod 8: `first` applied i times, as the SNOMED CT
    guide builds the table."""
    table = [tuple(range(10))]
    while len(table) < 8:
        table.append(tuple(table[-1][first[j]] for j in range(10)))
    return tuple(table)


_PERMUTE = _powers((1, 5, 7, 6, 2, 8, 3, 0, 9, 4))
_INVERSE = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

_SCTID = re.compile(r"[1-9][0-9]{5,17}")


def verhoeff_check_digit(digits: str) -> str:
    """The Verhoeff check digit to append to `digits`."""
    check = 0
    for i, digit in enumerate(reversed(digits), start=1):
        check = _MULTIPLY[check][_PERMUTE[i % 8][int(digit)]]
    return str(_INVERSE[check])


def has_valid_check_digit(digits: str) -> bool:
    """Whether `digits`' last digit is the Verhoeff check digit of the rest."""
    if not digits.isascii() or not digits.isdigit():
        return False
    check = 0
    for i, digit in enumerate(reversed(digits)):
        check = _MULTIPLY[check][_PERMUTE[i % 8][int(digit)]]
    return check == 0


def is_concept_id(code: str) -> bool:
    """Whether `code` is well formed as a SNOMED CT concept identifier: 6 to 18 digits, no
    leading zero, a concept's partition (00 in the international release, 10 in an extension,
    whose 7-digit namespace comes before it) and a valid check digit. It says nothing of
    whether the concept exists: that needs the release."""
    return (
        bool(_SCTID.fullmatch(code)) and code[-3:-1] in ("00", "10") and has_valid_check_digit(code)
    )


def namespace(code: str) -> str | None:
    """The extension namespace of a long-format identifier (1000000: the UK clinical
    extension), or None for the international release's short format."""
    return code[-10:-3] if code[-3] == "1" else None


# --- Concepts ---------------------------------------------------------------------------------

# The hierarchy tags that end a fully specified name; a Coding.display drops them.
_SEMANTIC_TAG = re.compile(
    r" \((procedure|situation|finding|observable entity|assessment scale|record artifact|"
    r"foundation metadata concept|regime/therapy|qualifier value)\)$"
)


@dataclass(frozen=True, slots=True)
class Concept:
    """A SNOMED CT concept: its identifier, its term as the reference lists it (the fully
    specified name where the source gave one), and what casework uses it for."""

    code: str
    term: str
    used_for: str

    @property
    def display(self) -> str:
        """The term without its semantic tag, for a FHIR Coding.display or a page."""
        return _SEMANTIC_TAG.sub("", self.term)

    def coding(self) -> dict[str, str]:
        """The concept as a FHIR Coding."""
        return {"system": SNOMED_CT, "code": self.code, "display": self.display}


# The social prescribing episode: NHS England's national codes, recorded in the GP record
# (cluster SOCPRESREF_COD).
REFERRAL_TO_SOCIAL_PRESCRIBING_SERVICE = Concept(
    "871731000000106",
    "Referral to social prescribing service (procedure)",
    "Coded once, when the person accepts a referral to a social prescribing link worker (the "
    "first interaction of an episode); never for later contacts, welfare calls or admin.",
)
SOCIAL_PRESCRIBING_DECLINED = Concept(
    "871711000000103",
    "Social prescribing declined (situation)",
    "Coded when the person declines a referral to a social prescribing link worker.",
)

# What the standard's fields are coded from (reference sets).
SOCIAL_PRESCRIBING_NEEDS_AND_CONCERNS = Concept(
    "1373501000000105",
    "Social prescribing needs and concerns simple reference set",
    "The person's presenting issues and a plan's needs, concerns or problems (coded).",
)
SOCIAL_PRESCRIBING_SUPPORT = Concept(
    "1373511000000107",
    "Social prescribing support simple reference set",
    "What support or activity an action offers (a plan's actions and activities, coded).",
)
HEALTH_ISSUES = Concept(
    "1127581000000103",
    "Health issues simple reference set",
    "The reason for a signpost; needs and concerns where the social prescribing set is not used.",
)
SERVICES = Concept(
    "1127531000000102",
    "Services simple reference set (foundation metadata concept)",
    "The service of a referrer, a referral's target, a contact and a signpost.",
)
HEALTHCARE_MATTERS = Concept(
    "1127601000000107",
    "Healthcare matters simple reference set (foundation metadata concept)",
    "A person's strengths and the outcomes of goals and stage goals (coded).",
)
CARE_PLANNING_ACTION_CONTEXT = Concept(
    "999000081000000105",
    "Care planning action context values simple reference set (foundation metadata concept)",
    "The status of an action in a plan (in progress, done, refused).",
)
CARE_PLANNING_GOAL_CONTEXT = Concept(
    "999000091000000107",
    "Care planning goal context values simple reference set (foundation metadata concept)",
    "The status of a goal and of a stage goal.",
)
SAFEGUARDING_ISSUES = Concept(
    "999002381000000108",
    "Safeguarding issues simple reference set (foundation metadata concept)",
    "A safeguarding concern's category (coded).",
)

# The plan, assessments and risks.
REVIEW_OF_CARE_PLAN = Concept(
    "425268008",
    "Review of care plan (procedure)",
    "The review date of an action and of the plan.",
)
ASSESSMENT_SCALES = Concept(
    "273249006",
    "Assessment scales (assessment scale)",
    "The parent of a structured assessment's name (ONS4, SWEMWBS): any concept below it.",
)
OBSERVABLE_ENTITY = Concept(
    "363787002",
    "Observable entity (observable entity)",
    "The parent of an assessment's score and subscale scores.",
)
FINDING_OF_AT_RISK = Concept(
    "281694009",
    "Finding of at risk (finding)",
    "The parent of a coded risk.",
)
REQUIRES_REASONABLE_ADJUSTMENTS = Concept(
    "1108111000000107",
    "Requires reasonable adjustments for health and care access (Equality Act 2010) (finding)",
    "The flag that a person needs reasonable adjustments.",
)

# A goal is a finding with the context "goal": 413350009:246090004=<finding>,408729009=410518001.
FINDING_WITH_EXPLICIT_CONTEXT = Concept(
    "413350009", "Finding with explicit context", "The focus of a goal's expression."
)
ASSOCIATED_FINDING = Concept(
    "246090004", "Associated finding", "The attribute naming what the goal is."
)
FINDING_CONTEXT = Concept(
    "408729009", "Finding context", "The attribute that makes the finding a goal."
)
GOAL = Concept("410518001", "Goal", "The finding context value that marks a finding as a goal.")

# A council's referrals, signposting and plans.
REFERRAL_TO_SOCIAL_SERVICES = Concept(
    "306238000",
    "Referral to Social Services (procedure)",
    "A referral to adult social care (the council's front door, duty team or a social worker "
    "are its children).",
)
REFERRAL_TO_SOCIAL_SERVICES_FOR_ADULT_PROTECTION = Concept(
    "444543005",
    "Referral to social services for adult protection",
    "A safeguarding referral to the council.",
)
SIGNPOSTING_TO_SOCIAL_SERVICES = Concept(
    "1084431000000106",
    "Signposting to Social Services (procedure)",
    "Giving the person adult social care's details, which is not a referral.",
)
AGREEING_ON_HEALTH_AND_SOCIAL_CARE_PLAN = Concept(
    "835181000000106",
    "Agreeing on health and social care plan (procedure)",
    "The practitioner and the person agreeing a plan.",
)
HEALTH_AND_SOCIAL_CARE_PLAN_AGREED = Concept(
    "811871000000107",
    "Health and social care plan agreed (finding)",
    "That a plan was agreed with the person or their representative.",
)
REFERRAL_TO_PHYSICAL_ACTIVITY_PROGRAM = Concept(
    "390893007",
    "Referral to physical activity program (procedure)",
    "A referral to an activity programme (walking groups, exercise on referral).",
)
REFERRAL_TO_LOCAL_AUTHORITY_WEIGHT_MANAGEMENT_PROGRAMME = Concept(
    "771491000000104",
    "Referral to local authority weight management programme",
    "A referral to the council's own weight management programme.",
)

CONCEPTS: tuple[Concept, ...] = tuple(
    value for value in tuple(globals().values()) if isinstance(value, Concept)
)


def concept(code: str) -> Concept:
    """The named concept with this code; KeyError if casework names none."""
    return _BY_CODE[code]


_BY_CODE = {c.code: c for c in CONCEPTS}


# --- Where a person came from ----------------------------------------------------------------


class ReasonForContact(StrEnum):
    """Why a practitioner is talking to the person: how a conversation and a referral began."""

    WORKLIST_OUTREACH = "worklist-outreach"
    SELF_REFERRAL = "self-referral"
    GP = "gp"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    ReasonForContact.WORKLIST_OUTREACH: "We contacted them (from a prevention worklist)",
    ReasonForContact.SELF_REFERRAL: "They contacted us themselves",
    ReasonForContact.GP: "Referred by their GP",
    ReasonForContact.OTHER: "Referred by someone else",
}

# Referred by a GP: the UK codes, and the US extension's "primary care physician" that the value
# set also holds. "Member of Primary Health Care Team" is a nurse or other practice staff: other.
_GP_SOURCES = frozenset({"108161000000109", "185359002", "2021000124102"})

SELF_REFERRAL_TO_SERVICE = "310434002"
REFERRED_BY_GENERAL_PRACTITIONER = "108161000000109"


class UnknownSource(ValueError):
    """A code that is not in UK Core's SourceOfServiceRequest value set."""


@functools.cache
def sources_of_referral() -> tuple[Concept, ...]:
    """UK Core's SourceOfServiceRequest codes, in the value set's order: a pick list of who
    referred the person (ServiceRequest extension sourceOfServiceRequest)."""
    with (DATA / "ukcore-source-of-service-request.csv").open(encoding="utf-8", newline="") as f:
        return tuple(
            Concept(row["concept_id"], row["term"], "Source of a referral (UK Core).")
            for row in csv.DictReader(f)
        )


@functools.cache
def _sources_by_code() -> dict[str, Concept]:
    return {c.code: c for c in sources_of_referral()}


def source_of_referral(code: str) -> Concept:
    """The UK Core source with this code, or UnknownSource."""
    try:
        return _sources_by_code()[code]
    except KeyError:
        raise UnknownSource(
            f'"{code}" is not in UK Core\'s SourceOfServiceRequest value set.'
        ) from None


def reason_for_source(code: str) -> ReasonForContact:
    """The reason for contact that a UK Core source of referral stands for: a self-referral of
    any kind ("Self-referral to service", "Referred by self", "Physiotherapy self-referral"), a
    GP, or someone else (a social worker, a carer, family, a nurse...)."""
    source = source_of_referral(code)
    if code in _GP_SOURCES:
        return ReasonForContact.GP
    # Every self-referral in the value set says so in its term, and nothing else does.
    if re.search(r"\bself\b", source.term, re.IGNORECASE):
        return ReasonForContact.SELF_REFERRAL
    return ReasonForContact.OTHER


def default_source(reason: ReasonForContact) -> Concept | None:
    """The UK Core source to record for a reason when the practitioner picks no other: None
    for "other" (they choose who from the list) and for worklist outreach, which is not a
    referral at all (the council reached out) and has no code in the value set, so a FHIR
    ServiceRequest carries no sourceOfServiceRequest for it."""
    if reason is ReasonForContact.SELF_REFERRAL:
        return source_of_referral(SELF_REFERRAL_TO_SERVICE)
    if reason is ReasonForContact.GP:
        return source_of_referral(REFERRED_BY_GENERAL_PRACTITIONER)
    return None

"""A person's whole record, for a subject access request (UK GDPR Article 15): every record
about them, every field of each, and the audit of who looked at it or changed it.

SECTIONS lists each kind of record and how it leads to the person. Every field of each model is
exported as it stands (a field added to a model is exported without a change here); a model
added with a link to a person must be added to SECTIONS, or
tests/integration/casework/test_subject_access.py fails and names it.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from thedeal.casework.models import (
    Action,
    AuditEvent,
    BreakGlass,
    CaseloadChange,
    CaseloadEntry,
    Consent,
    Conversation,
    ErasureRequest,
    Goal,
    Outreach,
    OutreachAttempt,
    Person,
    Plan,
    Referral,
    ReferralChange,
    Reidentification,
    Risk,
    RiskEdit,
    SafeguardingConcern,
    Signpost,
    WellbeingMeasure,
)

Row = tuple[str, str, str, Any]  # field name, label, what the page shows, what JSON holds

# Labels Django's defaults get wrong (from field names with abbreviations in them).
LABELS = {"gp_practice": "GP practice", "nhs_number": "NHS number", "fhir_id": "FHIR id"}


def _measure_scores(measure: WellbeingMeasure) -> list[Row]:
    rows: list[Row] = []
    if (ons4 := measure.ons4()) is not None:
        rows.append(("ons4", "ONS4 scores", str(ons4), str(ons4)))
    if (swemwbs := measure.swemwbs()) is not None:
        rows.append(
            ("swemwbs_raw_total", "SWEMWBS raw score", str(swemwbs.raw_total), swemwbs.raw_total)
        )
        metric = str(swemwbs.metric_score)
        rows.append(("swemwbs_metric_score", "SWEMWBS metric score", metric, metric))
    if (level := measure.pam_level()) is not None:
        rows.append(("pam_level", "PAM level", str(level), level.level))
    return rows


@dataclass(frozen=True)
class Section:
    """One kind of record: its heading, its model, and the lookup from it to the person's id."""

    title: str
    model: type[models.Model]
    to_person: str
    extras: Callable[[Any], list[Row]] | None = None
    as_table: bool = False
    skip: tuple[str, ...] = field(default=())


SECTIONS: tuple[Section, ...] = (
    Section("Their record", Person, "pk"),
    Section("Consents", Consent, "person", skip=("person",)),
    Section("Teams whose caseload they are in", CaseloadEntry, "person", skip=("person",)),
    Section("Added to or taken off a team's caseload", CaseloadChange, "person", skip=("person",)),
    Section(
        "Opened by someone outside those teams (break glass)",
        BreakGlass,
        "person",
        skip=("person",),
    ),
    Section("Conversations", Conversation, "person", skip=("person",)),
    Section("Risks", Risk, "person", skip=("person",)),
    Section("What a risk said before it was changed", RiskEdit, "risk__person"),
    Section("Well-being measures", WellbeingMeasure, "person", _measure_scores, skip=("person",)),
    Section("Plans", Plan, "person", skip=("person",)),
    Section("Goals", Goal, "plan__person"),
    Section("Actions", Action, "goal__plan__person"),
    Section("Signposts", Signpost, "person", skip=("person",)),
    Section("Referrals", Referral, "person", skip=("person",)),
    Section("Changes of a referral's status", ReferralChange, "referral__person"),
    Section("Safeguarding concerns", SafeguardingConcern, "person", skip=("person",)),
    Section("Outreach from a worklist", Outreach, "person", skip=("person",)),
    Section("Attempts to reach them", OutreachAttempt, "outreach__person"),
    Section(
        "Re-identifications from a worklist", Reidentification, "person_id", skip=("person_id",)
    ),
    Section("Requests to erase the record", ErasureRequest, "person_id", skip=("person_id",)),
    Section(
        "Who looked at or changed the record",
        AuditEvent,
        "person_id",
        as_table=True,
        # Who by username (their id adds nothing for the person); the event's own id neither.
        skip=("person_id", "id", "user_id"),
    ),
)


def _value(obj: models.Model, f: models.Field) -> tuple[str, Any]:  # type: ignore[type-arg]
    """What the page shows for one field, and what the JSON holds."""
    if f.is_relation:
        related = getattr(obj, f.name)
        if related is None:
            return "", None
        if hasattr(related, "get_username"):
            return related.get_username(), related.get_username()
        return str(related), {"id": related.pk, "name": str(related)}
    value = getattr(obj, f.attname)
    if value is None or value == "":
        return "", value
    if f.choices:
        return str(getattr(obj, f"get_{f.name}_display")()), value
    if isinstance(value, bool):
        return ("Yes" if value else "No"), value
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}", value.isoformat()
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}", value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value), str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value), value
    return str(value), value


def _rows(section: Section, obj: models.Model) -> list[Row]:
    rows: list[Row] = []
    for f in obj._meta.concrete_fields:
        if f.name in section.skip:
            continue
        shown, data = _value(obj, f)
        label = LABELS.get(f.name) or str(f.verbose_name)
        rows.append((f.name, label[:1].upper() + label[1:], shown, data))
    if section.extras is not None:
        rows.extend(section.extras(obj))
    return rows


def record_of(person: Person) -> list[dict[str, Any]]:
    """Every section, with each record as a list of rows (field, label, shown, data)."""
    sections = []
    for section in SECTIONS:
        related = [
            f.name
            for f in section.model._meta.concrete_fields
            if f.is_relation and f.name not in section.skip
        ]
        objects = section.model._default_manager.filter(**{section.to_person: person.pk})
        objects = objects.select_related(*related).order_by("pk")
        sections.append(
            {
                "title": section.title,
                "as_table": section.as_table,
                "records": [_rows(section, obj) for obj in objects],
            }
        )
    return sections


def as_json(person: Person, sections: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "person": person.reference,
        "exported_at": timezone.now().isoformat(),
        "sections": {
            s["title"]: [{name: data for name, _, _, data in record} for record in s["records"]]
            for s in sections
        },
    }

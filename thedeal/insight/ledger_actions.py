"""Changes to the savings ledger's records, each recorded with who made it and when: the
programme's costs (entered, changed, removed), the ledger's settings, and which evaluation the
public page shows.

The record is Django's admin log (`LogEntry`): one row per change, naming the account, the time,
the record and the fields changed; the admin shows it as each record's history, and a removed
cost's row outlives the cost. The ledger's records hold no resident data, so the log may name
their values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db import transaction
from django.utils import timezone

from thedeal.insight import ledger
from thedeal.insight.models import EvaluationRun, LedgerSettings, ProgrammeCost

# The fields of a cost that staff enter (the rest is who entered it and when).
COST_FIELDS = ("period_start", "period_end", "category", "payer", "amount", "description")
SETTINGS_FIELDS = ("cost_per_admission", "cost_source", "council_share", "cashable_share")


def _log(record: Any, flag: int, message: str | list, *, by: Any) -> None:
    LogEntry.objects.log_actions(by.pk, [record], flag, message, single_object=True)


def _changed(record: Any, fields: tuple[str, ...], values: dict[str, Any]) -> list[str]:
    return [name for name in fields if getattr(record, name) != values[name]]


def current_settings() -> LedgerSettings:
    """The ledger's settings: the one row, or (until staff first save them) the National Cost
    Collection's figure with no share for the council and none of it cash, unsaved. Reading
    never writes, so a page view never creates the row."""
    saved = LedgerSettings.objects.order_by("pk").first()
    if saved is not None:
        return saved
    return LedgerSettings(
        cost_per_admission=ledger.NCC_COST_PER_ADMISSION,
        cost_source=ledger.NCC_SOURCE,
        council_share=Decimal("0.000"),
        cashable_share=Decimal("0.000"),
    )


@transaction.atomic
def change_settings(
    *,
    cost_per_admission: Decimal,
    cost_source: str,
    council_share: Decimal,
    cashable_share: Decimal,
    by: Any,
) -> LedgerSettings:
    values = {
        "cost_per_admission": cost_per_admission,
        "cost_source": cost_source,
        "council_share": council_share,
        "cashable_share": cashable_share,
    }
    # Locked, so two people saving at once leave one row and two records of who changed what.
    row = LedgerSettings.objects.select_for_update().order_by("pk").first()
    new = row is None
    row = row or current_settings()
    changed = list(SETTINGS_FIELDS) if new else _changed(row, SETTINGS_FIELDS, values)
    if not changed:
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.changed_by = by
    row.full_clean()
    row.save()
    _log(row, ADDITION if new else CHANGE, [{"changed": {"fields": changed}}], by=by)
    return row


@transaction.atomic
def add_cost(*, by: Any, **values: Any) -> ProgrammeCost:
    cost = ProgrammeCost(**{name: values[name] for name in COST_FIELDS}, entered_by=by)
    cost.full_clean()
    cost.save()
    _log(cost, ADDITION, [{"added": {}}], by=by)
    return cost


@transaction.atomic
def change_cost(cost: ProgrammeCost, *, by: Any, **values: Any) -> list[str]:
    """Change a cost's figures; the names of the fields changed (none: nothing saved)."""
    changed = _changed(cost, COST_FIELDS, values)
    if not changed:
        return []
    for name in changed:
        setattr(cost, name, values[name])
    cost.full_clean()
    cost.save(update_fields=changed)
    _log(cost, CHANGE, [{"changed": {"fields": changed}}], by=by)
    return changed


@transaction.atomic
def remove_cost(cost: ProgrammeCost, *, by: Any) -> None:
    # Recorded before it goes: the log row keeps what it was (its description and amount).
    _log(cost, DELETION, "", by=by)
    cost.delete()


@transaction.atomic
def publish(run: EvaluationRun, *, by: Any) -> EvaluationRun:
    """Make `run` the evaluation the public page shows, in place of any other."""
    # The database allows one published run: the previous one is withdrawn first.
    for previous in EvaluationRun.objects.select_for_update().filter(published=True):
        if previous.pk == run.pk:
            return previous
        previous.published = False
        previous.save(update_fields=["published"])
        _log(previous, CHANGE, "Withdrawn from the public page", by=by)
    run.published = True
    run.published_at = timezone.now()
    run.published_by = by
    run.save(update_fields=["published", "published_at", "published_by"])
    _log(run, CHANGE, "Published on the public page", by=by)
    return run


def recent_changes(limit: int = 20):
    """The latest changes to the ledger's records, newest first, with who made them."""
    from django.contrib.contenttypes.models import ContentType

    kinds = ContentType.objects.get_for_models(ProgrammeCost, LedgerSettings, EvaluationRun)
    return (
        LogEntry.objects.filter(content_type__in=kinds.values())
        .select_related("user", "content_type")
        .order_by("-action_time", "-pk")[:limit]
    )

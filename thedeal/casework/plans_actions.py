"""Writes for a person's plan, each with its audit event in the same transaction (as
casework.actions): agree a plan, add goals and actions, change an action's status, record how a
goal went, and close the plan. The audit names the fields written, never their values.

`close_plan` is the one way a plan closes: what else closing an episode does (the summary back
to the referrer) belongs in it, inside its transaction or deferred with on_commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from thedeal.casework import inbox_actions
from thedeal.casework.actions import audit
from thedeal.casework.models import (
    Action,
    ActionStatus,
    AuditEvent,
    Goal,
    GoalStatus,
    Person,
    Plan,
)
from thedeal.directory.models import TaxonomyTerm


class PlanAlreadyOpen(Exception):
    """The person already has an open plan: it is closed before another is agreed."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("This person already has an open plan")
        self.plan = plan


def _audit(
    *, by: Any, action: str, record: Any, record_type: str, person_id: int, fields: list[str]
) -> None:
    audit(
        by=by,
        action=action,
        record_type=record_type,
        record_id=record.pk,
        person_id=person_id,
        field_names=fields,
    )


@transaction.atomic
def agree_plan(
    *,
    person: Person,
    agreed_on: datetime.date,
    agreed_with: str = "",
    review_on: datetime.date | None = None,
    responsible_for_review: Any = None,
    by: Any,
) -> Plan:
    """Agree a plan with the person: PlanAlreadyOpen if they have one (one open plan each)."""
    existing = person.plans.filter(closed_on__isnull=True).first()
    if existing is not None:
        raise PlanAlreadyOpen(existing)
    plan = Plan(
        person=person,
        agreed_on=agreed_on,
        agreed_with=agreed_with,
        review_on=review_on,
        responsible_for_review=responsible_for_review,
        created_by=by,
    )
    plan.full_clean(exclude=["created_by", "responsible_for_review"])
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        # Another practitioner agreed one at the same moment (the database keeps one open).
        raise PlanAlreadyOpen(person.plans.get(closed_on__isnull=True)) from None
    _audit(
        by=by, action=AuditEvent.Action.CREATED, record=plan, record_type="plan",
        person_id=person.pk,
        fields=["agreed_on"] + [name for name in ("agreed_with", "review_on", "responsible_for_review")
                                if getattr(plan, name)],
    )  # fmt: skip
    return plan


@transaction.atomic
def add_goal(
    *,
    plan: Plan,
    in_their_words: str,
    importance: int,
    category: TaxonomyTerm | None = None,
    by: Any,
) -> Goal:
    goal = Goal(
        plan=plan,
        in_their_words=in_their_words,
        importance=importance,
        category=category,
        order=plan.goals.count(),
    )
    goal.full_clean(exclude=["category"])
    goal.save()
    _touch(plan)
    _audit(
        by=by, action=AuditEvent.Action.CREATED, record=goal, record_type="goal",
        person_id=plan.person_id,
        fields=["in_their_words", "importance"] + (["category"] if category else []),
    )  # fmt: skip
    return goal


@transaction.atomic
def add_action(
    *,
    goal: Goal,
    description: str,
    who: str,
    due_on: datetime.date | None = None,
    status: str = ActionStatus.NOT_STARTED,
    confidence: int | None = None,
    by: Any,
) -> Action:
    action = Action(
        goal=goal,
        description=description,
        who=who,
        due_on=due_on,
        status=status,
        confidence=confidence,
    )
    action.full_clean()
    action.save()
    _touch(goal.plan)
    _audit(
        by=by, action=AuditEvent.Action.CREATED, record=action, record_type="action",
        person_id=goal.plan.person_id,
        fields=["description", "who", "status"]
        + [name for name in ("due_on", "confidence") if getattr(action, name) is not None],
    )  # fmt: skip
    return action


@transaction.atomic
def change_action_status(*, action: Action, status: str, by: Any) -> bool:
    """Move an action to another status; False (nothing saved or audited) if it was already."""
    action = Action.objects.select_for_update().select_related("goal__plan").get(pk=action.pk)
    if action.status == status:
        return False
    action.status = ActionStatus(status)
    action.updated_at = timezone.now()
    action.save(update_fields=["status", "updated_at"])
    _touch(action.goal.plan)
    _audit(
        by=by, action=AuditEvent.Action.CHANGED, record=action, record_type="action",
        person_id=action.goal.plan.person_id, fields=["status"],
    )  # fmt: skip
    return True


@transaction.atomic
def record_goal_outcome(*, goal: Goal, status: str, outcome: str = "", by: Any) -> list[str]:
    """Say how a goal went (achieved, partly, no longer wanted, or still being worked on)."""
    goal = Goal.objects.select_for_update().select_related("plan").get(pk=goal.pk)
    changed = []
    if goal.status != status:
        goal.status = GoalStatus(status)
        changed.append("status")
    if goal.outcome != outcome:
        goal.outcome = outcome
        changed.append("outcome")
    if not changed:
        return []
    goal.save(update_fields=changed)
    _touch(goal.plan)
    _audit(
        by=by, action=AuditEvent.Action.CHANGED, record=goal, record_type="goal",
        person_id=goal.plan.person_id, fields=changed,
    )  # fmt: skip
    return changed


@transaction.atomic
def close_plan(*, plan: Plan, closed_on: datetime.date, summary: str, by: Any) -> Plan:
    """Close the plan (the end of the episode) with its closing summary. The one way a plan
    closes, so that what else an episode's end brings (the summary back to the referrer) is
    added here."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_open:
        raise ValueError("This plan is already closed")
    plan.closed_on = closed_on
    plan.closing_summary = summary
    plan.updated_at = timezone.now()
    plan.full_clean(exclude=["created_by", "responsible_for_review"])
    plan.save(update_fields=["closed_on", "closing_summary", "updated_at"])
    _audit(
        by=by, action=AuditEvent.Action.CHANGED, record=plan, record_type="plan",
        person_id=plan.person_id, fields=["closed_on", "closing_summary"],
    )  # fmt: skip
    # The episode's end closes the loop: each referral that brought the person to us gets a
    # summary of what was done (its Task's output, and an email to the referrer).
    inbox_actions.send_closing_summary(plan=plan, by=by)
    return plan


def _touch(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())

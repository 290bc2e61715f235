"""The demo's casework: a year of conversations, measures, plans and referrals for the synthetic
people, with referrals in every status reached the way the lifecycle allows, an inbox for the
demo's editor, and GP referrals waiting in triage. Loaded once."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from thedeal.casework import demo_work, lifecycle
from thedeal.casework.lifecycle import Status
from thedeal.casework.models import (
    Conversation,
    ConversationKind,
    Direction,
    Occasion,
    Plan,
    Referral,
    ReferralChange,
    WellbeingMeasure,
)
from thedeal.directory.models import OrganizationIdentifier

pytestmark = pytest.mark.django_db


def _load_demo_says_what_casework_it_added(demo):
    assert "conversations and" in demo and "referrals for casework" in demo


def _outbound_referrals_are_in_every_status_with_a_history_the_lifecycle_allows(demo):
    outbound = Referral.objects.filter(direction=Direction.OUTBOUND)
    statuses = set(outbound.values_list("status", flat=True))
    assert statuses == {s.value for s in Status} - {Status.DRAFT.value}
    for referral in outbound.prefetch_related("changes"):
        changes = list(referral.changes.all())
        assert changes[0].from_status == ""
        previous = None
        for change in changes:
            lifecycle.check_transition(
                previous, change.to_status, by=change.by_party, reason=change.reason or "x"
            )
            previous = change.to_status
        assert previous == referral.status
        assert referral.performer_organization_id == referral.service.organization_id
        # The person agreed to share their details with the organisation referred to.
        assert referral.share_consent.organization_id == referral.performer_organization_id
        if referral.status == Status.REJECTED:
            assert referral.status_reason
        if referral.status == Status.COMPLETED:
            assert referral.attended is True
        if referral.status == Status.FAILED:
            assert referral.attended is False
        assert referral.requested_at <= changes[-1].at


def _the_demo_editor_has_referrals_to_answer_in_several_statuses(demo):
    organisation = demo_work.editor_organisation()
    statuses = set(
        Referral.objects.filter(performer_organization=organisation).values_list(
            "status", flat=True
        )
    )
    assert {Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED} <= statuses


def _gp_referrals_come_from_practices_with_ods_codes_and_some_wait_in_triage(demo):
    inbound = Referral.objects.filter(direction=Direction.INBOUND)
    assert inbound.filter(performer_organization__isnull=True, status=Status.REQUESTED).exists()
    practices = {r.requester_organization_id for r in inbound}
    codes = OrganizationIdentifier.objects.filter(
        organization_id__in=practices, identifier_type="ODS code"
    )
    assert codes.count() == len(practices) and all(c.identifier.startswith("Z99") for c in codes)


def _conversations_plans_and_measures_look_like_a_years_work(demo):
    kinds = set(Conversation.objects.values_list("kind", flat=True))
    assert kinds == {k.value for k in ConversationKind}
    occasions = dict(
        WellbeingMeasure.objects.values_list("occasion")
        .annotate(n=Count("id"))
        .values_list("occasion", "n")
    )
    assert occasions[Occasion.FIRST_CONTACT] > occasions[Occasion.REVIEW] > 50
    assert Plan.objects.filter(closed_on__isnull=True).exists()
    assert Plan.objects.filter(closed_on__isnull=False).exists()
    assert Plan.objects.filter(goals__actions__isnull=False).exists()


def _a_second_load_adds_nothing(demo):
    before = (
        Referral.objects.count(),
        ReferralChange.objects.count(),
        Conversation.objects.count(),
    )
    assert demo_work.load(seed=2) == demo_work.Loaded()
    call_command(
        "load_demo", services=200, seed=2, if_empty=True, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert (
        Referral.objects.count(),
        ReferralChange.objects.count(),
        Conversation.objects.count(),
    ) == before


def test_load_demo_adds_a_years_casework_once():
    """One load (it takes several seconds), every check on it."""
    out = io.StringIO()
    call_command("load_demo", services=200, seed=2, stdout=out, stderr=io.StringIO())
    demo = out.getvalue()
    _load_demo_says_what_casework_it_added(demo)
    _outbound_referrals_are_in_every_status_with_a_history_the_lifecycle_allows(demo)
    _the_demo_editor_has_referrals_to_answer_in_several_statuses(demo)
    _gp_referrals_come_from_practices_with_ods_codes_and_some_wait_in_triage(demo)
    _conversations_plans_and_measures_look_like_a_years_work(demo)
    _a_second_load_adds_nothing(demo)

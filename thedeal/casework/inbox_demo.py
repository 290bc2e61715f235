"""The demo's referral inbox: a few of the synthetic people referred by Ola (the practitioner
persona) to the organisation Priya (the editor persona) edits for, in each state an inbox shows,
so that a newcomer signed in as Priya has referrals to read and answer.

Synthetic people only (casework.demo); most have consented to share with the organisation, one
has not (the inbox then shows that consent is missing). Loaded once: an organisation that has
referrals already gets none.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from thedeal.accounts.models import OrganisationEditor
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import Consent, ConsentKind, Direction, Person, Referral

EDITOR = "priya@example.org"
PRACTITIONER = "ola@example.nhs.uk"

# (days ago, the path it has taken as the organisation, its reason or outcome, consent shared)
STORIES: tuple[tuple[int, tuple[Status, ...], str, bool], ...] = (
    (1, (), "", True),
    (9, (), "", False),  # waiting, chased once, and no consent to share
    (16, (Status.ACCEPTED,), "", True),
    (30, (Status.ACCEPTED, Status.IN_PROGRESS), "", True),
    (45, (Status.REJECTED,), "Our sessions are full until the spring", True),
    (60, (Status.ACCEPTED, Status.COMPLETED), "Came to six sessions; now helps run them", True),
    (75, (Status.ACCEPTED, Status.FAILED), "Did not come to the first three sessions", True),
)
REASONS = (
    "Lonely since moving to the area; would like to meet people.",
    "Low mood; used to enjoy being outdoors and keeping busy.",
    "Wants to get more active after a fall, with others at the same pace.",
)


@transaction.atomic
def load() -> int:
    """Referrals to Priya's organisation, if she edits for one and it has none yet; how many."""
    link = OrganisationEditor.objects.filter(user__username=EDITOR).select_related(
        "organization", "user"
    )
    practitioner = get_user_model().objects.filter(username=PRACTITIONER).first()
    if not link or practitioner is None:
        return 0
    organisation, editor = link[0].organization, link[0].user
    if Referral.objects.filter(performer_organization=organisation).exists():
        return 0
    service = organisation.services.order_by("name").first()
    people = list(Person.objects.order_by("pk")[: len(STORIES)])
    now = timezone.now()
    for n, (person, (days, path, words, shared)) in enumerate(zip(people, STORIES, strict=False)):
        sent = now - datetime.timedelta(days=days)
        if shared:
            Consent.objects.create(
                person=person,
                kind=ConsentKind.SHARE,
                organization=organisation,
                given_on=timezone.localdate(sent),
                recorded_by=practitioner,
            )
        referral = Referral.objects.create(
            person=person,
            direction=Direction.OUTBOUND,
            reason=REASONS[n % len(REASONS)],
            requester_user=practitioner,
            requester_name="Ola, link worker",
            performer_organization=organisation,
            service=service,
            requested_at=sent,
            updated_at=sent,
            times_chased=0 if path or days < 7 else 1,
        )
        referral.record_start(by=Party.REQUESTER, user=practitioner)
        for step, status in enumerate(path, start=1):
            at = sent + datetime.timedelta(days=2 * step)
            reason = words if status in (Status.REJECTED, Status.FAILED) else ""
            referral.change_status(status, by=Party.TARGET, user=editor, reason=reason, at=at)
        if Status.COMPLETED in path:
            referral.attended, referral.outcome = True, words
            referral.save(update_fields=["attended", "outcome"])
        elif Status.FAILED in path:
            referral.attended = False
            referral.save(update_fields=["attended"])
    return min(len(people), len(STORIES))

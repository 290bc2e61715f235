"""Writes for signposting and referring, each audited, with emails and text messages sent only
once the change commits (thedeal.notify)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from thedeal import notify
from thedeal.casework.actions import audit, record_consent
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import (
    AuditEvent,
    Consent,
    ConsentKind,
    Direction,
    Goal,
    Person,
    Referral,
    Signpost,
    SignpostMethod,
)
from thedeal.casework.suggest_forms import allowed_methods
from thedeal.directory import listings
from thedeal.directory.models import Organization, Service


class NotAllowed(Exception):
    """The person's contact preferences do not allow this way of handing over details."""


class NoConsentToShare(Exception):
    """A referral needs the person's consent to share with the organisation."""


def share_consent(person: Person, organisation: Organization) -> Consent | None:
    return (
        person.current_consents()
        .filter(kind=ConsentKind.SHARE, organization=organisation)
        .order_by("-given_on", "-pk")
        .first()
    )


def service_details(service: Service) -> str:
    """A service's details as a resident reads them in an email or on paper."""
    listing = listings.listing(service)
    lines = [service.name]
    if service.organization is not None:
        lines.append(f"Run by {service.organization.name}")
    if service.description:
        lines += ["", service.description]
    if listing.nearest is not None and listing.nearest.address:
        lines += ["", f"Where: {listing.nearest.address}"]
    if listing.opening_times:
        lines += ["", "When:", *listing.opening_times]
    if listing.costs:
        lines += ["", "Cost: " + " ".join(listing.costs)]
    contact = [*listing.phones, service.email, service.url]
    if any(contact):
        lines += ["", "Get in touch:", *(c for c in contact if c)]
    return "\n".join(lines)


def _text_for(service: Service) -> str:
    """A text message: short, the name and how to get in touch."""
    listing = listings.listing(service)
    how = next((way for way in (*listing.phones, service.url, service.email) if way), "")
    council = settings.COUNCIL["short_name"]
    return f"{service.name}: {how}. Sent by your {council} link worker.".replace(": .", ".")


@transaction.atomic
def signpost(
    *,
    person: Person,
    service: Service,
    goal: Goal | None,
    method: str,
    reasons: Sequence[str],
    by: Any,
) -> Signpost:
    """Record that the person was given a service's details, and send them if by email or
    text (only as their contact preferences allow: NotAllowed otherwise)."""
    if method not in dict(allowed_methods(person)[0]):
        raise NotAllowed(method)
    given = Signpost.objects.create(
        person=person,
        goal=goal,
        service=service,
        method=method,
        reasons=list(reasons),
        given_on=timezone.localdate(),
        given_by=by,
    )
    audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type="signpost",
        record_id=given.pk,
        person_id=person.pk,
        field_names=["service", "method", "reasons"] + (["goal"] if goal else []),
    )
    council = settings.COUNCIL["short_name"]
    if method == SignpostMethod.EMAIL:
        notify.send_email(
            to=person.email,
            subject=f"{service.name}: the details you asked for",
            body=f"{service_details(service)}\n\nSent by your link worker at {council}.",
            key=f"signpost:{given.pk}",
        )
    elif method == SignpostMethod.TEXT:
        notify.send_text(to=person.phone, body=_text_for(service), key=f"signpost:{given.pk}")
    return given


@transaction.atomic
def refer(
    *,
    person: Person,
    service: Service,
    goal: Goal | None,
    reason: str,
    reasons_suggested: Sequence[str],
    consent_now: bool,
    by: Any,
) -> Referral:
    """Refer the person to a service's organisation: with their consent to share with it (one
    recorded now, dated today, when `consent_now` and there is none; NoConsentToShare when
    neither), status requested, audited, and the organisation told by email."""
    organisation = service.organization
    consent = share_consent(person, organisation)
    if consent is None:
        if not consent_now:
            raise NoConsentToShare
        consent = record_consent(
            person=person,
            kind=ConsentKind.SHARE,
            given_on=timezone.localdate(),
            organization=organisation,
            by=by,
        )
    referral = Referral.objects.create(
        person=person,
        direction=Direction.OUTBOUND,
        reason=reason.strip(),
        goal=goal,
        reasons_suggested=list(reasons_suggested),
        requester_user=by,
        requester_name=by.get_full_name() or by.get_username(),
        performer_organization=organisation,
        service=service,
        share_consent=consent,
        status=Status.REQUESTED,
    )
    referral.record_start(by=Party.REQUESTER, user=by)
    audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type="referral",
        record_id=referral.pk,
        person_id=person.pk,
        field_names=["service", "reason", "reasons_suggested", "share_consent"]
        + (["goal"] if goal else []),
    )
    to = organisation.email or service.email
    if to:
        # Nothing about the person: the email says a referral is waiting, and the organisation
        # reads it signed in.
        notify.send_email(
            to=to,
            subject=f"A new referral to {service.name}",
            body=(
                f"{settings.COUNCIL['short_name']}'s link workers have referred someone to "
                f"{service.name}.\n\nSign in to read the referral and answer it: "
                f"{settings.SITE_URL}/accounts/sign-in/"
            ),
            key=f"referral-new:{referral.pk}",
        )
    return referral


@transaction.atomic
def change_referral(*, referral: Referral, to: Status, reason: str, by: Any) -> None:
    """The referrer's own change of status (cancelling, say), kept and audited; the lifecycle
    refuses what the referrer may not do (lifecycle.TransitionRefused)."""
    referral.change_status(to, by=Party.REQUESTER, user=by, reason=reason)
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="referral",
        record_id=referral.pk,
        person_id=referral.person_id,
        field_names=["status"] + (["status_reason"] if reason.strip() else []),
    )

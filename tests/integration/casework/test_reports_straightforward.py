"""Casework's reports against a straightforward count of the same random borough: each referral,
conversation and measure looked at one by one in Python. The reports count in the database
(grouped, with the borough's days worked out by SQLite itself): every published cell must be
the same, on days either side of the clocks changing and of midnight in summer."""

import datetime
import random
import statistics
import zoneinfo
from collections import Counter

import pandas as pd
import pytest
from django.utils import timezone

from tests.factories import directory as directory_factories
from tests.factories.casework import PersonFactory
from thedeal.casework import lifecycle, reports
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.measures import swemwbs
from thedeal.casework.models import (
    Conversation,
    Direction,
    Occasion,
    Referral,
    WellbeingMeasure,
)
from thedeal.casework.working_days import working_days_between

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
ANSWERED = [s for s in Status if s not in (Status.DRAFT, Status.REQUESTED)]


def _moment(rng: random.Random, today: datetime.date) -> datetime.datetime:
    """A time in the last 14 months, often late in the evening (the next day in summer, when
    the clocks are an hour ahead of UTC) or on a day the clocks change."""
    day = today - datetime.timedelta(days=rng.randint(0, 420))
    if rng.random() < 0.3:
        year = day.year
        changes = [datetime.date(year, 3, 31), datetime.date(year, 10, 31)]
        change = rng.choice(changes)
        day = change - datetime.timedelta(days=(change.weekday() + 1) % 7)  # the last Sunday
        day = min(day, today)
    hour = rng.choice([0, 1, 2, 9, 14, 22, 23, 23])
    return datetime.datetime.combine(
        day, datetime.time(hour, rng.randint(0, 59), rng.randint(0, 59)), tzinfo=datetime.UTC
    )


def _borough(seed: int) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    organisations = [
        directory_factories.OrganizationFactory(name=f"Organisation {n}") for n in range(4)
    ]
    services = [
        directory_factories.ServiceFactory(
            name=f"Service {n}" if n % 3 else f"Organisation {n % 4} drop-in",
            organization=organisations[n % 4],
        )
        for n in range(7)
    ]
    people = [PersonFactory() for _ in range(30)]
    referrals = []
    for n in range(240):
        person = rng.choice(people)
        requested = _moment(rng, today)
        if n % 4 == 0:
            referrals.append(
                Referral(
                    person=person, direction=Direction.INBOUND, requested_at=requested,
                    status=rng.choice([Status.REQUESTED, Status.ENTERED_IN_ERROR]),
                )
            )  # fmt: skip
            continue
        # Mostly to a few services, so that some counts are large enough to be shown.
        service = services[min(int(rng.expovariate(0.6)), len(services) - 1)]
        status = rng.choice([Status.REQUESTED, *ANSWERED])
        answered = (
            requested + datetime.timedelta(days=rng.randint(0, 15), hours=rng.randint(0, 30))
            if status is not Status.REQUESTED
            else None
        )
        referrals.append(
            Referral(
                person=person, direction=Direction.OUTBOUND, service=service,
                performer_organization_id=service.organization_id, status=status,
                requested_at=requested, answered_at=answered,
            )
        )  # fmt: skip
    Referral.objects.bulk_create(referrals)
    for person in people:
        for _ in range(rng.randint(0, 4)):
            Conversation.objects.create(
                person=person, held_on=today - datetime.timedelta(days=rng.randint(0, 420)),
                contact_method="phone", reason_for_contact="gp",
            )  # fmt: skip
        for _ in range(rng.randint(0, 4)):
            answered = rng.random() < 0.8
            WellbeingMeasure.objects.create(
                person=person,
                taken_on=today - datetime.timedelta(days=rng.randint(0, 420)),
                occasion=rng.choice([Occasion.FIRST_CONTACT, Occasion.REVIEW]),
                life_satisfaction=rng.randint(0, 10),
                anxiety=rng.choice([None, rng.randint(0, 10)]),
                **{
                    name: rng.randint(1, 5) if answered else None
                    for name in WellbeingMeasure.SWEMWBS_FIELDS
                },
            )


def _local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(LONDON).date()


def _in(p: reports.Period, day: datetime.date) -> bool:
    return (p.start is None or day >= p.start) and day <= p.end


def _banded(lengths: list[int | None], waiting_label: str) -> tuple[list[dict], float | None]:
    rows = []
    for label, low, high in reports.BANDS:
        rows.append(
            {
                "band": label,
                "referrals": sum(1 for n in lengths if n is not None and low <= n <= high),
            }
        )
    rows.append({"band": waiting_label, "referrals": sum(1 for n in lengths if n is None)})
    known = [n for n in lengths if n is not None]
    return rows, (statistics.median(known) if len(known) > reports.THRESHOLD else None)


def _straightforward(p: reports.Period) -> dict[str, tuple[list[list[str]], object]]:
    """Each table's cells (and the medians), counted one referral at a time."""
    made = [
        r for r in Referral.objects.select_related("service__organization", "performer_organization")
        if _in(p, _local_day(r.requested_at))
    ]  # fmt: skip
    outbound = [r for r in made if r.direction == Direction.OUTBOUND]
    out: dict[str, tuple[list[list[str]], object]] = {}

    by_status = Counter(r.status for r in outbound)
    rows = [
        {"outcome": lifecycle.STATUSES[s].label(Party.REQUESTER), "referrals": by_status[s.value]}
        for s in Status
        if s is not Status.DRAFT
    ]
    out["by-outcome"] = (reports.publish_counts(rows, label="outcome", counts=["referrals"]), None)

    by_service = Counter(r.service for r in outbound)
    names = {
        s: f"{s.name} ({s.organization.name})" if s.organization.name not in s.name else s.name
        for s in by_service
    }
    rows = reports._fold_small(by_service, names, other="Other services", key="service")
    out["by-service"] = (reports.publish_counts(rows, label="service", counts=["referrals"]), None)

    by_org = Counter(r.performer_organization for r in outbound)
    rows = reports._fold_small(
        by_org, {o: o.name for o in by_org}, other="Other organisations", key="organisation"
    )
    out["by-organisation"] = (
        reports.publish_counts(rows, label="organisation", counts=["referrals"]),
        None,
    )

    # Attendance: of the referrals whose organisation has said whether the person came.
    known = Counter()
    missed = Counter()
    for r in outbound:
        if r.status in (*reports.ATTENDED, reports.DID_NOT_ATTEND):
            known[r.performer_organization] += 1
            missed[r.performer_organization] += r.status == reports.DID_NOT_ATTEND
    big = sorted(
        (o for o in known if known[o] > reports.THRESHOLD), key=lambda o: (-known[o], o.name)
    )
    rows = [
        {"organisation": o.name, "outcomes": known[o], "did_not_attend": missed[o]} for o in big
    ]
    small = [o for o in known if o not in big]
    if small:
        rows.append(
            {
                "organisation": "Other organisations",
                "outcomes": sum(known[o] for o in small),
                "did_not_attend": sum(missed[o] for o in small),
            }
        )
    frame = reports.publish_counts(
        rows, label="organisation", counts=["outcomes", "did_not_attend"],
        derived={"did_not_attend": ["rate"]}, denominators={"did_not_attend": "outcomes"},
    )  # fmt: skip
    out["did-not-attend"] = (reports._with_rates(frame), None)

    lengths = [
        None
        if r.answered_at is None
        else max(0, working_days_between(_local_day(r.requested_at), _local_day(r.answered_at)))
        for r in outbound
        if r.status != Status.ENTERED_IN_ERROR
    ]
    rows, median = _banded(lengths, "Not answered")
    out["time-to-answer"] = (
        reports.publish_counts(rows, label="band", counts=["referrals"]),
        median,
    )

    held = {}
    for c in Conversation.objects.all():
        held.setdefault(c.person_id, []).append(c.held_on)
    lengths = []
    for r in made:
        if r.direction != Direction.INBOUND or r.status == Status.ENTERED_IN_ERROR:
            continue
        sent = _local_day(r.requested_at)
        after = [day for day in held.get(r.person_id, []) if day >= sent]
        lengths.append(max(0, working_days_between(sent, min(after))) if after else None)
    rows, median = _banded(lengths, "Not contacted yet")
    out["time-to-first-contact"] = (
        reports.publish_counts(rows, label="band", counts=["referrals"]),
        median,
    )
    return out


def _pairs(p: reports.Period) -> pd.DataFrame:
    """Each reviewed person's earliest first contact and last review in the period."""
    measures = WellbeingMeasure.objects.order_by("person_id", "taken_on", "pk")
    records = []
    for person_id in sorted({m.person_id for m in measures}):
        theirs = [m for m in measures if m.person_id == person_id]
        reviews = [m for m in theirs if m.occasion == Occasion.REVIEW and _in(p, m.taken_on)]
        firsts = [m for m in theirs if m.occasion == Occasion.FIRST_CONTACT]
        if not reviews or not firsts:
            continue
        record = {}
        for when, m in (("before", firsts[0]), ("after", reviews[-1])):
            for name in WellbeingMeasure.ONS4_FIELDS:
                value = getattr(m, name)
                record[f"{when}_{name}"] = float("nan") if value is None else float(value)
            answers = [getattr(m, name) for name in WellbeingMeasure.SWEMWBS_FIELDS]
            record[f"{when}_swemwbs"] = (
                float("nan") if None in answers else float(swemwbs.conversion_table()[sum(answers)])
            )
        records.append(record)
    columns = [
        f"{when}_{name}"
        for name in (*WellbeingMeasure.ONS4_FIELDS, "swemwbs")
        for when in ("before", "after")
    ]
    return pd.DataFrame.from_records(records, columns=columns).astype(float)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("period", ["12-months", "all"])
def test_every_report_matches_a_count_of_one_referral_at_a_time(seed, period):
    _borough(seed)
    p = reports.period(period)
    expected = _straightforward(p)
    tables = reports.tables(p)
    for key, (frame, median) in expected.items():
        table = tables[key]
        shown = reports.Table(key, "", "", table.columns, frame)
        assert table.cells() == shown.cells(), key
        if median is not None or "median" in table.extra:
            assert table.extra["median"] == median, key
    pd.testing.assert_frame_equal(reports.wellbeing_pairs(p), _pairs(p))

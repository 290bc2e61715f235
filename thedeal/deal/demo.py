"""The demo borough's Deal: commitments with real published figures for Wigan where we have
them, synthetic series (marked as such) elsewhere, and the catalogue of pledges."""

from __future__ import annotations

import numpy as np

from thedeal.deal.models import Commitment, Measurement, PledgeType

# Adult smoking prevalence, Wigan, ONS Annual Population Survey (as reported); England 2022.
WIGAN_SMOKING = {2010: 25.5, 2012: 23.0, 2014: 20.6, 2018: 15.5, 2020: 17.1, 2021: 13.9, 2022: 14.7}
ENGLAND_SMOKING_2022 = 12.7

PLEDGES = (
    ("keep-active", "Keep active", "Move more: walk, cycle, swim, dance or join a group.",
     "physical-activity"),
    ("stop-smoking", "Stop smoking", "Stop smoking, with free support to help you quit for good.",
     "stop-smoking"),
    ("drink-sensibly", "Drink sensibly", "Keep to 14 units a week or less, with help if you want it.",
     "drug-and-alcohol-support"),
    ("health-checks", "Register with a GP and go for check-ups",
     "Register with a GP, and go to your NHS Health Check and screening when invited.",
     "health-checks-and-social-prescribing"),
    ("volunteer", "Volunteer", "Give some time to a local group or cause.",
     "volunteering-opportunities,environmental-volunteering"),
    ("support-local-businesses", "Support local businesses",
     "Shop, eat and spend locally, and get to know the people who run your high street.",
     "community-centres"),
    ("recycle", "Recycle more", "Recycle what you can, and join a litter pick or repair café.",
     "environmental-volunteering"),
    ("look-out-for-neighbours", "Look out for your neighbours",
     "Check on someone who lives alone, and join in with what is on near you.",
     "social-groups,older-people"),
)  # fmt: skip


def load(seed: int = 0) -> None:
    """Create the demo commitments and pledge catalogue (once; a second call changes nothing)."""
    for order, (slug, title, summary, codes) in enumerate(PLEDGES):
        PledgeType.objects.get_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "term_codes": codes,
                                 "order": order},
        )  # fmt: skip
    if Commitment.objects.exists():
        return
    smoking = Commitment.objects.create(
        slug="fewer-adults-smoke",
        title="Fewer adults smoke",
        description="Free stop-smoking support in every town, smoke-free playgrounds and school gates, "
        "and action on illegal tobacco.",
        owner="Public health, with the NHS and the stop-smoking service",
        indicator="Adults who smoke",
        unit="%",
        source="ONS Annual Population Survey, as reported (England 2022: 12.7%)",
        direction=Commitment.Direction.LOWER,
        target=12.0,
        target_year=2026,
        order=0,
    )
    for year, value in WIGAN_SMOKING.items():
        Measurement.objects.create(
            commitment=smoking, year=year, value=value,
            comparator=ENGLAND_SMOKING_2022 if year == 2022 else None,
        )  # fmt: skip
    rng = np.random.default_rng(seed)
    synthetic = (
        ("more-adults-active", "More adults are active",
         "Adults doing at least 150 minutes of activity a week", "%", "higher", 70.0,
         "Leisure and parks, with community groups", 0.61, 0.015, 1800),
        ("fewer-lonely", "Fewer people feel lonely", "Adults who often or always feel lonely", "%",
         "lower", 5.0, "Community development, with the voluntary sector", 0.085, -0.004, 1200),
        ("young-quitters", "Young people who quit with support",
         "Young people setting a quit date who have quit at four weeks", "%", "higher", 50.0,
         "The stop-smoking service", 0.35, 0.03, 30),
    )  # fmt: skip
    for order, (
        slug,
        title,
        indicator,
        unit,
        direction,
        target,
        owner,
        start,
        trend,
        size,
    ) in enumerate(synthetic, start=1):
        commitment = Commitment.objects.create(
            slug=slug, title=title, indicator=indicator, unit=unit, direction=direction,
            target=target, target_year=2027, owner=owner, synthetic=True, order=order,
            source="Synthetic demonstration figures: not real data",
        )  # fmt: skip
        for i, year in enumerate(range(2019, 2026)):
            # Small services see small numbers: some years are too few to publish.
            denominator = int(rng.integers(int(size * 0.8), int(size * 1.2) + 1))
            numerator = int(rng.binomial(denominator, min(max(start + trend * i, 0.01), 0.99)))
            Measurement.objects.create(
                commitment=commitment, year=year, numerator=numerator, denominator=denominator
            )

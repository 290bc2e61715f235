"""The indicators the borough computes for itself from its linked data (`thedeal insight
compute`), each with what an analyst used to Fingertips expects to read beside its value: its
definition, where its data come from, the method, which direction is good, and its unit.

Pure Python, no Django: `insight.compute` produces values under these slugs, and
`insight.actions` keeps the definitions in the database (imported Fingertips indicators are kept
there too, with what their file says).
"""

from __future__ import annotations

from dataclasses import dataclass

from thedeal.indicators.polarity import HIGH_IS_GOOD, LOW_IS_GOOD, NO_JUDGEMENT

__all__ = ["CATALOGUE", "Definition", "HIGH_IS_GOOD", "LOW_IS_GOOD", "NO_JUDGEMENT", "by_slug"]

LINKED_DATA = (
    "The borough's linked records (GP registrations, conditions and lifestyle records, hospital "
    "admissions and deaths), residents who opted out of data sharing left out."
)
DSR_METHOD = (
    "Directly standardised rate: the rate each five-year age band shows, weighted by the European "
    "Standard Population 2013 (19 bands, 90+ open); 95% limits by Dobson's method. Not shown "
    "where fewer than 10 events."
)
WILSON_METHOD = "Proportion with 95% limits by Wilson's score method."
CHIANG_METHOD = (
    "Abridged life table (Chiang II) over 20 age bands to 90+, three financial years pooled; "
    "95% limits by Chiang's variance with Silcocks' adjustment for the open band. Not shown for "
    "an area under 5,000 people or where the interval is wider than 20 years."
)
SULLIVAN_METHOD = (
    "Sullivan's method: the life table's years lived in each age band, times the share of "
    "people in that band who rate their health good or very good, three financial years "
    "pooled; 95% limits from the variance of the share in good health and of mortality."
)
POPULATION = (
    "Residents registered with a GP in the borough and alive on 1 October of the year "
    "(mid-year), not opted out."
)


@dataclass(frozen=True)
class Definition:
    slug: str
    name: str
    definition: str
    method: str
    value_type: str  # as Fingertips names it: "Directly standardised rate", "Proportion", ...
    polarity: str  # HIGH_IS_GOOD, LOW_IS_GOOD or NO_JUDGEMENT
    unit: str  # written after a value: "per 100,000", "%", "years"
    multiplier: int
    numerator: str
    denominator: str
    age: str = "All ages"  # the age group, as Fingertips writes it
    source: str = LINKED_DATA
    decimals: int = 1
    # Fingertips compares local areas against a benchmark at 95% (and 99.8% for some indicators);
    # the borough's own indicators are compared at 95%.
    comparison_level: float = 0.95


CATALOGUE: tuple[Definition, ...] = (
    Definition(
        slug="emergency-admissions",
        name="Emergency hospital admissions, all ages",
        definition="Emergency (non-elective) admissions to hospital per 100,000 residents a year.",
        method=DSR_METHOD,
        value_type="Directly standardised rate",
        polarity=LOW_IS_GOOD,
        unit="per 100,000",
        multiplier=100_000,
        numerator="Emergency admissions of residents in the financial year.",
        denominator=POPULATION,
    ),
    Definition(
        slug="mortality-all-causes",
        name="Mortality from all causes, all ages",
        definition="Deaths from any cause per 100,000 residents a year.",
        method=DSR_METHOD,
        value_type="Directly standardised rate",
        polarity=LOW_IS_GOOD,
        unit="per 100,000",
        multiplier=100_000,
        numerator="Deaths of residents in the period.",
        denominator=POPULATION,
    ),
    Definition(
        slug="mortality-under-75",
        name="Mortality from all causes, under 75",
        definition="Deaths under the age of 75 per 100,000 residents under 75 a year.",
        method=DSR_METHOD + " Bands to 70-74 only.",
        value_type="Directly standardised rate",
        polarity=LOW_IS_GOOD,
        unit="per 100,000",
        multiplier=100_000,
        numerator="Deaths of residents aged under 75 in the period.",
        denominator=POPULATION.replace("Residents", "Residents under 75"),
        age="<75 yrs",
    ),
    Definition(
        slug="smoking",
        name="Smoking prevalence, adults",
        definition="Adults (18+) whose latest recorded smoking status is a current smoker.",
        method=WILSON_METHOD,
        value_type="Proportion",
        polarity=LOW_IS_GOOD,
        unit="%",
        multiplier=100,
        numerator="Adults whose latest smoking record, on the date, says they smoke.",
        denominator="Adults registered on the date with a smoking status recorded.",
        age="18+ yrs",
    ),
    Definition(
        slug="obesity",
        name="Obesity, adults",
        definition="Adults (18+) whose latest recorded body mass index is 30 or more.",
        method=WILSON_METHOD,
        value_type="Proportion",
        polarity=LOW_IS_GOOD,
        unit="%",
        multiplier=100,
        numerator="Adults whose latest BMI on the date is 30 or more.",
        denominator="Adults registered on the date with a BMI recorded.",
        age="18+ yrs",
    ),
    Definition(
        slug="loneliness",
        name="Loneliness, adults",
        definition="Adults (18+) whose latest answer says they feel lonely often or always.",
        method=WILSON_METHOD,
        value_type="Proportion",
        polarity=LOW_IS_GOOD,
        unit="%",
        multiplier=100,
        numerator="Adults whose latest answer on the date is that they feel lonely.",
        denominator="Adults registered on the date who were asked.",
        age="18+ yrs",
    ),
    Definition(
        slug="frailty",
        name="Moderate or severe frailty, 65 and over",
        definition=(
            "People aged 65 and over whose electronic frailty index (eFI) is above 0.24 "
            "(moderate or severe frailty)."
        ),
        method=WILSON_METHOD,
        value_type="Proportion",
        polarity=LOW_IS_GOOD,
        unit="%",
        multiplier=100,
        numerator="People 65+ with an eFI above 0.24 on the date (36 deficits, Clegg et al. 2016).",
        denominator="People 65+ registered on the date.",
        age="65+ yrs",
    ),
    Definition(
        slug="life-expectancy-birth",
        name="Life expectancy at birth",
        definition="The average number of years a baby would live at the area's death rates.",
        method=CHIANG_METHOD,
        value_type="Life expectancy",
        polarity=HIGH_IS_GOOD,
        unit="years",
        multiplier=1,
        numerator="Deaths of residents in the three years.",
        denominator=POPULATION,
    ),
    Definition(
        slug="life-expectancy-65",
        name="Life expectancy at 65",
        definition="The average number of further years a person of 65 would live.",
        method=CHIANG_METHOD,
        value_type="Life expectancy",
        polarity=HIGH_IS_GOOD,
        unit="years",
        multiplier=1,
        numerator="Deaths of residents in the three years.",
        denominator=POPULATION,
        age="65 yrs",
    ),
    Definition(
        slug="healthy-life-expectancy-birth",
        name="Healthy life expectancy at birth",
        definition=(
            "The average number of years a baby would live in good or very good health, at the "
            "area's death rates and its people's own rating of their health."
        ),
        method=SULLIVAN_METHOD,
        value_type="Life expectancy",
        polarity=HIGH_IS_GOOD,
        unit="years",
        multiplier=1,
        numerator="Deaths, and adults rating their general health good or very good.",
        denominator=POPULATION + " Those whose general health was asked, for the share.",
    ),
    Definition(
        slug="healthy-life-expectancy-65",
        name="Healthy life expectancy at 65",
        definition="The average number of further years a person of 65 would live in good health.",
        method=SULLIVAN_METHOD,
        value_type="Life expectancy",
        polarity=HIGH_IS_GOOD,
        unit="years",
        multiplier=1,
        numerator="Deaths, and people 65+ rating their general health good or very good.",
        denominator=POPULATION + " Those whose general health was asked, for the share.",
        age="65 yrs",
    ),
)

_BY_SLUG = {d.slug: d for d in CATALOGUE}


def by_slug(slug: str) -> Definition:
    """The definition of one computed indicator (KeyError names the slug if there is none)."""
    return _BY_SLUG[slug]

"""What a database column can store, said in words an officer can act on (no database needed)."""

import datetime
import decimal

import pytest

from thedeal import storable
from thedeal.deal.models import Pledge
from thedeal.directory.models import CostOption, Location, Schedule, Service
from thedeal.prevention.models import RiskScore, ScoringRun


def field(model, name):
    return model._meta.get_field(name)


@pytest.mark.parametrize(
    "model,name,value,message",
    [
        (Service, "name", "Lunch\x00club", "contains a NUL character"),
        (Service, "name", "Caf\ud83d", "contains an unpaired surrogate (\\ud83d) at character 4"),
        (Pledge, "postcode", "WN1 1AAXX", "must be at most 8 characters (it has 9)"),
        (Schedule, "count", 2**31, "2147483648 is out of range: give a whole number from 0"),
        (Schedule, "count", -1, "-1 is out of range"),
        (Location, "easting", -(2**31) - 1, "out of range"),
        (RiskScore, "age", 32768, "32768 is out of range: give a whole number from 0 to 32767"),
        (RiskScore, "resident_id", 2**63, "out of range"),
        (Service, "minimum_age", float("nan"), "must be a finite number"),
        (Service, "minimum_age", float("inf"), "must be a finite number"),
        (CostOption, "amount", decimal.Decimal("12345678901.5"), "digits before the decimal point"),
        (CostOption, "amount", decimal.Decimal("NaN"), "must be a finite number"),
        (
            Service,
            "last_modified",
            datetime.datetime(
                9999, 12, 31, 23, tzinfo=datetime.timezone(-datetime.timedelta(hours=2))
            ),
            "outside the years 1 to 9999 in UTC",
        ),
        (ScoringRun, "drift", {"psi": float("nan")}, "not finite (NaN or infinity)"),
        (ScoringRun, "drift", {"note": "a\x00b"}, "contains a NUL character"),
        (RiskScore, "lsoa_code", None, "is missing"),
    ],
)
def test_a_value_its_column_cannot_store_is_named(model, name, value, message):
    assert message in storable.problem(field(model, name), value)


@pytest.mark.parametrize(
    "model,name,value",
    [
        (Service, "name", "Café 🙂 漢字, with every script"),
        (Pledge, "postcode", "WN1 1AA"),
        (Schedule, "count", 2**31 - 1),
        (Location, "easting", -(2**31)),
        (Service, "minimum_age", 1e308),
        (CostOption, "amount", decimal.Decimal("9999999999.99")),
        (Service, "last_modified", datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC)),
        (Service, "assured_date", datetime.date(1, 1, 1)),
        (Service, "minimum_age", None),
        (ScoringRun, "drift", {"psi": {"risk": 0.01}, "alert": False}),
    ],
)
def test_a_value_its_column_can_store_passes(model, name, value):
    assert storable.problem(field(model, name), value) is None


def test_every_problem_of_a_record_is_listed_by_field_except_those_already_reported():
    service = Service(name="A\x00", description="\ud800", minimum_age=float("nan"))

    assert set(storable.problems(service)) == {"name", "description", "minimum_age"}
    assert set(storable.problems(service, skip={"name"})) == {"description", "minimum_age"}

"""`thedeal insight import FILE`, as a council loads what OHID publishes for its wards: all or
nothing, its areas and indicators made, and a newer file replacing what it supersedes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thedeal.insight import actions, fingertips
from thedeal.insight.models import Area, Batch, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "fingertips"
GOOD = FIXTURES / "wigan_wards.csv"


def run(*args) -> str:
    out = io.StringIO()
    call_command("insight", "import", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_importing_a_download_stores_every_value_with_its_areas_and_indicators():
    out = run(GOOD)
    assert "Imported 135 values of 3 indicator(s) for 27 area(s) from wigan_wards.csv" in out
    assert "1 of them has no value" in out
    assert IndicatorValue.objects.count() == 135
    wigan = Area.objects.get(code="E08000010")
    assert (wigan.name, wigan.kind, wigan.parent.code) == ("Wigan", "borough", "E12000002")
    abram = Area.objects.get(code="E05014989")
    assert (abram.name, abram.kind, abram.parent) == ("Abram", "ward", wigan)
    assert Area.objects.get(code="E92000001").kind == "england"
    assert Area.objects.filter(kind="ward").count() == 25

    indicator = Indicator.objects.get(fingertips_id=93283)
    assert indicator.slug == "life-expectancy-at-birth-upper-age-band-90-93283"
    assert indicator.polarity == "no_judgement" and not indicator.computed
    value = IndicatorValue.objects.get(indicator=indicator, area=abram, sex="Female")
    assert value.period_label == "2016 - 20"
    assert (value.period_start.isoformat(), value.period_end.isoformat()) == (
        "2016-01-01",
        "2020-12-31",
    )
    assert value.lower95 < value.value < value.upper95
    assert value.batch.file_name == "wigan_wards.csv" and len(value.batch.sha256) == 64
    # The pages show each indicator for the age group the file gives it: all ages where it has
    # them, else its own (reception-year children's figures are for 4-5 year olds).
    ages = dict(Indicator.objects.values_list("fingertips_id", "age"))
    assert ages == {93227: "All ages", 93283: "All ages", 93105: "4-5 yrs"}


def test_an_empty_value_with_a_note_is_stored_as_suppressed():
    run(GOOD)
    (value,) = IndicatorValue.objects.filter(suppressed=True)
    assert value.value is None and value.count is None
    assert value.value_note == "Value suppressed for disclosure control due to small count"


def test_a_newer_file_replaces_the_values_it_supersedes_and_says_so(tmp_path):
    run(GOOD)
    with GOOD.open(newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["Time period"] == "2017/18 - 21/22"]
    for row in rows:
        row["Value"] = "100"
    newer = tmp_path / "newer.csv"
    with newer.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fingertips.HEADER)
        writer.writeheader()
        writer.writerows(rows)
    out = run(newer)
    assert f"Replaced {len(rows)} value(s) held from earlier files" in out
    assert IndicatorValue.objects.count() == 135
    replaced = IndicatorValue.objects.filter(period_label="2017/18 - 21/22")
    assert {v.value for v in replaced} == {100.0}
    assert {v.batch.file_name for v in replaced} == {"newer.csv"}
    # The indicator kept what staff may have said about it.
    assert Indicator.objects.filter(fingertips_id=93227).count() == 1


def test_a_file_with_bad_rows_loads_nothing_and_names_every_problem():
    with pytest.raises(CommandError) as caught:
        run(FIXTURES / "bad_values.csv")
    message = str(caught.value)
    assert 'bad_values.csv, row 4 (header = row 1), column "Value": not a number ("x")' in message
    assert 'row 6 (header = row 1), column "Time period"' in message
    assert 'row 7 (header = row 1), column "Sex"' in message
    assert "row 8 (header = row 1): the same indicator" in message
    assert not Batch.objects.exists()
    assert not IndicatorValue.objects.exists()
    assert not Area.objects.exists() and not Indicator.objects.exists()


def test_a_failure_while_writing_leaves_nothing_behind(monkeypatch):
    """The file is good but the database refuses the values: the areas and indicators made
    before them are rolled back too."""

    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(IndicatorValue.objects, "bulk_create", refuse)
    with pytest.raises(RuntimeError):
        actions.import_fingertips(GOOD)
    assert not Area.objects.exists() and not Indicator.objects.exists()
    assert not Batch.objects.exists()


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(
        CommandError, match=r"(?s)nowhere\.csv: 1 problem.*\nnowhere\.csv: no such file"
    ):
        run(FIXTURES / "nowhere.csv")

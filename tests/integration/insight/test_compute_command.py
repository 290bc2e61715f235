"""`thedeal insight compute --data DIR`: the borough's indicators from its linked data, stored as
one batch that traces them to their data and replaces the previous run."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thedeal.insight import catalogue
from thedeal.insight.models import Area, Batch, Indicator, IndicatorValue
from thedeal.prevention import synthpop
from thedeal.prevention.programme import Programme

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("insight", "compute", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def borough(tmp_path_factory):
    """15,000 residents with a programme from 2022 (the demo's kind of borough)."""
    folder = tmp_path_factory.mktemp("insight") / "borough"
    programme = Programme(start=synthpop.INDEX_DATES[1], effect=0.8, uptake=0.5)
    synthpop.write(synthpop.generate(15_000, seed=2, programme=programme), folder)
    return folder


def test_compute_stores_every_catalogue_indicator_for_the_boroughs_areas(borough):
    out, err = run("--data", borough)
    assert "counting emergency admissions" in err  # progress, as it goes
    batch = Batch.objects.get()
    assert batch.kind == "compute" and batch.generator_version == synthpop.GENERATOR_VERSION
    assert batch.data_fingerprint == synthpop.fingerprint(borough)
    assert batch.rows == IndicatorValue.objects.count() > 10_000
    assert f"Stored {batch.rows:,} values (batch {batch.pk}), replacing 0" in out
    for definition in catalogue.CATALOGUE:
        assert definition.slug in out
        indicator = Indicator.objects.get(slug=definition.slug)
        assert indicator.computed and indicator.polarity == definition.polarity
        assert indicator.values.exists()
    assert Area.objects.filter(kind="ward").count() == 25
    assert Area.objects.filter(kind="lsoa", parent__kind="ward").count() == 200
    wigan = Area.objects.get(code="E08000010")
    hle = IndicatorValue.objects.get(
        indicator__slug="healthy-life-expectancy-birth", area=wigan, sex="Female",
        period_label="2023/24 - 25/26",
    )  # fmt: skip
    assert 55 < hle.value < 70 and hle.lower95 < hle.value < hle.upper95
    hidden = IndicatorValue.objects.filter(suppressed=True)
    assert hidden.exists() and not hidden.filter(value_note="").exists()
    assert not IndicatorValue.objects.filter(count__gte=1, count__lte=7).exists()


def test_computing_again_replaces_the_previous_run(borough):
    run("--data", borough)
    first = Batch.objects.get()
    loneliness = Indicator.objects.get(slug="loneliness")
    loneliness.polarity = "no_judgement"  # as staff may have set it in the admin
    loneliness.save()
    out, _ = run("--data", borough)
    second = Batch.objects.latest("pk")
    assert f"replacing {first.rows:,} from the previous compute run" in out
    assert not IndicatorValue.objects.filter(batch=first).exists()
    assert IndicatorValue.objects.count() == second.rows == first.rows
    assert Indicator.objects.get(slug="loneliness").polarity == "no_judgement"


def test_data_without_general_health_computes_the_rest_and_says_hle_was_skipped(borough, tmp_path):
    import pyarrow.parquet as pq

    for path in borough.glob("*"):
        shutil.copy(path, tmp_path / path.name)
    lifestyle = pq.read_table(tmp_path / "lifestyle.parquet").drop_columns(["general_health"])
    pq.write_table(lifestyle, tmp_path / "lifestyle.parquet")
    out, _ = run("--data", tmp_path)
    assert "Healthy life expectancy skipped" in out
    assert not IndicatorValue.objects.filter(indicator__slug__startswith="healthy-").exists()
    assert IndicatorValue.objects.filter(indicator__slug="life-expectancy-birth").exists()


def test_a_folder_that_is_not_borough_data_is_refused_with_the_file_named(tmp_path):
    with pytest.raises(CommandError, match=r"residents\.parquet: not found"):
        run("--data", tmp_path)
    with pytest.raises(CommandError, match="not a folder"):
        run("--data", tmp_path / "nowhere")
    assert not Batch.objects.exists()


def test_the_demo_draws_once_computes_and_leaves_an_analysts_run_alone(tmp_path):
    from thedeal.insight import demo

    folder = tmp_path / "demo-insight"
    said: list[str] = []
    loaded = demo.load(folder=folder, residents=3_000, progress=said.append)
    assert loaded.drew and loaded.batch.rows == IndicatorValue.objects.count() > 0
    assert any("drawing a synthetic borough of 3,000 residents" in step for step in said)
    manifest = (folder / "manifest.json").read_text()
    assert '"programme_start": "2022-04-01"' in manifest
    # Computed already: a second load (make run, again) leaves it as it is.
    assert demo.load(folder=folder, residents=3_000) is None
    # A new database on the same checkout computes again from the borough already drawn.
    IndicatorValue.objects.all().delete()
    Batch.objects.all().delete()
    again = demo.load(folder=folder, residents=3_000)
    assert not again.drew and again.batch.rows == loaded.batch.rows
    # The evaluation was kept once, not again: staff's runs and costs are never doubled.
    assert again.evaluation is None


def test_the_demo_publishes_its_evaluation_with_costs_for_the_ledger(tmp_path):
    from thedeal.insight import demo
    from thedeal.insight.models import EvaluationRun, ProgrammeCost

    loaded = demo.load(folder=tmp_path / "demo-insight", residents=3_000)
    published = EvaluationRun.objects.get(published=True)
    assert published == loaded.evaluation
    assert set(published.result) >= {"primary", "matched", "interrupted_time_series", "naive"}
    # Four financial years, 2022/23 to 2025/26, each with every cost, each said to be made up.
    costs = ProgrammeCost.objects.all()
    assert costs.count() == 4 * len(demo.YEARLY_COSTS)
    assert all(cost.description.startswith("Illustrative (demo)") for cost in costs)
    assert {cost.period_start.year for cost in costs} == {2022, 2023, 2024, 2025}

"""`thedeal synthpop` and `thedeal risk ...`, as an analyst runs them, end to end."""

from __future__ import annotations

import csv
import io
import json
import re

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thedeal.prevention.models import RiskScore, ScoringRun, Worklist

pytestmark = pytest.mark.slow

EVALUATION_KEYS = {
    "auroc", "oracle_auroc", "auprc", "brier", "calibration_slope", "calibration_intercept", "ece",
    "baseline_auroc", "prior_admissions_auroc", "top_decile_ppv", "top_decile_sensitivity", "fairness",
}  # fmt: skip
GROUP_KEYS = {"n", "auroc", "oracle_auroc", "calibration_ratio", "calibration_ratio_lower",
              "calibration_ratio_upper", "selection_rate"}  # fmt: skip


def run(*args) -> str:
    out = io.StringIO()
    call_command(*[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def boroughs(tmp_path_factory):
    """Two synthetic boroughs (seeds 1 and 2) and a model trained on the first."""
    root = tmp_path_factory.mktemp("prevention")
    for seed in (1, 2):
        run("synthpop", "--residents", 15_000, "--seed", seed, "--out", root / f"borough{seed}")
    run("risk", "train", "--data", root / "borough1", "--out", root / "model")
    return root


def test_synthpop_writes_its_tables_named_after_their_contents(boroughs):
    folder = boroughs / "borough1"
    for name in ("residents", "conditions", "lifestyle", "events", "outcomes", "lsoas"):
        assert (folder / f"{name}.parquet").exists()
    outcomes = pq.read_table(folder / "outcomes.parquet")
    assert outcomes.schema.names == ["resident_id", "index_date", "true_risk", "outcome"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["residents"] == 15_000 and manifest["seed"] == 1


def test_training_writes_a_model_card_with_charts_and_their_text(boroughs):
    model = boroughs / "model"
    for name in (
        "model.txt",
        "model.json",
        "model_card.html",
        "model_card.md",
        "dpia.md",
        "hazard-log.md",
    ):
        assert (model / name).exists(), name
    meta = json.loads((model / "model.json").read_text())
    page = (model / "model_card.html").read_text()
    markdown = (model / "model_card.md").read_text()
    assert meta["version"] in page and meta["version"] in markdown
    assert meta["training_index_dates"] == ["2021-04-01", "2022-04-01", "2023-04-01"]
    assert meta["validation_index_date"] == "2024-04-01"
    for chart in ("roc", "calibration", "groups"):
        assert (model / "charts" / f"{chart}.svg").read_text().startswith("<svg")
        assert f"charts/{chart}.svg" in markdown
    # Every chart has a table of its figures beside it.
    assert page.count("<figure") == 3 and page.count("<details open><summary>The figures") == 3
    for heading in (
        "Purpose",
        "Who may use it, for what",
        "Data",
        "Method",
        "Validation",
        "Limits",
    ):
        assert f"<h2>{heading}</h2>" in page and f"## {heading}" in markdown


def test_evaluate_json_on_another_borough(boroughs):
    out = run(
        "risk", "evaluate", "--data", boroughs / "borough2", "--model", boroughs / "model", "--json"
    )
    result = json.loads(out)
    assert EVALUATION_KEYS <= result.keys()
    assert set(result["fairness"]) == {"sex", "age_band", "ethnic_group", "deprivation_quintile"}
    for attribute, groups in result["fairness"].items():
        assert groups, attribute
        for entry in groups.values():
            assert GROUP_KEYS <= entry.keys()
    assert set(result["fairness"]["age_band"]) == {
        "0-17",
        "18-39",
        "40-64",
        "65-74",
        "75-84",
        "85+",
    }
    # Even on a small borough the model beats both baselines and comes close to the truth.
    assert result["auroc"] > result["baseline_auroc"] + 0.04
    assert result["auroc"] > result["prior_admissions_auroc"]
    assert result["auroc"] > 0.93 * result["oracle_auroc"]
    assert 0.8 < result["calibration_slope"] < 1.2
    assert result["ece"] < 0.02


def test_features_command_writes_one_row_per_resident(boroughs, tmp_path):
    out = tmp_path / "features.parquet"
    run(
        "risk",
        "features",
        "--data",
        boroughs / "borough1",
        "--index-date",
        "2023-04-01",
        "--out",
        out,
    )
    table = pq.read_table(out)
    ids = table.column("resident_id").to_pylist()
    assert len(ids) == len(set(ids)) > 13_000
    assert {d.isoformat() for d in table.column("index_date").to_pylist()} == {"2023-04-01"}


def test_bad_arguments_say_what_is_wrong(boroughs, tmp_path):
    with pytest.raises(CommandError, match="--data .*: not a folder"):
        run("risk", "evaluate", "--data", tmp_path / "nowhere", "--model", boroughs / "model")
    with pytest.raises(CommandError, match=r"model\.txt: not found"):
        run("risk", "evaluate", "--data", boroughs / "borough1", "--model", tmp_path)
    no_outcomes = tmp_path / "no-outcomes"
    no_outcomes.mkdir()
    for path in (boroughs / "borough1").glob("*.parquet"):
        if path.name != "outcomes.parquet":
            (no_outcomes / path.name).write_bytes(path.read_bytes())
    with pytest.raises(CommandError, match=r"outcomes\.parquet: not found"):
        run("risk", "evaluate", "--data", no_outcomes, "--model", boroughs / "model")
    with pytest.raises(CommandError, match="give a date as YYYY-MM-DD"):
        run(
            "risk",
            "features",
            "--data",
            boroughs / "borough1",
            "--index-date",
            "1 April",
            "--out",
            tmp_path / "f",
        )


@pytest.mark.django_db
def test_a_ward_worklist_with_reasons_and_local_services(boroughs, tmp_path, demo_borough):
    out = tmp_path / "worklist.csv"
    ward = "Hindley Green"
    run("risk", "worklist", "--data", boroughs / "borough2", "--model", boroughs / "model",
        "--ward", ward, "--top", 25, "--out", out)  # fmt: skip
    rows = list(csv.DictReader(out.read_text().splitlines()))
    assert len(rows) == 25 and rows[0].keys() >= {
        "resident_id",
        "risk_band",
        "reasons",
        "efi_category",
    }
    assert all(row["ward"] == ward for row in rows)
    assert [int(r["position"]) for r in rows] == list(range(1, 26))
    risks = [float(r["risk"]) for r in rows]
    assert risks == sorted(risks, reverse=True)
    assert all(row["reasons"] and not re.search(r"[a-z]_[a-z]", row["reasons"]) for row in rows)
    assert sum(1 for row in rows if row["suggested_services"]) >= 20
    # Each suggestion answers one of the resident's reasons.
    for entry in Worklist.objects.get().entries.select_related("score"):
        fits = {kind for reason in entry.score.reasons for kind in reason["support"]}
        assert 1 <= len(entry.suggestions) <= 3 or not fits
        assert {s["for"] for s in entry.suggestions} <= fits
    # The run is recorded, with its model, data and drift; the worklist is kept.
    run_ = ScoringRun.objects.get()
    meta = json.loads((boroughs / "model" / "model.json").read_text())
    assert run_.model_version == meta["version"] and run_.data_fingerprint
    assert run_.residents_opted_out > 0 and set(run_.drift["psi"]) >= {"risk", "age"}
    assert not run_.drift_alert  # another borough drawn the same way has not drifted
    # Who is in the outreach band, group by group, beside the population.
    older = run_.outreach_make_up["age_band"]["85+"]
    assert older["outreach_share"] > 3 * older["population_share"]
    assert abs(sum(g["outreach_share"] for g in run_.outreach_make_up["sex"].values()) - 1) < 1e-9
    assert RiskScore.objects.filter(run=run_).count() >= min(10_000, run_.residents_scored)
    assert Worklist.objects.get().entries.count() == 25


@pytest.mark.django_db
def test_an_unknown_ward_lists_the_wards(boroughs, tmp_path):
    with pytest.raises(CommandError, match="no such ward .* Wards: Abram, "):
        run("risk", "worklist", "--data", boroughs / "borough2", "--model", boroughs / "model",
            "--ward", "Atlantis", "--out", tmp_path / "w.csv")  # fmt: skip
    assert not ScoringRun.objects.exists()


@pytest.mark.django_db
def test_scoring_runs_past_their_retention_are_deleted_with_their_worklists(settings):
    import datetime as dt

    from django.utils import timezone

    from thedeal.prevention import actions
    from thedeal.prevention.models import WorklistEntry

    settings.SCORING_KEEP_DAYS = 30
    now = timezone.now()

    def a_run(days_ago):
        run_ = ScoringRun.objects.create(
            model_version="m", model_path="/m", data_path="/d", data_fingerprint="f", index_date=dt.date(2025, 4, 1),
            started_at=now - dt.timedelta(days=days_ago), finished_at=now - dt.timedelta(days=days_ago),
            residents_scored=1, residents_opted_out=0, mean_risk=0.1, outreach_threshold=0.2, drift={},
        )  # fmt: skip
        score = RiskScore.objects.create(run=run_, resident_id=7, rank=1, risk=0.3, band="high", lsoa_code="E01006212",
                                         age=80, easting=361340, northing=401794)  # fmt: skip
        worklist = Worklist.objects.create(run=run_, size=1)
        WorklistEntry.objects.create(worklist=worklist, score=score, position=1)
        return run_

    old, recent = a_run(31), a_run(29)
    assert actions.delete_expired_runs(now) == 1
    assert list(ScoringRun.objects.all()) == [recent]
    assert (
        RiskScore.objects.count() == Worklist.objects.count() == WorklistEntry.objects.count() == 1
    )
    assert old.pk not in set(ScoringRun.objects.values_list("pk", flat=True))


def test_anyone_s_reasons_are_worked_out_when_asked(boroughs):
    def explain(resident: int) -> str:
        data, model = boroughs / "borough2", boroughs / "model"
        return run("risk", "explain", "--data", data, "--model", model, "--resident", resident)

    residents = pq.read_table(boroughs / "borough2" / "residents.parquet").to_pandas()
    alive = residents[~residents.opted_out & residents.date_of_death.isna()]
    someone = int(alive.resident_id.iloc[0])
    out = explain(someone)
    assert re.match(
        rf"Resident {someone}: \d+\.\d% risk of an emergency admission in the next 12 months "
        r"\((high|rising|lower) band\)",
        out,
    )
    assert "\nWhy: " in out and "_" not in out.split("Why: ")[1]
    with pytest.raises(CommandError, match="opted out of data sharing"):
        explain(int(residents.resident_id[residents.opted_out].iloc[0]))


@pytest.mark.django_db
def test_a_model_trained_on_the_synthetic_borough_refuses_real_data(boroughs, tmp_path):
    import shutil

    real = tmp_path / "real"
    shutil.copytree(boroughs / "borough2", real)
    (real / "manifest.json").unlink()  # a council's own extract has no synthetic manifest
    with pytest.raises(
        CommandError, match="not a synthetic borough.*train a model on this data first"
    ):
        run(
            "risk",
            "worklist",
            "--data",
            real,
            "--model",
            boroughs / "model",
            "--out",
            tmp_path / "w.csv",
        )
    assert not ScoringRun.objects.exists()


def _long_ward_names(lsoas):
    import pyarrow as pa

    # Longer than a score keeps (100 characters), as a mistyped extract might have.
    wards = pa.array([f"{ward} {'and district ' * 10}" for ward in lsoas["ward"].to_pylist()])
    return lsoas.set_column(lsoas.schema.get_field_index("ward"), "ward", wards)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,message",
    [
        (_long_ward_names, r"lsoas.parquet, column 'ward': must be at most 100 characters"),
        # Residents of an LSOA the lsoas table lacks have no neighbourhood to be matched to.
        (lambda lsoas: lsoas.slice(1), r"lsoas.parquet, column 'easting': is missing"),
    ],
    ids=["ward names too long", "an LSOA missing"],
)
def test_a_value_the_database_cannot_keep_is_refused_naming_the_file_and_column(
    boroughs, tmp_path, change, message
):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(boroughs / "borough2", data)
    pq.write_table(change(pq.read_table(data / "lsoas.parquet")), data / "lsoas.parquet")

    with pytest.raises(CommandError, match=message):
        run("risk", "worklist", "--data", data, "--model", boroughs / "model",
            "--out", tmp_path / "w.csv")  # fmt: skip
    assert not ScoringRun.objects.exists() and not RiskScore.objects.exists()

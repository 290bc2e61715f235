"""`thedeal insight evaluate --data DIR [--json] [--save]`, as an analyst runs it."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thedeal.insight.models import EvaluationRun
from thedeal.prevention import synthpop

pytestmark = pytest.mark.slow

KEYS = {
    "estimand",
    "relative_risk",
    "lower",
    "upper",
    "admissions_avoided",
    "admissions_avoided_lower",
    "admissions_avoided_upper",
    "method",
}


def run(*args) -> str:
    out = io.StringIO()
    call_command(*[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def borough(tmp_path_factory):
    """15,000 residents; the programme from 2022 cuts takers' admissions by 30%, half take it up."""
    folder = tmp_path_factory.mktemp("evaluate") / "borough"
    run("synthpop", "--residents", 15_000, "--seed", 5, "--out", folder,
        "--programme-start", "2022-04-01", "--programme-effect", 0.7,
        "--programme-uptake", 0.5)  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def printed(borough):
    return json.loads(run("insight", "evaluate", "--data", borough, "--json"))


def test_json_gives_the_four_analyses_with_their_intervals_and_methods(printed):
    assert {"primary", "matched", "interrupted_time_series", "naive"} <= set(printed)
    for name in ("primary", "matched", "interrupted_time_series", "naive"):
        assert KEYS <= set(printed[name]), name
    assert printed["primary"]["estimand"] == "intention_to_treat"
    assert printed["naive"]["estimand"] == "on_treated"
    assert printed["data"]["programme_start"] == "2022-04-01"


def test_the_same_output_without_truth_json(borough, printed, tmp_path):
    copy = tmp_path / "borough"
    shutil.copytree(borough, copy)
    (copy / "truth.json").unlink()
    assert json.loads(run("insight", "evaluate", "--data", copy, "--json")) == printed


def test_without_json_a_table_primary_first_with_the_balance_and_the_methods(borough, printed):
    text = run("insight", "evaluate", "--data", borough)
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Analysis"))
    assert "Relative risk (95% CI)" in lines[header]
    assert lines[header + 2].startswith("Primary: stepped wedge")
    primary = printed["primary"]
    assert f"{primary['relative_risk']:,.2f} ({primary['lower']:,.2f} to" in lines[header + 2]
    assert "Naive: takers v. non-takers (biased)" in text
    assert "Balance of the matched comparison" in text
    assert "Risk score (log-odds)" in text
    methods = text[text.index("How each was made:") :]
    for name in ("primary", "matched", "interrupted_time_series", "naive"):
        # each method in words, wrapped to the terminal
        assert " ".join(printed[name]["method"].split()[:8]) in " ".join(methods.split())


@pytest.mark.django_db
def test_save_keeps_the_result_with_the_datas_fingerprint(borough, printed):
    assert json.loads(run("insight", "evaluate", "--data", borough, "--json", "--save")) == printed
    saved = EvaluationRun.objects.get()
    assert saved.result == printed
    assert saved.data_fingerprint == synthpop.fingerprint(borough)
    assert saved.generator_version == synthpop.GENERATOR_VERSION
    assert not saved.published  # staff choose what the public page shows


@pytest.mark.django_db
def test_without_save_nothing_is_kept(borough):
    run("insight", "evaluate", "--data", borough, "--json")
    assert not EvaluationRun.objects.exists()


def test_a_borough_without_a_programme_is_refused_naming_the_file(tmp_path):
    run("synthpop", "--residents", 1_000, "--seed", 1, "--out", tmp_path / "plain")
    with pytest.raises(CommandError, match=r"programme\.parquet: not found"):
        run("insight", "evaluate", "--data", tmp_path / "plain")


def test_a_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run("insight", "evaluate", "--data", tmp_path / "nowhere")

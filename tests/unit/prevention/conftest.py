"""A small synthetic borough and a model trained on it, made once per test session."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from thedeal.prevention import features, synthpop
from thedeal.prevention import model as risk_model

SMALL = 12_000


@pytest.fixture(scope="session")
def borough(tmp_path_factory) -> Path:
    """12,000 synthetic residents (seed 11) as Parquet files."""
    folder = tmp_path_factory.mktemp("borough")
    synthpop.write(synthpop.generate(SMALL, seed=11), folder)
    return folder


@pytest.fixture(scope="session")
def latest_features(borough):
    return features.compute(borough)


@pytest.fixture(scope="session")
def trained(borough, tmp_path_factory):
    """A model trained on the small borough's first three index dates, validated on the fourth."""
    outcomes = pq.read_table(borough / "outcomes.parquet")
    dates = synthpop.INDEX_DATES
    tables = {date: features.compute(borough, index_date=date) for date in dates[:4]}
    model, validation = risk_model.train(
        [(tables[d], outcomes) for d in dates[:3]],
        (tables[dates[3]], outcomes),
        data_fingerprint="test",
    )
    folder = tmp_path_factory.mktemp("model")
    model.save(folder)
    return risk_model.load(folder), validation

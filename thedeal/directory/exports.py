"""Export the directory as HSDS 3.0: a CSV datapackage, or nested JSON documents.

Public by default: confidential locations (refuges, safe houses) and everything that would
reveal them are left out. A staff backup (`include_confidential`) keeps them, marked with our
`confidential` column, so that it imports back without loss.
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

from thedeal.directory import hsds

# Descriptions of our extension columns, added to a staff backup's datapackage.json.
_EXTENSION_FIELDS = {
    "location": [
        {
            "name": "easting",
            "type": "integer",
            "description": "British National Grid easting (m). Not HSDS.",
        },
        {
            "name": "northing",
            "type": "integer",
            "description": "British National Grid northing (m). Not HSDS.",
        },
        {
            "name": "confidential",
            "type": "boolean",
            "description": "A refuge or safe house: never publish. Not HSDS.",
        },
    ]
}


def export_csv(folder: Path, *, include_confidential: bool = False) -> dict[str, int]:
    """Write datapackage.json and one CSV per table, as the official HSDS 3.0 example does."""
    folder.mkdir(parents=True, exist_ok=True)
    data = hsds.fetch_all(include_confidential=include_confidential)
    package = copy.deepcopy(hsds.datapackage())
    counts = {}
    for t in hsds.tables():
        columns = list(t.columns)
        if include_confidential:
            columns += list(hsds.EXTENSION_COLUMNS.get(t.name, ()))
        with open(folder / f"{t.stem}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(columns)
            for row in data[t.stem]:
                writer.writerow([hsds.to_csv_value(row.get(c)) for c in columns])
        counts[t.stem] = len(data[t.stem])
    if include_confidential:
        for resource in package["resources"]:
            resource["schema"]["fields"].extend(_EXTENSION_FIELDS.get(resource["name"], []))
    _write_json(folder / "datapackage.json", package)
    return counts


def export_json(folder: Path, *, include_confidential: bool = False) -> dict[str, int]:
    """Write services.json and organizations.json (arrays of fully nested documents) and the
    taxonomies with their terms, which may be used by no service yet."""
    folder.mkdir(parents=True, exist_ok=True)
    nester = hsds.Nester(public=not include_confidential, extended=include_confidential)
    counts = {}
    for kind, stem, shape in (
        ("service", "services", "service_full"),
        ("organization", "organizations", "organization_full"),
        ("taxonomy", "taxonomies", "taxonomy"),
        ("taxonomy_term", "taxonomy_terms", "taxonomy_term"),
    ):
        rows = hsds.fetch(hsds.table(kind), extended=include_confidential)
        documents = nester.documents(kind, rows, hsds.SHAPES[shape])
        _write_json(folder / f"{stem}.json", documents)
        counts[stem] = len(documents)
    return counts


def _write_json(path: Path, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")

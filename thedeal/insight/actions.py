"""Writes that span insight's records: a Fingertips file imported, a compute run stored, the
areas and the catalogue's indicators made sure of. Each is one transaction: a batch is stored
whole or not at all, and replaces what it supersedes in the same transaction, so a page never
shows half of one batch beside half of another."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from thedeal.insight import catalogue, fingertips
from thedeal.insight.models import (
    ALL_AGES,
    Area,
    AreaKind,
    Batch,
    BatchKind,
    EvaluationRun,
    Indicator,
    IndicatorValue,
    Polarity,
)

CHUNK = 5_000  # rows per INSERT: large enough to be quick, small enough for SQLite's limits
FINGERTIPS_SOURCE = "OHID Fingertips (fingertips.phe.org.uk), imported from {file}"


@dataclass(frozen=True)
class Imported:
    """What an import did: its batch, and what it added or replaced."""

    batch: Batch
    replaced: int  # values of earlier files with the same indicator, area, period, sex, age
    new_indicators: int
    new_areas: int


def import_fingertips(
    path: Path | str, user=None, *, progress: Callable[[str], None] | None = None
) -> Imported:
    """Store every value of a Fingertips download (`fingertips.parse` checks it all first; a
    FingertipsError leaves the database as it was). Areas and indicators the store does not
    know yet are added; a value already held for the same indicator, area, period, sex, age and
    category is replaced by the file's. `progress` is told each step as it starts."""
    say = progress or (lambda message: None)
    path = Path(path)
    say(f"checking every row of {path.name}")
    rows = fingertips.parse(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    say(f"storing {len(rows):,} values")
    with transaction.atomic():
        areas, new_areas = _file_areas(rows)
        indicators, new_indicators = _file_indicators(rows, path.name)
        replaced = _delete_existing(rows, indicators, areas)
        batch = Batch.objects.create(
            kind=BatchKind.IMPORT,
            file_name=path.name,
            sha256=digest,
            created_by=user,
            rows=len(rows),
        )
        values = (
            IndicatorValue(
                indicator=indicators[row.indicator_id],
                area=areas[row.area_code],
                period_label=row.period.label,
                period_start=row.period.start,
                period_end=row.period.end,
                sex=row.sex,
                age=row.age,
                category_type=row.category_type,
                category=row.category,
                value=row.value,
                lower95=row.lower95,
                upper95=row.upper95,
                lower998=row.lower998,
                upper998=row.upper998,
                count=row.count,
                denominator=row.denominator,
                value_note=row.value_note,
                suppressed=row.suppressed,
                batch=batch,
            )
            for row in rows
        )
        IndicatorValue.objects.bulk_create(values, batch_size=CHUNK)
    return Imported(batch, replaced, new_indicators, new_areas)


def _file_areas(rows: list[fingertips.Row]) -> tuple[dict[str, Area], int]:
    """The file's areas (and their parents), made where new; an area already held keeps its
    name, and gains the file's parent only if it had none."""
    wanted: dict[str, tuple[str, str]] = {}
    parent_of: dict[str, str] = {}
    for row in rows:
        if row.parent_code:
            wanted.setdefault(row.parent_code, (row.parent_name or row.parent_code, ""))
            parent_of.setdefault(row.area_code, row.parent_code)
        wanted[row.area_code] = (row.area_name, row.area_type)
    held = Area.objects.in_bulk(list(wanted), field_name="code")
    new = [
        Area(code=code, name=name, kind=_kind(code))
        for code, (name, _) in wanted.items()
        if code not in held
    ]
    Area.objects.bulk_create(new)
    areas = Area.objects.in_bulk(list(wanted), field_name="code")
    orphans = []
    for code, parent in parent_of.items():
        area = areas[code]
        if area.parent_id is None and parent != code:
            area.parent = areas[parent]
            orphans.append(area)
    Area.objects.bulk_update(orphans, ["parent"])
    return areas, len(new)


def _kind(code: str) -> str:
    kind = fingertips.area_kind(code)
    return kind if kind in AreaKind.values else AreaKind.OTHER


def _file_indicators(rows, file_name: str) -> tuple[dict[int, Indicator], int]:
    """The file's indicators by Fingertips ID, made where new: a slug from the name and ID,
    no judgement of polarity (the download does not say which direction is good; staff set it
    in the admin), not computed."""
    names: dict[int, str] = {}
    ages: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        names.setdefault(row.indicator_id, row.indicator_name)
        ages[row.indicator_id][row.age] += 1
    held = Indicator.objects.in_bulk(list(names), field_name="fingertips_id")
    new = [
        Indicator(
            slug=f"{slugify(name)[:100].rstrip('-') or 'indicator'}-{identifier}",
            fingertips_id=identifier,
            name=name,
            source=FINGERTIPS_SOURCE.format(file=file_name),
            polarity=Polarity.NO_JUDGEMENT,
            computed=False,
            age=_shown_age(ages[identifier]),
        )
        for identifier, name in names.items()
        if identifier not in held
    ]
    Indicator.objects.bulk_create(new)
    return Indicator.objects.in_bulk(list(names), field_name="fingertips_id"), len(new)


def _shown_age(ages: Counter) -> str:
    """The age group the pages show an imported indicator for: all ages where the file has
    them, else the age group most of its rows are for (staff may change it in the admin)."""
    return ALL_AGES if ALL_AGES in ages else ages.most_common(1)[0][0]


def _delete_existing(rows, indicators, areas) -> int:
    """Delete the values this file replaces (same indicator, area, period, sex, age, category),
    and say how many."""
    keys = {
        (
            indicators[row.indicator_id].pk,
            areas[row.area_code].pk,
            row.period.label,
            row.sex,
            row.age,
            row.category_type,
            row.category,
        )
        for row in rows
    }
    held = IndicatorValue.objects.filter(
        indicator__in=[indicator.pk for indicator in indicators.values()]
    ).values_list(
        "pk", "indicator_id", "area_id", "period_label", "sex", "age", "category_type", "category"
    )
    doomed = [pk for pk, *key in held if tuple(key) in keys]
    for start in range(0, len(doomed), CHUNK):
        IndicatorValue.objects.filter(pk__in=doomed[start : start + CHUNK]).delete()
    return len(doomed)


# --- Computed indicators ------------------------------------------------------------------------


def ensure_indicators() -> dict[str, Indicator]:
    """The catalogue's indicators, by slug, made where missing. What the catalogue says of an
    indicator (its name, method, unit) is brought up to date; its polarity and definition are
    left as staff may have edited them."""
    held = Indicator.objects.in_bulk([d.slug for d in catalogue.CATALOGUE], field_name="slug")
    for order, definition in enumerate(catalogue.CATALOGUE, start=1):
        fields = {
            "name": definition.name,
            "source": definition.source,
            "method": definition.method,
            "value_type": definition.value_type,
            "unit": definition.unit,
            "age": definition.age,
            "multiplier": definition.multiplier,
            "decimals": definition.decimals,
            "numerator_definition": definition.numerator,
            "denominator_definition": definition.denominator,
            "comparison_level": f"{definition.comparison_level:.3f}",
            "computed": True,
            "order": order,
        }
        indicator = held.get(definition.slug)
        if indicator is None:
            held[definition.slug] = Indicator.objects.create(
                slug=definition.slug,
                definition=definition.definition,
                polarity=definition.polarity,
                **fields,
            )
        else:
            for name, value in fields.items():
                setattr(indicator, name, value)
            indicator.save(update_fields=list(fields))
    return held


def ensure_areas() -> dict[str, Area]:
    """The borough, its 25 wards and 200 LSOAs (each LSOA in its best-fit ward), by code, made
    where missing; names, kinds and parents brought up to date."""
    from thedeal.insight import compute

    held = Area.objects.in_bulk(field_name="code")
    for code, name, kind, parent in compute.areas():  # parents come first
        area = held.get(code)
        parent_area = held[parent] if parent else None
        if area is None:
            held[code] = Area.objects.create(code=code, name=name, kind=kind, parent=parent_area)
        elif (area.name, area.kind, area.parent_id) != (
            name,
            kind,
            parent_area.pk if parent_area else None,
        ):
            area.name, area.kind, area.parent = name, kind, parent_area
            area.save(update_fields=["name", "kind", "parent"])
    return held


@dataclass(frozen=True)
class Stored:
    batch: Batch
    replaced: int  # values of the previous compute run, now gone


def store_computed(frame, data_dir: Path | str, user=None) -> Stored:
    """Keep a compute run (`insight.compute.compute`'s frame) as one batch, replacing every
    value of the previous compute run in the same transaction. The batch records the data's
    fingerprint and, for a synthetic borough, the generator's version."""
    import pandas as pd

    from thedeal.prevention import synthpop

    data_dir = Path(data_dir)
    manifest = _manifest(data_dir)
    records = frame.astype(object).where(pd.notna(frame), None).to_dict("records")
    with transaction.atomic():
        indicators = ensure_indicators()
        areas = ensure_areas()
        previous = IndicatorValue.objects.filter(batch__kind=BatchKind.COMPUTE)
        replaced = previous.count()
        previous.delete()
        batch = Batch.objects.create(
            kind=BatchKind.COMPUTE,
            file_name=str(data_dir),
            data_fingerprint=synthpop.fingerprint(data_dir),
            generator_version=str(manifest.get("generator_version", "")),
            created_by=user,
            rows=len(records),
        )
        values = (
            IndicatorValue(
                indicator=indicators[record["indicator"]],
                area=areas[record["area_code"]],
                period_label=record["period_label"],
                period_start=record["period_start"],
                period_end=record["period_end"],
                sex=record["sex"],
                age=record["age"],
                value=record["value"],
                lower95=record["lower95"],
                upper95=record["upper95"],
                lower998=record["lower998"],
                upper998=record["upper998"],
                count=record["count"],
                denominator=record["denominator"],
                value_note=record["value_note"] or "",
                suppressed=bool(record["suppressed"]),
                batch=batch,
            )
            for record in records
        )
        IndicatorValue.objects.bulk_create(values, batch_size=CHUNK)
    return Stored(batch, replaced)


def keep_evaluation(data_dir: Path | str, result: dict) -> EvaluationRun:
    """Keep one run of the evaluation (`insight.evaluation.evaluate`'s result) with the data it
    read: the folder's fingerprint and, for a synthetic borough, the generator's version. Staff
    choose on /insight/evaluation/ which run the public page shows."""
    from thedeal.prevention import synthpop

    data_dir = Path(data_dir)
    return EvaluationRun.objects.create(
        data_fingerprint=synthpop.fingerprint(data_dir),
        generator_version=str(_manifest(data_dir).get("generator_version", "")),
        result=result,
    )


def _manifest(data_dir: Path) -> dict:
    try:
        manifest = json.loads((data_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}  # a council's own extract has no manifest
    return manifest if isinstance(manifest, dict) else {}

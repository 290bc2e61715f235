"""Import HSDS 3.0 data: JSON documents, folders of them, and CSV datapackages.

An import is all-or-nothing. Everything is read, checked against the HSDS schemas and the
directory's own rules, and only then written, in one transaction: a bad file changes nothing,
and the error names the file, the record (or CSV row) and the field.

Objects are matched on their HSDS id: importing a feed again updates what it imported before.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import json
import math
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models as dj
from django.db import transaction
from django.utils import timezone

from thedeal import geography, storable
from thedeal.directory import demo, hsds, schemas, search, signals
from thedeal.directory.models import Attribute, Location, Service, ServiceAtLocation

# Shown when an import has more problems than anyone would read at once.
MAX_PROBLEMS_SHOWN = 50


class ImportFailed(Exception):
    """The data cannot be imported; nothing was written. `problems` says what and where."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        text = "\n".join(shown) + (f"\n... and {more} more problems" if more else "")
        super().__init__(text)


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)  # CSV stem -> rows written
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class _Staged:
    """Rows read from the source, before checking: table -> id -> (row, where it came from)."""

    rows: dict[str, dict[str, tuple[dict[str, Any], str]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, kind: str, row: dict[str, Any], where: str) -> None:
        object_id = row.get("id")
        if object_id in (None, ""):
            self.problems.append(f"{where}, field id: every {kind} needs an id")
            return
        bucket = self.rows.setdefault(kind, {})
        key = str(object_id).lower()
        if key in bucket and bucket[key][0] != row:
            # The same object twice with different values: merge, first value wins for a field.
            merged = dict(bucket[key][0])
            for k, v in row.items():
                if merged.get(k) in (None, ""):
                    merged[k] = v
            bucket[key] = (merged, bucket[key][1])
        elif key not in bucket:
            bucket[key] = (row, where)


# --- Reading --------------------------------------------------------------------------------
def read(path: Path) -> _Staged:
    """Read a JSON document, a folder of them, or a CSV datapackage into staged rows."""
    staged = _Staged()
    if not path.exists():
        raise ImportFailed([f"{path}: no such file or folder"])
    if path.is_dir():
        if (path / "datapackage.json").exists() or any(path.glob("*.csv")):
            _read_csv_package(path, staged)
        else:
            documents = sorted(p for p in path.glob("*.json"))
            if not documents:
                raise ImportFailed(
                    [f"{path}: no HSDS JSON files or CSV datapackage in this folder"]
                )
            for document in documents:
                _read_json_file(document, staged)
    elif path.name == "datapackage.json":
        _read_csv_package(path.parent, staged)
    elif path.suffix.lower() == ".csv":
        _read_csv_package(path.parent, staged)
    else:
        _read_json_file(path, staged)
    return staged


def _read_json_file(path: Path, staged: _Staged) -> None:
    try:
        with open(path, encoding="utf-8-sig") as f:
            data = json.load(f)
    except json.JSONDecodeError as error:
        staged.problems.append(
            f"{path.name}, line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        )
        return
    except UnicodeDecodeError:
        staged.problems.append(f"{path.name}: not UTF-8 text")
        return
    except ValueError as error:
        # Python's own limit: a whole number of more than 4,300 digits.
        staged.problems.append(f"{path.name}: not valid JSON ({error})")
        return
    except RecursionError:
        staged.problems.append(f"{path.name}: not valid JSON (nested too deeply)")
        return
    if isinstance(data, dict) and all(str(k).endswith(".csv") for k in data) and data:
        # The tabular JSON form: {"services.csv": [rows...], ...}.
        for stem_csv, rows in data.items():
            _stage_table_rows(stem_csv.removesuffix(".csv"), rows, staged, path.name)
        return
    if isinstance(data, dict) and {"version", "openapi_url"} <= data.keys() and "id" not in data:
        staged.warnings.append(f"{path.name}: an API description (GET /), not data; skipped")
        return
    documents: list[Any]
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        documents = data["contents"]  # a page of an API response
    elif isinstance(data, list):
        documents = data
    else:
        documents = [data]
    kind = _kind_of(path, documents)
    if kind is None:
        staged.problems.append(
            f"{path.name}: cannot tell which HSDS object this file holds; name it after its "
            "contents (services.json, organizations.json, ...)"
        )
        return
    for number, document in enumerate(documents, start=1):
        where = f"{path.name}, record {number}"
        for problem in schemas.validate(document, kind, standard="hsds"):
            field_path = problem.path or "(the record itself)"
            staged.problems.append(f"{where}, field {field_path}: {problem.message}")
    if staged.problems:
        return
    try:
        flat = hsds.flatten(kind, documents, source=path.name)
    except hsds.HSDSFormatError as error:
        staged.problems.append(str(error))
        return
    for unknown in flat.unknown[:20]:
        staged.warnings.append(f"{unknown}: not an HSDS 3.0 field; ignored")
    for object_kind, rows in flat.rows.items():
        for object_id, row in rows.items():
            staged.add(object_kind, row, flat.origins[(object_kind, object_id)])


# File names that say what a JSON document holds, most specific first.
_KIND_BY_NAME = [
    ("service_at_location", "service_at_location"),
    ("taxonomy_term", "taxonomy_term"),
    ("taxonom", "taxonomy"),
    ("organization", "organization"),
    ("organisation", "organization"),
    ("service", "service"),
    ("location", "location"),
]


def _kind_of(path: Path, documents: list[Any]) -> str | None:
    stem = path.stem.lower()
    for fragment, kind in _KIND_BY_NAME:
        if fragment in stem:
            return kind
    first = documents[0] if documents and isinstance(documents[0], dict) else {}
    if "location" in first and ("service" in first or "service_id" in first):
        return "service_at_location"
    if "status" in first:
        return "service"
    if "location_type" in first:
        return "location"
    if "taxonomy_detail" in first or "term_uri" in first:
        return "taxonomy_term"
    return None


def _read_csv_package(folder: Path, staged: _Staged) -> None:
    paths: dict[str, str] = {t.name: f"{t.stem}.csv" for t in hsds.tables()}
    descriptor = folder / "datapackage.json"
    if descriptor.exists():
        try:
            package = json.loads(descriptor.read_text(encoding="utf-8-sig"))
            for resource in package.get("resources", []):
                paths[resource["name"]] = resource["path"]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            staged.problems.append(
                f"datapackage.json: not a valid datapackage descriptor ({error})"
            )
            return
        except RecursionError:
            staged.problems.append("datapackage.json: not valid JSON (nested too deeply)")
            return
    known = set(paths.values())
    for stray in sorted(p.name for p in folder.glob("*.csv") if p.name not in known):
        staged.warnings.append(f"{stray}: not an HSDS table; ignored")
    for t in hsds.tables():
        file = folder / paths[t.name]
        if not file.exists():
            continue
        try:
            with open(file, encoding="utf-8-sig", newline="") as f:
                reader = csv.DictReader(f)
                columns = reader.fieldnames or []
                allowed = set(t.columns) | set(hsds.EXTENSION_COLUMNS.get(t.name, ()))
                for column in columns:
                    if column not in allowed:
                        staged.warnings.append(
                            f"{file.name}, column {column}: not in HSDS; ignored"
                        )
                if "id" not in columns:
                    staged.problems.append(f"{file.name}: has no id column")
                    continue
                for number, raw in enumerate(reader, start=2):
                    if None in raw:
                        staged.problems.append(
                            f"{file.name}, row {number}: more cells than columns"
                        )
                        continue
                    row = {k: (v if v != "" else None) for k, v in raw.items() if k in allowed}
                    staged.add(t.name, row, f"{file.name}, row {number}")
        except UnicodeDecodeError:
            staged.problems.append(f"{file.name}: not UTF-8 text")
        except csv.Error as error:
            staged.problems.append(f"{file.name}: not a readable CSV file ({error})")


def _stage_table_rows(stem: str, rows: Any, staged: _Staged, source: str) -> None:
    try:
        t = hsds.table(stem)
    except KeyError:
        staged.warnings.append(f"{source}, {stem}.csv: not an HSDS table; ignored")
        return
    if not isinstance(rows, list):
        staged.problems.append(f"{source}, {stem}.csv: expected a list of rows")
        return
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            staged.problems.append(f"{source}, {stem}.csv row {number}: expected an object")
            continue
        staged.add(t.name, dict(row), f"{source}, {stem}.csv row {number}")


# --- Checking -------------------------------------------------------------------------------
def _field_converters(t: hsds.Table) -> dict[str, Callable[[Any], Any]]:
    by_attname = {f.attname: f for f in t.model._meta.concrete_fields}
    return {
        column: _converter(by_attname[t.attname(column)])
        for column in list(t.columns) + list(hsds.EXTENSION_COLUMNS.get(t.name, ()))
    }


def _converter(model_field: dj.Field) -> Callable[[Any], Any]:  # type: ignore[type-arg]
    target = model_field.target_field if model_field.is_relation else model_field  # type: ignore[attr-defined]
    text = isinstance(target, dj.TextField | dj.CharField)

    def convert(value: Any) -> Any:
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if text:
                return ""
            if model_field.null:
                return None
            if isinstance(target, dj.BooleanField):
                return False
            raise ValidationError("is required")
        if text and not isinstance(value, str):
            if isinstance(value, dict | list):
                raise ValidationError("must be text, not a JSON object or list")
            value = str(value)
        if isinstance(target, dj.BooleanField) and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValidationError(f"must be true or false, not {value!r}")
            return lowered in ("true", "1", "yes")
        if isinstance(target, dj.DateTimeField) and isinstance(value, str):
            result = target.to_python(value.strip())
            if result is not None and timezone.is_naive(result):
                result = timezone.make_aware(result, datetime.UTC)
            return result
        if isinstance(target, dj.DateField) and isinstance(value, str) and "T" in value:
            # A date-time where HSDS expects a date: keep the date, as the feed would show it.
            value = value.split("T", 1)[0]
        if isinstance(target, dj.IntegerField | dj.FloatField) and isinstance(value, str):
            value = value.strip()
        if isinstance(target, dj.DecimalField) and isinstance(value, float):
            # Through its shortest repr, so the JSON number 4.1 is 4.1 and not 4.0999999999...
            value = repr(value)
        result = target.to_python(value)
        if isinstance(result, float | decimal.Decimal) and not math.isfinite(result):
            raise ValidationError(f"must be a finite number, not {value!r}")
        if model_field.choices and result != "":
            allowed = [choice[0] for choice in model_field.choices]
            if result not in allowed:
                raise ValidationError(
                    f"must be one of {', '.join(map(repr, allowed))}, not {value!r}"
                )
        return result

    return convert


def _message(error: ValidationError) -> str:
    return "; ".join(str(m).rstrip(".") for m in error.messages)


Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def check(staged: _Staged, *, progress: Progress = _quiet) -> dict[str, list[dj.Model]]:
    """Turn staged rows into model instances, or fail with every problem found."""
    problems = list(staged.problems)
    instances: dict[str, list[dj.Model]] = {}
    for t in hsds.tables():
        bucket = staged.rows.get(t.name, {})
        if not bucket:
            continue
        progress(f"Checking {len(bucket):,} {t.stem}")
        converters = _field_converters(t)
        built = []
        for row, where in bucket.values():
            values: dict[str, Any] = {}
            for column, value in row.items():
                try:
                    values[t.attname(column)] = converters[column](value)
                except ValidationError as error:
                    problems.append(f"{where}, field {column}: {_message(error)}")
                except (TypeError, ValueError, ArithmeticError) as error:
                    problems.append(f"{where}, field {column}: {error}")
            instance = t.model(**values)
            reported = set()
            try:
                # Blank/choices/validators on each field, then the model's own rules. Links are
                # checked below, against this import and the database together.
                instance.full_clean(
                    exclude=[f.name for f in t.model._meta.fields if f.is_relation],
                    validate_unique=False,
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    reported.add(name)
                    label = "record" if name == "__all__" else f"field {_column(t, name)}"
                    problems.append(
                        f"{where}, {label}: {'; '.join(m.rstrip('.') for m in messages)}"
                    )
            if isinstance(instance, Location):
                _fill_coordinates(instance, where, staged.warnings)
            if isinstance(instance, Service) and "last_modified" not in row:
                instance.last_modified = timezone.now()
            # What the validators let through but the database would refuse (NUL characters,
            # surrogates, numbers beyond a column's range, date-times beyond year 9999 in UTC),
            # derived coordinates included: refused here, so the write cannot fail half-way.
            for name, message in storable.problems(instance, skip=reported).items():
                problems.append(f"{where}, field {_column(t, name)}: {message}")
            built.append(instance)
        instances[t.name] = built
    if problems:
        raise ImportFailed(problems)
    staged.warnings.extend(_dangling_links(instances, staged))
    return instances


def _column(t: hsds.Table, name: str) -> str:
    for column in t.columns:
        if t.attname(column) in (name, f"{name}_id"):
            return column
    return name


def _fill_coordinates(location: Location, where: str, warnings: list[str]) -> None:
    if not location.fill_coordinates():
        warnings.append(
            f"{where}, fields latitude/longitude: ({location.latitude}, {location.longitude}) is "
            "not in Great Britain; kept as given, but not used in distance searches"
        )


def _dangling_links(instances: dict[str, list[dj.Model]], staged: _Staged) -> list[str]:
    """Links to objects that are neither in this import nor in the directory (kept, warned)."""
    present: dict[type[dj.Model], set[uuid.UUID]] = {}
    for t in hsds.tables():
        present[t.model] = {i.pk for i in instances.get(t.name, [])}
    warnings = []
    for t in hsds.tables():
        for model_field in t.model._meta.fields:
            if not model_field.is_relation:
                continue
            target = model_field.related_model
            wanted = {
                getattr(i, model_field.attname)
                for i in instances.get(t.name, [])
                if getattr(i, model_field.attname) is not None
            }
            missing = wanted - present[target]  # type: ignore[index]
            for chunk in _chunks(list(missing)):
                missing -= set(
                    target._default_manager.filter(pk__in=chunk).values_list("pk", flat=True)  # type: ignore[union-attr]
                )
            for object_id in sorted(missing, key=str)[:5]:
                warnings.append(
                    f"{t.stem}: {_column(t, model_field.name)} {object_id} points at no "
                    f"{target._meta.verbose_name} in this import or the directory; kept as given"  # type: ignore[union-attr]
                )
            if len(missing) > 5:
                warnings.append(f"{t.stem}: ... and {len(missing) - 5} more such links")
    return warnings


def _chunks(ids: list[Any], size: int = 2000) -> Iterator[list[Any]]:
    """Ids in lists short enough for one IN (...) on any database (PostgreSQL allows 65,535
    parameters a query; some SQLite builds 32,766)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# --- Writing --------------------------------------------------------------------------------
def write(
    instances: dict[str, list[dj.Model]], *, batch_size: int = 1000, progress: Progress = _quiet
) -> dict[str, int]:
    """Insert or update every instance in one transaction, then refresh the search index."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        # Places whose number of services may change: where imported services-at-location are
        # now, where they were before, and the imported places themselves.
        sal_ids = [i.pk for i in instances.get("service_at_location", [])]
        places = {i.pk for i in instances.get("location", [])}
        places |= {i.location_id for i in instances.get("service_at_location", [])}  # type: ignore[attr-defined]
        for chunk in _chunks(sal_ids):
            places |= set(
                ServiceAtLocation.objects.filter(pk__in=chunk).values_list("location_id", flat=True)
            )
        # Services whose search entry may change: see _services_to_reindex. Categories are
        # looked up before writing too, since an imported attribute may move to another service.
        service_ids = _services_to_reindex(instances)
        for t in hsds.tables():
            objects = instances.get(t.name, [])
            if not objects:
                continue
            progress(f"Writing {len(objects):,} {t.stem}")
            # Derived fields (not editable: Location.service_count) are recomputed, not imported.
            update_fields = [
                f.name for f in t.model._meta.concrete_fields if not f.primary_key and f.editable
            ]
            t.model._default_manager.bulk_create(  # type: ignore[attr-defined]
                objects,
                batch_size=batch_size,
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=update_fields,
            )
            counts[t.stem] = len(objects)
        service_ids |= _services_to_reindex(instances)
        progress(f"Indexing {len(service_ids):,} services for search")
        search.reindex(service_ids)
        places.discard(None)
        for chunk in _chunks(list(places)):
            Location.objects.filter(pk__in=chunk).refresh_service_counts()
        if instances.get("taxonomy_term"):
            # Bulk writes send no signals: the search form's kept list of categories is
            # forgotten here, as an edit's signal does, once the new terms are there to read.
            transaction.on_commit(lambda: signals.forget_category_choices(sender=None))
    return counts


def _services_to_reindex(instances: dict[str, list[dj.Model]]) -> set[uuid.UUID]:
    """Services whose search entry the import may change: the imported services, those of
    imported organisations (their names are searched), those with imported categories, and
    those that imported category links point at (before and after the write, so a moved link
    updates both services)."""
    found = {i.pk for i in instances.get("service", [])}
    found |= {
        a.link_id  # type: ignore[attr-defined]
        for a in instances.get("attribute", [])
        if a.link_entity == "service" and a.link_id  # type: ignore[attr-defined]
    }
    lookups = (
        (Service.objects, "organization_id__in", "organization", "id"),
        (
            Attribute.objects.filter(link_entity="service"),
            "taxonomy_term_id__in",
            "taxonomy_term",
            "link_id",
        ),
        (Attribute.objects.filter(link_entity="service"), "pk__in", "attribute", "link_id"),
    )
    for queryset, lookup, kind, column in lookups:
        for chunk in _chunks([i.pk for i in instances.get(kind, [])]):
            found |= set(queryset.filter(**{lookup: chunk}).values_list(column, flat=True))
    found.discard(None)
    return found


def import_path(
    path: Path | str, *, strict: bool = False, progress: Progress = _quiet
) -> ImportReport:
    """Import a file or folder of HSDS data, all or nothing. Raises ImportFailed."""
    staged = read(Path(path))
    instances = check(staged, progress=progress)
    if strict and staged.warnings:
        raise ImportFailed(staged.warnings)
    counts = write(instances, progress=progress)
    return ImportReport(counts=counts, warnings=staged.warnings)


def import_tables(
    data: dict[str, Iterable[dict[str, Any]]], *, source: str, progress: Progress = _quiet
) -> ImportReport:
    """Import HSDS tables already in memory (keyed by CSV file stem), e.g. the demo borough."""
    staged = _Staged()
    for stem, rows in data.items():
        _stage_table_rows(stem, list(rows), staged, source)
    instances = check(staged, progress=progress)
    counts = write(instances, progress=progress)
    return ImportReport(counts=counts, warnings=staged.warnings)


def import_demo(
    *, seed: int, services: int, as_of: datetime.date, progress: Progress = _quiet
) -> ImportReport:
    """The demo borough's synthetic directory (demo.py), on the borough's real postcodes,
    imported as a council's own feed would be. The same seed gives the same records."""
    postcodes = geography.borough_postcodes()
    progress(
        f"Generating {services:,} synthetic services on {len(postcodes):,} postcodes (seed {seed})"
    )
    tables = demo.generate_directory(postcodes, seed=seed, services=services, as_of=as_of)
    return import_tables(tables, source="demo borough", progress=progress)

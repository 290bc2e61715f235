"""No import runs upwards (docs/adr/0004-layers.md): every module under thedeal/ is read with
`ast`, and each import, at module level or inside a function, must name a module of the same or
a lower layer. Within a layer, the parts may use one another, but never in a loop. The pure
libraries at the bottom import no Django at all (env and storable use Django's validators as a
library, never settings or models), so they run in a notebook or a script.

LAYERS is the one table of layers: a new app (casework, insight, investment) takes its place in
it, or this test fails and says where the app's modules are.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "thedeal"

# Bottom to top. Each entry: the layer's name, then its parts, each a list of module prefixes
# (the longest prefix that matches a module places it).
LAYERS: tuple[tuple[str, dict[str, tuple[str, ...]]], ...] = (
    (
        "pure libraries",
        {
            "env": ("thedeal.env",),
            "storable": ("thedeal.storable",),
            "geography": ("thedeal.geography",),
            "indicator methods": ("thedeal.indicators", "thedeal.indicators.methods"),
            "prevention's models of risk": (
                "thedeal.prevention.synthpop",
                "thedeal.prevention.programme",
                "thedeal.prevention.efi",
                "thedeal.prevention.features",
                "thedeal.prevention.model",
                "thedeal.prevention.evaluation",
                "thedeal.prevention.explain",
                "thedeal.prevention.card",
            ),
            "casework's well-being measures": ("thedeal.casework.measures",),
            "casework's pure rules": ("thedeal.casework.nhs_number", "thedeal.casework.identities"),
            "casework's rules": (
                "thedeal.casework.lifecycle",
                "thedeal.casework.snomed",
                "thedeal.casework.working_days",
                "thedeal.casework.suggestions",
                "thedeal.casework.closing_summary",
            ),
            "insight's analyses": (
                "thedeal.insight.catalogue",
                "thedeal.insight.compute",
                "thedeal.insight.evaluation",
                "thedeal.insight.fingertips",
                "thedeal.insight.ledger",
            ),
        },
    ),
    ("operations", {"operations": ("thedeal.operations",)}),
    ("background work", {"worker": ("thedeal.worker",)}),
    (
        "shared services",
        {"notify": ("thedeal.notify",), "web": ("thedeal.web",)},
    ),
    ("the directory", {"directory": ("thedeal.directory",)}),
    (
        "apps that use the directory",
        {
            "deal": ("thedeal.deal",),
            "accounts": ("thedeal.accounts",),
            "casework": ("thedeal.casework",),
            "insight": ("thedeal.insight",),
            "prevention": ("thedeal.prevention",),
            "indicators": ("thedeal.indicators.apps", "thedeal.indicators.management"),
        },
    ),
    (
        "the site's frame and the demo borough",
        {"site": ("thedeal.site",), "demo": ("thedeal.demo",)},
    ),
    (
        "the project",
        {
            "project": (
                "thedeal",
                "thedeal.__main__",
                "thedeal.settings",
                "thedeal.urls",
                "thedeal.wsgi",
            ),
        },
    ),
)
# The parts that import no Django at all, nor what is built on it.
WITHOUT_DJANGO = {
    "geography",
    "indicator methods",
    "prevention's models of risk",
    "casework's well-being measures",
    "casework's pure rules",
    "casework's rules",
    "insight's analyses",
}
FRAMEWORK = ("django", "rest_framework", "drf_spectacular", "django_tasks", "django_tasks_db")


@dataclass(frozen=True)
class Place:
    layer: int
    part: str

    def __str__(self) -> str:
        return f"{self.part} (layer {self.layer}: {LAYERS[self.layer][0]})"


_PREFIXES = {
    prefix: Place(layer, part)
    for layer, (_, parts) in enumerate(LAYERS)
    for part, prefixes in parts.items()
    for prefix in prefixes
}


def place_of(module: str) -> Place | None:
    """The layer and part of a module of thedeal, by the longest prefix that names it (the
    package itself, thedeal/__init__.py, names only itself: a new app must be placed)."""
    name = module
    while name and name != "thedeal":
        if name in _PREFIXES:
            return _PREFIXES[name]
        name = name.rpartition(".")[0]
    return _PREFIXES["thedeal"] if module == "thedeal" else None


@dataclass(frozen=True)
class Import:
    line: int
    module: str


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(source: str, module: str, *, is_package: bool) -> Iterator[Import]:
    """Every import in `source` (of module `module`), at any depth: `from a import b` names a.b
    when a.b is a module of the tree, else a."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            for alias in node.names:
                submodule = f"{origin}.{alias.name}"
                yield Import(node.lineno, submodule if is_module(submodule) else origin)


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "static" not in p.parts)


def violations(path: Path, source: str) -> list[str]:
    # One line per problem, however many names one import statement brings.
    return list(dict.fromkeys(_violations(path, source)))


def _violations(path: Path, source: str) -> Iterator[str]:
    module = module_name(path)
    here = place_of(module)
    where = path.relative_to(ROOT)
    if here is None:
        yield f"{where}: {module} has no layer: add it to LAYERS in tests/unit/test_layers.py"
        return
    for found in imports_of(source, module, is_package=path.name == "__init__.py"):
        top = found.module.partition(".")[0]
        if here.part in WITHOUT_DJANGO and top in FRAMEWORK:
            yield f"{where}:{found.line}: {module} imports no Django, yet imports {found.module}"
        if top != "thedeal":
            continue
        there = place_of(found.module)
        if there is None:
            yield f"{where}:{found.line}: {found.module} has no layer: add it to LAYERS"
        elif there.layer > here.layer:
            yield (
                f"{where}:{found.line}: {module} in {here} imports {found.module} "
                f"in {there}, a higher layer"
            )


def part_imports() -> dict[tuple[str, str], str]:
    """(importing part, imported part) -> where, for parts of the same layer."""
    edges: dict[tuple[str, str], str] = {}
    for path in modules():
        module = module_name(path)
        here = place_of(module)
        source = path.read_text(encoding="utf-8")
        for found in imports_of(source, module, is_package=path.name == "__init__.py"):
            there = place_of(found.module) if found.module.startswith("thedeal") else None
            if here and there and there.layer == here.layer and there.part != here.part:
                edges.setdefault((here.part, there.part), f"{path.relative_to(ROOT)}:{found.line}")
    return edges


def loop_in(edges: dict[tuple[str, str], str]) -> list[str] | None:
    """A loop of parts importing one another, as the imports that make it, or None."""
    following: dict[str, list[str]] = {}
    for a, b in edges:
        following.setdefault(a, []).append(b)
    done: set[str] = set()

    def visit(part: str, trail: list[str]) -> list[str] | None:
        if part in trail:
            loop = [*trail[trail.index(part) :], part]
            return [f"{a} -> {b} ({edges[a, b]})" for a, b in zip(loop, loop[1:], strict=False)]
        if part in done:
            return None
        for after in following.get(part, []):
            if found := visit(after, [*trail, part]):
                return found
        done.add(part)
        return None

    for start in sorted(following):
        if found := visit(start, []):
            return found
    return None


def test_no_module_imports_a_higher_layer():
    found = [
        problem
        for path in modules()
        for problem in violations(path, path.read_text(encoding="utf-8"))
    ]

    assert not found, "Imports that run upwards (docs/adr/0004-layers.md):\n" + "\n".join(found)


def test_no_two_parts_of_a_layer_import_each_other_in_a_loop():
    loop = loop_in(part_imports())

    assert loop is None, "Parts of one layer that import each other in a loop:\n" + "\n".join(
        loop or []
    )


def test_every_part_in_the_table_has_modules():
    # A part whose modules have gone (moved, renamed) would leave the table out of date.
    places = {place_of(module_name(p)) for p in modules()}

    assert {p for p in _PREFIXES.values()} <= places


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        # An app's task reaching into a higher app from inside a function, to dodge a loop.
        (
            "thedeal/directory/tasks.py",
            "def remind():\n    from thedeal.accounts.models import OrganisationEditor\n",
            "thedeal/directory/tasks.py:2: thedeal.directory.tasks in directory (layer 4: the "
            "directory) imports thedeal.accounts.models in accounts (layer 5: apps that use "
            "the directory), a higher layer",
        ),
        # The shared web pieces reaching into the directory.
        (
            "thedeal/web/forms.py",
            "from thedeal.directory import models\n",
            "thedeal/web/forms.py:1: thedeal.web.forms in web (layer 3: shared services) "
            "imports thedeal.directory.models in directory (layer 4: the directory), a higher "
            "layer",
        ),
        # A relative import is resolved before it is judged.
        (
            "thedeal/worker/actions.py",
            "from .. import notify\n",
            "thedeal/worker/actions.py:1: thedeal.worker.actions in worker (layer 2: background "
            "work) imports thedeal.notify in notify (layer 3: shared services), a higher layer",
        ),
        (
            "thedeal/geography/__init__.py",
            "import django.conf\n",
            "thedeal/geography/__init__.py:1: thedeal.geography imports no Django, yet imports "
            "django.conf",
        ),
        (
            "thedeal/investment/models.py",
            "",
            "thedeal/investment/models.py: thedeal.investment.models has no layer: add it to LAYERS "
            "in tests/unit/test_layers.py",
        ),
    ],
)
def test_an_upward_import_is_named_with_its_file_and_line(path, source, expected):
    assert list(violations(ROOT / path, source)) == [expected]


def test_an_import_of_the_same_or_a_lower_layer_is_allowed():
    source = "from thedeal import geography, notify\nfrom thedeal.directory import models\n"

    assert list(violations(ROOT / "thedeal/deal/views.py", source)) == []


def test_a_loop_between_parts_of_a_layer_is_found():
    edges = {("deal", "accounts"): "a.py:1", ("accounts", "deal"): "b.py:2"}

    assert loop_in(edges) == ["accounts -> deal (b.py:2)", "deal -> accounts (a.py:1)"]

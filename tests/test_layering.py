"""The layers of docs/architecture.md, enforced: each module's imports (at the top or inside a function)
are parsed with ast and checked against what its layer may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "benchmark"

UPPER = {"metrics", "threads", "listening", "report", "chart", "cli", "api", "rank", "display", "console", "sample"}
# What each part must never import (its own layer and those below are allowed).
FORBIDDEN: dict[str, set[str]] = {
    "text": UPPER | {"store", "loaders", "engine", "brands"},
    "loaders": UPPER | {"store", "text"},
    "engine": UPPER - {"threads"} | {"store", "loaders", "text"},
    "store": UPPER,
    "metrics": UPPER - {"metrics", "threads"},
    "threads": UPPER - {"threads"} | {"store", "loaders"},
    "sample": UPPER - {"sample"} | {"store", "loaders", "engine", "text"},
    "rank": UPPER - {"rank", "metrics", "threads"},
}
# Deliberate exceptions, each with its reason.
ALLOWED = {
    ("benchmark/metrics/__init__.py", "display"),  # Measurement._repr_html_: imported only when a notebook shows one
}
ENTRY_POINTS = {"benchmark/__main__.py", "benchmark/sample/__main__.py"}  # like console.py: may start the CLI


def _part(module: str) -> str:
    """``benchmark.loaders._read.csvread`` -> ``loaders``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "benchmark"


def _imports(path: Path) -> list[str]:
    """Every benchmark module ``path`` imports, absolute, wherever the import statement is."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    package = parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                if node.module:
                    found.append(".".join([*base, node.module]))
                else:
                    found += [".".join([*base, alias.name]) for alias in node.names]
            elif node.module and node.module.split(".")[0] == "benchmark":
                found.append(node.module)
                found += [f"{node.module}.{alias.name}" for alias in node.names if node.module == "benchmark"]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "benchmark"]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[p.relative_to(ROOT).as_posix() for p in MODULES])
def test_a_module_imports_only_its_layer_and_below(path: Path) -> None:
    rel = path.relative_to(ROOT).as_posix()
    if rel in ENTRY_POINTS:
        return
    me = _part(".".join(path.relative_to(ROOT).with_suffix("").parts))
    forbidden = FORBIDDEN.get(me, set())
    wrong = sorted({t for t in map(_part, _imports(path)) if t in forbidden and t != me and (rel, t) not in ALLOWED})
    if me not in ("cli", "console"):
        wrong += ["cli"] if any(_part(m) == "cli" for m in _imports(path)) and "cli" not in wrong else []
    assert wrong == [], f"{rel} imports {wrong}"


def _formats() -> dict[str, str]:
    """Each export format's unit in benchmark.loaders: a module with a LOADER, or the package holding one."""
    units = {}
    for path in sorted((PACKAGE / "loaders").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "LOADER" for t in n.targets) for n in tree.body):
            rel = path.relative_to(PACKAGE / "loaders").with_suffix("").parts
            units[rel[0]] = "benchmark.loaders." + rel[0]
    return units


def test_the_formats_are_found() -> None:
    assert set(_formats()) == {"twcs", "twitter_v2", "minimaxir", "netvizz", "facebook_graph", "instagram", "generic_csv"}


def test_no_format_imports_another_format() -> None:
    formats = _formats()
    wrong = []
    for path in sorted((PACKAGE / "loaders").rglob("*.py")):
        unit = path.relative_to(PACKAGE / "loaders").with_suffix("").parts[0]
        if unit not in formats:
            continue  # the registry (__init__.py) and the shared readers may name the formats
        for target in _imports(path):
            other = next((u for u, mod in formats.items() if u != unit and (target == mod or target.startswith(mod + "."))), None)
            if other:
                wrong.append(f"{path.relative_to(ROOT)} imports {target}")
    assert wrong == []


def test_the_shared_readers_import_no_format() -> None:
    formats = set(_formats().values())
    wrong = [f"{p.relative_to(ROOT)}: {t}" for p in sorted((PACKAGE / "loaders" / "_read").rglob("*.py"))
             for t in _imports(p) if any(t == f or t.startswith(f + ".") for f in formats)]
    assert wrong == []


def test_the_checker_sees_relative_and_deferred_imports(tmp_path: Path) -> None:
    folder = tmp_path / "benchmark" / "loaders"
    folder.mkdir(parents=True)
    module = folder / "fake.py"
    module.write_text("from ..metrics import facts\n\ndef f():\n    from . import twcs\n    import benchmark.cli\n", encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert _imports(module) == ["benchmark.metrics", "benchmark.loaders.twcs", "benchmark.cli"]
    finally:
        ROOT = saved

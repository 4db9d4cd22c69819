"""The examples in the docstrings run (issue 11): every module under ``benchmark/`` that has one is run by
:mod:`doctest` in a folder that holds the bundled synthetic ``sample_data`` and a ``store`` ingested from it,
so ``bm.rank("store", ...)`` in a docstring is what a reader would see after the README's first command."""

from __future__ import annotations

import doctest
import importlib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "benchmark"
SAMPLE_DATA = ROOT / "sample_data"


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>> " not in path.read_text(encoding="utf-8"):
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = _modules_with_examples()


@pytest.fixture(scope="module")
def docs_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with ``sample_data/`` (copied: the examples may write beside it) and ``store/`` ingested from it."""
    import benchmark as bm

    folder = tmp_path_factory.mktemp("doctests")
    shutil.copytree(SAMPLE_DATA, folder / "sample_data")
    bm.ingest([folder / "sample_data" / "facebook", folder / "sample_data" / "twitter"], store=folder / "store",
              brand_accounts=folder / "sample_data" / "brands.toml")
    return folder


def test_the_examples_are_found() -> None:
    assert {"benchmark", "benchmark.chart", "benchmark.listening", "benchmark.api"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, docs_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib").use("Agg")
    monkeypatch.chdir(docs_folder)
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [t for t in finder.find(module, name) if t.examples]
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    out = capsys.readouterr().out
    assert tests and result.failed == 0, out

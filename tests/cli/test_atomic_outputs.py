"""``-o`` files appear whole or not at all (issue 12 item 9): a failed write keeps the previous file."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from benchmark.atomic_files import replacing, write_atomically
from benchmark.cli import app

runner = CliRunner()


def test_a_write_that_fails_halfway_keeps_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "rank.json"
    out.write_text("previous\n")
    with pytest.raises(RuntimeError), replacing(out) as tmp:
        tmp.write_text('[{"brand": "half')
        raise RuntimeError("killed")
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rank.json"]


def test_a_write_replaces_in_one_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.csv"
    seen: list[tuple[str, str]] = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append((Path(a).name, Path(b).name)), real(a, b)))
    write_atomically(out, "a,b\n1,2\n")
    assert out.read_text() == "a,b\n1,2\n"
    assert len(seen) == 1 and seen[0][1] == "r.csv" and seen[0][0].startswith(".r.csv.")


def test_rank_and_requests_outputs_go_through_a_rename(golden_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed: list[str] = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (renamed.append(Path(b).name), real(a, b)))
    for args in (["rank", "-o", str(tmp_path / "r.json")], ["requests", "-o", str(tmp_path / "q.parquet")]):
        result = runner.invoke(app, [*args, "--store", str(golden_store.path), "--min-requests", "1"] if args[0] == "rank" else [*args, "--store", str(golden_store.path)])
        assert result.exit_code == 0, result.output
    assert {"r.json", "q.parquet"} <= set(renamed)
    assert pl.read_parquet(tmp_path / "q.parquet").height > 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

"""Issue 12, store faults: a store that can always be opened, and damage that is named, never read as 0.

Real processes (``python -m benchmark``) on synthetic data (fictional brands) under tmp_path. Items 6
(creating a store is atomic: a killed or concurrent first ingest) and 7 (a damaged, stray or missing
file gives one line naming it and exit 1, never "internal error" and never 0 messages).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import benchmark as bm

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
BENCHMARK = [sys.executable, "-m", "benchmark"]
ENV = {**os.environ, "BENCHMARK_DETECT_LANGUAGE": "0", "COLUMNS": "200", "NO_COLOR": "1"}
OK = HOSTILE / "twcs_ok.csv"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BENCHMARK, *args], check=False, env=ENV, capture_output=True, text=True, timeout=300)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "internal error" not in lines[0] and "Traceback" not in result.stderr
    return lines[0]


# ---- item 6: what a killed first ingest leaves behind is a new store --------------------------------


@pytest.mark.parametrize("leftover", ["empty ingests", "ingests and lock", "0-byte marker", "staging and marker temp"])
def test_store_left_by_a_killed_first_ingest_opens(tmp_path: Path, leftover: str) -> None:
    store = tmp_path / "st"
    (store / "ingests").mkdir(parents=True)
    if leftover == "ingests and lock":
        (store / ".lock").write_text("")
    if leftover == "0-byte marker":
        (store / "benchmark-store.json").write_text("")
        rank = run("rank", "--store", str(store), "--format", "json")  # readable before the next ingest repairs it
        assert rank.returncode == 0, rank.stderr
        assert rank.stdout.strip() == "[]"
    if leftover == "staging and marker temp":
        (store / "ingests" / ".staging-0123abcd").mkdir()
        (store / ".benchmark-store.json.tmp-999-abcd").write_text('{"form')
    result = run("ingest", str(OK), "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert (store / "benchmark-store.json").read_text() == '{"format": "social-care-benchmark store", "version": 1}\n'
    assert len(bm.open_store(store).summaries()) == 1
    assert not list((store / "ingests").glob(".staging-*"))


def test_marker_is_written_by_rename(tmp_path: Path) -> None:
    store = tmp_path / "st"
    assert run("ingest", str(OK), "--store", str(store)).returncode == 0
    assert sorted(p.name for p in store.iterdir()) == [".lock", "benchmark-store.json", "ingests"]  # no temp file left


def test_two_first_ingests_at_once_never_see_a_damaged_store(tmp_path: Path) -> None:
    for attempt in range(6):
        store = tmp_path / f"st{attempt}"
        procs = [subprocess.Popen([*BENCHMARK, "ingest", str(OK), "--store", str(store)], env=ENV, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
        for code, err in outcomes:
            assert "damaged" not in err and "not a benchmark store" not in err and "internal error" not in err, err
            assert code == 0 or err.strip() == f"error: {store}: another ingest is writing to this store; try again when it ends", err
        assert 0 in [c for c, _ in outcomes]
        assert len(bm.open_store(store).messages()) == 2  # twcs_ok.csv's two tweets, once


def test_non_empty_directory_is_still_refused(tmp_path: Path) -> None:
    store = tmp_path / "st"
    store.mkdir()
    (store / "notes.txt").write_text("mine")
    line = one_error_line(run("ingest", str(OK), "--store", str(store)))
    assert line == f"error: {store}: not a benchmark store and not empty; choose a new directory"


def test_damaged_marker_of_a_store_with_data_is_named(tmp_path: Path) -> None:
    store = tmp_path / "st"
    assert run("ingest", str(OK), "--store", str(store)).returncode == 0
    (store / "benchmark-store.json").write_text('{"form')
    line = one_error_line(run("rank", "--store", str(store)))
    assert line == f"error: {store}: benchmark-store.json is damaged; run 'benchmark check --store {store}' to see what is wrong"


# ---- item 7: damaged, stray or missing files are named ---------------------------------------------


def _damage(store: Path, how: str) -> Path:
    (ingest,) = (store / "ingests").glob("ingest=*")
    messages = ingest / "messages.parquet"
    if how == "truncated":
        data = messages.read_bytes()
        messages.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        messages.write_bytes(b"")
    elif how == "stray":
        pl.DataFrame({"a": [1, 2]}).write_parquet(messages)
    elif how == "wrong type":
        bm.open_store(store).messages().with_columns(pl.lit(1).alias("message_id")).write_parquet(messages)
    elif how == "deleted":
        messages.unlink()
        return messages
    elif how == "summary":
        (ingest / "summary.json").write_text('{"read": 3')
        return ingest / "summary.json"
    elif how == "rejects":
        (ingest / "rejects.ndjson").write_text('{"source_file": "x", "record": 1}\n{"bad\n')
        return ingest / "rejects.ndjson"
    return messages


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("truncated", "damaged or not a Parquet file (parquet: File out of specification: The file must end with PAR1 or PARE)"),
        ("empty", "empty (0 bytes): not a Parquet file"),
        ("stray", "not a messages file (no column platform, message_id, created_at, is_brand)"),
        ("wrong type", "not a messages file (column message_id is Int32, not String)"),
        ("deleted", "missing (the ingest's messages were deleted?)"),
    ],
)
def test_damaged_messages_file_is_named_by_every_reader(tmp_path: Path, how: str, reason: str) -> None:
    store = tmp_path / "st"
    assert run("ingest", str(OK), "--store", str(store)).returncode == 0
    bad = _damage(store, how)
    expected = f"error: {bad}: {reason}; run 'benchmark check --store {store}' to see what is wrong"
    for args in (["rank", "--store", str(store)], ["requests", "--store", str(store), "--format", "csv"],
                 ["report", "--store", str(store), "-o", str(tmp_path / "r.html")], ["ingest", str(HOSTILE / "twcs_bom.csv"), "--store", str(store)]):
        assert one_error_line(run(*args)) == expected, args


@pytest.mark.parametrize(
    ("how", "where", "reason"),
    [
        ("summary", "", "damaged (Expecting ',' delimiter: line 1 column 11 (char 10))"),
        ("rejects", ", line 2", "damaged (Invalid control character at: line 1 column 6 (char 5))"),
    ],
)
def test_damaged_summary_or_rejects_is_named(tmp_path: Path, how: str, where: str, reason: str) -> None:
    store = tmp_path / "st"
    assert run("ingest", str(OK), "--store", str(store)).returncode == 0
    bad = _damage(store, how)
    line = one_error_line(run("report", "--store", str(store), "-o", str(tmp_path / "r.html")))
    assert line == f"error: {bad}{where}: {reason}; run 'benchmark check --store {store}' to see what is wrong"


@pytest.mark.parametrize("how", ["file", "missing"])
def test_ingests_replaced_or_deleted_is_never_zero_messages(tmp_path: Path, how: str) -> None:
    store = tmp_path / "st"
    assert run("ingest", str(OK), "--store", str(store)).returncode == 0
    for p in (store / "ingests").rglob("*"):
        if p.is_file():
            p.unlink()
    for p in sorted((store / "ingests").glob("*"), reverse=True):
        p.rmdir()
    (store / "ingests").rmdir()
    if how == "file":
        (store / "ingests").write_text("not a folder")
    what = "is not a directory" if how == "file" else "is missing"
    expected = f"error: {store / 'ingests'}: {what}, so the store's messages cannot be read; run 'benchmark check --store {store}' to see what is wrong"
    assert one_error_line(run("rank", "--store", str(store), "--format", "json")) == expected
    assert one_error_line(run("ingest", str(OK), "--store", str(store))) == expected  # never recreated empty

"""Issue 12, item 1: copies of an ingest directory inside ``ingests/`` never multiply what commands count.

A backup kept inside ``ingests/`` (``ingest=<id> copy``, ``ingest=<id> (1)``, ...), a copy under a valid
name, a symlink, or two stores merged by copying folders: ``benchmark rank`` gives the same figures as
before the copy, and says on stderr what it did not read. Real processes on synthetic data (fictional
brands) under tmp_path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import benchmark as bm

GOLDEN_TWCS = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
OK = Path(__file__).parents[1] / "fixtures" / "hostile" / "twcs_ok.csv"
BENCHMARK = [sys.executable, "-m", "benchmark"]
ENV = {**os.environ, "BENCHMARK_DETECT_LANGUAGE": "0", "COLUMNS": "200", "NO_COLOR": "1"}
SAME_INGEST = "(its summary.json names the same ingest)"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BENCHMARK, *args], check=False, env=ENV, capture_output=True, text=True, timeout=300)


def rank_json(store: Path) -> tuple[list[dict[str, object]], list[str]]:
    """The ranking (figures) and the stderr lines of a real ``benchmark rank`` run, recomputed (no cache)."""
    shutil.rmtree(store / "derived", ignore_errors=True)
    result = run("rank", "--store", str(store), "--format", "json", "--min-requests", "1")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr.splitlines()


def notes(lines: list[str]) -> list[str]:
    return [x for x in lines if x.startswith("note: ")]


def note(store: Path, entry: Path, why: str) -> str:
    return f"note: {entry}: {why}; not read, so its messages count once; 'benchmark check --store {store} --repair' moves it aside"


def stored(tmp_path: Path, name: str = "st", *files: Path) -> Path:
    store = tmp_path / name
    bm.ingest(list(files or [GOLDEN_TWCS]), store=bm.create_store(store))
    return store


def only_ingest(store: Path) -> Path:
    (d,) = (store / "ingests").glob("ingest=*")
    return d


@pytest.mark.parametrize("suffix", [" copy", " (1)", " - Copy", ".bak", "~"])
def test_backup_copy_inside_ingests_is_read_once(tmp_path: Path, suffix: str) -> None:
    store = stored(tmp_path)
    before, before_err = rank_json(store)
    original = only_ingest(store)
    copy = original.with_name(original.name + suffix)
    shutil.copytree(original, copy)
    after, err = rank_json(store)
    assert after == before
    assert before[0]["requests"] > 0 and notes(before_err) == []
    assert notes(err) == [note(store, copy, f"a copy of {original.name} {SAME_INGEST}")]
    assert [x for x in err if not x.startswith("note: ")] == before_err  # the same diagnostics: 19 messages, not 38


def test_chain_of_copies_and_a_symlink_are_read_once(tmp_path: Path) -> None:
    store = stored(tmp_path, "st", GOLDEN_TWCS, OK)
    before, _ = rank_json(store)
    first, second = sorted((store / "ingests").glob("ingest=*"))
    copies = [first.with_name(first.name + " copy"), first.with_name(first.name + " copy copy"), second.with_name(second.name + " (2)")]
    shutil.copytree(first, copies[0])
    shutil.copytree(copies[0], copies[1])
    shutil.copytree(second, copies[2])
    renamed = first.with_name("ingest=20000101T000000000000Z-0badc0de")  # a valid name, but its summary names `first`
    shutil.copytree(first, renamed)
    link = second.with_name("ingest=20000101T000000000000Z-11111111")
    link.symlink_to(second.name)
    after, err = rank_json(store)
    assert after == before
    assert notes(err) == [
        note(store, renamed, f"a copy of {first.name} {SAME_INGEST}"),
        note(store, link, f"a copy of {second.name} {SAME_INGEST}"),
        note(store, copies[0], f"a copy of {first.name} {SAME_INGEST}"),
        note(store, copies[1], f"a copy of {first.name} {SAME_INGEST}"),
        note(store, copies[2], f"a copy of {second.name} {SAME_INGEST}"),
    ]
    st = bm.open_store(store)
    assert [f.parent for f in st.message_files()] == [first, second]
    assert st.messages().height == 21 and len(st.summaries()) == 2
    assert len(st.notes) == 5


def test_two_stores_merged_by_copying_folders_count_a_shared_file_once(tmp_path: Path) -> None:
    mine = stored(tmp_path, "mine")
    theirs = stored(tmp_path, "theirs", GOLDEN_TWCS, OK)  # the same golden file, ingested in another store (later)
    before, _ = rank_json(mine)
    original = only_ingest(mine)
    golden_theirs, ok_theirs = sorted((theirs / "ingests").glob("ingest=*"))
    for d in (golden_theirs, ok_theirs):
        shutil.copytree(d, mine / "ingests" / d.name)
    after, err = rank_json(mine)
    skipped = mine / "ingests" / golden_theirs.name
    assert notes(err) == [note(mine, skipped, f"holds only messages that {original.name} holds (the same source file: two stores merged?)")]
    st = bm.open_store(mine)
    assert st.messages().height == 19 + 2  # their other file adds its two messages, once
    alone = stored(tmp_path, "alone", GOLDEN_TWCS, OK)
    assert after == rank_json(alone)[0]  # exactly as if both files had been ingested into one store
    assert after != before  # (the other file's requests do count)


def test_distinct_ingests_of_one_store_are_all_read(tmp_path: Path) -> None:
    store = stored(tmp_path, "st", GOLDEN_TWCS, OK)
    _, err = rank_json(store)
    assert notes(err) == []
    assert bm.open_store(store).messages().height == 21


def test_stray_entries_are_not_read_and_are_named(tmp_path: Path) -> None:
    store = stored(tmp_path)
    before, _ = rank_json(store)
    original = only_ingest(store)
    (store / "ingests" / "README.txt").write_text("my notes")
    elsewhere = store / "ingests" / "backup"
    shutil.copytree(original, elsewhere / original.name)  # a nested copy: never read, it is not an ingest
    (store / "ingests" / ".DS_Store").write_text("")  # hidden entries are skipped silently, like staging
    after, err = rank_json(store)
    assert after == before
    assert notes(err) == [
        f"note: {store / 'ingests' / 'README.txt'}: not an ingest directory (a file); not read; 'benchmark check --store {store} --repair' moves it aside",
        f"note: {elsewhere}: not an ingest directory (its name is not ingest=<id>); not read; 'benchmark check --store {store} --repair' moves it aside",
    ]


def test_a_lone_renamed_copy_is_named_with_its_way_back(tmp_path: Path) -> None:
    store = stored(tmp_path)
    original = only_ingest(store)
    copy = original.with_name(original.name + " copy")
    original.rename(copy)
    result = run("rank", "--store", str(store), "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == []
    ident = original.name.removeprefix("ingest=")
    assert notes(result.stderr.splitlines()) == [
        (f"note: {copy}: not an ingest directory (its name is not ingest=<id>); its summary.json names ingest {ident}, which no "
         f"directory holds: renamed {original.name} it would be read; not read; 'benchmark check --store {store} --repair' moves it aside"),
    ]


def test_ingest_after_a_copy_sees_each_message_once(tmp_path: Path) -> None:
    store = stored(tmp_path)
    original = only_ingest(store)
    shutil.copytree(original, original.with_name(original.name + " copy"))
    result = run("ingest", str(GOLDEN_TWCS), "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert f"{GOLDEN_TWCS}: already ingested: nothing new" in result.stderr
    assert len(notes(result.stderr.splitlines())) == 1  # said once, though the ingest lists the store several times
    assert bm.open_store(store).messages().height == 19

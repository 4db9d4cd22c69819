"""Issue 14, inputs 3: folders as people have them, and no empty store left behind by a failed ingest.

All data here is synthetic, written by the tests (fictional brand "AcmeTel").
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.loaders import find_inputs
from benchmark.loaders._read.sniff import is_note
from benchmark.store.layout import MARKER, discard_unused_store

runner = CliRunner()
HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
PART1 = HEADER + "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel my line is down,,\n"
PART2 = HEADER + "2,AcmeTel,False,Mon Oct 02 10:05:00 +0000 2017,@c1 sorry! DM us,,1\n"
TAB = "post_id\tpost_by\tpost_published\tcomment_id\tcomment_by\tis_reply\tcomment_published\tcomment_message\n"


def shared_folder(root: Path) -> Path:
    """A folder like the ones analysts are handed: exports with a README, a licence, notes and OS litter."""
    (root / "twitter" / "2017").mkdir(parents=True)
    (root / ".git" / "objects").mkdir(parents=True)
    (root / "twitter" / "2017" / "part1.csv").write_text(PART1)
    (root / "twitter" / "part2.csv.gz").write_bytes(gzip.compress(PART2.encode()))
    (root / "README.md").write_text("# Synthetic exports\n")
    (root / "LICENSE").write_text("synthetic licence\n")
    (root / "twitter" / "SOURCE.txt").write_text("File: part1.csv, from a synthetic export\n")
    (root / "twitter" / "notes.txt").write_text("remember to ask AcmeTel for March\n")
    (root / "twitter" / "chart.png").write_bytes(b"\x89PNG\r\n")
    (root / ".DS_Store").write_bytes(b"\x00\x00")
    (root / ".git" / "objects" / "ab").write_bytes(b"x")
    return root


def test_find_inputs_keeps_exports_and_lists_what_it_skipped(tmp_path: Path) -> None:
    root = shared_folder(tmp_path / "shared")
    found = find_inputs([root])
    assert [p.relative_to(root).as_posix() for p in found.files] == ["twitter/2017/part1.csv", "twitter/part2.csv.gz"]
    assert found.skipped[root] == ["LICENSE", "README.md", "twitter/SOURCE.txt", "twitter/chart.png", "twitter/notes.txt"]
    assert found.hidden[root] == [".git", ".DS_Store"]
    assert found.skip_messages() == [
        (f"{root}: skipped 5 file(s) that are not exports: LICENSE, README.md, twitter/SOURCE.txt, twitter/chart.png, twitter/notes.txt; "
         "and 2 hidden (.git, .DS_Store)")
    ]


def test_folder_ingest_in_a_subprocess_skips_notes_with_one_line(tmp_path: Path) -> None:
    root = shared_folder(tmp_path / "shared")
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmark", "ingest", str(root), "--store", str(tmp_path / "st")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0] == (
        f"{root}: skipped 5 file(s) that are not exports: LICENSE, README.md, twitter/SOURCE.txt, twitter/chart.png, twitter/notes.txt; "
        "and 2 hidden (.git, .DS_Store)"
    )
    assert sum("skipped" in line for line in lines) == 1
    assert bm.requests(tmp_path / "st").select("request_id", "response_id").rows() == [("1", "2")]


def test_a_txt_file_that_is_an_export_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "twcs_export.txt").write_text(PART1)  # some tools save CSV as .txt
    (folder / "notes.txt").write_text("not data\n")
    found = find_inputs([folder])
    assert [p.name for p in found.files] == ["twcs_export.txt"]
    assert found.skipped[folder] == ["notes.txt"]


def test_many_skipped_files_are_summarised_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "data.csv").write_text(PART1)
    for i in range(9):
        (folder / f"page{i}.md").write_text("synthetic")
    (line,) = find_inputs([folder]).skip_messages()
    assert line == f"{folder}: skipped 9 file(s) that are not exports: page0.md, page1.md, page2.md, page3.md, page4.md, page5.md, and 3 more"


def test_a_folder_of_notes_only_says_what_it_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "README.md").write_text("synthetic")
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(tmp_path / "st")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {folder}: directory holds no export files (.csv, .tsv, .tab, .json, .ndjson, .jsonl, .txt, compressed or not); skipped README.md"
    )
    assert not (tmp_path / "st").exists()


@pytest.mark.parametrize(("name", "text"), [("README.md", True), ("readme.txt", True), ("LICENSE", True), ("LICENCE-CC-BY.txt", True),
                                            ("SOURCE.txt", True), ("CHANGELOG.rst", True), ("doc.pdf", True),
                                            ("source.csv", False), ("notes.txt", False), ("twcs.csv", False), ("license_plates.json", False)])
def test_is_note(name: str, text: bool) -> None:
    assert is_note(name) is text


def test_a_file_named_explicitly_is_never_skipped(tmp_path: Path) -> None:
    notes = tmp_path / "README.md"
    notes.write_text("synthetic\n")
    result = runner.invoke(app, ["ingest", str(notes), "--store", str(tmp_path / "st")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {notes}: unknown format")


# ---- no empty store left behind ---------------------------------------------------------------


def _bad(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.json"
    bad.write_text('{"synthetic": "not an export"}\n')
    return bad


def test_a_failed_first_ingest_leaves_no_store(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(_bad(tmp_path)), "--store", str(tmp_path / "new")])
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()
    with pytest.raises(bm.InputError, match="unknown format"):
        bm.ingest(_bad(tmp_path), store=tmp_path / "api")
    assert not (tmp_path / "api").exists()


def test_a_failure_during_loading_removes_the_new_store_too(tmp_path: Path) -> None:
    cut = tmp_path / "cut.csv.gz"
    rows = "".join(f"{i},c{i},True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel synthetic {i * 7919 % 100_003},,\n" for i in range(1, 20_000))
    packed = gzip.compress((HEADER + rows).encode())
    cut.write_bytes(packed[: len(packed) // 2])  # its head is whole, so detection passes; reading fails half-way
    empty_dir = tmp_path / "mine"
    empty_dir.mkdir()
    result = runner.invoke(app, ["ingest", str(cut), "--store", str(empty_dir)])
    assert result.exit_code == 1
    assert "the gzip data ends early" in result.stderr
    assert empty_dir.is_dir() and list(empty_dir.iterdir()) == []  # the user's empty folder stays, emptied of the store


def test_an_existing_store_is_kept_when_an_ingest_fails(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(PART1)
    assert runner.invoke(app, ["ingest", str(good), "--store", str(tmp_path / "st")]).exit_code == 0
    result = runner.invoke(app, ["ingest", str(_bad(tmp_path)), "--store", str(tmp_path / "st")])
    assert result.exit_code == 1
    assert (tmp_path / "st" / MARKER).is_file()
    assert bm.open_store(tmp_path / "st").messages().height == 1
    # An existing but still empty store (created by an earlier run) is the user's: kept too.
    bm.create_store(tmp_path / "empty")
    assert runner.invoke(app, ["ingest", str(_bad(tmp_path)), "--store", str(tmp_path / "empty")]).exit_code == 1
    assert (tmp_path / "empty" / MARKER).is_file()


def test_discard_unused_store_never_removes_data(tmp_path: Path) -> None:
    st = bm.create_store(tmp_path / "st")
    bm.ingest(_write(tmp_path / "a.csv", PART1), store=st)
    assert discard_unused_store(st.path, remove_dir=True) is False
    assert bm.open_store(st.path).messages().height == 1
    other = bm.create_store(tmp_path / "other")
    (other.path / "mine.txt").write_text("a file the user put there")
    assert discard_unused_store(other.path, remove_dir=True) is False
    assert (other.path / "mine.txt").exists()
    fresh = bm.create_store(tmp_path / "fresh")
    assert discard_unused_store(fresh.path, remove_dir=True) is True
    assert not fresh.path.exists()


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path

"""Issue 12, item 7: ``benchmark check --store S`` names what is wrong; ``--repair`` moves it aside.

``check`` verifies every committed ingest (files readable, Parquet decoded whole, row counts equal to the
summary, the source's SHA-256 recorded, rejects readable, no copies, no message held twice) and the
marker; problems go to stderr with their path, exit 1; ``--format json`` puts a summary on stdout.
``--repair`` moves damaged ingests into ``STORE/quarantine/<time>/`` (never deletes) and the store opens.
Synthetic data with fictional brands, under tmp_path; the CLI through CliRunner and real processes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app

GOLDEN_TWCS = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
OK = Path(__file__).parents[1] / "fixtures" / "hostile" / "twcs_ok.csv"
BENCHMARK = [sys.executable, "-m", "benchmark"]
ENV = {**os.environ, "BENCHMARK_DETECT_LANGUAGE": "0", "COLUMNS": "200", "NO_COLOR": "1"}
runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_language_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHMARK_DETECT_LANGUAGE", "0")


def check(store: Path, *more: str) -> tuple[int, str, list[str]]:
    result = runner.invoke(app, ["check", "--store", str(store), *more])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr.splitlines()


def two_ingests(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A store with the golden file (19 messages) and twcs_ok.csv (2): (store, golden ingest, ok ingest)."""
    store = tmp_path / "st"
    bm.ingest([GOLDEN_TWCS, OK], store=bm.create_store(store))
    golden, ok = sorted((store / "ingests").glob("ingest=*"))
    return store, golden, ok


def tree(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def fix_hint(store: Path) -> str:
    return f"'benchmark check --store {store} --repair' moves them into {store / 'quarantine'}"


# ---- a clean store -----------------------------------------------------------------------------------


def test_clean_store_exits_0_with_nothing_on_stdout(tmp_path: Path) -> None:
    store, _, _ = two_ingests(tmp_path)
    assert check(store) == (0, "", [f"{store}: 2 ingest(s), 21 messages: no problems found"])
    code, out, _ = check(store, "--format", "json")
    assert code == 0
    assert json.loads(out) == {"store": str(store), "ok": True, "ingests": 2, "messages": 21, "problems": [], "moved": []}
    assert check(store, "--repair") == (0, "", [f"{store}: 2 ingest(s), 21 messages: no problems found"])


def test_usage_and_not_a_store(tmp_path: Path) -> None:
    store, _, _ = two_ingests(tmp_path)
    result = runner.invoke(app, ["check", "--store", str(store), "--format", "xml"])
    assert result.exit_code == 2 and result.stderr == "error: --format 'xml': choose text or json\n"
    (tmp_path / "plain").mkdir()
    assert check(tmp_path / "plain") == (1, "", [f"error: {tmp_path / 'plain'}: not a benchmark store (no benchmark-store.json and no ingests/)"])
    assert check(tmp_path / "nope") == (1, "", [f"error: {tmp_path / 'nope'}: does not exist; nothing to check"])


# ---- damaged ingests: named, then moved aside --------------------------------------------------------


def _damage(ingest: Path, how: str) -> tuple[Path, str]:
    """Damage one ingest; the path and the problem check must report."""
    messages, summary, rejects = ingest / "messages.parquet", ingest / "summary.json", ingest / "rejects.ndjson"
    if how == "truncated":
        messages.write_bytes(messages.read_bytes()[:-100])
        return messages, "damaged or not a Parquet file (parquet: File out of specification: The file must end with PAR1 or PARE)"
    if how == "empty":
        messages.write_bytes(b"")
        return messages, "empty (0 bytes): not a Parquet file"
    if how == "stray parquet":
        pl.DataFrame({"a": [1, 2]}).write_parquet(messages)
        return messages, "not a messages file (no column platform, message_id, created_at, is_brand)"
    if how == "deleted":
        messages.unlink()
        return messages, "missing (the ingest's messages were deleted?)"
    if how == "damaged page":  # the footer is fine: only decoding the pages finds it
        data = bytearray(messages.read_bytes())
        col = pq.read_metadata(messages).row_group(0).column(4)  # text
        data[col.data_page_offset + 8: col.data_page_offset + col.total_compressed_size - 2] = b"\xab" * (col.total_compressed_size - 10)
        messages.write_bytes(bytes(data))
        return messages, "damaged (Couldn't deserialize thrift: Variable-length int over 10 bytes.)"
    value = json.loads(summary.read_text())
    if how == "summary":
        summary.write_text('{"read": 3')
        return summary, "damaged (Expecting ',' delimiter: line 1 column 11 (char 10))"
    if how == "no sha":
        value["sha256"] = ""
        summary.write_text(json.dumps(value))
        return summary, "no SHA-256 of the source file recorded"
    if how == "row count":
        value["stored"] += 1
        value["read"] += 1
        summary.write_text(json.dumps(value))
        return messages, f"holds {value['stored'] - 1:,} messages; its summary says {value['stored']:,} were stored"
    if how == "unbalanced":
        value["read"] += 5
        summary.write_text(json.dumps(value))
        return summary, f"counts do not add up (read {value['read']:,} is not stored {value['stored']:,} + duplicates 0 + rejected 0)"
    if how == "rejects":
        rejects.write_text('{"source_file": "x", "record": 1}\n{"bad\n')
        return rejects, "line 2 damaged (Invalid control character at: line 1 column 6 (char 5))"
    raise AssertionError(how)


DAMAGE = ["truncated", "empty", "stray parquet", "deleted", "damaged page", "summary", "no sha", "row count", "unbalanced", "rejects"]


@pytest.mark.parametrize("how", DAMAGE)
def test_damage_is_named_with_its_path_and_repair_moves_the_ingest_aside(tmp_path: Path, how: str) -> None:
    store, golden, ok = two_ingests(tmp_path)
    bad, what = _damage(ok, how)
    kept = tree(ok)
    assert check(store) == (1, "", [f"{bad}: {what}", f"error: {store}: 1 problem(s) found; {fix_hint(store)}"])
    code, out, err = check(store, "--repair")
    (quarantined,) = (store / "quarantine").glob("*/" + ok.name)
    assert (code, out, err) == (0, "", [f"moved {ok} to {quarantined}", f"{store}: 1 ingest(s), 19 messages: no problems found"])
    assert tree(quarantined) == kept  # moved whole, nothing deleted
    assert [f.parent for f in bm.open_store(store).message_files()] == [golden]
    assert check(store) == (0, "", [f"{store}: 1 ingest(s), 19 messages: no problems found"])


def test_json_summary_on_stdout_lists_each_problem(tmp_path: Path) -> None:
    store, golden, ok = two_ingests(tmp_path)
    _damage(ok, "empty")
    (golden / "summary.json").write_text("[]")
    code, out, err = check(store, "--format", "json")
    assert code == 1 and err[-1] == f"error: {store}: 2 problem(s) found; {fix_hint(store)}"
    assert json.loads(out) == {
        "store": str(store), "ok": False, "ingests": 2, "messages": 0, "moved": [],
        "problems": [
            {"path": str(golden / "summary.json"), "problem": "damaged (not a JSON object)", "repair": f"move {golden.name} to the quarantine"},
            {"path": str(ok / "messages.parquet"), "problem": "empty (0 bytes): not a Parquet file", "repair": f"move {ok.name} to the quarantine"},
        ],
    }


# ---- the store itself: marker and ingests/ -----------------------------------------------------------


@pytest.mark.parametrize(("content", "what"), [
    (None, "missing: every command refuses the store"),
    ("", "empty (a first ingest cut short?)"),
    ('{"form', "damaged (Unterminated string starting at: line 1 column 2 (char 1))"),
    ('{"format": "something else", "version": 1}', "damaged (not a social-care-benchmark store marker)"),
])
def test_damaged_marker_is_rewritten_and_the_store_opens(tmp_path: Path, content: str | None, what: str) -> None:
    store, _, _ = two_ingests(tmp_path)
    marker = store / "benchmark-store.json"
    marker.unlink()
    if content is not None:
        marker.write_text(content)
    assert check(store) == (1, "", [f"{marker}: {what}", f"error: {store}: 1 problem(s) found; {fix_hint(store)}"])
    code, _, err = check(store, "--repair")
    assert code == 0 and err[-1] == f"{store}: 2 ingest(s), 21 messages: no problems found"
    assert marker.read_text() == '{"format": "social-care-benchmark store", "version": 1}\n'
    if content is not None:
        (old,) = (store / "quarantine").glob("*/benchmark-store.json")
        assert old.read_text() == content and err[0] == f"moved {marker} to {old}"
    assert bm.open_store(store).messages().height == 21


def test_newer_store_version_is_refused(tmp_path: Path) -> None:
    store, _, _ = two_ingests(tmp_path)
    (store / "benchmark-store.json").write_text('{"format": "social-care-benchmark store", "version": 99}')
    assert check(store, "--repair") == (
        1, "", [f"error: {store}: written by a newer social-care-benchmark (store version 99); this version cannot check it"])


@pytest.mark.parametrize("how", ["missing", "file"])
def test_lost_ingests_folder_is_reported_and_never_recreated(tmp_path: Path, how: str) -> None:
    store, _, _ = two_ingests(tmp_path)
    shutil.rmtree(store / "ingests")
    if how == "file":
        (store / "ingests").write_text("not a folder")
    what = "is missing" if how == "missing" else "is not a directory"
    line = f"{store / 'ingests'}: {what}: the store's messages are lost; --repair cannot bring them back (restore ingests/ from a backup)"
    assert check(store) == (1, "", [line, f"error: {store}: 1 problem(s) found"])
    assert check(store, "--repair") == (1, "", [line, f"error: {store}: 1 problem(s) that --repair cannot fix (see above)"])
    assert not (store / "ingests").is_dir()  # never recreated empty: that would hide the loss


# ---- duplicates across ingest directories ------------------------------------------------------------


def test_copies_and_strays_are_named_and_moved_aside(tmp_path: Path) -> None:
    store, golden, _ = two_ingests(tmp_path)
    copy = golden.with_name(golden.name + " copy")
    shutil.copytree(golden, copy)
    notes = store / "ingests" / "notes.txt"
    notes.write_text("mine")
    code, _, err = check(store)
    assert (code, err) == (1, [
        f"{notes}: not an ingest directory (a file); every command ignores it",
        f"{copy}: a copy of {golden.name} (its summary.json names the same ingest); every command skips it",
        f"error: {store}: 2 problem(s) found; {fix_hint(store)}",
    ])
    code, _, err = check(store, "--repair")
    (q,) = (store / "quarantine").iterdir()
    assert (code, err) == (0, [f"moved {notes} to {q / notes.name}", f"moved {copy} to {q / copy.name}",
                               f"{store}: 2 ingest(s), 21 messages: no problems found"])


def test_a_lone_renamed_copy_gets_its_name_back(tmp_path: Path) -> None:
    store, golden, _ = two_ingests(tmp_path)
    renamed = golden.with_name(golden.name + " (1)")
    golden.rename(renamed)
    code, _, err = check(store)
    assert code == 1 and err[0].startswith(f"{renamed}: not an ingest directory (its name is not ingest=<id>); its summary.json names ingest ")
    assert check(store, "--repair") == (0, "", [f"moved {renamed} to {golden}", f"{store}: 2 ingest(s), 21 messages: no problems found"])


def _twcs(path: Path, ids: range) -> Path:
    """Customer requests of the fictional brand Lumenfone, each answered 3 minutes later."""
    rows = ["tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"]
    for i in ids:
        rows.append(f"{2 * i},c{i},True,Tue Oct 03 09:00:00 +0000 2017,@Lumenfone no signal,,")
        rows.append(f"{2 * i + 1},Lumenfone,False,Tue Oct 03 09:03:00 +0000 2017,@c{i} on it,,{2 * i}")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_messages_held_by_two_ingests_are_found(tmp_path: Path) -> None:
    """Two stores merged by copying folders, with different files that overlap: reads cannot see it, check does."""
    store, other = tmp_path / "st", tmp_path / "other"
    bm.ingest([_twcs(tmp_path / "jan.csv", range(10))], store=bm.create_store(store))
    bm.ingest([_twcs(tmp_path / "early.csv", range(4))], store=bm.create_store(other))  # all 8 in jan.csv too
    bm.ingest([_twcs(tmp_path / "jan-feb.csv", range(6, 15))], store=other)  # 8 of its 18 in jan.csv
    (mine,) = (store / "ingests").glob("ingest=*")
    subset, overlap = sorted((other / "ingests").glob("ingest=*"))
    for d in (subset, overlap):
        shutil.copytree(d, store / "ingests" / d.name)
    subset, overlap = store / "ingests" / subset.name, store / "ingests" / overlap.name
    partial = (f"{overlap / 'messages.parquet'}: 8 of its 18 messages are also in {mine.name}: every command counts them twice; "
               "--repair cannot split it (move it aside by hand and ingest its source file again)")
    code, _, err = check(store)
    assert (code, err) == (1, [
        f"{subset / 'messages.parquet'}: all 8 messages are also in {mine.name} (a copy, or two stores merged?): every command counts them twice",
        partial,
        f"error: {store}: 2 problem(s) found; {fix_hint(store)}",
    ])
    code, _, err = check(store, "--repair")
    (q,) = (store / "quarantine").iterdir()
    assert (code, err) == (1, [f"moved {subset} to {q / subset.name}", partial, f"error: {store}: 1 problem(s) that --repair cannot fix (see above)"])


# ---- real processes: the hint other commands give is true, and the store opens after --repair ----------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BENCHMARK, *args], check=False, env=ENV, capture_output=True, text=True, timeout=300)


def test_the_check_that_other_commands_suggest_finds_the_file_and_repair_makes_rank_work(tmp_path: Path) -> None:
    store, _, ok = two_ingests(tmp_path)
    _damage(ok, "damaged page")  # a good footer: rank meets it only when it decodes the data
    rank = run("rank", "--store", str(store), "--format", "json")
    assert rank.returncode == 1 and rank.stdout == ""
    assert rank.stderr == (f"error: {store}: a stored file cannot be decoded (parquet: File out of specification: Invalid thrift: transport error); "
                           f"run 'benchmark check --store {store}' to see what is wrong\n")
    checked = run("check", "--store", str(store))
    assert checked.returncode == 1 and checked.stdout == ""
    assert checked.stderr.splitlines()[0] == f"{ok / 'messages.parquet'}: damaged (Couldn't deserialize thrift: Variable-length int over 10 bytes.)"
    repaired = run("check", "--store", str(store), "--repair", "--format", "json")
    assert repaired.returncode == 0, repaired.stderr
    summary = json.loads(repaired.stdout)
    assert summary["ok"] is True and [m["from"] for m in summary["moved"]] == [str(ok)]
    rank = run("rank", "--store", str(store), "--format", "json", "--min-requests", "1")
    assert rank.returncode == 0, rank.stderr
    assert {r["brand"]: r["requests"] for r in json.loads(rank.stdout)} == {"AcmeTel": 3, "BetaBank": 3}


def test_repair_waits_for_no_ingest(tmp_path: Path) -> None:
    import fcntl

    store, _, ok = two_ingests(tmp_path)
    _damage(ok, "empty")
    with (store / ".lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, _, err = check(store, "--repair")
    assert (code, err) == (1, [f"error: {store}: another ingest is writing to this store; try again when it ends"])
    assert ok.is_dir()


def test_an_ingest_renamed_under_a_valid_name_is_read_and_gets_its_name_back(tmp_path: Path) -> None:
    store, golden, _ = two_ingests(tmp_path)
    renamed = golden.with_name(golden.name + "-old")  # a valid ingest=<id> name, but not the one its summary names
    golden.rename(renamed)
    assert bm.open_store(store).messages().height == 21  # still read, once
    ident, other = golden.name.removeprefix("ingest="), renamed.name.removeprefix("ingest=")
    assert check(store) == (1, "", [f"{renamed / 'summary.json'}: names ingest {ident}, not the directory's {other}",
                                    f"error: {store}: 1 problem(s) found; {fix_hint(store)}"])
    assert check(store, "--repair") == (0, "", [f"moved {renamed} to {golden}", f"{store}: 2 ingest(s), 21 messages: no problems found"])


def test_duckdb_engine_meeting_a_damaged_page_points_to_check(tmp_path: Path) -> None:
    store, _, ok = two_ingests(tmp_path)
    _damage(ok, "damaged page")
    rank = run("rank", "--store", str(store), "--engine", "duckdb", "--format", "json")
    assert (rank.returncode, rank.stdout) == (1, "")
    assert rank.stderr == (f"error: {store}: a stored file cannot be decoded (Variable-length int over 10 bytes.); "
                           f"run 'benchmark check --store {store}' to see what is wrong\n")

"""The store: idempotent ingest, atomic commits, a lock, and Parquet any reader can open."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

import benchmark as bm
from benchmark.errors import StoreError
from benchmark.loaders import twcs
from benchmark.store import INGESTS

GOLDEN_TWCS = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"


def test_ingest_twice_adds_nothing(tmp_path):
    store = bm.create_store(tmp_path / "s")
    first = bm.ingest(GOLDEN_TWCS, store=store)[0]
    second = bm.ingest(GOLDEN_TWCS, store=store)[0]
    assert (first.read, first.stored, first.duplicates, first.rejected) == (19, 19, 0, 0)
    assert (second.read, second.stored, second.duplicates) == (19, 0, 19)
    assert second.ingest_id is None and "already ingested" in second.notes[0]
    assert len(store.message_files()) == 1
    assert store.messages().height == 19


def test_a_copy_under_another_name_is_deduplicated_by_message_id(tmp_path):
    copy = tmp_path / "copy.csv"
    shutil.copy(GOLDEN_TWCS, copy)
    store = bm.create_store(tmp_path / "s")
    bm.ingest(GOLDEN_TWCS, store=store)
    r = bm.ingest(copy, store=store)[0]
    assert (r.stored, r.duplicates) == (0, 19)
    assert store.messages().height == 19


def test_store_is_plain_parquet(golden_store):
    glob = str(golden_store.path / "ingests" / "*" / "messages.parquet")
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0][0]
    assert n == 19
    frame = pd.read_parquet(golden_store.message_files()[0])
    assert str(frame["created_at"].dtype) == "datetime64[us, UTC]"
    assert golden_store.scan().collect_schema()["created_at"] == pl.Datetime("us", "UTC")


def test_failed_ingest_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    store = bm.create_store(tmp_path / "s")
    bm.ingest(GOLDEN_TWCS, store=store)
    before = sorted(p.relative_to(store.path) for p in store.path.rglob("*"))

    def exploding(raw, source):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-ingest

    monkeypatch.setattr(twcs, "parse_twcs", exploding)
    other = tmp_path / "other.csv"
    other.write_text(GOLDEN_TWCS.read_text().replace("100,c1", "1000,c1"))
    with pytest.raises(KeyboardInterrupt):
        bm.ingest(other, store=store)
    after = sorted(p.relative_to(store.path) for p in store.path.rglob("*"))
    assert after == before
    assert store.messages().height == 19


def test_leftover_staging_from_a_killed_ingest_is_ignored_and_cleaned(tmp_path):
    store = bm.create_store(tmp_path / "s")
    staging = store.path / INGESTS / ".staging-deadbeef"
    staging.mkdir()
    (staging / "messages.parquet").write_bytes(b"half a file")
    assert store.message_files() == []
    bm.ingest(GOLDEN_TWCS, store=store)
    assert not staging.exists()
    assert store.messages().height == 19


def _hold_lock(path: str, ready, release) -> None:  # pragma: no cover - runs in a child process
    store = bm.open_store(path)
    with store._write_lock():
        ready.set()
        release.wait(10)


def test_a_second_writer_gets_a_clear_message(tmp_path):
    store = bm.create_store(tmp_path / "s")
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_lock, args=(str(store.path), ready, release))
    child.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreError, match="another ingest is writing to this store"):
            bm.ingest(GOLDEN_TWCS, store=store)
    finally:
        release.set()
        child.join(10)
    assert bm.ingest(GOLDEN_TWCS, store=store)[0].stored == 19


def test_rejects_are_written_beside_the_store_with_reasons(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,hi @Acme,,\n"
        "2,Acme,False,yesterday,hello,,1\n"
        "3,c1,maybe,Mon Oct 02 10:00:00 +0000 2017,?,,\n"
        "4,c1,True,Mon Oct 02 10:00:00 +0000 2017,?,,1.23E+17\n"
    )
    store = bm.create_store(tmp_path / "s")
    r = bm.ingest(bad, store=store)[0]
    assert (r.read, r.stored, r.duplicates, r.rejected) == (4, 1, 0, 3)
    rejects = store.rejects().sort("record")
    assert rejects["record"].to_list() == [2, 3, 4]
    reasons = rejects["reason"].to_list()
    assert "created_at yesterday is not like" in reasons[0]
    assert reasons[1] == "inbound maybe is not true/false"
    assert "scientific notation" in reasons[2]
    summary = json.loads(next(store.path.glob("ingests/*/summary.json")).read_text())
    assert summary["rejected"] == 3 and summary["read"] == 4


def test_open_store_refuses_other_directories(tmp_path):
    with pytest.raises(StoreError, match="not a benchmark store"):
        bm.open_store(tmp_path)
    (tmp_path / "x.txt").write_text("mine")
    with pytest.raises(StoreError, match="not empty"):
        bm.create_store(tmp_path)


def test_a_thread_split_across_two_files_is_joined_in_the_store(tmp_path):
    header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    part1 = tmp_path / "part1.csv"  # the request, exported before the brand answered
    part1.write_text(header + "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel help,,\n")
    part2 = tmp_path / "part2.csv"  # the answer, in a later export: its parent is not in this file
    part2.write_text(header + "2,AcmeTel,False,Mon Oct 02 10:09:00 +0000 2017,@c1 fixed,,1\n")
    store = bm.create_store(tmp_path / "s")
    bm.ingest([part1, part2], store=store)
    facts = bm.requests(store)
    assert facts.select("request_id", "brand", "response_id", "frt_s").rows() == [("1", "AcmeTel", "2", 540.0)]
    assert bm.measurement(store).diagnostics.missing_parents == 0


def test_directories_expand_to_the_export_files_inside(tmp_path):
    folder = tmp_path / "exports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(GOLDEN_TWCS, folder / "sub" / "golden.csv")
    (folder / "README.md").write_text("not an export")
    (folder / ".hidden.csv").write_text("ignored")
    reports = bm.ingest(folder, store=tmp_path / "s")
    assert [Path(r.source_file).name for r in reports] == ["golden.csv"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(bm.InputError, match="directory holds no export files"):
        bm.ingest(empty, store=tmp_path / "s")


def test_many_files_in_one_ingest_read_the_store_keys_once_and_deduplicate_across_files(tmp_path, monkeypatch):
    """The duplicate check is carried from file to file: the store's keys are read and hashed once per
    ingest call (not once per file), and a message repeated in a later file of the same call, or already
    in the store, is still a duplicate, with a different version of it counted as a conflict."""
    from benchmark.store.layout import Store

    header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    store = bm.create_store(tmp_path / "s")
    bm.ingest(GOLDEN_TWCS, store=store)
    first_golden = GOLDEN_TWCS.read_text().splitlines()[1]
    files = []
    for k in range(3):
        f = tmp_path / f"part{k}.csv"
        rows = [f"{9100 + k},c{k},True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel help {k},,"]
        if k:  # the message of the file before, once more, and once with another text
            rows.append(f"{9099 + k},c{k - 1},True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel help {k - 1},,")
            rows.append(f"{9099 + k},c{k - 1},True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel changed,,")
        rows.append(first_golden)  # already in the store
        f.write_text(header + "\n".join(rows) + "\n")
        files.append(f)
    scans = []
    real_scan = Store.scan
    monkeypatch.setattr(Store, "scan", lambda self, *a, **k: scans.append(1) or real_scan(self, *a, **k))
    reports = bm.ingest(files, store=store)
    assert len(scans) == 1
    assert [(r.read, r.stored, r.duplicates) for r in reports] == [(2, 1, 1), (4, 1, 3), (4, 1, 3)]
    assert [sum("different content" in n for n in r.notes) for r in reports] == [0, 1, 1]
    assert store.messages().height == 19 + 3

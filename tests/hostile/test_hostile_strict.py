"""Issue 12 item 10: ``--strict`` is all or nothing for the whole command, and says so.

Before, ``--strict`` exited 1 after the good records and the rejects were committed, and with several
files the first was committed before the second's rejects showed. Synthetic TWCS files (AcmeTel).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import benchmark as bm
from benchmark.store.ingest import StrictRejectError
from test_hostile_store import BENCHMARK, ENV, message_ids, write_twcs

HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
WHEN = "Mon Oct 02 10:00:00 +0000 2017"


def write_bad(path: Path) -> Path:
    """Two good tweets and two rejected ones (an id in scientific notation, a time that is no time)."""
    path.write_text(HEADER + f"500,c5,True,{WHEN},@AcmeTel hello,,\n1.2E+17,c6,True,{WHEN},@AcmeTel lost digits,,\n"
                    f"501,c7,True,yesterday,@AcmeTel when?,,\n502,AcmeTel,False,{WHEN},@c5 hi,,500\n", encoding="utf-8")
    return path


def ingest(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BENCHMARK, "ingest", *args, "--store", str(store)], env=ENV, capture_output=True, text=True)


@pytest.fixture()
def store_with_one_ingest(tmp_path: Path) -> Path:
    store = tmp_path / "st"
    assert ingest(store, str(write_twcs(tmp_path / "old.csv", 6))).returncode == 0
    return store


@pytest.mark.parametrize("bad_first", [False, True])
def test_strict_with_a_reject_in_any_file_commits_no_file(tmp_path: Path, store_with_one_ingest: Path, bad_first: bool) -> None:
    store = store_with_one_ingest
    before = sorted(p.name for p in (store / "ingests").iterdir())
    good, bad = write_twcs(tmp_path / "good.csv", 20, first_id=100), write_bad(tmp_path / "bad.csv")
    result = ingest(store, *(map(str, (bad, good) if bad_first else (good, bad))), "--strict")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == f"error: --strict: 2 record(s) rejected in {bad} (2); nothing was committed from any of the 2 files, the store is unchanged"
    assert any(line.startswith(f"{bad}: 2 rejected (") and line.endswith("; not committed (--strict)") for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (store / "ingests").iterdir()) == before  # no ingest, no staging left
    assert message_ids(store) == {str(i) for i in range(1, 7)}


def test_strict_failure_into_a_new_store_leaves_no_store(tmp_path: Path) -> None:
    store = tmp_path / "new"
    result = ingest(store, str(write_bad(tmp_path / "bad.csv")), "--strict")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"error: --strict: 2 record(s) rejected in {tmp_path / 'bad.csv'} (2); nothing was committed from the file, the store is unchanged"
    assert not store.exists()


def test_strict_without_rejects_commits_every_file_once(tmp_path: Path, store_with_one_ingest: Path) -> None:
    store = store_with_one_ingest
    a = write_twcs(tmp_path / "a.csv", 20, first_id=100)
    b = write_twcs(tmp_path / "b.csv", 30, first_id=110)  # 10 of its tweets are also in a.csv
    result = ingest(store, str(a), str(b), "--strict")
    assert result.returncode == 0, result.stderr
    summaries = {s["source_file"]: s for s in bm.open_store(store).summaries()}
    assert (summaries[str(a)]["stored"], summaries[str(b)]["stored"], summaries[str(b)]["duplicates"]) == (20, 20, 10)
    assert message_ids(store) == {str(i) for i in [*range(1, 7), *range(100, 140)]}


def test_strict_in_the_api_is_all_or_nothing_too(tmp_path: Path, store_with_one_ingest: Path) -> None:
    store = store_with_one_ingest
    good, bad = write_twcs(tmp_path / "good.csv", 20, first_id=100), write_bad(tmp_path / "bad.csv")
    with pytest.raises(StrictRejectError) as caught:
        bm.ingest([good, bad], store, strict=True)
    assert [(r.source_file, r.stored, r.rejected, r.ingest_id) for r in caught.value.reports] == [(str(good), 20, 0, None), (str(bad), 2, 2, None)]
    assert isinstance(caught.value, bm.BenchmarkError)
    assert message_ids(store) == {str(i) for i in range(1, 7)}
    reports = bm.ingest([good], store, strict=True)
    assert reports[0].ingest_id is not None and len(message_ids(store)) == 26

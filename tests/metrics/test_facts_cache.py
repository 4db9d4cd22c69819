"""The derived facts cache: a repeated question reads it, a new ingest invalidates it, damage only costs time."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import benchmark as bm
from benchmark import metrics
from benchmark.metrics import Filters, MetricOptions, measure

GOLDEN = Path(__file__).parent.parent / "fixtures" / "twcs" / "golden.csv"
HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"


# Synthetic: a thread where the customer writes again after each answer (two waits, one answered), beside the golden fixture.
WAITS = HEADER + "".join(
    f"{i},{who},{who != 'AcmeTel'},Tue Oct 03 10:{m:02d}:00 +0000 2017,{text},,{'' if i == 5000 else i - 1}\n"
    for i, who, m, text in (
        (5000, "c7", 0, "@AcmeTel no signal"), (5001, "AcmeTel", 5, "@c7 Sorry! Restart please ^JS"),
        (5002, "c7", 9, "@AcmeTel still nothing"), (5003, "AcmeTel", 30, "@c7 Fixed now ^JS"), (5004, "c7", 41, "@AcmeTel it dropped again"),
    )
)


def _entries(store: Path) -> list[Path]:
    return sorted(p for p in (store / "derived" / "facts-v1").iterdir() if not p.name.startswith("."))


def _no_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> object:
        raise AssertionError("threads resolved again: the cache was not used")

    monkeypatch.setattr(metrics, "with_threads", refuse)


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_second_measurement_reads_the_cache_and_gives_the_same_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    bm.ingest([GOLDEN], store=tmp_path / "s")
    st = bm.open_store(tmp_path / "s")
    first = measure(st, engine=engine)
    filtered = measure(st, Filters(brands=("AcmeTel",)), engine=engine)
    assert len(_entries(tmp_path / "s")) == 1
    _no_threads(monkeypatch)
    again = measure(st, engine=engine)
    assert again.table.equals(first.table) and again.facts.equals(first.facts)
    assert again.diagnostics == first.diagnostics
    refiltered = measure(st, Filters(brands=("AcmeTel",)), engine=engine)  # other filters: same entry
    assert refiltered.table.equals(filtered.table) and refiltered.diagnostics == filtered.diagnostics


def test_a_new_ingest_invalidates_and_old_entries_are_removed(tmp_path: Path) -> None:
    bm.ingest([GOLDEN], store=tmp_path / "s")
    st = bm.open_store(tmp_path / "s")
    first = measure(st).diagnostics
    first_messages, first_unattributed = first.messages, first.unattributed_requests
    old = _entries(tmp_path / "s")
    extra = tmp_path / "more.csv"
    extra.write_text(HEADER + "987654321,c9,True,Mon Oct 30 10:00:00 +0000 2017,@AcmeTel still broken,,\n", encoding="utf-8")
    bm.ingest([extra], store=st)
    after = measure(st)
    assert after.diagnostics.messages == first_messages + 1
    assert after.diagnostics.unattributed_requests == first_unattributed + 1  # @AcmeTel is no known account in that file
    import shutil

    shutil.rmtree(tmp_path / "s" / "derived")
    fresh = measure(st)
    assert fresh.table.equals(after.table) and fresh.diagnostics == after.diagnostics
    new = _entries(tmp_path / "s")
    assert old[0] not in new and len({p.name.split("-")[0] for p in new}) == 1


def test_options_that_change_facts_get_their_own_entry(tmp_path: Path) -> None:
    bm.ingest([GOLDEN], store=tmp_path / "s")
    st = bm.open_store(tmp_path / "s")
    a = measure(st)
    b = measure(st, options=MetricOptions(min_reply_s=600))
    assert len(_entries(tmp_path / "s")) == 2
    assert a.table.get_column("answered").sum() >= b.table.get_column("answered").sum()


def test_a_damaged_entry_is_computed_again(tmp_path: Path) -> None:
    bm.ingest([GOLDEN], store=tmp_path / "s")
    st = bm.open_store(tmp_path / "s")
    first = measure(st)
    (entry,) = _entries(tmp_path / "s")
    (entry / "facts.parquet").write_bytes(b"not parquet")
    again = measure(st)
    assert again.table.equals(first.table)
    # The store itself is plain Parquet without the cache.
    assert pl.read_parquet(st.message_files()).height == first.diagnostics.messages


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_all_figures_after_a_default_ranking_reuse_its_facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    """A report after `rank` only adds deflection (read from the responses' texts), reply pairs and the
    next-reply waits (from the messages the default ranking kept for them: no second thread resolution);
    the requests' facts are reused, with the same figures as fresh."""
    (tmp_path / "waits.csv").write_text(WAITS, encoding="utf-8")
    bm.ingest([GOLDEN, tmp_path / "waits.csv"], store=tmp_path / "s")
    st = bm.open_store(tmp_path / "s")
    fresh = measure(st, engine=engine)  # extended
    assert fresh.table.get_column("waits").sum() == 2 and fresh.table.get_column("waits_unanswered").sum() == 1  # the fixture has waits: the check below is not vacuous
    import shutil

    shutil.rmtree(tmp_path / "s" / "derived")
    measure(st, engine=engine, options=MetricOptions(extended=False))
    assert [p.name for p in (_entries(tmp_path / "s")[0]).iterdir() if p.suffix == ".parquet"].count("wait_inputs.parquet") == 1

    def refuse(*_a: object, **_k: object) -> object:
        raise AssertionError("facts computed again: the default ranking's cache entry was not used")

    monkeypatch.setattr(metrics, "facts_and_unattributed", refuse)
    _no_threads(monkeypatch)
    upgraded = measure(st, engine=engine)
    assert upgraded.table.equals(fresh.table) and upgraded.facts.equals(fresh.facts)
    assert upgraded.table.get_column("deflected").sum() == fresh.table.get_column("deflected").sum() > 0
    assert len(_entries(tmp_path / "s")) == 2
    assert not (_entries(tmp_path / "s")[0] / "wait_inputs.parquet").exists() or not (_entries(tmp_path / "s")[1] / "wait_inputs.parquet").exists()


def test_a_default_entry_without_wait_inputs_resolves_the_threads_for_the_waits(tmp_path: Path) -> None:
    """An entry written before the wait inputs were kept (or with them damaged) still gives the same figures."""
    (tmp_path / "waits.csv").write_text(WAITS, encoding="utf-8")
    bm.ingest([GOLDEN, tmp_path / "waits.csv"], store=tmp_path / "s")
    st = bm.open_store(tmp_path / "s")
    fresh = measure(st)
    import shutil

    shutil.rmtree(tmp_path / "s" / "derived")
    measure(st, options=MetricOptions(extended=False))
    (entry,) = _entries(tmp_path / "s")
    (entry / "wait_inputs.parquet").write_bytes(b"not parquet")
    upgraded = measure(st)
    assert upgraded.table.equals(fresh.table) and fresh.table.get_column("waits").sum() == 2

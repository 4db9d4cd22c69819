"""Periods with change vs the previous one, sector peer groups, and the `benchmark requests` export (synthetic)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from test_metrics_builders import messages
from typer.testing import CliRunner

import benchmark as bm
from benchmark.brands import parse_brands
from benchmark.cli import app
from benchmark.metrics import MetricOptions, measure
from benchmark.rank import rank_table

BOOK = parse_brands(
    """
[[brand]]
name = "Tele Uno"
sector = "telco"
accounts = ["twitter:TeleUno"]
[[brand]]
name = "Tele Due"
sector = "telco"
accounts = ["twitter:TeleDue"]
[[brand]]
name = "Banca Tre"
sector = "banking"
accounts = ["twitter:BancaTre"]
""",
    "peers.toml",
)


def _req(rid: str, brand: str, when: datetime, frt: float | None) -> list[tuple]:
    rows = [(rid, None, f"u{rid}", False, brand, when)]
    if frt is not None:
        rows.append((f"{rid}r", rid, brand, True, brand, when + timedelta(seconds=frt)))
    return rows


def _rows() -> list[tuple]:
    jan, feb = datetime(2024, 1, 10, 10, tzinfo=UTC), datetime(2024, 2, 12, 10, tzinfo=UTC)
    return (
        _req("1", "TeleUno", jan, 60) + _req("2", "TeleUno", jan + timedelta(days=1), 120) + _req("3", "TeleUno", feb, 300)
        + _req("4", "TeleDue", jan, 600) + _req("5", "TeleDue", feb, 30)
        + _req("6", "BancaTre", jan, 1000) + _req("7", "BancaTre", feb, None)
    )


def test_monthly_rows_with_change(engine):
    m = measure(messages(_rows()), engine=engine, options=MetricOptions(period="month", brands=BOOK))
    uno = m.table.filter(pl.col("brand") == "Tele Uno").select(
        "period", "requests", "frt_median_s", "previous_period", "frt_median_change_s", "requests_change"
    ).rows()
    # January: FRTs [60, 120] → median 90; February: [300] → +210 s, one request fewer.
    assert uno == [("2024-01", 2, 90.0, None, None, None), ("2024-02", 1, 300.0, "2024-01", 210.0, -1.0)]
    q = measure(messages(_rows()), engine=engine, options=MetricOptions(period="quarter", brands=BOOK)).table
    assert q.filter(pl.col("brand") == "Tele Uno").select("period", "requests").rows() == [("2024-Q1", 3)]


def test_ranks_within_period_and_sector():
    m = measure(messages(_rows()), options=MetricOptions(period="month", brands=BOOK))
    feb = rank_table(m.table, min_requests=1).filter(pl.col("period") == "2024-02")
    # February medians: Tele Due 30 s, Tele Uno 300 s; Banca Tre has no answered request: unranked.
    assert feb.select("rank", "brand").rows() == [(1, "Tele Due"), (2, "Tele Uno"), (None, "Banca Tre")]
    assert "frt_median_change_s" in feb.columns
    whole = measure(messages(_rows()), options=MetricOptions(brands=BOOK)).table
    by_sector = rank_table(whole, min_requests=1, group_by="sector")
    # Whole period: Tele Uno [60, 120, 300] → 120; Tele Due [600, 30] → 315; Banca Tre [1000] → 1000.
    assert by_sector.select("sector", "rank", "brand", "sector_median").rows() == [
        ("banking", 1, "Banca Tre", 1000.0), ("telco", 1, "Tele Uno", 217.5), ("telco", 2, "Tele Due", 217.5)
    ]
    with pytest.raises(bm.UsageError, match="needs sectors"):
        rank_table(whole.drop("sector"), min_requests=1, group_by="sector")


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    messages(_rows()).write_csv(tmp_path / "m.csv")
    bm.ingest(
        [tmp_path / "m.csv"], store=bm.create_store(path), format="csv",
        mapping=bm.ColumnMapping(message_id="message_id", created_at="created_at", author_id="author_id",
                                 parent_id="parent_id", brand="brand", is_brand="is_brand", platform="platform", text="text"),
    )
    (tmp_path / "peers.toml").write_text(
        '[[brand]]\nname = "Tele Uno"\nsector = "telco"\naccounts = ["twitter:TeleUno"]\n'
        '[brand.hours]\nwed = "09:00-18:00"\n', encoding="utf-8"
    )
    return path


def test_requests_export_csv_json_parquet(tmp_path):
    store = _store(tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["requests", "--store", str(store), "--brands", str(tmp_path / "peers.toml"), "--brand", "Tele Uno"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("brand,sector,platform,request_id,author_id,request_at,response_id,response_at,frt_s,bh_frt_s,status")
    assert len(lines) == 4  # header + Tele Uno's 3 requests
    # Request 1: Wed 10 Jan 10:00 UTC = 11:00 Rome, answered 60 s later, desk open Wed 09–18 → bh 60 s.
    # Columns after status: deflected, in_hours, night, weekend, slot, period (none asked), thread_status.
    assert lines[1] == "Tele Uno,telco,twitter,1,u1,2024-01-10T10:00:00+00:00,1r,2024-01-10T10:01:00+00:00,60.0,60.0,answered,false,true,false,false,office,,ok"
    res = runner.invoke(app, ["requests", "--store", str(store), "--format", "json", "--status", "unanswered", "--open-window", "0"])
    assert res.exit_code == 0, res.output
    assert [r["request_id"] for r in json.loads(res.stdout)] == ["7"]
    out = tmp_path / "req.parquet"
    res = runner.invoke(app, ["requests", "--store", str(store), "--format", "parquet", "--output", str(out)])
    assert res.exit_code == 0 and pl.read_parquet(out).height == 7
    assert "wrote 7 requests" in res.stderr
    res = runner.invoke(app, ["requests", "--store", str(store), "--format", "parquet"])
    assert res.exit_code == 2 and "--output" in res.stderr


def test_rank_cli_new_options(tmp_path):
    store = _store(tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--figures", "all", "--format", "json",
                              "--open-window", "72h", "--period", "month"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {"rank_low", "rank_high", "tie", "km_median_s", "bh_frt_median_s", "frt_median_ci_low_s", "period"} <= set(rows[0])
    res = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--figures", "all"])
    assert res.exit_code == 0 and "Median FRT (95% CI)" in res.stdout and "Off-hours" in res.stdout
    res = runner.invoke(app, ["rank", "--store", str(store), "--open-window", "soon"])
    assert res.exit_code == 2 and "--open-window 'soon'" in res.stderr
    res = runner.invoke(app, ["rank", "--store", str(store), "--requests", "everything"])
    assert res.exit_code == 2 and "--requests 'everything'" in res.stderr

"""Issue 6, store integrity: SIGKILL mid-ingest, concurrent ingests, hostile brand names, bounded memory.

Synthetic data (fictional brands), generated under tmp_path. Language detection is turned off in the
subprocesses (BENCHMARK_DETECT_LANGUAGE=0) so the runs stay short; it does not touch the commit logic.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
BENCHMARK = [sys.executable, "-m", "benchmark"]
ENV = {**os.environ, "BENCHMARK_DETECT_LANGUAGE": "0", "COLUMNS": "200", "NO_COLOR": "1"}
runner = CliRunner()


def write_twcs(path: Path, n: int, first_id: int = 1) -> Path:
    """``n`` synthetic TWCS tweets: customer requests, every second one answered by AcmeTel 5 minutes later."""
    ids = pl.int_range(first_id, first_id + n, eager=True)
    customer = ids % 2 == 1
    df = pl.DataFrame({"tweet_id": ids}).select(
        "tweet_id",
        pl.when(customer).then(pl.format("c{}", pl.col("tweet_id"))).otherwise(pl.lit("AcmeTel")).alias("author_id"),
        pl.when(customer).then(pl.lit("True")).otherwise(pl.lit("False")).alias("inbound"),
        pl.when(customer).then(pl.lit("Mon Oct 02 10:00:00 +0000 2017")).otherwise(pl.lit("Mon Oct 02 10:05:00 +0000 2017")).alias("created_at"),
        pl.when(customer).then(pl.lit("@AcmeTel my router, again, is down")).otherwise(pl.lit("@c sorry, DM us")).alias("text"),
        pl.lit(None, pl.String).alias("response_tweet_id"),
        pl.when(customer).then(None).otherwise(pl.col("tweet_id") - 1).alias("in_response_to_tweet_id"),
    )
    df.write_csv(path)
    return path


def message_ids(store: Path) -> set[str]:
    return set(bm.open_store(store).messages()["message_id"].to_list())


# ---- SIGKILL at several points: old store, or old store + the whole file ---------------------------


def test_sigkill_during_ingest_leaves_old_or_old_plus_whole_file(tmp_path: Path) -> None:
    store = tmp_path / "st"
    old_file = write_twcs(tmp_path / "old.csv", 10)
    subprocess.run([*BENCHMARK, "ingest", str(old_file), "--store", str(store)], env=ENV, check=True, capture_output=True)
    old = message_ids(store)
    big = write_twcs(tmp_path / "big.csv", 400_000, first_id=1_000)
    whole = old | {str(i) for i in range(1_000, 401_000)}
    outcomes = []
    for delay in (0.3, 0.8, 1.3, 1.8, 2.5, 3.5):  # from interpreter start-up to the commit rename
        proc = subprocess.Popen([*BENCHMARK, "ingest", str(big), "--store", str(store)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = message_ids(store)
        assert now in (old, whole), f"half a file after a kill at {delay}s: {len(now)} messages"
        outcomes.append(now == whole)
        assert all(s["read"] == s["stored"] + s["duplicates"] + s["rejected"] for s in bm.open_store(store).summaries())
        if now == whole:
            break
    # Whatever was left behind (a staging directory, the lock file) does not stop the next ingest.
    result = runner.invoke(app, ["ingest", str(big), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert message_ids(store) == whole
    assert not list((store / "ingests").glob(".staging-*"))
    assert outcomes  # at least one kill happened


# ---- two ingests at the same time ------------------------------------------------------------------


def test_second_concurrent_ingest_gets_a_clear_message(tmp_path: Path) -> None:
    store = bm.create_store(tmp_path / "st")
    with (store.path / ".lock").open("a+") as held:  # what a running ingest holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = runner.invoke(app, ["ingest", str(HOSTILE / "twcs_ok.csv"), "--store", str(store.path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {store.path}: another ingest is writing to this store; try again when it ends"
    assert store.summaries() == []
    assert runner.invoke(app, ["ingest", str(HOSTILE / "twcs_ok.csv"), "--store", str(store.path)]).exit_code == 0


def test_two_real_processes_never_corrupt_the_store(tmp_path: Path) -> None:
    store = tmp_path / "st"
    bm.create_store(store)
    a = write_twcs(tmp_path / "a.csv", 150_000)
    b = write_twcs(tmp_path / "b.csv", 10, first_id=900_000)
    first = subprocess.Popen([*BENCHMARK, "ingest", str(a), "--store", str(store)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    second = None
    for _ in range(200):  # start the second while the first holds the lock
        time.sleep(0.05)
        second = subprocess.run([*BENCHMARK, "ingest", str(b), "--store", str(store)], env=ENV, capture_output=True, text=True)
        if second.returncode == 1 or first.poll() is not None:
            break
    first.wait(timeout=120)
    first_err = first.stderr.read() if first.stderr else ""
    assert second is not None
    # Whichever process reaches the lock second fails with one clear line; the other one stores its whole file.
    for code, err in ((first.returncode, first_err), (second.returncode, second.stderr)):
        assert code in (0, 1), err
        if code == 1:
            assert err.strip().splitlines() == [f"error: {store}: another ingest is writing to this store; try again when it ends"]
    assert 0 in (first.returncode, second.returncode)
    expected: set[str] = set()
    if first.returncode == 0:
        expected |= {str(i) for i in range(1, 150_001)}
    if second.returncode == 0:
        expected |= {str(i) for i in range(900_000, 900_010)}
    assert message_ids(store) == expected


# ---- hostile brand names: stored safely, round-trip exactly, never a path ---------------------------

HOSTILE_NAMES = [
    "../../etc",
    "a/b\\c",
    "nul\x00inside",
    "L" * 600,
    "Acme",
    "ACME",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=HYPERLINK(\"http://x\")",
]


def write_generic(path: Path) -> Path:
    """One request per brand, answered 60·(k+1) seconds later by that brand's account (synthetic)."""
    rows = []
    for k, name in enumerate(HOSTILE_NAMES):
        rows.append({"id": f"r{k}", "when": "2024-03-04T09:00:00Z", "who": f"cust{k}", "to": None, "brand": name, "own": "false", "body": f"help {name}"})
        rows.append({"id": f"a{k}", "when": f"2024-03-04T09:{k + 1:02d}:00Z", "who": name, "to": f"r{k}", "brand": name, "own": "true", "body": name})
    pl.DataFrame(rows).write_csv(path)
    return path


MAPPING = ["--map", "message_id=id", "--map", "created_at=when", "--map", "author_id=who", "--map", "parent_id=to",
           "--map", "brand=brand", "--map", "is_brand=own", "--map", "text=body"]


def test_hostile_brand_names_round_trip_and_never_become_paths(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    src = write_generic(tmp_path / "brands.csv")
    before = {p for p in tmp_path.rglob("*")}
    result = runner.invoke(app, ["ingest", str(src), *MAPPING, "--store", str(work / "st")])
    assert result.exit_code == 0, result.output
    stored = bm.open_store(work / "st").messages()
    assert sorted(set(stored["brand"].to_list())) == sorted(HOSTILE_NAMES)  # Acme and ACME stay two brands

    ranked = runner.invoke(app, ["rank", "--store", str(work / "st"), "--format", "json", "--min-requests", "1"])
    assert ranked.exit_code == 0, ranked.output
    rows = json.loads(ranked.stdout)
    assert sorted(r["brand"] for r in rows) == sorted(HOSTILE_NAMES)
    frt = {r["brand"]: r["frt_median_s"] for r in rows}
    assert all(frt[name] == 60.0 * (k + 1) for k, name in enumerate(HOSTILE_NAMES))

    report = runner.invoke(app, ["report", "--store", str(work / "st"), "--output", str(work / "r.html"), "--min-requests", "1"])
    assert report.exit_code == 0, report.output
    chart = runner.invoke(app, ["chart", "ranking", "--store", str(work / "st"), "--output", str(work / "c.svg"), "--min-requests", "1"])
    assert chart.exit_code == 0, chart.output
    # Only the store's own layout and the two named outputs were created: no name became a path.
    created = {p.relative_to(tmp_path).as_posix() for p in set(tmp_path.rglob("*")) - before}
    assert {"work/r.html", "work/c.svg"} <= created
    for p in created - {"work/r.html", "work/c.svg"}:
        assert p.startswith("work/st"), p
        parts = p.split("/")[2:]
        assert all(part in ("benchmark-store.json", ".lock", "ingests") or part.startswith("ingest=")
                   or part in ("messages.parquet", "rejects.ndjson", "summary.json")
                   or _derived_part(part) for part in parts), p
    assert not (tmp_path / "etc").exists() and not (work / "a").exists()


def _derived_part(part: str) -> bool:
    """Names of the derived caches (benchmark.metrics.cache, text.language): fixed words and hex digests."""
    import re

    return bool(re.fullmatch(r"derived|facts-v\d+|[0-9a-f]{16}-[0-9a-f]{16}|facts\.parquet|unattributed\.parquet|replies\.parquet|wait_inputs\.parquet|meta\.json"
                             r"|lang-[0-9.]+(-[a-z]{2})+-\d+-[0-9.]+(-words\d+)?|ingest=[0-9TZ]+-[0-9a-f]{8}|part-[0-9a-f]{32}\.parquet", part))


# ---- a big file streamed with bounded memory ---------------------------------------------------------

PEAK_RSS = """
import sys
from pathlib import Path
import benchmark as bm


def peak_mib():
    # VmHWM: peak RSS of this process's own address space. (ru_maxrss would include the
    # parent's peak: Linux carries it over fork and exec, which hides what this process uses.)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024


base = peak_mib()
report = bm.ingest(Path(sys.argv[1]), store=sys.argv[2], detect_language=False)[0]
print(report.read, report.stored, base, peak_mib())
"""


def _ingest_peak(tmp_path: Path, pieces: int) -> tuple[float, int]:
    """Write ``pieces`` × 300,000 tweets into one file, ingest it in a fresh process: (size MiB, peak − imports MiB)."""
    big = tmp_path / f"big{pieces}.csv"
    with big.open("wb") as fh:
        for k in range(pieces):
            head, body = write_twcs(tmp_path / "part.csv", 300_000, first_id=1 + k * 300_000).read_bytes().split(b"\n", 1)
            fh.write((head + b"\n" if k == 0 else b"") + body)
    (tmp_path / "part.csv").unlink()
    size_mb = big.stat().st_size / 1024 / 1024
    proc = subprocess.run([sys.executable, "-c", PEAK_RSS, str(big), str(tmp_path / f"st{pieces}")], env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    read, stored, base_mb, peak_mb = (int(x) for x in proc.stdout.split())
    assert (read, stored) == (pieces * 300_000, pieces * 300_000)
    big.unlink()
    return size_mb, peak_mb - base_mb


def test_large_file_is_streamed_with_bounded_memory(tmp_path: Path) -> None:
    """A whole ingest's memory grows far more slowly than the file.

    Loaders stream in blocks; the store's duplicate check keeps ~30 bytes of hashes per stored
    message (a TWCS message is ~85 bytes of CSV), so memory grows with messages, not with bytes,
    and a 2 GB file needs a few hundred MB more than a small one, not gigabytes.
    """
    small_mb, small_peak = _ingest_peak(tmp_path, 2)
    large_mb, large_peak = _ingest_peak(tmp_path, 10)
    growth = (large_peak - small_peak) / (large_mb - small_mb)
    # Reading whole would grow by more than the file (growth > 1); streaming grows by the hashes (~0.3).
    assert growth < 0.5, f"{small_mb:.0f} MiB → {small_peak} MiB, {large_mb:.0f} MiB → {large_peak} MiB above imports"
    assert large_peak < 1.5 * large_mb, f"peak {large_peak} MiB above imports for a {large_mb:.0f} MiB file"
    print(f"ingest peak above imports: {small_mb:.0f} MiB file → {small_peak} MiB; {large_mb:.0f} MiB file → {large_peak} MiB (growth {growth:.2f})")

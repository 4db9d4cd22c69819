"""Verify a store (``benchmark check``) and move what is damaged aside (``--repair``).

:func:`check_store` reads every entry of ``STORE/ingests`` and reports, with its path, what is wrong:
the marker and its version, files that cannot be read (a Parquet file is decoded whole, not only its
footer), row counts that differ from the summary, a summary without the source file's SHA-256 or with
counts that do not add up, rejects that are not JSON, copies of an ingest (see
:func:`.layout.list_ingests`) and messages that two ingests both hold. It never changes anything.

:func:`repair_store` moves damaged ingests, copies and stray entries into ``STORE/quarantine/<UTC
time>/`` (nothing is ever deleted), gives a lone renamed copy back its ``ingest=<id>`` name, rewrites a
missing or damaged marker (keeping the old one in the quarantine), and checks again. What it cannot
repair (a missing ``ingests/``, messages shared by two different ingests) is left and reported.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from ..errors import StoreError
from .layout import (
    FORMAT_VERSION,
    INGEST_PREFIX,
    INGESTS,
    KEYS,
    MARKER,
    MESSAGES_FILE,
    REJECTS_FILE,
    SUMMARY_FILE,
    Store,
    _link_problem,
    _messages_file_problem,
    _reason,
    _summary_info,
    _write_marker,
    ingest_id_of,
    list_ingests,
)

__all__ = ["CheckReport", "Problem", "QUARANTINE", "check_store", "repair_store"]

QUARANTINE = "quarantine"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_COUNTS = ("read", "stored", "duplicates", "rejected")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a store: where, what, and what ``--repair`` does about it."""

    path: Path
    what: str
    move: Path | None = None  # the entry --repair moves into the quarantine (or renames: rename_to)
    rename_to: Path | None = None  # the name --repair gives it back (an ingest under another name, its original gone)
    marker: bool = False  # or the marker --repair rewrites

    @property
    def repair(self) -> str | None:
        if self.rename_to is not None:
            return f"rename to {self.rename_to.name}"
        if self.move is not None:
            return f"move {self.move.name} to the quarantine"
        return "rewrite the marker" if self.marker else None

    def line(self) -> str:
        return f"{self.path}: {self.what}"


@dataclass
class CheckReport:
    """What :func:`check_store` found (and :func:`repair_store` moved)."""

    store: Path
    ingests: int = 0  # committed ingests read by every command
    messages: int = 0  # their messages (as read: each ingest once)
    problems: list[Problem] = field(default_factory=list)
    moved: list[tuple[Path, Path]] = field(default_factory=list)  # (from, to) by --repair

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {
            "store": str(self.store),
            "ok": self.ok,
            "ingests": self.ingests,
            "messages": self.messages,
            "problems": [{"path": str(p.path), "problem": p.what, "repair": p.repair} for p in self.problems],
            "moved": [{"from": str(a), "to": str(b)} for a, b in self.moved],
        }


def check_store(path: Path | str) -> CheckReport:
    """Everything wrong with the store at ``path`` (read-only). A StoreError only when it is no store at all."""
    path = Path(path)
    if problem := _link_problem(path):
        raise StoreError(f"{path}: {problem}; nothing to check")
    if not path.is_dir():
        raise StoreError(f"{path}: {'is not a directory' if path.exists() else 'does not exist'}; nothing to check")
    marker, ingests = path / MARKER, path / INGESTS
    if not marker.exists() and not marker.is_symlink() and not ingests.exists() and not ingests.is_symlink():
        raise StoreError(f"{path}: not a benchmark store (no {MARKER} and no {INGESTS}/)")
    report = CheckReport(path)
    report.problems += _marker_problems(path)
    if not ingests.is_dir():
        what = "is not a directory" if ingests.exists() or ingests.is_symlink() else "is missing"
        report.problems.append(Problem(ingests, f"{what}: the store's messages are lost; --repair cannot bring them back (restore {INGESTS}/ from a backup)"))
        return report
    listing = list_ingests(ingests)
    for entry, why in listing.strays:
        rename = _lone_copy_target(entry, ingests)
        report.problems.append(Problem(entry, why + "; every command ignores it", move=entry, rename_to=rename))
    for copy, _, why in listing.copies:
        report.problems.append(Problem(copy, f"{why}; every command skips it", move=copy))
    good: list[tuple[Path, int]] = []
    for d in listing.counted:
        found, rows = _ingest_problems(d)
        report.problems += found
        if not found:
            good.append((d, rows))
    report.problems += _shared_messages(good)
    report.ingests = len(listing.counted)
    report.messages = sum(rows for _, rows in good)
    return report


def repair_store(path: Path | str) -> CheckReport:
    """Move what :func:`check_store` finds damaged into the quarantine, rewrite a damaged marker, check again.

    Runs under the store's write lock, so no ingest commits meanwhile. Returns the second check, with
    what was moved.
    """
    path = Path(path)
    first = check_store(path)
    if first.ok:
        return first
    if not (path / INGESTS).is_dir():
        return first  # nothing --repair can do: not even a marker is written over lost messages
    try:
        with Store(path)._write_lock():
            moved = _repair(path, check_store(path))  # checked again, under the lock
    except OSError as exc:
        raise StoreError(f"{path / '.lock'}: cannot be locked ({exc.strerror}); nothing was repaired") from None
    after = check_store(path)
    after.moved = moved
    return after


def _repair(path: Path, report: CheckReport) -> list[tuple[Path, Path]]:
    moved: list[tuple[Path, Path]] = []
    quarantine = path / QUARANTINE / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")

    def aside(entry: Path) -> None:
        quarantine.mkdir(parents=True, exist_ok=True)
        os.rename(entry, quarantine / entry.name)
        moved.append((entry, quarantine / entry.name))

    damaged = {p.move for p in report.problems if p.move is not None and p.rename_to is None}
    for p in report.problems:
        try:
            if p.rename_to is not None and p.move is not None:
                if p.move not in damaged and p.move.exists() and not p.rename_to.exists():
                    os.rename(p.move, p.rename_to)
                    moved.append((p.move, p.rename_to))
            elif p.move is not None and (p.move.exists() or p.move.is_symlink()) and all(p.move != a for a, _ in moved):
                aside(p.move)
            elif p.marker and (p.path.exists() or p.path.is_symlink()):
                aside(p.path)
        except OSError as exc:
            raise StoreError(f"{p.path}: cannot be moved aside ({exc.strerror}); moved before it: {len(moved)}") from None
    if any(p.marker for p in report.problems):
        _write_marker(path)
    return moved


def _marker_problems(path: Path) -> list[Problem]:
    marker = path / MARKER
    if not marker.exists():
        return [Problem(marker, "missing: every command refuses the store", marker=True)]
    try:
        text = marker.read_text(encoding="utf-8")
        meta = json.loads(text) if text else None
    except (OSError, ValueError) as exc:
        return [Problem(marker, f"damaged ({_reason(exc)})", marker=True)]
    if meta is None:
        return [Problem(marker, "empty (a first ingest cut short?)", marker=True)]
    if not isinstance(meta, dict) or meta.get("format") != "social-care-benchmark store" or not isinstance(meta.get("version"), int):
        return [Problem(marker, "damaged (not a social-care-benchmark store marker)", marker=True)]
    if meta["version"] > FORMAT_VERSION:
        raise StoreError(f"{path}: written by a newer social-care-benchmark (store version {meta['version']}); this version cannot check it")
    return []


def _lone_copy_target(entry: Path, ingests: Path) -> Path | None:
    """``ingests/ingest=<id>`` for a renamed copy whose original is gone (its summary names <id>), else None."""
    if not entry.is_dir():
        return None
    ident = _summary_info(entry)[0]
    target = ingests / f"{INGEST_PREFIX}{ident}"
    return target if ident and ingest_id_of(target) == ident and not target.exists() else None


def _ingest_problems(d: Path) -> tuple[list[Problem], int]:
    """What is wrong with one counted ingest directory (each problem moves it aside), and its rows."""
    out: list[Problem] = []

    def bad(p: Path, what: str) -> None:
        out.append(Problem(p, what, move=d))

    summary = _summary(d, bad)
    rows = _messages_rows(d / MESSAGES_FILE, bad)
    if summary is None:
        return out, rows or 0
    ident = summary.get("ingest_id")
    if ident != ingest_id_of(d):
        target = d.with_name(f"{INGEST_PREFIX}{ident}") if isinstance(ident, str) and ingest_id_of(d.with_name(f"{INGEST_PREFIX}{ident}")) == ident else None
        if target is not None and not target.exists():  # renamed: its own name given back (unless it is damaged too)
            out.append(Problem(d / SUMMARY_FILE, f"names ingest {ident}, not the directory's {ingest_id_of(d)}", move=d, rename_to=target))
        else:
            bad(d / SUMMARY_FILE, f"names ingest {ident!r}, not the directory's {ingest_id_of(d)!r}")
    sha = summary.get("sha256")
    if not (isinstance(sha, str) and _SHA256.fullmatch(sha)):
        bad(d / SUMMARY_FILE, "no SHA-256 of the source file recorded")
    counts = {k: summary.get(k) for k in _COUNTS}
    wrong = [k for k, v in counts.items() if not (isinstance(v, int) and not isinstance(v, bool) and v >= 0)]
    if wrong:
        bad(d / SUMMARY_FILE, f"no count of {', '.join(wrong)}")
    else:
        if counts["read"] != counts["stored"] + counts["duplicates"] + counts["rejected"]:  # type: ignore[operator]
            bad(d / SUMMARY_FILE, f"counts do not add up (read {counts['read']:,} is not stored {counts['stored']:,} "
                                  f"+ duplicates {counts['duplicates']:,} + rejected {counts['rejected']:,})")
        if rows is not None and rows != counts["stored"]:
            bad(d / MESSAGES_FILE, f"holds {rows:,} messages; its summary says {counts['stored']:,} were stored")
        _check_rejects(d / REJECTS_FILE, counts["rejected"], bad)  # type: ignore[arg-type]
    return out, rows or 0


def _summary(d: Path, bad: object) -> dict[str, object] | None:
    p = d / SUMMARY_FILE
    try:
        value = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        bad(p, "missing")  # type: ignore[operator]
        return None
    except (OSError, ValueError) as exc:
        bad(p, f"damaged ({_reason(exc)})")  # type: ignore[operator]
        return None
    if not isinstance(value, dict):
        bad(p, "damaged (not a JSON object)")  # type: ignore[operator]
        return None
    return value


def _messages_rows(f: Path, bad: object) -> int | None:
    """The rows of a messages file, decoding every page (a damaged page in the middle is found too)."""
    import pyarrow.parquet as pq

    try:
        size = f.stat().st_size
    except FileNotFoundError:
        bad(f, "missing (the ingest's messages were deleted?)")  # type: ignore[operator]
        return None
    except OSError as exc:
        bad(f, f"cannot be read ({exc.strerror})")  # type: ignore[operator]
        return None
    problem = _messages_file_problem(f, size)
    if problem:
        bad(f, problem)  # type: ignore[operator]
        return None
    try:
        with pq.ParquetFile(f) as pf:
            rows = sum(batch.num_rows for batch in pf.iter_batches(batch_size=1 << 16))
            if rows != pf.metadata.num_rows:
                bad(f, f"damaged ({rows:,} rows decoded, its footer says {pf.metadata.num_rows:,})")  # type: ignore[operator]
                return None
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for damaged pages
        bad(f, f"damaged ({_reason(exc)})")  # type: ignore[operator]
        return None
    return rows


def _check_rejects(p: Path, expected: int, bad: object) -> None:
    try:
        fh = p.open(encoding="utf-8")
    except FileNotFoundError:
        if expected:
            bad(p, f"missing; its summary counts {expected:,} rejected records")  # type: ignore[operator]
        return
    except OSError as exc:
        bad(p, f"cannot be read ({exc.strerror})")  # type: ignore[operator]
        return
    records = number = 0
    with fh:
        try:
            for number, line in enumerate(fh, 1):
                if line.strip():
                    if not isinstance(json.loads(line), dict):
                        raise ValueError("not a JSON object")
                    records += 1
        except ValueError as exc:
            line_no = number + 1 if isinstance(exc, UnicodeDecodeError) else number
            bad(p, f"line {line_no:,} damaged ({_reason(exc)})")  # type: ignore[operator]
            return
    if records != expected:
        bad(p, f"holds {records:,} rejected records; its summary says {expected:,}")  # type: ignore[operator]


def _shared_messages(good: list[tuple[Path, int]]) -> list[Problem]:
    """Messages held by more than one ingest: an ingest never stores a message the store already has,
    so a shared message comes from a copy or from merged stores, and every command would count it twice."""
    if len(good) < 2:
        return []
    frames = [pl.scan_parquet(d / MESSAGES_FILE).select(KEYS).with_columns(pl.lit(i, pl.Int32).alias("_ingest")) for i, (d, _) in enumerate(good)]
    keys = pl.concat(frames).collect()
    first = keys.group_by(KEYS).agg(pl.col("_ingest").min().alias("_first"))
    later = keys.join(first, on=KEYS).filter(pl.col("_ingest") != pl.col("_first"))
    out: list[Problem] = []
    per_ingest = later.group_by("_ingest").agg(pl.len().alias("n"), pl.col("_first").unique().sort().alias("others"))
    for row in per_ingest.sort("_ingest").iter_rows(named=True):
        d, rows = good[row["_ingest"]]
        n, others = row["n"], ", ".join(good[j][0].name for j in row["others"])
        if n == rows:
            out.append(Problem(d / MESSAGES_FILE, f"all {rows:,} messages are also in {others} (a copy, or two stores merged?): "
                                                  "every command counts them twice", move=d))
        else:
            out.append(Problem(d / MESSAGES_FILE, f"{n:,} of its {rows:,} messages are also in {others}: every command counts them "
                                                  "twice; --repair cannot split it (move it aside by hand and ingest its source file again)"))
    return out

"""The commit point of one ingested file: its summary written, its staging directory renamed into
``ingests/`` (and both flushed), so a store holds a file whole or not at all."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from .layout import INGESTS, SUMMARY_FILE, FileReport, Store
from .staging import OWNER_FILE

__all__ = ["commit", "fsync_dir"]


def commit(store: Store, staging: Path, report: FileReport) -> None:
    """Write the summary and rename ``staging`` into ``ingests/``: the commit point of one file."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    report.ingest_id = f"{stamp}-{uuid.uuid4().hex[:8]}"
    (staging / SUMMARY_FILE).write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    (staging / OWNER_FILE).unlink()  # not part of the ingest; the owner's lock stays held until staging ends
    fsync_dir(staging)
    os.rename(staging, store.path / INGESTS / f"ingest={report.ingest_id}")
    fsync_dir(store.path / INGESTS)


def fsync_dir(path: Path) -> None:
    """Flush a directory's files and the directory itself, so a rename after it commits whole files."""
    for child in path.iterdir():
        if child.is_file():
            with child.open("rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""The Parquet store: layout and reading (:mod:`.layout`), the ingest pipeline (:mod:`.ingest`), and
verification and repair (:mod:`.check`)."""

from __future__ import annotations

from .check import CheckReport, Problem, check_store, repair_store
from .layout import (
    FORMAT_VERSION,
    INGESTS,
    KEYS,
    MARKER,
    MESSAGES_FILE,
    REJECTS_FILE,
    SUMMARY_FILE,
    FileReport,
    ProgressCallback,
    Store,
    create_store,
    open_store,
)

__all__ = [
    "FORMAT_VERSION",
    "INGESTS",
    "KEYS",
    "MARKER",
    "MESSAGES_FILE",
    "REJECTS_FILE",
    "SUMMARY_FILE",
    "CheckReport",
    "FileReport",
    "Problem",
    "ProgressCallback",
    "Store",
    "check_store",
    "create_store",
    "open_store",
    "repair_store",
]

"""The Parquet store: layout and reading (:mod:`.layout`), and the ingest pipeline (:mod:`.ingest`)."""

from __future__ import annotations

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
    "FORMAT_VERSION", "INGESTS", "KEYS", "MARKER", "MESSAGES_FILE", "REJECTS_FILE", "SUMMARY_FILE",
    "FileReport", "ProgressCallback", "Store", "create_store", "open_store",
]

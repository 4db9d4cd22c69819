"""The Parquet store.

Persistence: the layout, opening and reading (:mod:`.layout`), the write lock (:mod:`.lock`), the commit
of one file by a rename (:mod:`.commit`), staging directories owned by their process (:mod:`.staging`).
Above it, the ingest pipeline (:mod:`.ingest`, with the duplicate check in :mod:`.seen_keys`) and
verification and repair (:mod:`.check`).
"""

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

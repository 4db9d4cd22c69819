"""How Polars' allocator (jemalloc) returns freed memory, chosen per command before Polars loads.

jemalloc keeps freed pages for reuse and hands them back to the system after a delay. The
measuring commands (rank, report, requests, ...) build a few large frames once, so the pages
they free are rarely reused and count in the peak: returning them soon lowers the peak of a
cold ``rank`` on 3.55 M messages from 1.44 GB to ~1.2 GB. *At once* (a decay of 0 ms) went
further (1.10 GB) but made every later allocation fault its pages in again: 4 s of system
time on that rank, a third of its CPU. 300 ms keeps the peak below DuckDB's for the same
query (1.33 GB) with 1.7 s of system time.
``ingest`` allocates and frees a block's frames hundreds of times, where the same setting
triples the system time, so it keeps the default. A value the user set always wins.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

VARIABLE = "_RJEM_MALLOC_CONF"  # the prefixed jemalloc bundled with Polars reads this one
RETURN_SOON = "dirty_decay_ms:300,muzzy_decay_ms:0"
KEEP_DEFAULT = {"ingest"}


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (the first argument that is not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


def tune_allocator(argv: Sequence[str], environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    """Set :data:`VARIABLE` for the command in ``argv`` unless the user set it (Polars must not be loaded yet)."""
    command = command_of(argv)
    if command is None or command in KEEP_DEFAULT or VARIABLE in environ:
        return
    environ[VARIABLE] = RETURN_SOON

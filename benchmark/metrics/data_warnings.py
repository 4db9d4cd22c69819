"""Warnings about data that cannot support a benchmark: a sample or an excerpt, or a window still open.

A random slice of an export keeps few whole threads: most replies answer messages that are not in it,
so requests look unanswered (0 %) and the figures mean nothing. And when most requests are still open
(younger than the open window at the end of the data), the response rate rests on the few others.
Both are said prominently, with the numbers (issue 14, item 9); rank prints them on stderr, the
report at the top of its headline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from . import Diagnostics

MOST: Final = 0.5  # "most": more than half


@dataclass(frozen=True)
class DataWarning:
    """``broken``: ``n`` messages reply to messages not in the data, against ``of - n`` thread starters;
    ``open``: ``n`` of ``of`` requests are open."""

    kind: str
    n: int
    of: int

    @property
    def share(self) -> float:
        return self.n / self.of if self.of else 0.0


def data_warnings(d: Diagnostics) -> list[DataWarning]:
    """The warnings ``d`` calls for, broken threads first."""
    out = []
    starters = d.store_thread_starters
    broken = d.missing_parents
    if broken and broken > MOST * (broken + starters):
        out.append(DataWarning("broken", broken, broken + starters))
    if d.requests and d.open_requests > MOST * d.requests:
        out.append(DataWarning("open", d.open_requests, d.requests))
    return out


def describe_warning(w: DataWarning, open_window_s: float | None) -> str:
    """The English line for the command line (the report has its own wording, in its languages)."""
    if w.kind == "broken":
        return (
            f"warning: most threads are broken: {w.n:,} messages reply to messages not in the data, against "
            f"{w.of - w.n:,} thread starters ({w.share:.0%} of threads start outside the data). This looks like a sample "
            "or an excerpt of an export: answers and the requests they answer are missing, so response rates and "
            "times say little. Rank the whole export."
        )
    window = f"{(open_window_s or 0) / 3600:g}h"
    return (
        f"warning: most requests are open: {w.n:,} of {w.of:,} ({w.share:.0%}) are unanswered and younger than {window} "
        f"at the end of the data, so response rates rest on the other {w.of - w.n:,} only. The data may stop too early "
        "(an excerpt of the latest days?)."
    )


__all__ = ["DataWarning", "data_warnings", "describe_warning"]

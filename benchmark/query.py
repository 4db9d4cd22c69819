"""What one measurement is of: the store, the request filters, the metric options (with the brand book) and
the engine, built once and handed downstream.

The CLI builds a :class:`Query` from its shared option group (``benchmark.cli.options``); notebooks build one
with :func:`benchmark.api.query` (user-facing values: ``open_window="72h"``, ``since="2017-10-01"``) or
directly from :class:`~benchmark.metrics.Filters` and :class:`~benchmark.metrics.MetricOptions`.
:func:`benchmark.api.measure` turns it into a :class:`~benchmark.metrics.Measurement`, which rank, charts,
listening and the report read: none of them scans the store again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .brands import BrandBook
from .metrics.facts import Filters
from .metrics.options import MetricOptions
from .store import Store

__all__ = ["Query"]


@dataclass(frozen=True)
class Query:
    """A store, which requests (``filters``), how they are measured (``options``) and where (``engine``)."""

    store: Store
    filters: Filters = field(default_factory=Filters)
    options: MetricOptions = field(default_factory=MetricOptions)
    engine: str = "polars"

    @property
    def brand_book(self) -> BrandBook | None:
        """The brands file the options merge accounts with (None: every account is its own brand)."""
        return self.options.brands

    def with_options(self, **changes: object) -> Query:
        """This query with ``changes`` to its metric options (``extended=True``, ``period="month"``)."""
        return replace(self, options=replace(self.options, **changes))  # type: ignore[arg-type]

    def with_filters(self, **changes: object) -> Query:
        """This query with ``changes`` to its filters (``brands=("Acme",)``)."""
        return replace(self, filters=replace(self.filters, **changes))  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"Query(store={str(self.store.path)!r}, filters={self.filters}, engine={self.engine!r})"

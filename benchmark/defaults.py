"""Defaults and names the command line needs before any data is touched, with no dependencies.

``benchmark --help`` and usage errors read only this module (and typer): Polars,
NumPy, the loaders and the metrics load when a command actually runs. The modules
that own these values import them from here (``benchmark.rank.DEFAULT_MIN_REQUESTS``
is this one); lists that are derived elsewhere (``RANK_KEYS``, ``INPUT_FORMATS``,
``CHART_KINDS``) are checked against their source by ``tests/test_startup.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Final

__all__ = [
    "AUTOMATED_MAX_SECONDS", "AUTOMATED_MIN_CUSTOMERS", "CHART_KINDS", "DEFAULT_MIN_REQUESTS",
    "DEFAULT_MONTHS", "DEFAULT_OPEN_WINDOW", "DEFAULT_SEED", "DEFAULT_START", "DEFAULT_TIMEZONE",
    "DEVOTED_RATE", "INPUT_FORMATS", "RANK_KEYS",
]

DEFAULT_MIN_REQUESTS: Final = 100  # the reference study's threshold
DEVOTED_RATE: Final = 0.65  # Socialbakers' "Socially Devoted" bar
DEFAULT_OPEN_WINDOW: Final = "72h"  # an unanswered request younger than this at the end of the data is open, not missed
DEFAULT_REQUESTS: Final = "starters"  # what counts as a request: customer thread starters (--requests)
DEFAULT_FIRST_RESPONSE: Final = "thread"  # a request's first response: the brand's earliest message in its thread
DEFAULT_RANK_BY: Final = "frt_median_s"  # the figure brands are ranked by (--by)
DEFAULT_ENGINE: Final = "polars"  # where metrics run unless --engine (or engine=) names another
DEFAULT_TIMEZONE: Final = "UTC"  # local time of a brand with no zone (brands file, --timezone): never a guess (issue 14, item 10)

# benchmark.rank.RANK_KEYS: the metric columns, then the extra figures one may rank by.
RANK_KEYS: Final = (
    "requests", "answered", "unanswered", "response_rate", "frt_median_s", "frt_mean_s", "frt_p90_s",
    "within_30m", "within_1h", "within_24h",
    "km_median_s", "frt_fast90_mean_s", "bh_frt_median_s", "bh_frt_mean_s", "deflected_share", "within_sla",
    "reply_median_s", "reply_mean_s", "reply_p90_s", "nrt_median_s", "nrt_mean_s", "nrt_p90_s",
)
# benchmark.metrics.automated: a brand reply is automated when the brand sends the same text to at least
# AUTOMATED_MIN_CUSTOMERS customers, each within AUTOMATED_MAX_SECONDS of the customer's message.
AUTOMATED_MAX_SECONDS: Final = 10  # no person reads a message and types an answer this fast
AUTOMATED_MIN_CUSTOMERS: Final = 5  # one text to this many people within seconds: a machine's template
# The store's layout (benchmark.store.layout): STORE/ingests/ingest=<id>/{messages.parquet,rejects.ndjson,summary.json}.
# Here so that `benchmark ingest` can say what a Ctrl-C left committed without importing Polars.
INGESTS: Final = "ingests"
INGEST_PREFIX: Final = "ingest="
MESSAGES_FILE: Final = "messages.parquet"
REJECTS_FILE: Final = "rejects.ndjson"
SUMMARY_FILE: Final = "summary.json"
# benchmark.loaders.REGISTRY, in its order.
INPUT_FORMATS: Final = ("twcs", "twitter-v2", "minimaxir", "netvizz", "facebook", "instagram", "csv")
# benchmark.chart.KINDS, without importing matplotlib.
CHART_KINDS: Final = ("ranking", "map", "distribution", "heatmap", "trend")

# The synthetic sample (benchmark.sample).
DEFAULT_SEED: Final = 2024
DEFAULT_START: Final = date(2024, 1, 1)
DEFAULT_MONTHS: Final = 5

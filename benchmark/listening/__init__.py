"""Listening tools: topics and routing, top users, keyword volumes.

The text analysis they rest on (folding, language, questions) lives in :mod:`benchmark.text`, below the
store and the metrics, so this package is imported by nothing beneath it and loads its parts directly.

>>> import benchmark as bm
>>> bm.listening.default_taxonomy().names[:3]
('account', 'billing', 'delivery')
"""

from __future__ import annotations

from .api import as_taxonomy, breakdown, keywords, labelled_requests, topics, users
from .classify import classify
from .keyword_volumes import keyword_chart, wide
from .taxonomy import Taxonomy, default_taxonomy, load_taxonomy

__all__ = [
    "Taxonomy",
    "as_taxonomy",
    "breakdown",
    "classify",
    "default_taxonomy",
    "keyword_chart",
    "keywords",
    "labelled_requests",
    "load_taxonomy",
    "topics",
    "users",
    "wide",
]

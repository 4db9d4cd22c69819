"""Listening tools: topics and routing, question detection, language, top users, keyword volumes.

The public functions are loaded on first use: the metrics import
:mod:`.questions` and the store imports :mod:`.language` while this package
imports both, so importing everything here eagerly would be circular.

>>> import benchmark as bm  # doctest: +SKIP
>>> bm.listening.topics("store")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "as_taxonomy": ".api",
    "breakdown": ".api",
    "keywords": ".api",
    "labelled_requests": ".api",
    "topics": ".api",
    "users": ".api",
    "classify": ".classify",
    "keyword_chart": ".keyword_volumes",
    "wide": ".keyword_volumes",
    "Taxonomy": ".taxonomy",
    "default_taxonomy": ".taxonomy",
    "load_taxonomy": ".taxonomy",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)


def __dir__() -> list[str]:
    return __all__

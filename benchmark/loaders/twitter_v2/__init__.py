"""Twitter API v2 exports (twarc2 pages, search results, NDJSON of tweets): the loader and its parts.

- :mod:`.loader`: ``LOADER`` (sniff and load);
- :mod:`.records`: pages and tweets walked into rows;
- :mod:`.brands`: which accounts are the brand's, and whom each customer tweet is to;
- :mod:`.infer`: the brand accounts guessed from the data when none are given.
"""

from __future__ import annotations

from .loader import LOADER

__all__ = ["LOADER"]

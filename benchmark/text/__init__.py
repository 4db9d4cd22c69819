"""Text analysis the store and the metrics need, below both: nothing here imports the store, the metrics,
the listening features, the report or the CLI.

- :mod:`.folding`: lower case without accents, words without links, @handles and #tags, term regexes;
- :mod:`.language`: each message's language (lingua, offline), detected at ingest or on first use;
- :mod:`.questions`: does a customer's message ask something (a Narwhals expression, every engine).
"""

from __future__ import annotations

__all__: list[str] = []

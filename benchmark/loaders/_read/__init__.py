"""Readers the format modules share; private to :mod:`benchmark.loaders` (outside it, import what
``benchmark.loaders`` re-exports).

- :mod:`.csvread`: CSV in bounded blocks, with the record numbers of rejects;
- :mod:`.jsonread`: JSON documents, arrays and NDJSON walked record by record; :mod:`.jsonwalk` the
  chunked driver for walkers that learn brand accounts as they go (Facebook, Instagram);
- :mod:`.encoding`: the cp1252 / mac_roman fallback for files that are not UTF-8;
- :mod:`.normalize`: ids, booleans, handles and timestamps cleaned with a reason when they cannot be;
- :mod:`.compressed`: zip, gzip, bzip2, xz and zstd exports read as they are;
- :mod:`.sniff`: delimiters, headers and the files a folder holds that are not exports;
- :mod:`.wide_text`: UTF-16/UTF-32 exports.
"""

from __future__ import annotations

__all__: list[str] = []

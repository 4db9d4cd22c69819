"""What a file's first bytes say before any loader reads it: delimiter, header names, notes beside data.

Pure functions on bytes and names; nothing here opens a file.

* :func:`sniff_delimiter` picks the CSV delimiter among ``,`` ``;`` ``\\t`` ``|`` (Italian Excel writes
  ``;``) by which one splits the header and the next records into the same number of fields.
* :func:`header_names` reads the header line the way the CSV reader will.
* :func:`is_note` tells the files that sit beside exports in a folder or a zip (README, LICENSE,
  SOURCE.txt, ``*.md``, hidden files) from exports.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from ...errors import UsageError

__all__ = [
    "DELIMITERS", "DELIMITER_NAMES", "NOTE_SUFFIXES", "header_names", "is_hidden", "is_note",
    "parse_delimiter", "sniff_delimiter", "without_blank_first_column",
]

DELIMITERS = (",", ";", "\t", "|")  # sniffed, in order of preference on a tie
DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}
_SAMPLE_RECORDS = 50


def parse_delimiter(value: str) -> str:
    """``--delimiter`` as the user wrote it (``;``, ``tab``, ``\\t``, ``|``, ``comma``) → one character."""
    text = DELIMITER_NAMES.get(value.strip().lower(), value)
    if len(text) != 1 or text in "\"\r\n" or text.isalnum():
        raise UsageError(f"--delimiter {value!r}: give one character such as ';' or '|', or tab, comma, semicolon, pipe")
    return text


def _head_text(head: bytes) -> str:
    """The first bytes as text for sniffing: BOM dropped, a character cut at the end ignored."""
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace")


def _first_line(text: str) -> str:
    """The header line: up to the first line end outside quotes."""
    quotes = 0
    for i, ch in enumerate(text):
        if ch == '"':
            quotes += 1
        elif ch in "\r\n" and quotes % 2 == 0:
            return text[:i]
    return text


def _count_outside_quotes(line: str, ch: str) -> int:
    n, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            n += 1
    return n


def sniff_delimiter(head: bytes, *, prefer: str | None = None) -> str:
    """The delimiter of a CSV whose first bytes are ``head`` (``,`` when nothing else fits).

    A candidate must split the header into at least two fields; among those, the one for which
    most of the next records have as many fields as the header wins, then the one splitting the
    header into more fields, then ``prefer`` (``\\t`` for a ``.tsv``), then :data:`DELIMITERS` order.
    """
    text = _head_text(head)
    header = _first_line(text)
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    candidates = [d for d in DELIMITERS if counts[d] > 0]
    if not candidates:
        return prefer or ","
    if len(candidates) == 1:
        return candidates[0]
    cut = max(text.rfind("\n"), 0)  # the last line of the head may be cut short
    sample = text[:cut] if cut > len(header) else text

    def score(d: str) -> tuple[float, int, int, int]:
        rows = []
        try:
            for row in csv.reader(io.StringIO(sample, newline=""), delimiter=d):
                rows.append(len(row))
                if len(rows) > _SAMPLE_RECORDS:
                    break
        except csv.Error:
            return (-1.0, 0, 0, 0)
        body = [n for n in rows[1:] if n > 0]
        fit = sum(n == counts[d] + 1 for n in body) / len(body) if body else 1.0
        return (fit, counts[d], d == prefer, -DELIMITERS.index(d))

    return max(candidates, key=score)


def header_names(head: bytes, delimiter: str) -> list[str]:
    """The header's column names as the CSV reader sees them (quotes removed, names kept as written)."""
    line = _first_line(_head_text(head))
    rows = list(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter))
    return rows[0] if rows else []


def without_blank_first_column(head: bytes, delimiter: str) -> bytes | None:
    """``head`` with the header's first name removed when it is blank (a pandas index column), else None.

    ``,tweet_id,author_id,…`` (what ``DataFrame.to_csv`` writes) then sniffs as the format it is.
    """
    text = _head_text(head)
    header = _first_line(text)
    names = header_names(head, delimiter)
    if len(names) < 2 or names[0].strip().strip('"').strip():
        return None
    first_end = header.find(delimiter) + 1
    return (header[first_end:] + text[len(header):]).encode("utf-8")


# ---- files beside the exports --------------------------------------------------------------

NOTE_SUFFIXES = (".md", ".markdown", ".rst", ".pdf", ".html", ".htm", ".doc", ".docx", ".odt", ".rtf")
_NOTE_NAMES = re.compile(
    r"^(read[ _-]?me|licen[cs]e|copying|notice|authors|contributors|contributing|change[ _-]?log|changes|history|"
    r"citation|sources?|checksums?|md5sums?|sha[0-9]*sums?)([ _-][^.]*)?(\.[a-z0-9]+)*$",
    re.IGNORECASE,
)


def is_hidden(name: str) -> bool:
    """Dot files and folders (``.DS_Store``, ``.git``) and macOS's ``__MACOSX`` resource forks."""
    return name.startswith(".") or name == "__MACOSX"


def is_note(name: str) -> bool:
    """True for a file that documents data rather than holding it: README*, LICENSE*, SOURCE.txt, ``*.md``.

    ``.txt`` files other than those names are not notes by name alone: some exports use ``.txt``
    (the caller sniffs them and skips the ones no loader recognises).
    """
    base = name.rsplit("/", 1)[-1]
    lower = base.lower()
    if lower.endswith(NOTE_SUFFIXES):
        return True
    suffix = "." + lower.rsplit(".", 1)[1] if "." in lower else ""
    return bool(_NOTE_NAMES.match(base)) and suffix in ("", ".txt", *NOTE_SUFFIXES)

"""The fix to suggest when every record of a file was rejected, from the reasons the loaders gave.

A file that yields nothing is almost always read with a wrong setting, not full of bad records:
naive timestamps without ``--map timezone=…``, a date format without ``--map timestamp_format=…``,
the wrong delimiter or encoding. :func:`fix_for` names the exact option when the reasons show which.
"""

from __future__ import annotations

from collections.abc import Mapping

# (words in a reject reason, the fix). First match wins, so the most specific come first.
_FIXES: tuple[tuple[str, str], ...] = (
    ("has no UTC offset", "the timestamps have no UTC offset: give the zone they were written in, e.g. --map timezone=Europe/Rome"),
    ("is not a timestamp in format", "the timestamps do not match the timestamp_format given: compare it with a value in the file"),
    ("is not a timestamp", "the timestamps are not ISO 8601: give their format, e.g. --map timestamp_format='%d/%m/%Y %H:%M'"),
    ("fields where the header has", "the records do not split like the header: check the delimiter, e.g. --delimiter ';'"),
    ("in scientific notation", "the ids were rounded by a spreadsheet (1.2E+17): ingest the original export, not a re-saved copy"),
    ("is not like 'Tue Oct 31", "created_at is not in TWCS's form ('Tue Oct 31 22:10:47 +0000 2017'): ingest the original export, or read it as a generic CSV with --map"),
    ("not a numeric id", "the ids are not numbers: is this a TWCS file? read it as a generic CSV with --map"),
)


def fix_for(reasons: Mapping[str, int], *, mapping_file: bool = False) -> str | None:
    """The fix for the commonest reject reason that has one, if it covers at least half the rejects; else None.

    ``reasons`` maps reason (or reason group) to count, as :class:`~benchmark.store.FileReport`
    keeps them; with ``mapping_file`` the ``--map`` hints also name the TOML key. A fix for a
    minority of the rejects would not make the file load, so none is offered then.
    """
    total = sum(reasons.values())
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        if count * 2 < total:
            break
        for words, fix in _FIXES:
            if words in reason:
                if mapping_file and "--map " in fix:
                    key = fix.split("--map ", 1)[1].split("=", 1)[0]
                    fix += f" (or {key} = … under [values] in the mapping file)"
                return fix
    return None


__all__ = ["fix_for"]

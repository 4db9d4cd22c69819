"""minimaxir's facebook-page-post-scraper: ``*_facebook_statuses.csv`` and ``*_facebook_comments.csv``.

The scraper (github.com/minimaxir/facebook-page-post-scraper, 2015-2018, and
its many forks) writes one CSV of a page's posts ("statuses") and one of
their comments. Three column generations exist; all are read by column name:

=========  ====================================================================
statuses   columns
=========  ====================================================================
1 (2015)   status_id, status_message, link_name, status_type, status_link,
           status_published, num_likes, num_comments, num_shares
2 (2016)   ... status_published, num_reactions, num_comments, num_shares,
           num_likes, num_loves, num_wows, num_hahas, num_sads, num_angrys
           [, num_special (2017)]
3 (2017)   status_id, status_message, **status_author**, link_name, ... as 2
           with num_special (page and group scrapers after Graph API v2.9)
=========  ====================================================================

Comments: ``comment_id, status_id, parent_id, comment_message,
comment_author, comment_published`` followed by ``comment_likes`` (1),
``num_reactions, num_likes ... num_angrys[, num_special]`` (2 and 3), or
nothing (some forks).

**Times.** The scraper took Graph's UTC ``created_time``, subtracted five
hours ("EST", a fixed offset: no daylight saving) and wrote it without an
offset, e.g. ``2018-01-31 19:05:11``. We read every timestamp as UTC−5 and
convert to UTC (``19:05:11`` → ``00:05:11`` the next day). Files re-saved by
a spreadsheet carry ``1/31/18 18:55`` (minutes only); month/day order is
chosen per file (month first unless only day first parses) and told in a note.

**Who is the brand.** The page's name must be given with ``--brand NAME``
(extra ``--brand`` values are other spellings of the same page's name): the
files name authors by display name only. Every row's ``brand`` is the first
name. Comments whose ``comment_author`` is one of the names are the page's
messages. Statuses are the page's own posts (``is_brand``), except in
generation 3, where a post whose ``status_author`` is someone else is a
visitor post (a customer request). Generations 1 and 2 have no author
column; a few early versions read the page's ``/feed`` (which includes
visitor posts), and those cannot be told apart: all are taken as the page's.
In generation 3, a ``--brand`` that matches no post author is refused (it is
almost always a misspelt page name, which would turn every post into a
request).

**Threads.** ``thread_id`` is the ``status_id``; a comment's parent is its
``parent_id`` (a reply) or else its ``status_id``. Statuses and comments come
in separate files: a comment's post may be ingested from the other file, or
not at all (the metrics then report it as a missing parent).

**Encoding.** Statuses files re-saved by Excel are often not UTF-8. With the
default encoding, a file that is not valid UTF-8 is decoded as the more
plausible of cp1252 and mac_roman, and a note says so; an encoding given
with ``--encoding`` is used strictly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl

from ..errors import InputError, UsageError
from .base import Chunk, LoadOptions, rejects_of
from ._read.csvread import read_csv_strings, require_columns
from ._read.encoding import choose_encoding
from ._read.normalize import facebook_id, first_problem, parse_timestamp

__all__ = [
    "COMMENT_REQUIRED", "LOADER", "MinimaxirLoader", "PLATFORM", "SCRAPER_TZ", "STATUS_REQUIRED",
    "scraper_time",
]

PLATFORM = "facebook"
SCRAPER_TZ = "Etc/GMT+5"  # POSIX sign: Etc/GMT+5 is UTC−5, the scraper's fixed "EST"
STATUS_REQUIRED = ["status_id", "status_published"]
COMMENT_REQUIRED = ["comment_id", "status_id", "parent_id", "comment_author", "comment_published"]
_SPREADSHEET_ORDERS = {"month/day": "%m/%d", "day/month": "%d/%m"}  # Excel re-saves: US and day-first
_FOUR_DIGIT_YEAR = r"^\s*[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\b"  # Polars' %Y also accepts "18": choose by shape


def _read_export_csv(path: Path, options: LoadOptions, separator: str = ",") -> tuple[pl.DataFrame, list[str]]:
    """All-string frame with ``_record``, decoded as :func:`choose_encoding` decides."""
    encoding, notes = choose_encoding(path, options.encoding)
    try:
        return read_csv_strings(path, encoding=encoding, separator=separator), notes
    except InputError as exc:
        if encoding.lower() == "cp1252" and "not valid" in exc.reason:
            raise InputError(path, f"{exc.reason.split(';')[0]}; try --encoding mac_roman (Excel for Mac) or latin-1") from None
        raise


# ---- minimaxir ----------------------------------------------------------------


def _brand_names(path: Path, options: LoadOptions) -> list[str]:
    names = [b.strip() for b in options.brands if b.strip()]
    if not names:
        raise UsageError(
            f'{path}: name the page with --brand "Page Name" (as the scraper wrote its author name, '
            'e.g. --brand "The New York Times"); its comments are recognised by that name'
        )
    return names


def _is_brand_author(col: str, names: list[str]) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.to_lowercase().is_in([n.lower() for n in names]).fill_null(False)


def scraper_time(raw: pl.DataFrame, col: str) -> tuple[pl.Expr, pl.Expr, list[str]]:
    """Return ``(UTC time, problem, notes)`` for the scraper's naive UTC−5 timestamps."""
    iso, _ = parse_timestamp(col, timezone=SCRAPER_TZ)
    orders = {}
    for order, day_month in _SPREADSHEET_ORDERS.items():
        four = pl.coalesce(*[parse_timestamp(col, f"{day_month}/%Y {t}", SCRAPER_TZ)[0] for t in ("%H:%M:%S", "%H:%M")])
        two = pl.coalesce(*[parse_timestamp(col, f"{day_month}/%y {t}", SCRAPER_TZ)[0] for t in ("%H:%M:%S", "%H:%M")])
        orders[order] = pl.when(pl.col(col).str.contains(_FOUR_DIGIT_YEAR)).then(four).otherwise(two)
    counts = raw.select(**{o: e.is_not_null().sum() for o, e in orders.items()}).row(0, named=True)
    notes: list[str] = []
    if counts["month/day"] or counts["day/month"]:
        order = "month/day" if counts["month/day"] >= counts["day/month"] else "day/month"
        notes.append(f"{col}: re-saved by a spreadsheet ({order} order; seconds may be lost); read as UTC−5 like the scraper's own times")
        value = pl.coalesce(iso, orders[order])
    else:
        value = iso
    shown = pl.col(col).fill_null("").str.slice(0, 40)
    problem = (
        pl.when(value.is_not_null())
        .then(None)
        .when(pl.col(col).fill_null("").str.strip_chars() == "")
        .then(pl.format("{} is empty", pl.lit(col)))
        .otherwise(pl.format("{} {} is not a time like 2018-01-31 19:05:11", pl.lit(col), shown))
    )
    return value, problem, notes


def _generation(columns: list[str], kind: str) -> str:
    if kind == "statuses":
        if "status_author" in columns:
            return "3 (with status_author)"
        return "2 (reactions)" if "num_reactions" in columns else "1 (likes only)"
    if "num_reactions" in columns:
        return "2/3 (reactions)"
    return "1 (comment_likes)" if "comment_likes" in columns else "without counts"


def _parse_statuses(raw: pl.DataFrame, names: list[str], source: str, path: Path) -> Chunk:
    """Canonical posts from an all-string statuses frame."""
    sid, sid_problem = facebook_id("status_id")
    created, created_problem, notes = scraper_time(raw, "status_published")
    has_author = "status_author" in raw.columns
    if has_author:
        author = pl.col("status_author").str.strip_chars()
        is_brand = _is_brand_author("status_author", names)
    else:
        author = pl.lit(names[0])
        is_brand = pl.lit(True)
    df = raw.select(
        "_record",
        sid.alias("message_id"),
        author.alias("author_id"),
        is_brand.alias("is_brand"),
        created.alias("created_at"),
        (pl.col("status_message") if "status_message" in raw.columns else pl.lit(None, pl.String)).alias("text"),
        first_problem(pl.when(sid.is_null()).then(pl.lit("status_id is empty")), sid_problem, created_problem).alias("_problem"),
    )
    good = df.filter(pl.col("_problem").is_null())
    if has_author and good.height and not good.get_column("is_brand").any():
        top = good.group_by("author_id", maintain_order=True).len().sort("len", descending=True, maintain_order=True).head(3)
        seen = ", ".join(f"{a!r} ({n})" for a, n in top.iter_rows())
        raise UsageError(f"{path}: no post is by {names[0]!r}; status_author values are {seen}: pass the page's name with --brand")
    visitors = good.filter(~pl.col("is_brand")).height
    notes = [f"statuses file, column generation {_generation(raw.columns, 'statuses')}", *notes]
    if has_author:
        notes.append(f"{good.height - visitors} posts by the page, {visitors} visitor posts (status_author not {names[0]!r})")
    messages = good.drop("_problem", "_record").with_columns(
        pl.lit(PLATFORM).alias("platform"),
        pl.lit(names[0]).alias("brand"),
        pl.lit(None, pl.String).alias("parent_id"),
        pl.col("message_id").alias("thread_id"),
        pl.lit("post").alias("kind"),
        pl.lit(source).alias("source_file"),
    )
    return Chunk(messages=messages, rejects=rejects_of(df, value="message_id"), notes=notes)


def _parse_comments(raw: pl.DataFrame, names: list[str], source: str) -> Chunk:
    """Canonical comments and replies from an all-string comments frame."""
    cid, cid_problem = facebook_id("comment_id")
    sid, sid_problem = facebook_id("status_id")
    pid, pid_problem = facebook_id("parent_id")
    created, created_problem, notes = scraper_time(raw, "comment_published")
    df = raw.select(
        "_record",
        cid.alias("message_id"),
        pl.coalesce(pid, sid).alias("parent_id"),
        sid.alias("thread_id"),
        pl.col("comment_author").str.strip_chars().alias("author_id"),
        _is_brand_author("comment_author", names).alias("is_brand"),
        pl.when(pid.is_null()).then(pl.lit("comment")).otherwise(pl.lit("reply")).alias("kind"),
        created.alias("created_at"),
        (pl.col("comment_message") if "comment_message" in raw.columns else pl.lit(None, pl.String)).alias("text"),
        first_problem(
            pl.when(cid.is_null()).then(pl.lit("comment_id is empty")),
            cid_problem,
            pl.when(sid.is_null()).then(pl.lit("status_id is empty")),
            sid_problem,
            pid_problem,
            created_problem,
        ).alias("_problem"),
    )
    good = df.filter(pl.col("_problem").is_null())
    by_page = good.get_column("is_brand").sum()
    notes = [f"comments file, column generation {_generation(raw.columns, 'comments')}", *notes]
    if good.height and not by_page:
        authors = good.get_column("author_id").unique()
        hint = f" (every author is {authors[0]!r}: the export withheld names)" if authors.len() == 1 else ""
        notes.append(f"no comment is by {names[0]!r}{hint}: all {good.height} comments counted as customers'")
    else:
        notes.append(f"{by_page} comments by the page {names[0]!r}")
    messages = good.drop("_problem", "_record").with_columns(
        pl.lit(PLATFORM).alias("platform"),
        pl.lit(names[0]).alias("brand"),
        pl.lit(source).alias("source_file"),
    )
    return Chunk(messages=messages, rejects=rejects_of(df, value="message_id"), notes=notes)


def _header(head: bytes) -> list[str]:
    line = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
    return [c.strip().strip('"') for c in line.split(",")]


class MinimaxirLoader:
    name = "minimaxir"
    description = "facebook-page-post-scraper statuses or comments CSV (minimaxir; times at UTC−5; needs --brand)"

    def sniff(self, head: bytes, path: Path) -> bool:
        cols = _header(head)
        statuses = cols[:2] == ["status_id", "status_message"] and "status_published" in cols
        comments = cols[:4] == ["comment_id", "status_id", "parent_id", "comment_message"] and "comment_published" in cols
        return statuses or comments

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        names = _brand_names(path, options)
        raw, enc_notes = _read_export_csv(path, options)
        source = str(path)
        if "comment_id" in raw.columns:
            require_columns(path, raw, COMMENT_REQUIRED)
            chunk = _parse_comments(raw, names, source)
        else:
            require_columns(path, raw, STATUS_REQUIRED)
            chunk = _parse_statuses(raw, names, source, path)
        chunk.notes[:0] = enc_notes
        yield chunk


LOADER = MinimaxirLoader()

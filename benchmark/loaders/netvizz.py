"""Netvizz "page data" comments file (tab-separated, ``.tab``).

Netvizz (Bernhard Rieder's Facebook app, 2009-2019) exported a page's posts
and their comments. The comments file has one row per comment or reply::

    position  post_id  post_by  post_text  post_published  comment_id  comment_by
    is_reply  comment_message  comment_published  comment_like_count

* ``position`` — ``POSTINDEX_ROWINDEX`` (``2_5``): the post's and the row's
  order in the export; not an id.
* ``post_id`` — Graph id ``PAGEID_POSTID``; ``post_by``, ``post_text``,
  ``post_published`` describe the post and repeat on every row of its
  comments (the file has no rows for posts themselves).
* ``comment_id`` — Graph id ``POSTID_COMMENTID`` (replies too).
* ``comment_by`` — the author, anonymised as a SHA-1 hash, or the literal
  ``pageowner`` when the page itself wrote it.
* ``is_reply`` — ``1`` for a reply to a comment. Replies carry no parent id:
  Netvizz writes a comment's replies on the rows just **before** the comment,
  so a reply's parent is the next non-reply row of the same post. Replies
  with no such row (at the end of a post's rows) are attached to the post and
  counted in a note.
* ``*_published`` — ISO 8601 with offset, e.g. ``2016-08-31T19:02:51+0000``.
* ``comment_like_count`` — not used.

Canonical rows, as a Facebook Graph loader makes them: each distinct post
once (``kind`` post, the first row that mentions it), each row's comment
(``kind`` comment, parent the post) or reply (``kind`` reply, parent the
comment); ``thread_id`` is the post id. ``read`` counts both, so it is the
number of rows plus the number of distinct posts.

Who is the page: ``pageowner`` comments. Posts are hashed like any author;
the page's own posts are recognised as those by the most frequent
``post_by`` (a page's export is dominated by its own posts; ties go to the
author that appears first), or by ``pageowner``. Other posts are visitor
posts (customer requests). A note names the author taken as the page. The
page's messages get the page id (the ``post_id`` prefix) as ``author_id``.

``brand`` is the page name: ``--brand NAME``, else the file name without
its extension (``Marta Suplicy.tab`` → ``Marta Suplicy``).

Netvizz never quotes fields, so the file is read with quoting turned off (a
text that begins with ``"`` is text, not a quoted field).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from .base import Chunk, LoadOptions, rejects_of
from ._read.csvread import read_csv_strings, require_columns
from ._read.encoding import choose_encoding
from ._read.normalize import facebook_id, first_problem, parse_bool, parse_timestamp

__all__ = ["LOADER", "NetvizzLoader", "PAGE_OWNER", "PLATFORM", "REQUIRED", "page_name", "page_post_author"]

PLATFORM = "facebook"
PAGE_OWNER = "pageowner"
REQUIRED = ["post_id", "post_by", "post_published", "comment_id", "comment_by", "is_reply", "comment_published"]
_SNIFF_COLUMNS = ("post_id", "post_by", "comment_id", "comment_by", "is_reply", "comment_published")


def _read_tab(path: Path, options: LoadOptions) -> tuple[pl.DataFrame, list[str]]:
    """All-string frame with ``_record`` (1-based data row), read without quote handling."""
    encoding, notes = choose_encoding(path, options.encoding)
    df = read_csv_strings(path, encoding=encoding, separator="\t", quote_char=None, what="Netvizz tab file")
    df = df.rename({c: c.strip() for c in df.columns})
    return df.with_columns(pl.exclude("_record").str.strip_chars_end("\r")), notes


def page_name(path: Path, options: LoadOptions) -> str:
    """``--brand`` if given, else the file name without extension (and a trailing ``_comments``)."""
    for b in options.brands:
        if b.strip():
            return b.strip()
    return re.sub(r"[ _-]*comments$", "", path.stem, flags=re.IGNORECASE) or path.stem


def _comments(raw: pl.DataFrame) -> pl.DataFrame:
    """One row per input row: the comment or reply, its parent and its problem."""
    post, post_problem = facebook_id("post_id")
    cid, cid_problem = facebook_id("comment_id")
    reply, reply_problem = parse_bool("is_reply")
    created, created_problem = parse_timestamp("comment_published")
    df = raw.select(
        "_record",
        post.alias("post_id"),
        cid.alias("message_id"),
        reply.alias("_reply"),
        pl.col("comment_by").str.strip_chars().alias("_by"),
        created.alias("created_at"),
        (pl.col("comment_message") if "comment_message" in raw.columns else pl.lit(None, pl.String)).alias("text"),
        first_problem(
            pl.when(post.is_null()).then(pl.lit("post_id is empty")),
            post_problem,
            pl.when(cid.is_null()).then(pl.lit("comment_id is empty")),
            cid_problem,
            reply_problem,
            created_problem,
        ).alias("_problem"),
    )
    # A reply's parent: the next non-reply row of the same post, in file order.
    next_comment = pl.when(pl.col("_reply") == False).then(pl.col("message_id"))  # noqa: E712
    df = df.with_columns(next_comment.backward_fill().over("post_id", order_by="_record").alias("_next_comment"))
    is_reply = pl.col("_reply").fill_null(False)
    return df.with_columns(
        pl.when(is_reply).then(pl.coalesce("_next_comment", "post_id")).otherwise(pl.col("post_id")).alias("parent_id"),
        pl.when(is_reply).then(pl.lit("reply")).otherwise(pl.lit("comment")).alias("kind"),
        (is_reply & pl.col("_next_comment").is_null()).alias("_orphan"),
    )


def _posts(raw: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct post id (first mention), with its problem."""
    post, _ = facebook_id("post_id")
    created, created_problem = parse_timestamp("post_published")
    firsts = raw.with_columns(post.alias("message_id")).filter(pl.col("message_id").is_not_null()).unique("message_id", keep="first", maintain_order=True)
    return firsts.select(
        "_record",
        "message_id",
        pl.col("post_by").str.strip_chars().alias("_by"),
        created.alias("created_at"),
        (pl.col("post_text") if "post_text" in raw.columns else pl.lit(None, pl.String)).alias("text"),
        created_problem.alias("_problem"),
    )


def page_post_author(posts: pl.DataFrame) -> str | None:
    """The ``post_by`` taken as the page: ``pageowner`` if present, else the most frequent (first on ties)."""
    by = posts.get_column("_by").drop_nulls()
    if by.len() == 0:
        return None
    if (by == PAGE_OWNER).any():
        return PAGE_OWNER
    counts = posts.group_by("_by", maintain_order=True).agg(pl.len(), pl.col("_record").min()).drop_nulls("_by")
    return counts.sort(["len", "_record"], descending=[True, False]).item(0, "_by")


def _parse_netvizz(raw: pl.DataFrame, brand: str, source: str) -> Chunk:
    """Canonical posts, comments and replies from an all-string Netvizz frame."""
    comments = _comments(raw)
    posts = _posts(raw)
    page_by = page_post_author(posts)
    page_id = pl.col("message_id").str.extract(r"^([0-9]+)_")
    comment_page_id = pl.col("post_id").str.extract(r"^([0-9]+)_")

    post_is_brand = pl.col("_by").is_in([PAGE_OWNER, page_by] if page_by else [PAGE_OWNER]).fill_null(False)
    good_posts = posts.filter(pl.col("_problem").is_null()).select(
        "message_id",
        pl.lit(None, pl.String).alias("parent_id"),
        pl.col("message_id").alias("thread_id"),
        pl.when(post_is_brand).then(pl.coalesce(page_id, pl.col("_by"))).otherwise(pl.col("_by")).alias("author_id"),
        post_is_brand.alias("is_brand"),
        pl.lit("post").alias("kind"),
        "created_at",
        "text",
    )
    comment_is_brand = (pl.col("_by") == PAGE_OWNER).fill_null(False)
    good_comments = comments.filter(pl.col("_problem").is_null())
    orphans = good_comments.get_column("_orphan").sum()
    good_comments = good_comments.select(
        "message_id",
        "parent_id",
        pl.col("post_id").alias("thread_id"),
        pl.when(comment_is_brand).then(pl.coalesce(comment_page_id, pl.col("_by"))).otherwise(pl.col("_by")).alias("author_id"),
        comment_is_brand.alias("is_brand"),
        "kind",
        "created_at",
        "text",
    )
    messages = pl.concat([good_posts, good_comments]).with_columns(
        pl.lit(PLATFORM).alias("platform"),
        pl.lit(brand).alias("brand"),
        pl.lit(source).alias("source_file"),
    )
    rejects = rejects_of(posts, value="message_id") + rejects_of(comments, value="message_id")
    visitor_posts = good_posts.filter(~pl.col("is_brand")).height
    notes = [
        f"{raw.height} rows: {comments.height} comments and replies on {posts.height} posts (read counts both)",
        f"page {brand!r}: posts by {page_by!r} taken as the page's own, {visitor_posts} visitor posts; "
        f"{good_comments.filter(pl.col('is_brand')).height} comments by pageowner",
    ]
    if orphans:
        notes.append(f"{orphans} replies had no comment row after them (their parent); attached to the post")
    return Chunk(messages=messages, rejects=rejects, notes=notes)


class NetvizzLoader:
    name = "netvizz"
    description = "Netvizz page comments file (.tab; pageowner marks the page; --brand NAME or the file name names it)"

    def sniff(self, head: bytes, path: Path) -> bool:
        first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
        cols = [c.strip() for c in first.split("\t")]
        return all(c in cols for c in _SNIFF_COLUMNS)

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        raw, notes = _read_tab(path, options)
        require_columns(path, raw, REQUIRED)
        chunk = _parse_netvizz(raw, page_name(path, options), str(path))
        chunk.notes[:0] = notes
        yield chunk


LOADER = NetvizzLoader()

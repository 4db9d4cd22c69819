"""Facebook Graph API page feeds, posts and comments, as exporters save them.

Accepted shapes: one response (``{"data": [...], "paging": {...}}``), a JSON
array of such pages, NDJSON with one page per line, a page node with its
``feed``/``posts`` edge, an ``?ids=`` map, a single post or comment, and a
plain comments response (``/POST_ID/comments``, ``filter=stream`` included).

Mapping onto the canonical table (platform ``facebook``):

* posts (``PAGEID_POSTID``) are kind ``post`` with no parent; comments under a
  post are kind ``comment`` with ``parent_id`` = the post id; replies (a
  comment's nested ``comments``, or a flat comment with ``parent{id}``) are
  kind ``reply`` with ``parent_id`` = the comment replied to. ``thread_id`` is
  the post id for everything under a post.
* The page is the brand. Its id is the prefix of the post id before ``_``
  (for a comments-only file, the page in the comment's ``permalink_url``), or
  ``--brand`` (a page id or the page's name). ``is_brand`` = written by the
  page (``from.id`` == page id). The ``brand`` column is the page's name as the
  export shows it in the page's own ``from.name`` (else the page id), the same
  on every message of the page's feed, customers' included: a request is a
  visitor post on the page.
* Since Graph v11, comments often come without ``id`` and ``from``. They are
  kept when ``permalink_url`` carries ``comment_id``/``reply_comment_id``
  (the id is rebuilt as Graph writes it, ``POSTID_COMMENTID``), with an
  unknown author and ``is_brand`` false; otherwise they are rejected with a
  reason. Chunk notes count them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import polars as pl

from .base import Chunk, LoadOptions
from ._read.jsonread import BadDocument, Document, WalkedRows, first_json_char, json_id, json_text, json_time
from ._read.jsonwalk import load_walked

__all__ = [
    "COMMENT_ONLY_KEYS", "FacebookGraphLoader", "FacebookWalk", "LOADER", "PAGE_EDGES", "PLATFORM",
    "POST_ONLY_KEYS", "Permalink", "TIME_FIELD", "parse_permalink",
]

PLATFORM = "facebook"
TIME_FIELD = "created_time"
PAGE_EDGES = ("feed", "posts", "published_posts", "visitor_posts", "tagged")
POST_ONLY_KEYS = frozenset(
    {"status_type", "full_picture", "attachments", "shares", "story", "type", "updated_time", "is_published", "privacy", "picture", "icon", "reactions"}
)
COMMENT_ONLY_KEYS = frozenset(
    {"comment_count", "can_comment", "can_like", "like_count", "attachment", "can_remove", "can_hide", "is_hidden", "user_likes", "can_reply_privately"}
)
_GRAPH_ID = re.compile(r'"id"\s*:\s*"\d+_\d+')  # PAGEID_POSTID or POSTID_COMMENTID
_FB_PERMALINK = re.compile(r'facebook\.com\\?/[^"]*(comment_id=|/posts/)')
_TWITTER_MARKERS = (b'"author_id"', b'"conversation_id"', b'"edit_history_tweet_ids"', b'"referenced_tweets"')


@dataclass(frozen=True)
class Permalink:
    """What a comment's ``permalink_url`` tells: page, post object, comment and reply ids."""

    page: str | None = None
    post_object: str | None = None
    comment_id: str | None = None
    reply_id: str | None = None


def parse_permalink(url: object) -> Permalink:
    """Read ``https://www.facebook.com/PAGE/posts/POST/?comment_id=C&reply_comment_id=R`` and its variants."""
    if not isinstance(url, str) or "facebook.com" not in url:
        return Permalink()
    parts = urlsplit(url)
    query = parse_qs(parts.query)

    def q(name: str) -> str | None:
        value = query.get(name, [None])[0]
        return value if value and value.isdigit() else None

    segments = [s for s in parts.path.split("/") if s]
    page = q("id")
    if segments and segments[0].isdigit():
        page = segments[0]
    elif len(segments) > 1 and segments[0] == "groups" and segments[1].isdigit():
        page = segments[1]
    digits = [s for s in segments[1:] if s.isdigit()]
    post_object = q("story_fbid") or q("fbid") or (digits[-1] if digits else None)
    return Permalink(page, post_object, q("comment_id"), q("reply_comment_id"))


def _edge_hint(paging: object) -> str | None:
    """``comments`` or ``posts`` when the response's paging URL names the edge it pages through."""
    if not isinstance(paging, dict):
        return None
    for key in ("next", "previous"):
        url = paging.get(key)
        if isinstance(url, str):
            last = [s for s in urlsplit(url).path.split("/") if s][-1:]
            if last == ["comments"]:
                return "comments"
            if last and last[0] in PAGE_EDGES:
                return "posts"
    return None


def _looks_like_comment(item: dict[str, object]) -> bool:
    """A comment, not a post: it has a parent, a comment permalink, or comment-only fields."""
    if "parent" in item or parse_permalink(item.get("permalink_url")).comment_id:
        return True
    return bool(COMMENT_ONLY_KEYS & item.keys()) and not (POST_ONLY_KEYS & item.keys())


def _edge_items(node: dict[str, object], edge: str) -> list[object]:
    value = node.get(edge)
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        return value["data"]  # type: ignore[return-value]
    return []


def _post_object(message_id: str | None) -> str | None:
    """The post object id inside a comment id: ``POST_C`` → POST, ``PAGE_POST_C`` → POST."""
    if not message_id or "_" not in message_id:
        return None
    parts = message_id.split("_")
    return parts[1] if len(parts) >= 3 else parts[0]


class FacebookWalk:
    """Walks Graph API documents into rows, learning page names and counting withheld data."""

    def __init__(self, options: LoadOptions) -> None:
        brands = [b.strip().lstrip("@") for b in options.brands if b.strip()]
        self.given_ids = {b for b in brands if b.isdigit()}
        self.given_names = {b.lower() for b in brands if not b.isdigit()}
        self.single_page = brands[0] if len(brands) == 1 and brands[0].isdigit() else None
        self.rows = WalkedRows()
        self.page_names: dict[str, str] = {}  # page id -> the name the export shows for it
        self.named_pages: set[str] = set()  # page ids found from a --brand page name
        self.withheld = 0
        self.rebuilt = 0
        self.posts_without_author = 0

    # ---- documents ---------------------------------------------------------------
    def document(self, doc: Document | BadDocument) -> None:
        if isinstance(doc, BadDocument):
            self.rows.reject(doc.line, doc.reason, doc.raw)
        else:
            self._value(doc.value, doc.line)

    def _value(self, value: object, line: int | None) -> None:
        if isinstance(value, list):
            for v in value:
                self._value(v, line)
            return
        if not isinstance(value, dict):
            self.rows.reject(line, "not a JSON object", value)
            return
        error = value.get("error")
        if isinstance(error, dict):
            self.rows.reject(line, f"a Graph API error response, not data: {str(error.get('message', ''))[:100]}", value)
            return
        edges = [e for e in PAGE_EDGES if _edge_items(value, e) or isinstance(value.get(e), dict)]
        if edges and "id" in value:  # a page node: /PAGE?fields=name,feed{...}
            page = json_id(value.get("id"))
            if page and isinstance(value.get("name"), str):
                self.page_names.setdefault(page, value["name"])  # type: ignore[arg-type]
            for edge in edges:
                for item in _edge_items(value, edge):
                    self._item(item, line, "posts")
            return
        data = value.get("data")
        if isinstance(data, list):
            hint = _edge_hint(value.get("paging"))
            for item in data:
                self._item(item, line, hint)
            return
        if "created_time" in value or "permalink_url" in value or ("id" in value and "message" in value):
            self._item(value, line, None)
            return
        if value and all(isinstance(v, dict) and json_id(v.get("id")) == k for k, v in value.items()):  # ?ids=A,B
            for item in value.values():
                self._item(item, line, None)
            return
        self.rows.reject(line, f"not a Graph API page, post or comment (keys: {', '.join(list(value)[:6])})", value)

    def _item(self, item: object, line: int | None, hint: str | None) -> None:
        if not isinstance(item, dict):
            self.rows.reject(line, "a data entry is not a JSON object", item)
        elif hint == "comments" or (hint is None and _looks_like_comment(item)):
            self._comment(item, line, post_id=None, page=None, parent=None)
        else:
            self._post(item, line)

    # ---- posts and comments ------------------------------------------------------
    def _post(self, post: dict[str, object], line: int | None) -> None:
        post_id = json_id(post.get("id"))
        page = post_id.split("_", 1)[0] if post_id and "_" in post_id else self.single_page
        if post_id is None:
            self.rows.reject(line, "post has no id", post)
        else:
            if not isinstance(post.get("from"), dict):
                self.posts_without_author += 1
            self._add(line, post, "post", post_id, None, post_id, page)
        for comment in _edge_items(post, "comments"):
            self._comment(comment, line, post_id=post_id, page=page, parent=post_id)

    def _comment(self, c: object, line: int | None, post_id: str | None, page: str | None, parent: str | None, nested: bool = False) -> None:
        """A comment under ``post_id`` (None: find it from the comment) or, when ``nested``, a reply to ``parent``."""
        if not isinstance(c, dict):
            self.rows.reject(line, "a comment is not a JSON object", c)
            return
        link = parse_permalink(c.get("permalink_url"))
        given_id = json_id(c.get("id"))
        post_object = _post_object(given_id) or link.post_object or _post_object(post_id)
        page = page or link.page or (_page_of(given_id)) or self.single_page
        if post_id is None and post_object:
            post_id = f"{page}_{post_object}" if page else post_object
        parent_field = c.get("parent")
        parent_id = json_id(parent_field.get("id")) if isinstance(parent_field, dict) else None
        message_id = given_id
        if message_id is None:  # withheld since Graph v11: rebuild the id the way Graph writes it
            own = link.reply_id or (None if nested else link.comment_id)
            if not (post_object and own):
                why = "a reply without id and without reply_comment_id in permalink_url" if nested else "a comment without id and without comment_id in permalink_url"
                self.rows.reject(line, f"{why}: cannot be identified (withheld by the Graph API?)", c)
                return
            message_id = f"{post_object}_{own}"
            if link.reply_id and link.comment_id and parent_id is None and not nested:
                parent_id = f"{post_object}_{link.comment_id}"
            self.rebuilt += 1
        if parent_id is None and nested:
            parent_id = parent
        if parent_id is None and link.reply_id and link.comment_id and post_object:
            parent_id = f"{post_object}_{link.comment_id}"
        if parent_id is None and post_id is None:
            self.rows.reject(line, f"comment {message_id}: its post is unknown (no POSTID_ in its id, no permalink_url)", c)
            return
        kind = "reply" if parent_id is not None else "comment"
        self._add(line, c, kind, message_id, parent_id or post_id, post_id, page)
        for reply in _edge_items(c, "comments"):
            self._comment(reply, line, post_id=post_id, page=page, parent=message_id, nested=True)

    def _add(self, line: int | None, item: dict[str, object], kind: str, message_id: str, parent_id: str | None, thread_id: str | None, page: str | None) -> None:
        frm = item.get("from")
        author = json_id(frm.get("id")) if isinstance(frm, dict) else None
        name = frm.get("name") if isinstance(frm, dict) and isinstance(frm.get("name"), str) else None
        if author is None and kind != "post":
            self.withheld += 1
        if author is not None and name is not None:
            if author == page:
                self.page_names.setdefault(author, name)
            if name.lower() in self.given_names:
                self.named_pages.add(author)
                self.page_names.setdefault(author, name)
        self.rows.add(
            line,
            message_id=message_id,
            parent_id=parent_id,
            thread_id=thread_id,
            account=page,
            author_id=author,
            author_name=name,
            created=json_time(item.get("created_time")),
            text=json_text(item.get("message")),
            kind=kind,
        )

    def absorb(self, other: FacebookWalk) -> None:
        """Take what a full pre-pass over the file learned about pages."""
        self.page_names.update(other.page_names)
        self.named_pages |= other.named_pages

    def notes(self) -> list[str]:
        out = []
        if self.withheld:
            out.append(f"{self.withheld:,} comments with withheld authors kept (author unknown, not counted as the page's)")
        if self.rebuilt:
            out.append(f"{self.rebuilt:,} comment ids rebuilt from permalink_url (POSTID_COMMENTID)")
        if self.posts_without_author:
            out.append(
                f"{self.posts_without_author:,} posts without 'from': author unknown, so stored as visitor posts "
                "(requests); export with fields=from,... to tell the page's own posts"
            )
        if self.given_names and not self.named_pages:
            out.append(f"--brand {', '.join(sorted(self.given_names))}: no message of that page name found; brand taken from the page ids")
        return out


def _page_of(message_id: str | None) -> str | None:
    """The page in an old-style three-part comment id ``PAGE_POST_COMMENT``."""
    if message_id and message_id.count("_") >= 2:
        return message_id.split("_", 1)[0]
    return None


def _attribute_pages(frame: pl.DataFrame, walk: FacebookWalk, given: tuple[str, ...], source: str, platform: str = PLATFORM) -> pl.DataFrame:
    """Canonical rows: page (= brand account) per message, ``is_brand``, and the brand's display name."""
    page_ids = walk.given_ids | walk.named_pages
    account = pl.col("account")
    if len(page_ids) == 1:  # one page given: everything in the file is that page's
        only = next(iter(page_ids))
        account = pl.when(account.is_in([only])).then(account).otherwise(pl.lit(only))
    label = given[0].strip().lstrip("@") if len(given) == 1 else None
    names = walk.page_names
    brand = account.replace_strict(list(names), list(names.values()), default=account, return_dtype=pl.String) if names else account
    return frame.with_columns(account.alias("account")).select(
        pl.lit(platform).alias("platform"),
        brand.fill_null(pl.lit(label, dtype=pl.String)).alias("brand"),
        "message_id",
        "parent_id",
        "thread_id",
        "author_id",
        (pl.col("author_id") == account).fill_null(False).alias("is_brand"),
        "kind",
        "created_at",
        "text",
        pl.lit(source).alias("source_file"),
    )


class FacebookGraphLoader:
    name = "facebook"
    description = "Facebook Graph API page feed/posts/comments JSON (one response, an array of pages, or NDJSON)"

    def sniff(self, head: bytes, path: Path) -> bool:
        if first_json_char(head) not in ("{", "[") or any(m in head for m in _TWITTER_MARKERS):
            return False
        if b'"created_time"' not in head:
            return False
        text = head.decode("utf-8", "replace")
        return bool(_GRAPH_ID.search(text) or _FB_PERMALINK.search(text))

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        yield from load_walked(path, options, FacebookWalk, TIME_FIELD, _attribute_pages)


LOADER = FacebookGraphLoader()

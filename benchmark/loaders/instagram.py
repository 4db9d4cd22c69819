"""Instagram Graph API media and comments, as exporters save them.

Accepted shapes (one response, a JSON array of pages, or NDJSON of pages, as
for Facebook): comment lists (``/MEDIA_ID/comments``) whose comments carry
``replies{data}`` or a ``parent_id``; media objects with a ``comments`` edge;
a user node with its ``media`` edge (``business_discovery`` too); single
comments, ``?ids=`` maps and ``mentioned_comment`` lookups.

Mapping onto the canonical table (platform ``instagram``): a media object is
kind ``post`` by the account that owns it; a comment on it is kind
``comment`` with ``parent_id`` = the media id; a reply is kind ``reply`` with
``parent_id`` = the comment; ``thread_id`` is the media id. A
``mentioned_comment`` is kind ``mention``. Times come from ``timestamp``.

The brand is the account that owns the media: ``--brand`` (username or id)
when given, else the media's ``owner``/``username`` (or the user node). Its
own comments and replies (matched by ``from.id``/``user.id`` or username) are
brand messages; the ``brand`` column is the account's username when known.
Replies listed without ``from``/``username`` have an unknown author and are
not counted as the brand's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from .base import Chunk, LoadOptions
from ._read.jsonread import BadDocument, Document, WalkedRows, first_json_char, json_id, json_text, json_time
from ._read.jsonwalk import load_walked

__all__ = [
    "InstagramGraphLoader", "InstagramWalk", "LOADER", "MEDIA_KEYS", "Owner", "PLATFORM", "TIME_FIELD",
]

PLATFORM = "instagram"
TIME_FIELD = "timestamp"
MEDIA_KEYS = frozenset({"media_type", "caption", "media_url", "permalink", "owner", "comments_count", "shortcode", "media_product_type"})
_TWITTER_MARKERS = (b'"author_id"', b'"conversation_id"', b'"edit_history_tweet_ids"', b'"referenced_tweets"', b'"created_time"')
_COMMENT_SIGNS = re.compile(r'"(text|replies|parent_id|mentioned_comment)"\s*:|"comments"\s*:\s*\{')
_NUMERIC_ID = re.compile(r'"id"\s*:\s*"?\d+"?\s*[,}]')

Owner = tuple[str | None, str | None]  # (account id, username)


class InstagramWalk:
    """Walks Instagram Graph documents into rows, noting which account owns each thread."""

    def __init__(self, options: LoadOptions) -> None:
        brands = [b.strip().lstrip("@") for b in options.brands if b.strip()]
        self.label = brands[0] if len(brands) == 1 else None
        self.rows = WalkedRows()
        self.aliases: dict[str, str] = {b.lower(): b for b in brands}  # id or username (lower case) -> account
        self.page_names: dict[str, str] = {}  # account -> username, for the brand column
        self.unknown_authors = 0
        self.without_media = 0

    def document(self, doc: Document | BadDocument) -> None:
        if isinstance(doc, BadDocument):
            self.rows.reject(doc.line, doc.reason, doc.raw)
        else:
            self._value(doc.value, doc.line, (None, None))

    def _value(self, value: object, line: int | None, owner: Owner) -> None:
        if isinstance(value, list):
            for v in value:
                self._value(v, line, owner)
            return
        if not isinstance(value, dict):
            self.rows.reject(line, "not a JSON object", value)
            return
        if isinstance(value.get("error"), dict):
            self.rows.reject(line, f"a Graph API error response, not data: {str(value['error'].get('message', ''))[:100]}", value)  # type: ignore[union-attr]
            return
        if isinstance(value.get("mentioned_comment"), dict):
            self._comment(value["mentioned_comment"], line, None, (json_id(value.get("id")), None), kind="mention")
            return
        if isinstance(value.get("business_discovery"), dict):
            self._value(value["business_discovery"], line, owner)
            return
        media_edge = value.get("media")
        if isinstance(media_edge, dict) and isinstance(media_edge.get("data"), list):  # a user node with its media
            user = (json_id(value.get("id")), value.get("username") if isinstance(value.get("username"), str) else None)
            for item in media_edge["data"]:
                self._item(item, line, user)
            return
        data = value.get("data")
        if isinstance(data, list):
            for item in data:
                self._item(item, line, owner)
            return
        if "timestamp" in value or "text" in value or "comments" in value:
            self._item(value, line, owner)
            return
        if value and all(isinstance(v, dict) and json_id(v.get("id")) == k for k, v in value.items()):  # ?ids=A,B
            for item in value.values():
                self._item(item, line, owner)
            return
        self.rows.reject(line, f"not an Instagram media or comment (keys: {', '.join(list(value)[:6])})", value)

    def _item(self, item: object, line: int | None, owner: Owner) -> None:
        if not isinstance(item, dict):
            self.rows.reject(line, "a data entry is not a JSON object", item)
        elif "text" not in item and (MEDIA_KEYS & item.keys() or isinstance(item.get("comments"), dict)):
            self._media(item, line, owner)
        else:
            media = item.get("media")
            self._comment(item, line, json_id(media.get("id")) if isinstance(media, dict) else None, owner)

    def _account(self, owner: Owner) -> str | None:
        """The account key for an owner, registering its id and username as aliases."""
        oid, username = owner
        if self.label is not None:
            account = self.label
        else:
            account = username or oid
        if account is None:
            return None
        for alias in (oid, username):
            if alias:
                self.aliases.setdefault(alias.lower(), account)
        if username:
            self.page_names.setdefault(account, username)
        return account

    def _media(self, m: dict[str, object], line: int | None, owner: Owner) -> None:
        own = m.get("owner")
        username = own.get("username") if isinstance(own, dict) else None
        username = username if isinstance(username, str) else m.get("username")
        if isinstance(own, dict):
            owner = (json_id(own.get("id")), username if isinstance(username, str) else None)
        elif isinstance(username, str):
            owner = (owner[0], username)
        account = self._account(owner)
        media_id = json_id(m.get("id"))
        if media_id is None:
            self.rows.reject(line, "media has no id", m)
        elif "timestamp" in m:
            self.rows.add(
                line,
                message_id=media_id,
                thread_id=media_id,
                account=account,
                author_id=owner[0] or owner[1],
                author_name=owner[1],
                created=json_time(m.get("timestamp")),
                text=json_text(m.get("caption")),
                kind="post",
            )
        comments = m.get("comments")
        for c in comments.get("data", []) if isinstance(comments, dict) and isinstance(comments.get("data"), list) else []:
            self._comment(c, line, media_id, owner)

    def _comment(self, c: object, line: int | None, media_id: str | None, owner: Owner, parent: str | None = None, kind: str | None = None) -> None:
        if not isinstance(c, dict):
            self.rows.reject(line, "a comment is not a JSON object", c)
            return
        comment_id = json_id(c.get("id"))
        if comment_id is None:
            self.rows.reject(line, "comment has no id", c)
            return
        media = c.get("media")
        media_id = media_id or (json_id(media.get("id")) if isinstance(media, dict) else None)
        parent_id = parent or json_id(c.get("parent_id"))
        frm = c.get("from") if isinstance(c.get("from"), dict) else {}
        user = c.get("user") if isinstance(c.get("user"), dict) else {}
        username = frm.get("username") or c.get("username")  # type: ignore[union-attr]
        username = username if isinstance(username, str) else None
        author = json_id(frm.get("id")) or json_id(user.get("id")) or username  # type: ignore[union-attr]
        if author is None:
            self.unknown_authors += 1
        if media_id is None and parent_id is None and kind != "mention":
            self.without_media += 1
        self.rows.add(
            line,
            message_id=comment_id,
            parent_id=parent_id or (None if kind == "mention" else media_id),
            thread_id=media_id,
            account=self._account(owner),
            author_id=author,
            author_name=username,
            created=json_time(c.get("timestamp")),
            text=json_text(c.get("text")),
            kind=kind or ("reply" if parent_id else "comment"),
        )
        replies = c.get("replies")
        for r in replies.get("data", []) if isinstance(replies, dict) and isinstance(replies.get("data"), list) else []:
            self._comment(r, line, media_id, owner, parent=comment_id)

    def absorb(self, other: InstagramWalk) -> None:
        """Take what a full pre-pass over the file learned about accounts."""
        for alias, account in other.aliases.items():
            self.aliases.setdefault(alias, account)
        for account, name in other.page_names.items():
            self.page_names.setdefault(account, name)

    def notes(self) -> list[str]:
        out = []
        if self.unknown_authors:
            out.append(f"{self.unknown_authors:,} comments without from/username kept (author unknown, not counted as the brand's)")
        if self.without_media:
            out.append(f"{self.without_media:,} top-level comments without a media id: stored without a parent")
        if not self.aliases:
            out.append("no account owning the media is known: pass --brand USERNAME to attribute these comments")
        return out


def _attribute_accounts(frame: pl.DataFrame, walk: InstagramWalk, given: tuple[str, ...], source: str, platform: str = PLATFORM) -> pl.DataFrame:
    """Canonical rows: the owning account per message, ``is_brand`` and the account's username."""
    aliases = walk.aliases
    account = pl.col("account")
    if walk.label is not None:
        account = pl.lit(walk.label, dtype=pl.String)

    def owner_of(col: str) -> pl.Expr:
        key = pl.col(col).str.to_lowercase()
        return key.replace_strict(list(aliases), list(aliases.values()), default=None, return_dtype=pl.String) if aliases else pl.lit(None, dtype=pl.String)

    by_author = (owner_of("author_id") == account) | (owner_of("author_name") == account)
    own_media = (pl.col("kind") == "post") & account.is_not_null()
    names = walk.page_names
    brand = account.replace_strict(list(names), list(names.values()), default=account, return_dtype=pl.String) if names else account
    return frame.select(
        pl.lit(platform).alias("platform"),
        brand.alias("brand"),
        "message_id",
        "parent_id",
        "thread_id",
        "author_id",
        (by_author.fill_null(False) | own_media).alias("is_brand"),
        "kind",
        "created_at",
        "text",
        pl.lit(source).alias("source_file"),
    )


class InstagramGraphLoader:
    name = "instagram"
    description = "Instagram Graph API media/comments JSON (one response, an array of pages, or NDJSON)"

    def sniff(self, head: bytes, path: Path) -> bool:
        if first_json_char(head) not in ("{", "[") or any(m in head for m in _TWITTER_MARKERS):
            return False
        if b'"timestamp"' not in head:
            return False
        text = head.decode("utf-8", "replace")
        return bool(_COMMENT_SIGNS.search(text) and _NUMERIC_ID.search(text))

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        yield from load_walked(path, options, InstagramWalk, TIME_FIELD, _attribute_accounts)


LOADER = InstagramGraphLoader()

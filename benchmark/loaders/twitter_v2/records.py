"""Walk Twitter API v2 JSON (raw pages or ``twarc2 flatten`` lines) into flat tweet columns.

This is the only per-record Python in the Twitter v2 loader: v2 JSON is
nested (a page carries ``data``, ``includes.users`` and ``includes.tweets``;
a flattened tweet carries its ``author`` and its expanded
``referenced_tweets``), so each object is walked once and its few useful
fields appended to column lists. Everything after that (id checks, time
parsing, brand attribution) is vectorised in Polars.

Objects that are not tweets (compliance records, counts pages, user or list
lookups, error lines) become :class:`Reject` s with a reason, so the
loader's counting identity holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..base import Reject

__all__ = [
    "Batch", "EXAMPLES", "MENTION_COLUMNS", "PageWalker", "TWEET_COLUMNS", "USER_COLUMNS", "error_note",
    "is_tweet",
]

TWEET_COLUMNS: dict[str, pl.DataType] = {
    "_record": pl.Int64(),
    "message_id": pl.String(),
    "author_id": pl.String(),
    "author_username": pl.String(),
    "conversation_id": pl.String(),
    "created_at": pl.String(),
    "text": pl.String(),
    "parent_id": pl.String(),
    "reply_user_id": pl.String(),
    "reply_username": pl.String(),
    "is_retweet": pl.Boolean(),
}
USER_COLUMNS: dict[str, pl.DataType] = {"user_id": pl.String(), "username": pl.String()}
MENTION_COLUMNS: dict[str, pl.DataType] = {"_row": pl.Int64(), "_handle": pl.String()}  # in text order

# Keys of compliance events (v2 compliance streams wrap them in ``data``).
_COMPLIANCE_KEYS = frozenset(
    {"delete", "withheld", "scrub_geo", "drop", "undrop", "user_delete", "user_undelete", "user_withheld",
     "user_suspend", "user_unsuspend", "user_protect", "user_unprotect", "user_profile_modification"}
)
_TWEET_KEYS = ("text", "conversation_id", "author_id", "edit_history_tweet_ids", "referenced_tweets")
EXAMPLES = 3


def _as_id(value: Any) -> str | None:
    """An id as a string, never via float: ``123`` -> ``"123"``; floats keep their (lossy) repr so they are refused."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (str, int)):
        return str(value)
    return repr(value)[:40]


def is_tweet(obj: Any) -> bool:
    """A v2 tweet object (raw or flattened); user, list and media objects are not."""
    if not isinstance(obj, dict) or "id" not in obj:
        return False
    return any(k in obj for k in _TWEET_KEYS)


def _what_is(obj: Any) -> str:
    """Why an object that is not a tweet is skipped, as a short reason."""
    if not isinstance(obj, dict):
        return f"not a tweet: JSON {type(obj).__name__}"
    if "tweet_count" in obj:
        return "not a tweet: counts page"
    if "action" in obj and ("reason" in obj or "redacted_at" in obj) or _COMPLIANCE_KEYS & obj.keys():
        return "not a tweet: compliance record"
    if "username" in obj:
        return "not a tweet: user record"
    if "member_count" in obj or "owner_id" in obj:
        return "not a tweet: list record"
    if "media_key" in obj:
        return "not a tweet: media record"
    if "errors" in obj or ("title" in obj and "detail" in obj):
        return "not a tweet: error line" + _error_suffix(obj)
    keys = ", ".join(sorted(map(str, obj.keys()))[:6])
    return f"not a tweet: JSON object with keys {keys}"


def _describe_error(err: Any) -> str:
    """``Title: detail`` of one API error object."""
    if not isinstance(err, dict):
        return str(err)[:120]
    title, detail = err.get("title"), err.get("detail") or err.get("message")
    return ": ".join(str(x) for x in (title, detail) if x)[:160] or str(err)[:120]


def _error_suffix(obj: dict[str, Any]) -> str:
    errors = obj.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else obj
    text = _describe_error(first)
    return f" ({text})" if text else ""


@dataclass
class Batch:
    """Column lists for the tweets read so far, the users they name, and the records refused."""

    cols: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in TWEET_COLUMNS})
    user_ids: list[str] = field(default_factory=list)
    usernames: list[str] = field(default_factory=list)
    mention_rows: list[int] = field(default_factory=list)  # flat (row, username) pairs: list columns are slow to build
    mention_names: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    @property
    def tweets(self) -> int:
        return len(self.cols["message_id"])

    def frames(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        """Tweets (with a ``_row`` number), (id, username) pairs, and (``_row``, mentioned username) pairs."""
        tweets = pl.DataFrame(self.cols, schema=TWEET_COLUMNS).with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))
        users = pl.DataFrame({"user_id": self.user_ids, "username": self.usernames}, schema=USER_COLUMNS)
        mentions = pl.DataFrame({"_row": self.mention_rows, "_handle": self.mention_names}, schema=MENTION_COLUMNS)
        return tweets, users.unique("user_id", keep="first", maintain_order=True), mentions


@dataclass
class PageWalker:
    """Turns parsed JSON values into a :class:`Batch`, remembering what it saw across the file.

    ``includes.tweets`` (and the expanded ``referenced_tweets`` of flattened
    lines) repeat tweets already read, often on many pages; such a copy is
    skipped and counted in ``repeated``. The ids read are kept as ints (about
    60 bytes per tweet) to know this; ``data`` tweets are always emitted, so
    a tweet repeated in ``data`` is counted by the store as a duplicate.
    """

    batch: Batch = field(default_factory=Batch)
    seen: set[int | str] = field(default_factory=set)
    repeated: int = 0
    api_errors: int = 0
    error_examples: list[str] = field(default_factory=list)

    def take(self) -> Batch:
        batch, self.batch = self.batch, Batch()
        return batch

    def reject(self, record: int, reason: str, raw: str | None = None) -> None:
        self.batch.rejects.append(Reject(record=record, reason=reason, raw=raw))

    def feed(self, obj: Any, record: int) -> None:
        """Add one JSON value (a page, a flattened tweet, or anything else) read as ``record``."""
        if isinstance(obj, list):  # an array of pages or of flattened tweets on one line
            if not obj:
                self.reject(record, "not a tweet: empty JSON array")
            for item in obj:
                self.feed(item, record)
            return
        if isinstance(obj, dict) and "data" in obj:
            self._page(obj, record)
        elif is_tweet(obj):
            self._flat(obj, record)
        else:
            self.reject(record, _what_is(obj), raw=_short(obj))

    # ---- raw API pages -------------------------------------------------------
    def _page(self, page: dict[str, Any], record: int) -> None:
        self._note_errors(page.get("errors"))
        data = page["data"]
        items = [data] if isinstance(data, dict) else data if isinstance(data, list) else None
        if items is None:
            self.reject(record, f"not a tweet: page whose data is a JSON {type(data).__name__}")
            return
        if not items:
            self.reject(record, "not a tweet: page without tweets" + _error_suffix(page) if page.get("errors") else "not a tweet: empty page")
            return
        if not is_tweet(items[0]):
            self.reject(record, _what_is(items[0]), raw=f"{len(items)} item(s), first: {_short(items[0], 150)}")
            return
        includes = page.get("includes") if isinstance(page.get("includes"), dict) else {}
        for user in includes.get("users") or []:
            if isinstance(user, dict):
                self._user(user)
        for item in items:
            if is_tweet(item):
                self._tweet(item, record)
            else:
                self.reject(record, _what_is(item) + " (inside a tweets page)", raw=_short(item))
        for ref in includes.get("tweets") or []:
            if is_tweet(ref):
                self._include(ref, record)

    def _note_errors(self, errors: Any) -> None:
        if not isinstance(errors, list):
            return
        self.api_errors += len(errors)
        for err in errors[: EXAMPLES - len(self.error_examples)]:
            self.error_examples.append(_describe_error(err))

    def _include(self, ref: dict[str, Any], record: int) -> None:
        if _key(ref.get("id")) in self.seen:
            self.repeated += 1
            return
        self._tweet(ref, record)

    # ---- twarc2 flatten lines ------------------------------------------------
    def _flat(self, tweet: dict[str, Any], record: int) -> None:
        self._tweet(tweet, record)
        for ref in _items(tweet.get("referenced_tweets")):
            # flatten expands referenced tweets in place; a bare {type, id} was withheld or deleted
            if isinstance(ref, dict) and "text" in ref and "created_at" in ref and ref.get("id") != tweet.get("id"):
                self._include(ref, record)

    # ---- one tweet -----------------------------------------------------------
    def _user(self, user: Any) -> str | None:
        """Remember an (id, username) pair; returns the username."""
        if not isinstance(user, dict):
            return None
        uid, name = _as_id(user.get("id")), user.get("username")
        if isinstance(name, str) and name:
            if uid is not None:
                self.batch.user_ids.append(uid)
                self.batch.usernames.append(name)
            return name
        return None

    def _tweet(self, t: dict[str, Any], record: int) -> None:
        cols = self.batch.cols
        refs = [r for r in _items(t.get("referenced_tweets")) if isinstance(r, dict)]
        entities = t.get("entities") if isinstance(t.get("entities"), dict) else {}
        mentions = [m for m in _items(entities.get("mentions")) if isinstance(m, dict)]
        for m in mentions:  # newer API versions and flatten give the mentioned user's id too
            if "id" in m:
                self._user(m)
        author = t.get("author")
        note = t.get("note_tweet")  # tweets longer than 280 characters keep the full text here
        text = note.get("text") if isinstance(note, dict) and isinstance(note.get("text"), str) else t.get("text")
        self.seen.add(_key(t.get("id")))
        for m in mentions:
            if isinstance(m.get("username"), str):
                self.batch.mention_rows.append(self.batch.tweets)
                self.batch.mention_names.append(m["username"])
        cols["_record"].append(record)
        cols["message_id"].append(_as_id(t.get("id")))
        cols["author_id"].append(_as_id(t.get("author_id")) or (_as_id(author.get("id")) if isinstance(author, dict) else None))
        cols["author_username"].append(self._user(author))
        cols["conversation_id"].append(_as_id(t.get("conversation_id")))
        created = t.get("created_at")
        cols["created_at"].append(created if isinstance(created, str) or created is None else str(created))
        cols["text"].append(text if isinstance(text, str) else None)
        cols["parent_id"].append(next((_as_id(r.get("id")) for r in refs if r.get("type") == "replied_to"), None))
        cols["reply_user_id"].append(_as_id(t.get("in_reply_to_user_id")))
        cols["reply_username"].append(self._user(t.get("in_reply_to_user")))
        cols["is_retweet"].append(any(r.get("type") == "retweeted" for r in refs))


def _key(value: Any) -> int | str:
    """A compact set key for a tweet id."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value if isinstance(value, (int, str)) else repr(value)


def _short(obj: Any, limit: int = 200) -> str:
    try:
        return json.dumps(obj, ensure_ascii=False)[:limit]
    except (TypeError, ValueError):
        return str(obj)[:limit]


def error_note(walker: PageWalker) -> str | None:
    """One line about API errors found inside pages, or None."""
    if not walker.api_errors:
        return None
    examples = "; ".join(walker.error_examples)
    return (
        f"{walker.api_errors:,} API error(s) inside pages (withheld, deleted or suspended items; the tweets they "
        f"concern are missing), e.g. {examples}"
    )


def _items(value: Any) -> list[Any]:
    """A JSON field that should be a list; anything else (a hand-edited ``true``, a string) is no items."""
    return value if isinstance(value, list) else []

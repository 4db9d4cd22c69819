"""Which Twitter accounts are brands, and which brand each tweet belongs to.

Brand accounts are given by the user (``--brand @TelcoNova_Help`` or a
numeric user id), compared case-insensitively. The loader learns each brand
account's id and its username *as written in the data* (that spelling becomes
the ``brand`` value, so a brand's tweets and its customers' tweets always
carry the same string), and which conversations each brand writes in.

A customer tweet belongs to the brand it replies to (``in_reply_to_user_id``
or the parent's author), else the first brand it mentions (not for retweets,
whose only mention is the retweeted author), else the first brand that writes
in the same conversation, else to nobody (counted by the metrics as
unattributed, never ranked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

__all__ = ["BrandAccounts", "attribute_customers", "mark_brand_authors"]

_BRAND = pl.String()


@dataclass
class BrandAccounts:
    """The brand accounts of one file: lookups by id and by lower-case handle."""

    by_handle: dict[str, str] = field(default_factory=dict)  # lower-case username -> key
    by_id: dict[str, str] = field(default_factory=dict)  # numeric user id -> key
    display: dict[str, str] = field(default_factory=dict)  # key -> brand value
    from_data: set[str] = field(default_factory=set)  # keys whose display came from the data
    authors: set[str] = field(default_factory=set)  # keys that write at least one tweet
    conversations: list[pl.DataFrame] = field(default_factory=list)

    @classmethod
    def from_options(cls, brands: Sequence[str]) -> BrandAccounts:
        acc = cls()
        for token in brands:
            name = token.strip().lstrip("@").strip()
            if not name:
                continue
            if name.isdigit():
                acc.by_id.setdefault(name, name)
                acc.display.setdefault(name, name)
            else:
                acc.by_handle.setdefault(name.lower(), name.lower())
                acc.display.setdefault(name.lower(), name)
        return acc

    def __bool__(self) -> bool:
        return bool(self.display)

    def tokens(self) -> list[bytes]:
        """Lower-case byte strings one of which a line must contain to concern a brand."""
        return [t.encode() for t in (*self.by_handle, *self.by_id)]

    def learn(self, users: pl.DataFrame) -> None:
        """Link brand ids and usernames from ``(user_id, username)`` pairs seen in the data."""
        hits = users.filter(
            pl.col("username").str.to_lowercase().is_in(list(self.by_handle)) | pl.col("user_id").is_in(list(self.by_id))
        )
        for uid, name in hits.iter_rows():  # a handful of brand accounts, not one per tweet
            key = self.by_handle.get(name.lower()) or self.by_id[uid]
            old = self.by_id.get(uid)
            if old is not None and old != key:  # the same account given twice (id and handle): merge
                self.display.pop(old, None)
            self.by_id[uid] = key
            self.by_handle[name.lower()] = key
            if key not in self.from_data:
                self.display[key] = name
                self.from_data.add(key)

    def lookups(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        ids = pl.DataFrame(
            {"_uid": list(self.by_id), "_brand": [self.display.get(k) for k in self.by_id.values()]},
            schema={"_uid": pl.String(), "_brand": _BRAND},
        )
        handles = pl.DataFrame(
            {"_handle": list(self.by_handle), "_brand": [self.display.get(k) for k in self.by_handle.values()]},
            schema={"_handle": pl.String(), "_brand": _BRAND},
        )
        return ids.filter(pl.col("_brand").is_not_null()), handles.filter(pl.col("_brand").is_not_null())

    def brand_of_user(self, df: pl.DataFrame, id_col: str, name_col: str, out: str) -> pl.DataFrame:
        """Add ``out``: the brand value of the account in ``id_col``/``name_col`` (null when not a brand)."""
        ids, handles = self.lookups()
        return (
            df.with_columns(pl.col(name_col).str.to_lowercase().alias("_handle"))
            .join(ids.rename({"_uid": id_col, "_brand": "_by_id"}), on=id_col, how="left", maintain_order="left")
            .join(handles.rename({"_brand": "_by_name"}), on="_handle", how="left", maintain_order="left")
            .with_columns(pl.coalesce("_by_id", "_by_name").alias(out))
            .drop("_handle", "_by_id", "_by_name")
        )

    def remember_conversations(self, tweets: pl.DataFrame) -> None:
        """Keep (conversation, time, brand) of brand-written tweets, for customers who do not name the brand."""
        mine = tweets.filter(pl.col("is_brand") & pl.col("conversation_id").is_not_null())
        self.authors.update(k for k in mine.get_column("brand").unique().to_list() if k)
        self.conversations.append(mine.select("conversation_id", "created_at", "brand"))

    def conversation_brands(self) -> pl.DataFrame:
        """One row per conversation a brand writes in: the brand that wrote there first."""
        if not self.conversations:
            return pl.DataFrame(schema={"conversation_id": pl.String(), "_conv_brand": _BRAND})
        return (
            pl.concat(self.conversations)
            .sort("created_at", "brand", nulls_last=True)
            .unique("conversation_id", keep="first")
            .select("conversation_id", pl.col("brand").alias("_conv_brand"))
        )

    def silent(self) -> list[str]:
        """Brand values that never write a tweet in the file (their response times cannot be measured)."""
        return sorted(v for k, v in self.display.items() if v not in self.authors)


def mark_brand_authors(tweets: pl.DataFrame, users: pl.DataFrame, acc: BrandAccounts) -> pl.DataFrame:
    """Fill usernames from ``users`` and add ``is_brand`` and, for brand tweets, ``brand``.

    ``tweets`` needs the walker's columns plus a parsed ``created_at``.
    """
    names = users.rename({"user_id": "author_id", "username": "_author_name"})
    reply_names = users.rename({"user_id": "reply_user_id", "username": "_reply_name"})
    parents = tweets.select(pl.col("message_id").alias("parent_id"), pl.col("author_id").alias("_parent_author")).unique(
        "parent_id", keep="first"
    )
    t = (
        tweets.join(names, on="author_id", how="left", maintain_order="left")
        .join(parents, on="parent_id", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("author_username", "_author_name").alias("author_username"),
            pl.coalesce("reply_user_id", "_parent_author").alias("reply_user_id"),
        )
        .join(reply_names, on="reply_user_id", how="left", maintain_order="left")
        .with_columns(pl.coalesce("reply_username", "_reply_name").alias("reply_username"))
        .drop("_author_name", "_parent_author", "_reply_name")
    )
    t = acc.brand_of_user(t, "author_id", "author_username", "_author_brand")
    return t.with_columns(pl.col("_author_brand").is_not_null().alias("is_brand"), pl.col("_author_brand").alias("brand")).drop(
        "_author_brand"
    )


def attribute_customers(
    tweets: pl.DataFrame, mentions: pl.DataFrame, acc: BrandAccounts, conversations: pl.DataFrame
) -> pl.DataFrame:
    """Fill ``brand`` for customer tweets: replied-to brand, else mentioned brand, else the conversation's brand.

    ``mentions`` holds ``(_row, _handle)`` pairs in text order, ``_row`` matching the tweets' ``_row``.
    """
    t = acc.brand_of_user(tweets, "reply_user_id", "reply_username", "_reply_brand")
    _ids, handles = acc.lookups()
    mentioned = (
        mentions.with_columns(pl.col("_handle").str.to_lowercase())
        .join(handles, on="_handle", how="inner", maintain_order="left")
        .unique("_row", keep="first", maintain_order=True)
        .select("_row", pl.col("_brand").alias("_mention_brand"))
    )
    t = t.join(mentioned, on="_row", how="left", maintain_order="left").join(
        conversations, on="conversation_id", how="left", maintain_order="left"
    )
    mention = pl.when(pl.col("is_retweet")).then(None).otherwise(pl.col("_mention_brand"))
    return t.with_columns(
        pl.when(pl.col("is_brand"))
        .then(pl.col("brand"))
        .otherwise(pl.coalesce("_reply_brand", mention, "_conv_brand"))
        .alias("brand")
    ).drop("_reply_brand", "_mention_brand", "_conv_brand")

"""Dress one block of synthetic conversations as Twitter API v2 tweets, paged as twarc2 writes them.

A request is a fan's tweet that starts a conversation by mentioning the
brand's care handle; the brand answers with a reply (``referenced_tweets``
``replied_to``, ``in_reply_to_user_id``, same ``conversation_id``). The brand's
own announcements come from its main handle, with fans replying under them.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import numpy as np

from . import text as tx
from .brands import BrandSpec
from .clock import Grid
from .ids import IdMaker, iso_seconds, seconds
from .text import Fan
from .threads import BrandPosts, Requests

__all__ = [
    "EXPANSIONS", "PAGE_SIZE", "SEARCH", "TWARC_VERSION", "TWEET_FIELDS", "TwarcPages", "Tweets",
    "brand_tweets", "fan_of", "request_tweets", "tweet",
]

PAGE_SIZE = 100
TWARC_VERSION = "2.14.0"
SEARCH = "https://api.twitter.com/2/tweets/search/all"
EXPANSIONS = "author_id,entities.mentions.username,in_reply_to_user_id"
TWEET_FIELDS = "author_id,conversation_id,created_at,entities,id,in_reply_to_user_id,lang,referenced_tweets,text"


@lru_cache(maxsize=65536)
def fan_of(index: int, english: bool) -> Fan:
    return tx.fan(index, english)


def _fan_user(index: int, english: bool) -> dict[str, str]:
    f = fan_of(index, english)
    return {"id": str(1_400_000_000 + 2 * index + int(english)), "name": f.name, "username": f.handle}


def _brand_user(spec: BrandSpec, handle: str) -> dict[str, str]:
    return {"id": spec.user_id(handle), "name": spec.name if handle == spec.handles[-1] else f"{spec.name} Assistenza", "username": handle}


class Tweets:
    """Ids and ``created_at`` values for one kind of event (only where it happens)."""

    def __init__(self, grid: Grid, ids: IdMaker, minutes: np.ndarray, happens: np.ndarray) -> None:
        where = np.flatnonzero(happens).tolist()
        secs = seconds(grid, np.asarray(minutes)[where])
        self.secs = dict(zip(where, secs.tolist(), strict=True))
        self.ids = dict(zip(where, ids.take(secs), strict=True))
        self.times = dict(zip(where, (s + ".000Z" for s in iso_seconds(secs)), strict=True))

    def __contains__(self, i: int) -> bool:
        return i in self.ids


def tweet(
    tweet_id: str, created: str, author: dict[str, str], mentions: list[dict[str, str]], body: str, lang: str,
    conversation: str, parent: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A v2 tweet whose text starts with ``@mentions`` (offsets in code points, as the API gives them)."""
    text, spans, at = "", [], 0
    for m in mentions:
        spans.append({"start": at, "end": at + len(m["username"]) + 1, "username": m["username"], "id": m["id"]})
        text += f"@{m['username']} "
        at = len(text)
    t: dict[str, Any] = {
        "id": tweet_id,
        "text": text + body,
        "author_id": author["id"],
        "created_at": created,
        "conversation_id": conversation,
        "lang": lang,
        "edit_history_tweet_ids": [tweet_id],
    }
    if spans:
        t["entities"] = {"mentions": spans}
    if parent is not None:
        t["in_reply_to_user_id"] = parent[1]
        t["referenced_tweets"] = [{"type": "replied_to", "id": parent[0]}]
    return t


def request_tweets(spec: BrandSpec, grid: Grid, r: Requests, ids: IdMaker) -> list[tuple[int, dict[str, Any], list[dict[str, str]]]]:
    """Requests and their conversations as ``(epoch seconds, tweet, users it involves)``."""
    care = _brand_user(spec, spec.care_handle)
    req = Tweets(grid, ids, r.t0, np.ones(len(r), dtype=bool))
    first = Tweets(grid, ids, r.t1, r.answered)
    follow = Tweets(grid, ids, r.tf, r.follow)
    second = Tweets(grid, ids, r.t2, r.answered2)
    thanks = Tweets(grid, ids, r.tt, r.thanks)
    bump = Tweets(grid, ids, r.tb, r.bump)
    metoo = Tweets(grid, ids, r.tm, r.metoo)
    out: list[tuple[int, dict[str, Any], list[dict[str, str]]]] = []
    for i in range(len(r)):
        en, k = bool(r.english[i]), int(r.k[i])
        lang, code = int(en), ("en" if en else "it")
        fan = _fan_user(int(r.fan[i]), en)
        name = fan_of(int(r.fan[i]), en).first
        sig = tx.SIGNATURES[int(r.sig[i])]
        conv = req.ids[i]
        body = tx.fill(tx.request_template(spec.sector, int(r.category[i]), en, k), k=k, sector=spec.sector, english=en)
        out.append((req.secs[i], tweet(conv, req.times[i], fan, [care], body, code, conv), [fan, care]))
        last = (conv, fan["id"])  # the tweet the customer's next message answers
        if i in first:
            options = tx.REPLY_PRAISE if r.category[i] == 3 else tx.REPLY_DEFLECT if r.deflect[i] else tx.REPLY_HELP
            text = tx.fill(tx.pick(options[lang], k // 5), k=k, sector=spec.sector, english=en, first=name, sig=sig)
            out.append((first.secs[i], tweet(first.ids[i], first.times[i], care, [fan], text, code, conv, (conv, fan["id"])), [care, fan]))
            last = (first.ids[i], care["id"])
        if i in follow:
            text = tx.fill(tx.pick(tx.FOLLOWUP[lang], k // 7), k=k, sector=spec.sector, english=en)
            out.append((follow.secs[i], tweet(follow.ids[i], follow.times[i], fan, [care], text, code, conv, last), [fan, care]))
            if i in second:
                text = tx.fill(tx.pick(tx.REPLY_FOLLOWUP[lang], k // 11), k=k, first=name, sig=sig, english=en)
                out.append((second.secs[i], tweet(second.ids[i], second.times[i], care, [fan], text, code, conv, (follow.ids[i], fan["id"])), [care, fan]))
                last = (second.ids[i], care["id"])
        if i in thanks:
            text = tx.pick(tx.THANKS[lang], k // 13)
            out.append((thanks.secs[i], tweet(thanks.ids[i], thanks.times[i], fan, [care], text, code, conv, last), [fan, care]))
        if i in bump:  # the customer replies to their own tweet, mentioning the brand again
            text = tx.pick(tx.BUMP[lang], k // 17)
            out.append((bump.secs[i], tweet(bump.ids[i], bump.times[i], fan, [care], text, code, conv, (conv, fan["id"])), [fan, care]))
        if i in metoo:
            other = _fan_user(int(r.other_fan[i]), en)
            text = tx.fill(tx.pick(tx.ME_TOO[lang], k // 19), k=k // 3)
            out.append((metoo.secs[i], tweet(metoo.ids[i], metoo.times[i], other, [fan, care], text, code, conv, (conv, fan["id"])), [other, fan, care]))
    return out


def brand_tweets(spec: BrandSpec, grid: Grid, b: BrandPosts, ids: IdMaker) -> list[tuple[int, dict[str, Any], list[dict[str, str]]]]:
    """The brand's own announcements, fans' replies under them and the brand's answers."""
    main = _brand_user(spec, spec.handles[-1])
    posts = Tweets(grid, ids, b.tp, np.ones(len(b.tp), dtype=bool))
    comments = Tweets(grid, ids, b.tc, np.ones(len(b.tc), dtype=bool))
    answers = Tweets(grid, ids, b.tr, b.answered)
    out: list[tuple[int, dict[str, Any], list[dict[str, str]]]] = []
    for p in range(len(b.tp)):
        k = int(b.k[p])
        text = tx.fill(tx.pick(tx.BRAND_POSTS["it"], k), k=k, sector=spec.sector)
        out.append((posts.secs[p], tweet(posts.ids[p], posts.times[p], main, [], text, "it", posts.ids[p]), [main]))
    for j in range(len(b.tc)):
        p, en, k = int(b.post[j]), bool(b.english[j]), int(b.ck[j])
        fan = _fan_user(int(b.fan[j]), en)
        code, conv = ("en" if en else "it"), posts.ids[p]
        text = tx.fill(tx.pick(tx.POST_COMMENTS[int(en)], k), k=k, sector=spec.sector, english=en)
        out.append((comments.secs[j], tweet(comments.ids[j], comments.times[j], fan, [main], text, code, conv, (conv, main["id"])), [fan, main]))
        if j in answers:
            first = fan_of(int(b.fan[j]), en).first
            text = tx.fill(tx.pick(tx.REPLY_COMMENT[int(en)], k // 3), k=k, first=first, sig=tx.SIGNATURES[int(b.sig[j])])
            out.append((answers.secs[j], tweet(answers.ids[j], answers.times[j], main, [fan], text, code, conv, (comments.ids[j], fan["id"])), [main, fan]))
    return out


class TwarcPages:
    """Builds twarc2 response pages for one brand's search, newest tweets first."""

    def __init__(self, spec: BrandSpec, grid: Grid) -> None:
        query = " OR ".join(f"@{h} OR from:{h} OR to:{h}" for h in spec.handles)
        end = datetime.combine(grid.end, datetime.min.time(), UTC)
        self.url = (
            f"{SEARCH}?expansions={quote(EXPANSIONS)}&tweet.fields={quote(TWEET_FIELDS)}&user.fields=id%2Cname%2Cusername"
            f"&start_time={quote(grid.origin.strftime('%Y-%m-%dT%H:%M:%S+00:00'))}&end_time={quote((end + timedelta(days=45)).strftime('%Y-%m-%dT%H:%M:%S+00:00'))}"
            f"&max_results={PAGE_SIZE}&query={quote(query)}"
        )
        self.retrieved = end + timedelta(days=46, hours=10)
        self.number = 0
        self.token: str | None = None

    def page(self, items: list[tuple[dict[str, Any], list[dict[str, str]]]], has_next: bool) -> dict[str, Any]:
        tweets = [t for t, _ in items]
        users: dict[str, dict[str, str]] = {}
        for _, involved in items:
            for u in involved:
                users.setdefault(u["id"], u)
        ids = [int(t["id"]) for t in tweets]
        meta: dict[str, Any] = {"newest_id": str(max(ids)), "oldest_id": str(min(ids)), "result_count": len(tweets)}
        if has_next:
            meta["next_token"] = hashlib.sha1(f"{self.url}|{min(ids)}".encode()).hexdigest()[:44]
        url = self.url + (f"&next_token={self.token}" if self.token else "")
        retrieved = (self.retrieved + timedelta(seconds=2 * self.number)).isoformat()
        self.number += 1
        self.token = meta.get("next_token")
        return {"data": tweets, "includes": {"users": list(users.values())}, "meta": meta,
                "__twarc": {"url": url, "version": TWARC_VERSION, "retrieved_at": retrieved}}

"""Dress one block of synthetic conversations as Facebook Graph API ``/PAGE_ID/feed`` posts.

Requests are **visitor posts** (written by fans on the page); the page answers
with comments on them, follow-ups go in replies under a comment (Graph nests
two levels: comments, and replies to a comment). The page's own posts carry
fans' comments, some answered by the page.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from . import text as tx
from .brands import BrandSpec
from .clock import Grid
from .ids import IdMaker, cursor, iso_seconds, seconds
from .text import Fan
from .threads import BrandPosts, Requests

__all__ = [
    "Events", "FIELDS", "GRAPH", "PAGE_SIZE", "comment", "edge", "fan_of", "feed_page", "page_posts",
    "request_posts",
]

GRAPH = "https://graph.facebook.com/v19.0"
FIELDS = "id%2Ccreated_time%2Cmessage%2Cfrom%2Ccomments%7Bid%2Ccreated_time%2Cmessage%2Cfrom%2Ccomments%7D"
PAGE_SIZE = 25


@lru_cache(maxsize=65536)
def fan_of(index: int, english: bool) -> Fan:
    return tx.fan(index, english)


def _fan_from(index: int, english: bool) -> dict[str, str]:
    f = fan_of(index, english)
    return {"name": f.name, "id": str(1_000_000_000_000_000 + 2 * index + int(english))}


class Events:
    """Ids and timestamps for one kind of event (only where it happens), vectorised."""

    def __init__(self, grid: Grid, ids: IdMaker, minutes: np.ndarray, happens: np.ndarray) -> None:
        self.where = np.flatnonzero(happens)
        secs = seconds(grid, minutes[self.where])
        self.secs = dict(zip(self.where.tolist(), secs.tolist(), strict=True))
        self.ids = dict(zip(self.where.tolist(), ids.take(secs), strict=True))
        self.times = dict(zip(self.where.tolist(), (s + "+0000" for s in iso_seconds(secs)), strict=True))

    def __contains__(self, i: int) -> bool:
        return i in self.ids


def comment(object_id: str, created: str, message: str, author: dict[str, str], replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    c: dict[str, Any] = {"id": object_id, "created_time": created, "message": message, "from": author}
    if replies:
        c["comments"] = edge(replies)
    return c


def edge(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A Graph ``comments`` edge: data oldest first, with cursors."""
    items.sort(key=lambda c: (c["created_time"], c["id"]))
    return {"data": items, "paging": {"cursors": {"before": cursor("comment", items[0]["id"]), "after": cursor("comment", items[-1]["id"])}}}


def request_posts(spec: BrandSpec, grid: Grid, r: Requests, ids: IdMaker) -> list[tuple[int, dict[str, Any]]]:
    """Visitor posts with their comment trees, as ``(epoch seconds, post)`` pairs."""
    page = {"name": spec.name, "id": spec.page_id}
    everyone = np.ones(len(r), dtype=bool)
    post = Events(grid, ids, r.t0, everyone)
    first = Events(grid, ids, r.t1, r.answered)
    follow = Events(grid, ids, r.tf, r.follow)
    second = Events(grid, ids, r.t2, r.answered2)
    thanks = Events(grid, ids, r.tt, r.thanks)
    bump = Events(grid, ids, r.tb, r.bump)
    metoo = Events(grid, ids, r.tm, r.metoo)
    out = []
    for i in range(len(r)):
        en, k, fan_i = bool(r.english[i]), int(r.k[i]), int(r.fan[i])
        lang = int(en)
        customer = _fan_from(fan_i, en)
        name = fan_of(fan_i, en).first
        sig = tx.SIGNATURES[int(r.sig[i])]
        text = tx.fill(tx.request_template(spec.sector, int(r.category[i]), en, k), k=k, sector=spec.sector, english=en)
        pid = post.ids[i].rsplit("_", 1)[-1]
        top: list[dict[str, Any]] = []
        under_first: list[dict[str, Any]] = []
        if i in follow:
            f_text = tx.fill(tx.pick(tx.FOLLOWUP[lang], k // 7), k=k, sector=spec.sector, english=en)
            under_follow: list[dict[str, Any]] = []
            if i in second:
                s_text = tx.fill(tx.pick(tx.REPLY_FOLLOWUP[lang], k // 11), k=k, first=name, sig=sig, english=en)
                under_follow.append(comment(f"{pid}_{second.ids[i]}", second.times[i], s_text, page))
            if i in thanks:
                under_follow.append(comment(f"{pid}_{thanks.ids[i]}", thanks.times[i], tx.pick(tx.THANKS[lang], k // 13), customer))
            if r.follow_nested[i]:
                under_first.append(comment(f"{pid}_{follow.ids[i]}", follow.times[i], f_text, customer))
                under_first.extend(under_follow)
            else:
                top.append(comment(f"{pid}_{follow.ids[i]}", follow.times[i], f_text, customer, under_follow))
        elif i in thanks:
            under_first.append(comment(f"{pid}_{thanks.ids[i]}", thanks.times[i], tx.pick(tx.THANKS[lang], k // 13), customer))
        if i in first:
            top.append(comment(f"{pid}_{first.ids[i]}", first.times[i], _brand_reply(r, i, name, sig, en, spec.sector), page, under_first))
        if i in bump:
            top.append(comment(f"{pid}_{bump.ids[i]}", bump.times[i], tx.pick(tx.BUMP[lang], k // 17), customer))
        if i in metoo:
            other = _fan_from(int(r.other_fan[i]), en)
            top.append(comment(f"{pid}_{metoo.ids[i]}", metoo.times[i], tx.fill(tx.pick(tx.ME_TOO[lang], k // 19), k=k // 3), other))
        item: dict[str, Any] = {"id": f"{spec.page_id}_{pid}", "created_time": post.times[i], "message": text, "from": customer}
        if top:
            item["comments"] = edge(top)
        out.append((post.secs[i], item))
    return out


def _brand_reply(r: Requests, i: int, first: str, sig: str, english: bool, sector: str) -> str:
    """The brand's first answer: thanks for praise, a request to write privately, or help."""
    lang, k = int(english), int(r.k[i])
    options = tx.REPLY_PRAISE if r.category[i] == 3 else tx.REPLY_DEFLECT if r.deflect[i] else tx.REPLY_HELP
    return tx.fill(tx.pick(options[lang], k // 5), k=k, sector=sector, english=english, first=first, sig=sig)


def page_posts(spec: BrandSpec, grid: Grid, b: BrandPosts, ids: IdMaker) -> list[tuple[int, dict[str, Any]]]:
    """The page's own posts with fans' comments and the page's replies under them."""
    page = {"name": spec.name, "id": spec.page_id}
    posts = Events(grid, ids, b.tp, np.ones(len(b.tp), dtype=bool))
    comments = Events(grid, ids, b.tc, np.ones(len(b.tc), dtype=bool))
    answers = Events(grid, ids, b.tr, b.answered)
    trees: list[list[dict[str, Any]]] = [[] for _ in range(len(b.tp))]
    for j in range(len(b.tc)):
        p, en, k = int(b.post[j]), bool(b.english[j]), int(b.ck[j])
        pid = posts.ids[p]
        fan_i = int(b.fan[j])
        replies = []
        if j in answers:
            text = tx.fill(tx.pick(tx.REPLY_COMMENT[int(en)], k // 3), k=k, first=fan_of(fan_i, en).first, sig=tx.SIGNATURES[int(b.sig[j])])
            replies.append(comment(f"{pid}_{answers.ids[j]}", answers.times[j], text, page))
        text = tx.fill(tx.pick(tx.POST_COMMENTS[int(en)], k), k=k, sector=spec.sector, english=en)
        trees[p].append(comment(f"{pid}_{comments.ids[j]}", comments.times[j], text, _fan_from(fan_i, en), replies))
    out = []
    for p in range(len(b.tp)):
        k = int(b.k[p])
        text = tx.fill(tx.pick(tx.BRAND_POSTS["it"], k), k=k, sector=spec.sector)
        item: dict[str, Any] = {"id": f"{spec.page_id}_{posts.ids[p]}", "created_time": posts.times[p], "message": text, "from": page}
        if trees[p]:
            item["comments"] = edge(trees[p])
        out.append((posts.secs[p], item))
    return out


def feed_page(spec: BrandSpec, posts: list[dict[str, Any]], has_next: bool) -> dict[str, Any]:
    """One ``/PAGE_ID/feed`` response page (posts newest first)."""
    paging: dict[str, Any] = {"cursors": {"before": cursor("post", posts[0]["id"]), "after": cursor("post", posts[-1]["id"])}}
    if has_next:
        paging["next"] = f"{GRAPH}/{spec.page_id}/feed?fields={FIELDS}&limit={PAGE_SIZE}&after={paging['cursors']['after']}"
    return {"data": posts, "paging": paging}

"""When things happen in the synthetic sample: requests, replies, follow-ups, as numpy arrays.

One call draws one block of time (a week) for one brand on one platform: how
many customers write, when, and how each conversation unfolds (brand reply,
follow-up, second reply, thanks, bumps, other customers chiming in). Every
random choice is a vectorised draw; the platform writers only dress the
arrays as Facebook or Twitter records. A missing event is ``NaN`` (times) or
``False`` (flags).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .brands import BrandSpec
from .clock import Desk, Grid, business_shift
from .text import CATEGORY_WEIGHTS, SIGNATURES

__all__ = [
    "BRAND_POSTS_PER_DAY", "BrandPosts", "COMMENTS_PER_POST", "FanPool", "INCIDENT_BOOST",
    "MAX_DELAY_MINUTES", "Requests", "brand_posts_block", "incident_mask", "lognormal", "requests_block",
]

MAX_DELAY_MINUTES = 30 * 24 * 60  # no reply waits more than 30 days of open desk time
INCIDENT_BOOST = 8.0  # customer activity multiplier during a brand's outage
BRAND_POSTS_PER_DAY = {"facebook": 0.12, "twitter": 0.08}
COMMENTS_PER_POST = {"facebook": 3.0, "twitter": 2.0}


@dataclass(frozen=True)
class FanPool:
    """How many fictional fans there are on one platform (Italian and English speakers)."""

    italian: int
    english: int

    @classmethod
    def for_scale(cls, scale: float) -> FanPool:
        return cls(min(999_999, max(300, int(3000 * scale))), min(999_999, max(100, int(700 * scale))))

    def draw(self, rng: np.random.Generator, english: np.ndarray) -> np.ndarray:
        """Fan indices, skewed so that some fans write often."""
        u = rng.random(len(english)) ** 1.6
        size = np.where(english, self.english, self.italian)
        return np.floor(u * size).astype(np.int64)


@dataclass
class Requests:
    """Customer-started conversations of one block and how each unfolds (times in grid minutes)."""

    t0: np.ndarray
    fan: np.ndarray
    english: np.ndarray
    category: np.ndarray
    k: np.ndarray  # template/variation numbers
    sig: np.ndarray
    incident: np.ndarray
    answered: np.ndarray
    t1: np.ndarray
    deflect: np.ndarray
    follow: np.ndarray
    follow_nested: np.ndarray  # Facebook: follow-up as a reply under the brand's comment
    tf: np.ndarray
    answered2: np.ndarray
    t2: np.ndarray
    thanks: np.ndarray
    tt: np.ndarray
    bump: np.ndarray
    tb: np.ndarray
    metoo: np.ndarray
    tm: np.ndarray
    other_fan: np.ndarray

    def __len__(self) -> int:
        return len(self.t0)


@dataclass
class BrandPosts:
    """The brand's own posts of one block, with customers' comments under them and the brand's answers."""

    tp: np.ndarray
    k: np.ndarray
    post: np.ndarray  # for each comment, the index of its post
    tc: np.ndarray
    fan: np.ndarray
    english: np.ndarray
    ck: np.ndarray
    answered: np.ndarray
    tr: np.ndarray
    sig: np.ndarray


def lognormal(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(n))


def incident_mask(rng: np.random.Generator, grid: Grid, per_month: float = 0.4) -> np.ndarray:
    """Minutes of a brand's outages: a few 8-hour windows of much higher customer traffic."""
    months = grid.period_minutes / (1440 * 30.4)
    n = max(1, int(rng.poisson(per_month * months)))
    mask = np.zeros(grid.size, dtype=bool)
    days = max(1, grid.period_minutes // 1440 - 1)
    starts = rng.integers(0, days, n) * 1440 + (7 + rng.integers(0, 8, n)) * 60  # from 07:00 to 14:00 local
    for s in starts:
        mask[s : s + 480] = True
    return mask


def _draw_minutes(rng: np.random.Generator, weights: np.ndarray, lo: int, n: int) -> np.ndarray:
    """``n`` float minutes in ``[lo, lo + len(weights))``, each minute with probability ∝ its weight, sorted."""
    p = weights / weights.sum()
    m = rng.choice(len(weights), size=n, p=p) + lo
    return np.sort(m + rng.random(n))


def requests_block(
    rng: np.random.Generator,
    spec: BrandSpec,
    platform: str,
    grid: Grid,
    desk: Desk | None,
    incidents: np.ndarray,
    lo: int,
    hi: int,
    scale: float,
    fans: FanPool,
) -> Requests:
    """Draw the requests customers start between minutes ``lo`` and ``hi`` and their conversations."""
    per_month = spec.fb_per_month if platform == "facebook" else spec.tw_per_month
    per_day = per_month * 12 / 365.25
    weights = grid.customer_weight[lo:hi] * np.where(incidents[lo:hi], INCIDENT_BOOST, 1.0)
    n = int(rng.poisson(per_day * scale * weights.sum()))
    t0 = _draw_minutes(rng, weights, lo, n)
    minute = t0.astype(np.int64)
    incident = incidents[minute]
    english = rng.random(n) < spec.english_share
    category = np.where(incident, 0, rng.choice(len(CATEGORY_WEIGHTS), size=n, p=CATEGORY_WEIGHTS))
    k = rng.integers(0, 1_000_000, n)
    sig = rng.integers(0, len(SIGNATURES), n)
    fan = fans.draw(rng, english)
    praise = category == 3

    answered = rng.random(n) < np.where(praise, min(1.0, spec.answer_rate + 0.05), spec.answer_rate)
    delay = np.clip(lognormal(rng, spec.median_minutes, spec.sigma, n), 0.5, MAX_DELAY_MINUTES)
    t1 = np.where(answered, business_shift(t0, delay, desk), np.nan)
    deflect = answered & ~praise & (rng.random(n) < spec.deflect_share)

    follow = answered & ~praise & (rng.random(n) < np.where(deflect, 0.55, 0.35))
    follow_nested = rng.random(n) < 0.7
    tf = np.where(follow, t1 + 1 + lognormal(rng, 30, 1.0, n), np.nan)
    answered2 = follow & (rng.random(n) < min(0.95, spec.answer_rate + 0.05))
    delay2 = np.clip(lognormal(rng, spec.median_minutes * 0.6, spec.sigma, n), 0.5, MAX_DELAY_MINUTES)
    t2 = np.where(answered2, business_shift(np.nan_to_num(tf), delay2, desk), np.nan)

    last_brand = np.fmax(t1, t2)
    thanks = answered & (rng.random(n) < 0.25)
    tt = np.where(thanks, last_brand + 1 + lognormal(rng, 15, 1.0, n), np.nan)

    wait = np.nan_to_num(t1 - t0, nan=0.0)
    bump = np.where(answered, (wait > 360) & (rng.random(n) < 0.4), rng.random(n) < 0.35)
    tb = np.where(
        answered,
        t0 + wait * rng.uniform(0.3, 0.9, n),
        t0 + 5 + lognormal(rng, 300, 1.0, n),
    )
    tb = np.where(bump, tb, np.nan)

    metoo = rng.random(n) < np.where(incident, 0.5, 0.06)
    tm = np.where(metoo, t0 + 2 + lognormal(rng, 90, 1.0, n), np.nan)
    other_fan = fans.draw(rng, english)
    other_fan = np.where(other_fan == fan, other_fan + 1, other_fan)
    return Requests(
        t0, fan, english, category, k, sig, incident, answered, t1, deflect, follow, follow_nested, tf,
        answered2, t2, thanks, tt, bump, tb, metoo, tm, other_fan,
    )


def brand_posts_block(
    rng: np.random.Generator,
    spec: BrandSpec,
    platform: str,
    grid: Grid,
    desk: Desk | None,
    lo: int,
    hi: int,
    scale: float,
    fans: FanPool,
    at_least_one: bool,
) -> BrandPosts:
    """Draw the brand's own posts in ``[lo, hi)``, customers' comments under them and the brand's answers."""
    days = (hi - lo) / 1440
    n = int(rng.poisson(BRAND_POSTS_PER_DAY[platform] * days * scale))
    if at_least_one:
        n = max(n, 1)
    daytime = (grid.minute_of_day[lo:hi] >= 9 * 60) & (grid.minute_of_day[lo:hi] < 19 * 60)
    usable = daytime & (desk.open[lo:hi] if desk is not None else True)
    if not usable.any():
        usable = daytime if daytime.any() else np.ones(hi - lo, dtype=bool)
    tp = _draw_minutes(rng, usable.astype(np.float64), lo, n)
    k = rng.integers(0, 1_000_000, n)
    per_post = rng.poisson(COMMENTS_PER_POST[platform], n)
    post = np.repeat(np.arange(n), per_post)
    m = len(post)
    english = rng.random(m) < spec.english_share / 2
    tc = tp[post] + 1 + lognormal(rng, 120, 1.2, m)
    answered = rng.random(m) < spec.answer_rate * 0.5
    delay = np.clip(lognormal(rng, spec.median_minutes, spec.sigma, m), 0.5, MAX_DELAY_MINUTES)
    tr = np.where(answered, business_shift(tc, delay, desk), np.nan)
    return BrandPosts(
        tp, k, post, tc, fans.draw(rng, english), english, rng.integers(0, 1_000_000, m), answered, tr,
        rng.integers(0, len(SIGNATURES), m),
    )

"""Definitions without gaps (issue 16): each test pins one rule that README.md and docs/metrics.md state.

Hand-worked tiny fixtures, fictional brands (NovaTel, LumeBank, SilentCo, ...). Time rules (Kaplan–Meier,
bootstrap, business hours, night and weekend) are in test_definitions_time.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import narwhals as nw
import polars as pl
import pytest
from test_metrics_builders import messages

from benchmark.api import metric_options
from benchmark.engine import DuckDBEngine, PolarsEngine
from benchmark.loaders import LoadOptions, twcs
from benchmark.metrics import DEFAULT_OPEN_WINDOW_S, Filters, MetricOptions, measure
from benchmark.metrics.deflection import is_deflection
from benchmark.rank import rank_table
from benchmark.schema import conform

T0 = datetime(2024, 5, 6, 9, tzinfo=UTC)  # a Monday
END = T0 + timedelta(days=10)  # the latest message of the fixture below: the end of the data
H72 = timedelta(hours=72)
ENGINES = [PolarsEngine(), DuckDBEngine()]  # (Spark agrees through the conformance suite; not run here)


def _rows(table: pl.DataFrame) -> dict[str, dict]:
    return {r["brand"]: r for r in table.to_dicts()}


# --- the open window, and what response_rate and within_* divide by -------------------------------------------------

# NovaTel: r1 answered after 600 s; r2 unanswered and old; r3 unanswered, exactly 72 h old at the end of the data;
# r4 unanswered, 72 h − 1 s old. LumeBank: one request written at the very end (it sets the end of the data).
OPEN_ROWS = [
    ("r1", None, "c1", False, "NovaTel", T0),
    ("r1a", "r1", "NovaTel", True, "NovaTel", T0 + timedelta(seconds=600)),
    ("r2", None, "c2", False, "NovaTel", T0 + timedelta(hours=1)),
    ("r3", None, "c3", False, "NovaTel", END - H72),
    ("r4", None, "c4", False, "NovaTel", END - H72 + timedelta(seconds=1)),
    ("l1", None, "c5", False, "LumeBank", END),
]


def test_the_open_window_defaults_to_72_hours_everywhere():
    assert DEFAULT_OPEN_WINDOW_S == 72 * 3600
    assert MetricOptions().open_window_s == 72 * 3600  # measure()'s default
    assert metric_options().open_window_s == 72 * 3600  # bm.rank / bm.requests / the CLI: open_window="72h"


@pytest.mark.parametrize("eng", ENGINES, ids=lambda e: e.name)
def test_open_requests_are_younger_than_the_window_and_left_out_of_every_share(eng):
    m = measure(messages(OPEN_ROWS), engine=eng)  # default options: 72 h
    status = dict(m.facts.select("request_id", "status").rows())
    # followup = END − request time: r3 waited exactly 72 h (not < 72 h) → unanswered; r4 72 h − 1 s → open.
    assert status == {"r1": "answered", "r2": "unanswered", "r3": "unanswered", "r4": "open", "l1": "open"}
    nova, lume = _rows(m.table)["NovaTel"], _rows(m.table)["LumeBank"]
    # requests 4 (the open one included), answered 1, open 1, unanswered = 4 − 1 − 1 = 2.
    assert (nova["requests"], nova["answered"], nova["open"], nova["unanswered"]) == (4, 1, 1, 2)
    # Every share divides by requests − open = 3: response_rate 1/3 and within_* 1/3 (r1 took 600 s ≤ 30 min).
    assert nova["response_rate"] == pytest.approx(1 / 3)
    for col in ("within_30m", "within_1h", "within_24h"):
        assert nova[col] == pytest.approx(1 / 3), col
    # Wilson interval on the same n = 3: 1 of 3.
    assert nova["response_rate_ci_low"] < 1 / 3 < nova["response_rate_ci_high"]
    # LumeBank: its only request is open → requests − open = 0 → every share is null, never 0.
    assert (lume["requests"], lume["open"], lume["unanswered"]) == (1, 1, 0)
    assert lume["response_rate"] is None and lume["within_1h"] is None


@pytest.mark.parametrize("window", [0.0, None])
def test_open_window_zero_or_none_counts_every_unanswered_request_as_a_miss(window):
    m = measure(messages(OPEN_ROWS), engine=PolarsEngine(), options=MetricOptions(open_window_s=window))
    assert set(m.facts["status"]) == {"answered", "unanswered"}
    nova, lume = _rows(m.table)["NovaTel"], _rows(m.table)["LumeBank"]
    assert (nova["requests"], nova["open"], nova["unanswered"]) == (4, 0, 3)
    assert nova["response_rate"] == pytest.approx(1 / 4) and nova["within_1h"] == pytest.approx(1 / 4)
    assert lume["response_rate"] == 0.0


def test_the_end_of_the_data_is_the_latest_message_whatever_the_filters():
    # Selecting NovaTel only, and only requests before END − 1 day: the clock is still LumeBank's message at END.
    f = Filters(brands=("NovaTel",), until_us=int((END - timedelta(days=1)).timestamp() * 1_000_000))
    m = measure(messages(OPEN_ROWS), f, engine=PolarsEngine())
    assert m.diagnostics.end_of_data == END
    assert dict(m.facts.select("request_id", "status").rows())["r4"] == "open"


def test_the_default_ranking_shows_no_open_column_but_counts_open_requests_as_requests():
    m = measure(messages(OPEN_ROWS), engine=PolarsEngine(), options=MetricOptions(extended=False))
    ranked = rank_table(m.table, by="response_rate", min_requests=4)
    assert "open" not in ranked.columns  # only with figures="all"; the CLI prints the count on stderr
    # --min-requests compares `requests`, open ones included: NovaTel's 4 pass a floor of 4.
    assert _rows(ranked)["NovaTel"]["rank"] == 1 and _rows(ranked)["NovaTel"]["unanswered"] == 2


# --- the "devoted" flag: span of the selection in quarters of 365.25/4 days -------------------------------------------

QUARTER = timedelta(days=365.25 / 4)  # 91 d 7 h 30 min


def _answered(rid: str, brand: str, at: datetime) -> list[tuple]:
    return [(rid, None, f"c{rid}", False, brand, at), (f"{rid}a", rid, brand, True, brand, at + timedelta(minutes=5))]


def test_devoted_needs_the_rate_and_min_per_quarter_over_the_span_of_the_whole_selection():
    # NovaTel: 2 answered requests at T0 and T0 + 1 h. LumeBank: 1 answered request at T0 + 2 quarters exactly.
    rows = _answered("n1", "NovaTel", T0) + _answered("n2", "NovaTel", T0 + timedelta(hours=1))
    rows += _answered("l1", "LumeBank", T0 + 2 * QUARTER)
    opts = MetricOptions(devoted_min_per_quarter=1)
    # Span = first to last attributed request across all brands = 2 quarters → each needs ≥ 1 × 2 = 2 requests.
    both = _rows(measure(messages(rows), engine=PolarsEngine(), options=opts).table)
    assert (both["NovaTel"]["devoted"], both["LumeBank"]["devoted"]) == (True, False)  # 2 ≥ 2; 1 < 2
    # 1 s more of span (2 quarters + 1 s): NovaTel's 2 < 2.00000013 → no longer devoted.
    later = rows[:4] + _answered("l1", "LumeBank", T0 + 2 * QUARTER + timedelta(seconds=1))
    assert _rows(measure(messages(later), engine=PolarsEngine(), options=opts).table)["NovaTel"]["devoted"] is False
    # Select NovaTel alone: the span shrinks to 1 h → max(1, …) = 1 quarter → 2 ≥ 1 again.
    alone = measure(messages(later), Filters(brands=("NovaTel",)), engine=PolarsEngine(), options=opts).table
    assert _rows(alone)["NovaTel"]["devoted"] is True
    # With --period every row needs ≥ 1 × min_per_quarter whatever the period's length (a week here).
    weekly = measure(messages(rows), engine=PolarsEngine(), options=MetricOptions(devoted_min_per_quarter=2, period="week")).table
    assert weekly.filter(pl.col("brand") == "NovaTel")["devoted"].to_list() == [True]


def test_devoted_rate_bar_is_inclusive():
    # SolaMedia: 13 of 20 answered = 0.65 exactly (≥ 0.65 → devoted); one more unanswered: 13/21 < 0.65.
    rows = []
    for i in range(20):
        t = T0 + timedelta(hours=i)
        rows += _answered(f"s{i}", "SolaMedia", t) if i < 13 else [(f"s{i}", None, f"cs{i}", False, "SolaMedia", t)]
    opts = MetricOptions(devoted_min_per_quarter=1, open_window_s=0)
    assert _rows(measure(messages(rows), engine=PolarsEngine(), options=opts).table)["SolaMedia"]["devoted"] is True
    rows.append(("s20", None, "cs20", False, "SolaMedia", T0 + timedelta(hours=20)))
    assert _rows(measure(messages(rows), engine=PolarsEngine(), options=opts).table)["SolaMedia"]["devoted"] is False


# --- facebook and twitter rows of one brand are ranked in one list ----------------------------------------------------


def _platform_rows(brand: str, frts: list[float], prefix: str) -> list[tuple]:
    rows = []
    for i, f in enumerate(frts):
        t = T0 + timedelta(hours=i)
        rows += [(f"{prefix}{i}", None, f"c{prefix}{i}", False, brand, t), (f"{prefix}{i}a", f"{prefix}{i}", brand, True, brand, t + timedelta(seconds=f))]
    return rows


def _two_platforms() -> pl.DataFrame:
    twitter = messages(_platform_rows("NovaTel", [60.0], "nt") + _platform_rows("LumeBank", [120.0, 120.0], "lt"), platform="twitter")
    facebook = messages(_platform_rows("NovaTel", [600.0, 600.0], "nf"), platform="facebook")
    return pl.concat([twitter, facebook])


def test_platform_rows_share_one_ranking_and_min_requests_applies_per_row():
    table = measure(_two_platforms(), engine=PolarsEngine(), options=MetricOptions(extended=False)).table
    ranked = rank_table(table, min_requests=1)
    # One list: NovaTel/twitter 60 s, LumeBank/twitter 120 s, NovaTel/facebook 600 s.
    assert ranked.select("rank", "brand", "platform").rows() == [
        (1, "NovaTel", "twitter"), (2, "LumeBank", "twitter"), (3, "NovaTel", "facebook")
    ]
    # --min-requests 2 is per (platform, brand) row: NovaTel/twitter has 1 request (3 over both platforms) → apart.
    floor = rank_table(table, min_requests=2)
    assert floor.select("rank", "brand", "platform").rows() == [
        (1, "LumeBank", "twitter"), (2, "NovaTel", "facebook"), (None, "NovaTel", "twitter")
    ]


def test_ranking_per_platform_is_a_platform_filter():
    table = measure(_two_platforms(), Filters(platform="facebook"), engine=PolarsEngine(), options=MetricOptions(extended=False)).table
    assert rank_table(table, min_requests=1).select("rank", "brand", "platform").rows() == [(1, "NovaTel", "facebook")]


# --- TWCS attribution and known company accounts ----------------------------------------------------------------------

HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"


def _twcs(tmp_path: Path, lines: list[str], brands: tuple[str, ...] = ()) -> pl.DataFrame:
    p = tmp_path / "twcs.csv"
    p.write_text(HEADER + "\n".join(lines) + "\n")
    chunks = list(twcs.LOADER.load(p, LoadOptions(brands=brands)))
    assert len(chunks) == 1
    return conform(chunks[0].messages)


def test_twcs_request_goes_to_the_earliest_company_message_at_or_after_it(tmp_path):
    df = _twcs(tmp_path, [
        "1,c1,True,Mon May 06 09:00:00 +0000 2024,@LumeBank help,,",
        # LumeBank's reply is dated a minute *before* the request (clock skew): it neither attributes nor answers.
        "2,LumeBank,False,Mon May 06 08:59:00 +0000 2024,@c1 early,,1",
        "3,NovaTel,False,Mon May 06 09:05:00 +0000 2024,@c1 hi,,1",
        "4,LumeBank,False,Mon May 06 09:10:00 +0000 2024,@c1 hi,,1",
        # A company message at the request's very second counts ("at or after"); it beats the mention.
        "10,c2,True,Mon May 06 10:00:00 +0000 2024,@NovaTel hello,,",
        "11,LumeBank,False,Mon May 06 10:00:00 +0000 2024,@c2 same second,,10",
        "12,NovaTel,False,Mon May 06 10:01:00 +0000 2024,@c2 later,,10",
    ])
    brands = dict(df.filter(~pl.col("is_brand")).select("message_id", "brand").rows())
    assert brands == {"1": "NovaTel", "10": "LumeBank"}  # not the @mentioned LumeBank / NovaTel
    facts = measure(df, engine=PolarsEngine()).facts
    assert sorted(facts.select("request_id", "brand", "response_id", "frt_s").rows()) == [
        ("1", "NovaTel", "3", 300.0), ("10", "LumeBank", "11", 0.0)
    ]


def test_twcs_same_second_company_messages_are_broken_by_the_smaller_id_as_text(tmp_path):
    # NovaTel's 41 and LumeBank's 5 are both at 11:01:00; "41" < "5" as text, so NovaTel wins (not the numerically
    # smaller 5).
    df = _twcs(tmp_path, [
        "40,c5,True,Mon May 06 11:00:00 +0000 2024,hi,,",
        "41,NovaTel,False,Mon May 06 11:01:00 +0000 2024,x,,40",
        "5,LumeBank,False,Mon May 06 11:01:00 +0000 2024,x,,40",
    ])
    assert df.filter(pl.col("message_id") == "40")["brand"].item() == "NovaTel"


def test_known_company_accounts_are_the_authors_of_outbound_tweets_in_the_file(tmp_path):
    df = _twcs(tmp_path, [
        "1,NovaTel,False,Mon May 06 08:00:00 +0000 2024,@someone hi,,",  # makes NovaTel a known account
        "2,LumeBank,False,Mon May 06 08:00:00 +0000 2024,@someone hi,,",
        # Mentions are matched case-insensitively; the first *known* handle in the text wins (SilentCo is not
        # known: it never writes, even though it is given as a brand account), and the brand keeps the
        # company's own spelling.
        "20,c3,True,Mon May 06 10:00:00 +0000 2024,@SilentCo @novatel @LumeBank hello,,",
        # An e-mail address is a mention: @LumeBank inside info@LumeBank.com is found.
        "21,c4,True,Mon May 06 10:00:00 +0000 2024,I wrote to info@LumeBank.com twice,,",
        "22,c5,True,Mon May 06 10:00:00 +0000 2024,@SilentCo hello,,",
        # Only the thread starter's text is read: the mention in the follow-up 24 does not attribute 23.
        "23,c6,True,Mon May 06 10:00:00 +0000 2024,hello,,",
        "24,c6,True,Mon May 06 10:01:00 +0000 2024,@NovaTel hello?,,23",
    ], brands=("SilentCo",))
    brands = dict(df.filter(~pl.col("is_brand")).select("message_id", "brand").rows())
    assert brands == {"20": "NovaTel", "21": "LumeBank", "22": None, "23": None, "24": None}
    m = measure(df, engine=PolarsEngine())
    assert sorted(m.facts["request_id"]) == ["20", "21"]
    assert m.diagnostics.unattributed_requests == 2  # 22 (@SilentCo) and 23: counted, never ranked


def test_an_unattributed_request_goes_to_the_brand_whose_reply_comes_first_in_the_store():
    # The loader left request q1 unattributed (brand null); the metrics give it the brand of the earliest brand reply
    # at or after it in its thread: LumeBank's at +5 min (NovaTel's at −1 min is before the request).
    rows = [
        ("q1", None, "c1", False, None, T0),
        ("q1n", "q1", "NovaTel", True, "NovaTel", T0 - timedelta(minutes=1)),
        ("q1l", "q1", "LumeBank", True, "LumeBank", T0 + timedelta(minutes=5)),
        ("q1m", "q1", "NovaTel", True, "NovaTel", T0 + timedelta(minutes=9)),
    ]
    facts = measure(messages(rows), engine=PolarsEngine()).facts
    assert facts.select("request_id", "brand", "response_id", "frt_s").rows() == [("q1", "LumeBank", "q1l", 300.0)]


@pytest.mark.parametrize("eng", ENGINES, ids=lambda e: e.name)
def test_ties_at_the_same_instant(eng):
    # q2 is unattributed; ZetaCom and LumeBank reply at the same instant: the alphabetically first brand, LumeBank,
    # gets it. NovaTel's r9 gets two replies at the same instant: the first response is the smaller id as text, "r9-10"
    # (before "r9-9"). Both brands' first responses are 60 s after the request.
    rows = [
        ("q2", None, "c1", False, None, T0),
        ("q2z", "q2", "ZetaCom", True, "ZetaCom", T0 + timedelta(seconds=60)),
        ("q2l", "q2", "LumeBank", True, "LumeBank", T0 + timedelta(seconds=60)),
        ("r9", None, "c2", False, "NovaTel", T0),
        ("r9-9", "r9", "NovaTel", True, "NovaTel", T0 + timedelta(seconds=60)),
        ("r9-10", "r9", "NovaTel", True, "NovaTel", T0 + timedelta(seconds=60)),
    ]
    facts = measure(messages(rows), engine=eng).facts
    assert sorted(facts.select("request_id", "brand", "response_id", "frt_s").rows()) == [
        ("q2", "LumeBank", "q2l", 60.0), ("r9", "NovaTel", "r9-10", 60.0)
    ]


# --- deflection: the patterns exactly as matched ----------------------------------------------------------------------

DEFLECTING = [
    "Scrivici in privato",
    "IN PRIVATO",  # the text is lower-cased first
    "ti abbiamo mandato un messaggio privato",
    "controlla i messaggi privati",
    "ne parliamo in chat privata",
    "ti rispondiamo in DM",
    "within direct",  # `in (dm|direct|pm|mp|chat privata)\b` has no leading \b: "with-in direct" matches
    "plain dm",  # the same: "pla-in dm"
    "in privatorio",  # `in privato` has no \b at all
    "scrivici una mail privata",  # scrivici … privat[oaie]
    "contattaci, ti aiutiamo su messenger",
    "inviaci un direct",
    "contattaci in chat",
    "scrivici " + "x" * 38 + " dm",  # 40 characters between the verb and "dm": still within the window
    "siamo su Messenger",
    "DM us your number",
    "PM us!",
    "at 5 pm us time",  # `\b(dm|pm) us\b` cannot tell a time of day
    "send us a DM",
    "send us an DM",
    "send us a private message",
    "please direct message us",
    "via DMs",
    "by pm",
    "slide into our DMs",
    "check your inbox",
]
NOT_DEFLECTING = [
    "scrivici privatamente",  # privat[oaie]\b: "privatamente" goes on after the vowel
    "scrivici " + "x" * 39 + " dm",  # 41 characters: outside the window
    "scrivici\nun dm",  # `.` does not cross a line break
    "mandaci un mp",  # "mp" only after "in"
    "messengers",
    "dm usb",
    "sent us a dm",
    "d.m. us",
    "directly messaged",
    "",
]


@pytest.mark.parametrize("eng", ENGINES, ids=lambda e: e.name)
def test_deflection_patterns_exactly_as_matched(eng):
    texts = DEFLECTING + NOT_DEFLECTING + [None]
    frame = eng.from_polars(pl.DataFrame({"i": range(len(texts)), "text": texts}, schema={"i": pl.Int64, "text": pl.String}))
    got = eng.collect(frame.select("i", is_deflection(nw.col("text")).alias("d"))).sort("i")["d"].to_list()
    expected = [True] * len(DEFLECTING) + [False] * len(NOT_DEFLECTING) + [False]  # null text → False
    assert dict(zip(texts, got, strict=True)) == dict(zip(texts, expected, strict=True))


def test_only_the_first_response_is_checked_for_deflection():
    # NovaTel's first response answers; its second asks for a DM → not deflected. LumeBank's first one asks for a DM
    # and the brand also answers later → deflected (the share is of answered requests: 1/1).
    rows = [
        ("n1", None, "c1", False, "NovaTel", T0),
        ("n1a", "n1", "NovaTel", True, "NovaTel", T0 + timedelta(minutes=1), "reply", "Fixed now"),
        ("n1b", "n1a", "NovaTel", True, "NovaTel", T0 + timedelta(minutes=2), "reply", "DM us if not"),
        ("l1", None, "c2", False, "LumeBank", T0),
        ("l1a", "l1", "LumeBank", True, "LumeBank", T0 + timedelta(minutes=1), "reply", "Scrivici in privato, risolviamo"),
        ("l1b", "l1a", "LumeBank", True, "LumeBank", T0 + timedelta(minutes=2), "reply", "Fatto"),
    ]
    table = _rows(measure(messages(rows), engine=PolarsEngine()).table)
    assert (table["NovaTel"]["deflected"], table["NovaTel"]["deflected_share"]) == (0, 0.0)
    assert (table["LumeBank"]["deflected"], table["LumeBank"]["deflected_share"]) == (1, 1.0)


def test_known_company_accounts_are_learnt_per_block_of_the_file(tmp_path, monkeypatch):
    # The TWCS loader reads the file in blocks (2 MiB; here 1 KiB after the first 64 KiB read with the header) and
    # learns company accounts per block: a customer who mentions @NovaTel in the first block is not attributed by that
    # mention when NovaTel writes only in a later block (a reply in its thread would still attribute it, through the
    # metrics' responder rule).
    from benchmark.loaders._read import csvread

    monkeypatch.setattr(csvread, "BLOCK_BYTES", 1024)
    filler = [f"{100 + i},c{i},True,Mon May 06 08:00:00 +0000 2024,{'x' * 60},," for i in range(1_000)]  # ~100 KB
    lines = ["1,c1,True,Mon May 06 09:00:00 +0000 2024,@NovaTel help,,", *filler,
             "2,NovaTel,False,Mon May 06 10:00:00 +0000 2024,@someone hi,,"]
    p = tmp_path / "twcs.csv"
    p.write_text(HEADER + "\n".join(lines) + "\n")
    chunks = list(twcs.LOADER.load(p, LoadOptions()))
    assert len(chunks) > 1
    brands = {r["message_id"]: r["brand"] for c in chunks for r in c.messages.to_dicts()}
    assert brands["1"] is None and brands["2"] == "NovaTel"
    # The same two tweets in one block: the mention attributes.
    assert _twcs(tmp_path, [lines[0], lines[-1]]).filter(pl.col("message_id") == "1")["brand"].item() == "NovaTel"

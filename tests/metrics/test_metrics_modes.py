"""Request definitions (starters, comments, all-inbound), automated replies, deflection, open requests (synthetic)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_metrics_builders import messages

from benchmark.metrics import MetricOptions, measure

T0 = datetime(2024, 5, 6, 9, tzinfo=UTC)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


B = "Luce Verde"  # a fictional page
FACEBOOK = [
    # id, parent, author, is_brand, brand, time, kind, text
    ("P", None, "page", True, B, at(0), "post", "Nuove offerte!"),  # the brand's own post
    ("c1", "P", "f1", False, B, at(100), "comment", "Non funziona la bolletta"),  # fan comment under it
    ("r0", "P", "page", True, B, at(150), "comment", "Grazie a tutti"),  # on the post, not beneath c1/c2
    ("c2", "P", "f2", False, B, at(200), "comment", "E il mio rimborso?"),  # never answered beneath
    ("c1b", "c1", "f1", False, B, at(400), "reply", "Ci siete?"),
    ("r1", "c1b", "page", True, B, at(700), "reply", "Scrivici in privato il numero cliente"),  # beneath c1
    ("V", None, "f3", False, B, at(1000), "post", "Visitor post: contatore rotto"),  # a visitor post
    ("V1", "V", "page", True, B, at(2200), "comment", "Ci pensiamo noi"),
]


def _one(m):
    assert m.table.height == 1
    return m.table.row(0, named=True)


def test_starters_count_only_visitor_posts(engine):
    m = measure(messages(FACEBOOK, "facebook"), engine=engine)
    row = _one(m)
    assert (row["requests"], row["answered"], row["frt_median_s"]) == (1, 1, 1200.0)  # V → V1: 2,200 − 1,000


def test_comments_mode_counts_fan_comments_answered_beneath_them(engine):
    m = measure(messages(FACEBOOK, "facebook"), engine=engine, options=MetricOptions(requests="comments"))
    facts = {r["request_id"]: r for r in m.facts.to_dicts()}
    assert set(facts) == {"V", "c1", "c2"}
    assert facts["c1"]["response_id"] == "r1" and facts["c1"]["frt_s"] == 600.0  # r1 at 700 s is beneath c1 (via c1b)
    assert facts["c2"]["answered"] is False  # r0 is on the post, r1 beneath c1: neither answers c2
    assert facts["V"]["frt_s"] == 1200.0
    row = _one(m)
    # FRTs [600, 1200]: median 900; 2 of 3 answered; r1 asks to write privately: 1 of 2 first responses deflect.
    assert (row["requests"], row["answered"], row["frt_median_s"]) == (3, 2, 900.0)
    assert row["deflected_share"] == 0.5
    assert m.diagnostics.request_mode == "comments"


T = "Rete Blu"
THREAD = [
    ("q1", None, "u1", False, T, at(0), "tweet", "@ReteBlu internet down"),
    ("q2", "q1", "u1", False, T, at(60), "reply", "still down"),
    ("a1", "q2", "rb", True, T, at(300), "reply", "Send us a DM please"),
    ("q3", "a1", "u1", False, T, at(400), "reply", "done"),
    ("a2", "q3", "rb", True, T, at(1000), "reply", "Fixed now"),
    ("q4", "a2", "u1", False, T, at(2000), "reply", "thanks"),  # nothing after it
]


def test_all_inbound_answers_each_customer_message_with_the_next_brand_reply(engine):
    m = measure(messages(THREAD), engine=engine, options=MetricOptions(requests="all-inbound"))
    frt = {r["request_id"]: r["frt_s"] for r in m.facts.to_dicts()}
    # q1 → a1: 300; q2 → a1: 240; q3 → a2: 600; q4 unanswered.
    assert frt == {"q1": 300.0, "q2": 240.0, "q3": 600.0, "q4": None}
    row = _one(m)
    assert row["deflected_share"] == pytest.approx(2 / 3)  # a1 ("DM") answers q1 and q2


def test_min_reply_seconds_skips_automated_replies(engine):
    opts = MetricOptions(requests="all-inbound", min_reply_s=250)
    frt = {r["request_id"]: r["frt_s"] for r in measure(messages(THREAD), engine=engine, options=opts).facts.to_dicts()}
    # q2 → a1 took only 240 s (< 250): treated as automated, so a2 answers q2 after 940 s.
    assert frt == {"q1": 300.0, "q2": 940.0, "q3": 600.0, "q4": None}


def test_a_brand_thread_starter_is_never_an_answer(engine):
    # The loader put the brand's own new post in the customer's thread (same thread id): still not an answer.
    rows = [("x", None, "u9", False, T, at(0)), ("y", None, "rb", True, T, at(30))]
    df = messages(rows).with_columns(thread_id=__import__("polars").lit("x"))
    m = measure(df, engine=engine, options=MetricOptions(requests="all-inbound"))
    assert m.facts["answered"].to_list() == [False]


def test_open_requests_are_kept_out_of_the_response_rate(engine):
    # End of data: 100 h after T0. "old" waited 100 h (> 72 h): unanswered. "new" waited 10 h: open.
    rows = [
        ("ok", None, "u1", False, T, at(0)), ("ok1", "ok", "rb", True, T, at(60)),
        ("old", None, "u2", False, T, at(0)),
        ("new", None, "u3", False, T, at(90 * 3600)),
        ("end", None, "rb", True, T, at(100 * 3600)),  # a brand post marks the end of the data
    ]
    plain = _one(measure(messages(rows), engine=engine, options=MetricOptions(open_window_s=None)))
    assert (plain["requests"], plain["unanswered"], plain["response_rate"]) == (3, 2, pytest.approx(1 / 3))
    m = measure(messages(rows), engine=engine, options=MetricOptions(open_window_s=72 * 3600))
    row = _one(m)
    # 1 answered / (3 requests − 1 open) = 0.5; the KM median treats both waiting requests as censored.
    assert (row["requests"], row["open"], row["unanswered"], row["response_rate"]) == (3, 1, 1, 0.5)
    status = {r["request_id"]: r["status"] for r in m.facts.to_dicts()}
    assert status == {"ok": "answered", "old": "unanswered", "new": "open"}
    assert m.diagnostics.open_requests == 1
    # KM: t=60 event with 3 at risk → S = 2/3; censored at 36,000 and 360,000 s: S never ≤ 0.5 → null.
    assert row["km_median_s"] is None

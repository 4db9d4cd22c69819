"""The synthetic sample: deterministic, in the real API shapes, and showing the designed care behaviours.

These tests read the generated JSON directly (not through the loaders) so they
pin the *files'* contract: Facebook Graph ``/feed`` pages and twarc2 Twitter v2
pages, ids as strings, every reply's parent present, brands.toml agreeing with
the files. The behaviour checks run on the committed ``sample_data/``, which
must equal a fresh ``benchmark sample`` run byte for byte.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.sample import DEFAULT_SEED, blocks, generate
from benchmark.sample.brands import BRANDS, OFFICE, italian_holidays
from benchmark.sample.clock import Desk, Grid, business_shift, parse_hours

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"
ROME = ZoneInfo("Europe/Rome")
FB_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")
TW_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
DIGITS = re.compile(r"^\d+$")
BRAND_KEYS = {"name", "sector", "timezone", "accounts", "holidays", "sla_minutes", "hours"}


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != "README.md"}


def pages(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- flattening the files into messages, the way a reader of the raw API would ---------------------------


def fb_messages(path: Path) -> list[dict[str, Any]]:
    """Every post, comment and reply of a feed file: id, parent, post, depth, author, time."""
    out = []
    for page in pages(path):
        for post in page["data"]:
            page_id = post["id"].split("_")[0]
            out.append({"id": post["id"], "parent": None, "post": post["id"], "depth": 0, "from": post["from"], "time": post["created_time"], "page_id": page_id})
            for c in post.get("comments", {}).get("data", []):
                out.append({"id": c["id"], "parent": post["id"], "post": post["id"], "depth": 1, "from": c["from"], "time": c["created_time"], "page_id": page_id})
                for r in c.get("comments", {}).get("data", []):
                    out.append({"id": r["id"], "parent": c["id"], "post": post["id"], "depth": 2, "from": r["from"], "time": r["created_time"], "page_id": page_id})
                    assert "comments" not in r, "Graph nests two levels only"
    return out


def tw_tweets(path: Path) -> list[dict[str, Any]]:
    return [t for page in pages(path) for t in page["data"]]


def parent_of(tweet: dict[str, Any]) -> str | None:
    return next((r["id"] for r in tweet.get("referenced_tweets", []) if r["type"] == "replied_to"), None)


def fb_time(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S%z")


def tw_time(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=UTC)


def brand_ids(spec: Any) -> set[str]:
    return {spec.user_id(h) for h in spec.handles}


def first_responses(spec: Any, platform: str, root: Path) -> tuple[int, list[float]]:
    """Requests and first-response delays in seconds (the metrics' definition, computed by hand on raw JSON)."""
    path = root / platform / f"{spec.slug}.ndjson"
    delays: list[float] = []
    requests = 0
    if platform == "facebook":
        msgs = fb_messages(path)
        by_post: dict[str, list[dict[str, Any]]] = {}
        for m in msgs:
            by_post.setdefault(m["post"], []).append(m)
        for m in msgs:
            if m["depth"] == 0 and m["from"]["id"] != spec.page_id:
                requests += 1
                answers = [fb_time(x["time"]) for x in by_post[m["id"]] if x["from"]["id"] == spec.page_id]
                if answers:
                    delays.append((min(answers) - fb_time(m["time"])).total_seconds())
    else:
        tweets = tw_tweets(path)
        mine = brand_ids(spec)
        by_conv: dict[str, list[dict[str, Any]]] = {}
        for t in tweets:
            by_conv.setdefault(t["conversation_id"], []).append(t)
        for t in tweets:
            if parent_of(t) is None and t["author_id"] not in mine:
                requests += 1
                answers = [tw_time(x["created_at"]) for x in by_conv[t["id"]] if x["author_id"] in mine]
                if answers:
                    delays.append((min(answers) - tw_time(t["created_at"])).total_seconds())
    return requests, delays


def brand_times(spec: Any, platform: str, root: Path) -> list[datetime]:
    path = root / platform / f"{spec.slug}.ndjson"
    if platform == "facebook":
        return [fb_time(m["time"]) for m in fb_messages(path) if m["from"]["id"] == spec.page_id]
    return [tw_time(t["created_at"]) for t in tw_tweets(path) if t["author_id"] in brand_ids(spec)]


SPEC = {b.name: b for b in BRANDS}


# --- fixtures --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    generate(root, seed=7, scale=0.1)
    return root


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh scale-1 run with the default seed: what sample_data/ must hold."""
    root = tmp_path_factory.mktemp("full")
    generate(root, seed=DEFAULT_SEED, scale=1.0)
    return root


# --- determinism and the command ------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(small: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", seed=7, scale=0.1)
    generate(tmp_path / "other", seed=8, scale=0.1)
    first, again, other = files_of(small), files_of(tmp_path / "again"), files_of(tmp_path / "other")
    assert len(first) == 41  # brands.toml + 20 brands x 2 platforms
    assert first == again
    config = lambda raw: [line for line in raw.decode().splitlines() if not line.startswith("#")]  # noqa: E731
    assert config(first["brands.toml"]) == config(other["brands.toml"])  # the brands do not depend on the seed
    assert all(first[k] != other[k] for k in first if k.endswith(".ndjson"))


def test_committed_sample_data_is_what_the_generator_writes(full: Path) -> None:
    assert files_of(SAMPLE_DATA) == files_of(full), "regenerate with: benchmark sample --output sample_data"
    readme = (SAMPLE_DATA / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme and f"benchmark sample --seed {DEFAULT_SEED}" in readme


def test_cli_writes_files_and_talks_on_stderr_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sample", "--output", str(tmp_path / "out"), "--scale", "0.02", "--seed", "3", "--months", "1"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote" in result.stderr and "synthetic, seed 3" in result.stderr
    assert len(list((tmp_path / "out" / "facebook").glob("*.ndjson"))) == 20
    assert len(list((tmp_path / "out" / "twitter").glob("*.ndjson"))) == 20
    assert not list((tmp_path / "out").rglob("*.tmp"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "0"], "--scale"),
        (["--scale", "-2"], "--scale"),
        (["--months", "0"], "--months"),
        (["--start", "2024-13-01"], "--start"),
        (["--seed", "-1"], "--seed"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["sample", "--output", str(tmp_path), *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_unwritable_output_is_a_one_line_domain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(app, ["sample", "--output", str(blocker / "sub"), "--scale", "0.02"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmark.sample", "--output", str(tmp_path), "--scale", "0.02", "--months", "1"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "RuntimeWarning" not in proc.stderr
    assert (tmp_path / "brands.toml").is_file() and len(list(tmp_path.rglob("*.ndjson"))) == 40


def test_start_and_months_set_the_period(tmp_path: Path) -> None:
    generate(tmp_path, seed=1, scale=0.2, start=date(2023, 3, 1), months=2)
    requests = [fb_time(p["created_time"]) for path in (tmp_path / "facebook").glob("*.ndjson")
                for m in pages(path) for p in m["data"]]
    local = [t.astimezone(ROME).date() for t in requests]
    assert min(local) >= date(2023, 3, 1) and max(local) < date(2023, 5, 1)
    assert {d.month for d in local} == {3, 4}


# --- shapes ---------------------------------------------------------------------------------------------


def test_facebook_files_are_graph_feed_pages(small: Path) -> None:
    for spec in BRANDS:
        feed = pages(small / "facebook" / f"{spec.slug}.ndjson")
        for n, page in enumerate(feed):
            assert set(page) == {"data", "paging"}
            assert set(page["paging"]["cursors"]) == {"before", "after"}
            last = n == len(feed) - 1
            assert ("next" in page["paging"]) != last
            if not last:
                assert page["paging"]["next"].startswith(f"https://graph.facebook.com/v19.0/{spec.page_id}/feed?")
            assert 1 <= len(page["data"]) <= 25
        times = [fb_time(p["created_time"]) for page in feed for p in page["data"]]
        assert times == sorted(times, reverse=True), "a feed pages newest posts first"
        msgs = fb_messages(small / "facebook" / f"{spec.slug}.ndjson")
        ids = {m["id"] for m in msgs}
        assert len(ids) == len(msgs)
        for m in msgs:
            assert FB_TIME.match(m["time"]) and set(m["from"]) == {"name", "id"}
            assert DIGITS.match(m["from"]["id"])
            a, b = m["id"].split("_")
            assert DIGITS.match(a) and DIGITS.match(b)
            if m["depth"] == 0:
                assert a == spec.page_id  # PAGEID_POSTID
            else:
                assert a == m["post"].split("_")[1]  # POSTID_COMMENTID
                assert m["parent"] in ids
                assert fb_time(m["time"]) >= fb_time(next(x["time"] for x in msgs if x["id"] == m["parent"]))
        for page in feed:
            for post in page["data"]:
                for edge in [post.get("comments")] + [c.get("comments") for c in post.get("comments", {}).get("data", [])]:
                    if edge is not None:
                        assert edge["data"] and set(edge["paging"]["cursors"]) == {"before", "after"}


def test_twitter_files_are_twarc2_pages(small: Path) -> None:
    for spec in BRANDS:
        feed = pages(small / "twitter" / f"{spec.slug}.ndjson")
        tweets = {t["id"]: t for page in feed for t in page["data"]}
        assert len(tweets) == sum(len(p["data"]) for p in feed)
        for n, page in enumerate(feed):
            assert set(page) == {"data", "includes", "meta", "__twarc"}
            assert page["__twarc"]["version"] == "2.14.0" and page["__twarc"]["url"].startswith("https://api.twitter.com/2/tweets/search/all?")
            datetime.fromisoformat(page["__twarc"]["retrieved_at"])
            meta = page["meta"]
            ids = [int(t["id"]) for t in page["data"]]
            assert meta["result_count"] == len(ids) and 1 <= len(ids) <= 100
            assert (meta["newest_id"], meta["oldest_id"]) == (str(max(ids)), str(min(ids)))
            assert ("next_token" in meta) == (n < len(feed) - 1)
            users = {u["id"]: u for u in page["includes"]["users"]}
            for t in page["data"]:
                assert {"id", "text", "author_id", "created_at", "conversation_id", "lang"} <= set(t)
                assert all(isinstance(t[k], str) for k in ("id", "author_id", "conversation_id"))
                assert TW_TIME.match(t["created_at"]) and t["lang"] in {"it", "en"}
                assert t["author_id"] in users
                for m in t.get("entities", {}).get("mentions", []):
                    assert t["text"][m["start"]:m["end"]] == "@" + m["username"]
                    assert users[m["id"]]["username"] == m["username"]
                parent = parent_of(t)
                assert t["conversation_id"] in tweets, "every conversation's first tweet is in the file"
                if parent is None:
                    assert "in_reply_to_user_id" not in t and t["conversation_id"] == t["id"]
                else:
                    assert parent in tweets, "every reply's parent is in the file"
                    assert t["in_reply_to_user_id"] == tweets[parent]["author_id"]
                    assert tweets[parent]["conversation_id"] == t["conversation_id"]
                    assert tw_time(t["created_at"]) >= tw_time(tweets[parent]["created_at"])


def test_ids_are_unique_across_all_files(small: Path) -> None:
    fb = [m["id"] for p in (small / "facebook").glob("*.ndjson") for m in fb_messages(p)]
    tw = [t["id"] for p in (small / "twitter").glob("*.ndjson") for t in tw_tweets(p)]
    assert len(set(fb)) == len(fb) and len(set(tw)) == len(tw)


def test_brands_toml_matches_the_files(small: Path) -> None:
    config = tomllib.loads((small / "brands.toml").read_text(encoding="utf-8"))
    brands = config["brand"]
    assert set(config) == {"brand"} and len(brands) == 20
    assert len({b["name"] for b in brands}) == 20
    for b in brands:
        assert set(b) <= BRAND_KEYS and b["timezone"] == "Europe/Rome"
        spec = SPEC[b["name"]]
        accounts = b["accounts"]
        page_names = {m["from"]["name"] for m in fb_messages(small / "facebook" / f"{spec.slug}.ndjson") if m["from"]["id"] == spec.page_id}
        assert page_names == {b["name"]} and f"facebook:{b['name']}" in accounts
        handles = {u["username"] for page in pages(small / "twitter" / f"{spec.slug}.ndjson") for u in page["includes"]["users"] if u["id"] in brand_ids(spec)}
        assert handles and {f"twitter:{h}" for h in handles} <= set(accounts)
        if "hours" in b:
            assert set(b["hours"]) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
            assert all(v == "closed" or re.match(r"^\d\d:\d\d-\d\d:\d\d$", v) for v in b["hours"].values())
            assert date(2024, 4, 25) in {date.fromisoformat(h) for h in b["holidays"]}


# --- designed behaviours, on the committed sample ---------------------------------------------------------


def test_devoted_brands_answer_nearly_everything_within_minutes() -> None:
    for name in ("Telco Nova", "Aquila Voli"):
        for platform in ("facebook", "twitter"):
            requests, delays = first_responses(SPEC[name], platform, SAMPLE_DATA)
            assert requests >= 100
            assert len(delays) / requests >= 0.9, (name, platform)
            assert median(delays) < 30 * 60, (name, platform)


def test_slow_brands_take_hours_and_the_slowest_days() -> None:
    for name in ("Poste Celeri", "Rondine Air", "Elettronica Faro"):
        _, delays = first_responses(SPEC[name], "facebook", SAMPLE_DATA)
        assert median(delays) >= 3 * 3600, name
    _, delays = first_responses(SPEC["Gas Mediterraneo"], "facebook", SAMPLE_DATA)
    assert median(delays) >= 2 * 86400
    requests, delays = first_responses(SPEC["Rondine Air"], "facebook", SAMPLE_DATA)
    assert len(delays) / requests < 0.75


def test_small_brands_fall_below_the_volume_threshold_and_the_others_do_not() -> None:
    for spec in BRANDS:
        fb_requests, _ = first_responses(spec, "facebook", SAMPLE_DATA)
        if spec.profile == "small":
            assert fb_requests < 100 and first_responses(spec, "twitter", SAMPLE_DATA)[0] < 100, spec.name
        else:
            assert fb_requests >= 100, spec.name


def test_office_hours_brands_are_silent_at_night_weekends_and_holidays() -> None:
    holidays = set(italian_holidays(date(2024, 1, 1), date(2024, 8, 1)))
    office = [s for s in BRANDS if s.hours is not None]
    assert SPEC["Linea Chiara"].hours == OFFICE
    for spec in office:
        assert spec.hours is not None
        for platform in ("facebook", "twitter"):
            for t in brand_times(spec, platform, SAMPLE_DATA):
                local = t.astimezone(ROME)
                span = parse_hours(spec.hours.get(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[local.weekday()], "closed"))
                assert span is not None, (spec.name, local)
                assert span[0] <= local.hour * 60 + local.minute < span[1], (spec.name, local)
                assert local.date() not in holidays, (spec.name, local)
    night = [t.astimezone(ROME) for t in brand_times(SPEC["Linea Chiara"], "facebook", SAMPLE_DATA)]
    assert night and not any(t.hour >= 22 or t.hour < 8 or t.weekday() >= 5 for t in night)
    # while a 24/7 brand does answer at night
    always = [t.astimezone(ROME) for t in brand_times(SPEC["Telco Nova"], "facebook", SAMPLE_DATA)]
    assert any(t.hour < 7 for t in always)


def test_threads_have_depth_unanswered_requests_and_brand_posts() -> None:
    for spec in BRANDS:
        fb_requests, fb_delays = first_responses(spec, "facebook", SAMPLE_DATA)
        assert fb_requests > len(fb_delays), f"{spec.name} answers everything"
    fb = [m for s in BRANDS for m in fb_messages(SAMPLE_DATA / "facebook" / f"{s.slug}.ndjson")]
    by_id = {m["id"]: m for m in fb}
    deep_brand = [m for m in fb if m["depth"] == 2 and m["from"]["id"] == m["page_id"] and by_id[by_id[m["parent"]]["post"]]["from"]["id"] != m["page_id"]]
    assert deep_brand, "brand replies under follow-ups"
    own_posts_with_fans = {m["post"] for m in fb if m["depth"] == 1 and m["from"]["id"] != m["page_id"] and by_id[m["post"]]["from"]["id"] == m["page_id"]}
    assert len(own_posts_with_fans) >= 20
    tweets = [t for s in BRANDS for t in tw_tweets(SAMPLE_DATA / "twitter" / f"{s.slug}.ndjson")]
    tw_by_id = {t["id"]: t for t in tweets}
    brands = set().union(*(brand_ids(s) for s in BRANDS))
    second = [t for t in tweets if t["author_id"] in brands and parent_of(t) and parent_of(tw_by_id[parent_of(t)]) is not None and tw_by_id[parent_of(t)]["author_id"] not in brands]
    assert second, "brand replies to customers' follow-ups"
    langs = [t["lang"] for t in tweets]
    assert 0.05 < langs.count("en") / len(langs) < 0.4
    texts = " ".join(m.get("text", "") for m in tweets)
    assert "scrivici in privato" in texts and "DM us" in texts


# --- the clock ------------------------------------------------------------------------------------------


GRID = Grid(date(2024, 3, 25), date(2024, 4, 8), pad_days=10)  # spans the switch to summer time and Easter Monday
DESK = Desk.from_mask(GRID.open_mask({d: "08:00-20:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": "09:00-13:00"}, (date(2024, 4, 1),)))


@settings(max_examples=200, deadline=None)
@given(start=st.floats(0, GRID.period_minutes - 1), delay=st.floats(0.01, 3000))
def test_business_shift_counts_only_open_minutes(start: float, delay: float) -> None:
    assert DESK is not None
    reply = float(business_shift(np.array([start]), np.array([delay]), DESK)[0])
    assert reply > start
    minute = int(reply)
    assert DESK.open[minute], "replies come while the desk is open"
    # open time elapsed between start and reply equals the delay
    open_before = lambda t: DESK.counts[int(t)] + (t - int(t)) * DESK.open[int(t)]  # noqa: E731
    assert open_before(reply) - open_before(start) == pytest.approx(delay, abs=1e-6)


def test_business_shift_by_hand() -> None:
    assert DESK is not None
    origin = GRID.origin  # 2024-03-25 00:00 Rome = 2024-03-24 23:00 UTC
    # Friday 2024-03-29 19:30 Rome + 60 open minutes: 30 min on Friday, the desk reopens Saturday 09:00 → 09:30.
    friday = (datetime(2024, 3, 29, 19, 30, tzinfo=ROME) - origin).total_seconds() / 60
    reply = origin + timedelta(minutes=float(business_shift(np.array([friday]), np.array([60.0]), DESK)[0]))
    assert reply.astimezone(ROME) == datetime(2024, 3, 30, 9, 30, tzinfo=ROME)
    # Saturday 12:50 + 20 min: 10 min left on Saturday; Sunday closed, Easter Monday a holiday → Tuesday 08:10,
    # after the switch to summer time (the wall clock still reads 08:10 Rome).
    saturday = (datetime(2024, 3, 30, 12, 50, tzinfo=ROME) - origin).total_seconds() / 60
    reply = origin + timedelta(minutes=float(business_shift(np.array([saturday]), np.array([20.0]), DESK)[0]))
    assert reply.astimezone(ROME) == datetime(2024, 4, 2, 8, 10, tzinfo=ROME)
    # 24/7: plain addition
    assert business_shift(np.array([10.0]), np.array([5.0]), None)[0] == 15.0


def test_weeks_cover_the_period_newest_first() -> None:
    grid = Grid(date(2024, 1, 1), date(2024, 6, 1))
    spans = list(blocks(grid))
    assert spans[0][2] == grid.period_minutes and spans[-1][1] == 0
    assert all(a[1] == b[2] for a, b in zip(spans, spans[1:], strict=False))
    # 2024-01-01..2024-05-31 is 152 days, minus the hour lost to summer time
    assert grid.period_minutes == 152 * 1440 - 60

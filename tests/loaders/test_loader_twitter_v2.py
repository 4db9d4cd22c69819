"""Twitter API v2 / twarc2 loader on small synthetic fixtures (tests/fixtures/twitter_v2, fictional brands).

pages.jsonl (twarc2 NDJSON, brands @TelcoNova_Help = user 9001 and @PostaVeloce = user 9002), all on 2024-03-04 UTC:

  line 1  page: 5001 RT of 5000 by giulia_r 08:30 | 4001 luca_p 13:00 (names no brand) | 2001 marco_b 10:00 @PostaVeloce
          | 1003 giulia_r 09:20 reply to 1002 | 1002 TelcoNova_Help 09:12 reply to 1001 | 1001 giulia_r 09:00 @TelcoNova_Help
          includes.tweets: 1002 (already read: skipped), 5000 PostaVeloce 08:00 (stored)
  line 2  compliance record                -> reject
  line 3  page: 6001 marco_b 14:00 quotes 5000, @PostaVeloce | 4002 TelcoNova_Help 13:30 reply to 4001
          | 3001 anna_t 11:00 @telconova_help (lower case) | 2002 PostaVeloce 12:00 reply to 2001
          includes.tweets: 5000 again (skipped); errors[]: one "Not Found Error" (a note)
  line 4  counts page                      -> reject
  line 5  error line (429)                 -> reject
  line 6  truncated last line              -> reject

read = 11 tweets + 4 rejects = 15.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.errors import InputError
from benchmark.loaders import LoadOptions, detect_format
from benchmark.loaders.twitter_v2 import LOADER

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twitter_v2"
PAGES = FIXTURES / "pages.jsonl"
ARRAY = FIXTURES / "pages_array.json"
FLAT = FIXTURES / "flat.jsonl"
BRANDS = ("@TelcoNova_Help", "@postaveloce")  # the second in the wrong case on purpose
T, P = "TelcoNova_Help", "PostaVeloce"


def at(hm: str) -> datetime:
    h, m = map(int, hm.split(":"))
    return datetime(2024, 3, 4, h, m, tzinfo=UTC)


def load(path: Path, brands: tuple[str, ...] = BRANDS, chunk_rows: int = 250_000) -> tuple[pl.DataFrame, list, list[str]]:
    chunks = list(LOADER.load(path, LoadOptions(brands=brands, chunk_rows=chunk_rows)))
    for c in chunks:
        assert c.read == c.messages.height + len(c.rejects)
    messages = pl.concat([c.messages for c in chunks])
    return messages, [r for c in chunks for r in c.rejects], [n for c in chunks for n in c.notes]


def rows(messages: pl.DataFrame) -> list[tuple]:
    cols = ["message_id", "parent_id", "thread_id", "author_id", "is_brand", "brand", "kind", "created_at"]
    return sorted(messages.select(cols).iter_rows())


# (message_id, parent_id, thread_id, author_id, is_brand, brand, kind, created_at)
PAGES_EXPECTED = [
    ("1001", None, "1001", "giulia_r", False, T, "tweet", at("09:00")),  # mentions the brand
    ("1002", "1001", "1001", T, True, T, "reply", at("09:12")),
    ("1003", "1002", "1001", "giulia_r", False, T, "reply", at("09:20")),  # replies to the brand
    ("2001", None, "2001", "marco_b", False, P, "tweet", at("10:00")),
    ("2002", "2001", "2001", P, True, P, "reply", at("12:00")),
    ("3001", None, "3001", "anna_t", False, T, "tweet", at("11:00")),  # @telconova_help: case-insensitive
    ("4001", None, "4001", "luca_p", False, T, "tweet", at("13:00")),  # the brand writes later in its conversation
    ("4002", "4001", "4001", T, True, T, "reply", at("13:30")),
    ("5000", None, "5000", P, True, P, "tweet", at("08:00")),  # from includes.tweets, stored once
    ("5001", None, "5001", "giulia_r", False, None, "tweet", at("08:30")),  # a retweet: its mention is not a request
    ("6001", None, "6001", "marco_b", False, P, "tweet", at("14:00")),  # a quote that mentions the brand
]


def test_raw_pages_map_to_canonical_rows_exactly():
    messages, rejects, notes = load(PAGES)
    assert rows(messages) == PAGES_EXPECTED
    assert set(messages["platform"]) == {"twitter"}
    assert messages.schema["message_id"] == pl.String
    assert messages.filter(pl.col("message_id") == "3001")["text"].item() == "@telconova_help nessuna risposta al numero verde?"
    assert [(r.record, r.reason.split(" (")[0]) for r in rejects] == [
        (2, "not a tweet: compliance record"),
        (4, "not a tweet: counts page"),
        (5, "not a tweet: error line"),
        (6, "line 6: truncated last line"),
    ]
    assert "Too Many Requests" in rejects[2].reason
    assert any(n.startswith("2 copies of tweets already read") for n in notes)
    assert any("1 API error(s) inside pages" in n and "Not Found Error" in n for n in notes)


def test_small_chunks_give_the_same_rows_and_balance():
    whole, rejects, _ = load(PAGES)
    chunks = list(LOADER.load(PAGES, LoadOptions(brands=BRANDS, chunk_rows=2)))
    assert len(chunks) > 3
    assert all(c.read == c.messages.height + len(c.rejects) for c in chunks)
    assert rows(pl.concat([c.messages for c in chunks])) == rows(whole)
    assert sum(len(c.rejects) for c in chunks) == len(rejects) == 4


def test_json_array_of_pages_with_brand_given_by_numeric_id():
    messages, rejects, notes = load(ARRAY, brands=("9002",))
    assert rows(messages) == [
        ("2001", None, "2001", "marco_b", False, P, "tweet", at("10:00")),
        ("2002", "2001", "2001", P, True, P, "reply", at("12:00")),  # brand value spelled as in the data
    ]
    assert rejects == []
    assert any(n.startswith("1 copy of tweets already read") for n in notes)


def test_flattened_lines_expand_referenced_tweets():
    messages, rejects, _ = load(FLAT, brands=("@telconova_help",))
    assert rows(messages) == [
        ("1001", None, "1001", "giulia_r", False, T, "tweet", at("09:00")),  # expanded reference of line 2
        ("1002", "1001", "1001", T, True, T, "reply", at("09:12")),  # expanded in line 1
        ("1002", "1001", "1001", T, True, T, "reply", at("09:12")),  # and its own line 2: the store's duplicate
        ("1003", "1002", "1001", "giulia_r", False, T, "reply", at("09:20")),
        ("1004", "9999", "1001", "giulia_r", False, T, "reply", at("09:25")),  # parent deleted: bare reference
    ]
    assert [(r.record, r.reason) for r in rejects] == [(3, "not a tweet: user record")]


def test_raw_and_flattened_forms_agree(tmp_path):
    raw, _, _ = load(PAGES)
    flat, _, _ = load(FLAT)
    both = set(raw["message_id"]) & set(flat["message_id"])
    assert both == {"1001", "1002", "1003"}
    pick = lambda df: rows(df.filter(pl.col("message_id").is_in(list(both))).unique("message_id"))  # noqa: E731
    assert pick(raw) == pick(flat)


def test_without_brand_everything_loads_unattributed():
    messages, rejects, notes = load(PAGES, brands=())
    assert messages.height == 11 and len(rejects) == 4
    assert messages["brand"].null_count() == 11
    assert not messages["is_brand"].any()
    assert "no --brand given: tweets cannot be attributed to a brand" in notes


def test_brand_that_never_writes_is_noted():
    _, _, notes = load(ARRAY, brands=("9002", "@RetailBella"))
    assert any(n.startswith("--brand RetailBella: this account writes no tweet") for n in notes)


def test_ids_are_strings_and_bad_tweets_are_rejected_with_reasons(tmp_path):
    f = tmp_path / "odd.jsonl"
    tweets = [
        {"id": 1234567890123456789, "author_id": 101, "conversation_id": 1234567890123456789, "created_at": "2024-03-04T09:00:00.000Z", "text": "id as a JSON number"},
        {"id": 1.2345678901234568e18, "author_id": "101", "created_at": "2024-03-04T09:00:00.000Z", "text": "float id"},
        {"id": "77", "author_id": "101", "text": "no created_at"},
        {"id": "78", "author_id": "101", "created_at": "yesterday", "conversation_id": "78", "text": "bad time"},
    ]
    f.write_text("\n".join(json.dumps(t) for t in tweets) + "\n\nnot json at all\n", encoding="utf-8")
    messages, rejects, _ = load(f, brands=())
    assert messages["message_id"].to_list() == ["1234567890123456789"]
    assert messages["author_id"].to_list() == ["101"]
    reasons = {r.record: r.reason for r in rejects}
    assert "scientific notation" in reasons[2]
    assert reasons[3] == "tweet has no created_at (request it with tweet.fields=created_at)"
    assert "yesterday is not a timestamp" in reasons[4]
    assert reasons[6].startswith("line 6: not valid JSON")


def test_pretty_printed_single_page(tmp_path):
    page = json.loads(ARRAY.read_text(encoding="utf-8"))[1]
    f = tmp_path / "response.json"
    f.write_text(json.dumps(page, indent=2), encoding="utf-8")
    messages, rejects, _ = load(f, brands=("@PostaVeloce",))
    # 2002 from data, 2001 from includes.tweets
    assert sorted(messages["message_id"]) == ["2001", "2002"] and rejects == []
    assert detect_format(f).name == "twitter-v2"


def test_a_file_that_is_not_json_is_an_input_error(tmp_path):
    f = tmp_path / "tweets.jsonl"
    f.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"tweets.jsonl: not JSON"):
        list(LOADER.load(f, LoadOptions()))
    g = tmp_path / "broken.json"
    g.write_text("{\n  \"data\": [\n    {\"id\": \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.json, record 1: not valid JSON"):
        list(LOADER.load(g, LoadOptions()))


@pytest.mark.parametrize("path", [PAGES, ARRAY, FLAT])
def test_sniff_recognises_v2_files(path):
    assert detect_format(path).name == "twitter-v2"


@pytest.mark.parametrize(
    "head",
    [
        b'{"data": [{"created_time": "2013-06-01T10:00:00+0000", "from": {"id": "1", "name": "Pagina"}, "id": "1_2", "message": "ciao"}]}',
        b'[{"id": "17900", "text": "bello!", "timestamp": "2024-03-04T09:00:00+0000", "username": "fan_1"}]',
        b'{"created_at": "Wed Oct 10 20:19:24 +0000 2018", "id": 1, "id_str": "1", "text": "v1.1", "user": {"id": 2}}',
        b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n",
    ],
)
def test_sniff_refuses_other_formats(head):
    assert not LOADER.sniff(head, Path("x.json"))


def test_compliance_only_file_is_recognised_and_fully_rejected(tmp_path):
    f = tmp_path / "compliance.jsonl"
    f.write_text('{"id":"42","action":"delete","created_at":"2024-03-04T09:00:00.000Z","reason":"deleted"}\n', encoding="utf-8")
    assert detect_format(f).name == "twitter-v2"
    messages, rejects, _ = load(f, brands=())
    assert messages.height == 0 and [r.reason for r in rejects] == ["not a tweet: compliance record"]


def test_end_to_end_store_rank_and_requests(tmp_path):
    store = tmp_path / "store"
    (report,) = bm.ingest([PAGES], store=store, brands=BRANDS)
    assert (report.format, report.read, report.stored, report.duplicates, report.rejected) == ("twitter-v2", 15, 11, 0, 4)

    facts = bm.api.requests(store).sort("request_id")
    # Requests: customer tweets that start a conversation and are attributed (5001, a retweet, is unattributed).
    #   1001 -> 1002: 09:00 -> 09:12 = 720 s      3001: unanswered     4001 -> 4002: 13:00 -> 13:30 = 1800 s
    #   2001 -> 2002: 10:00 -> 12:00 = 7200 s     6001: unanswered
    assert facts.select("request_id", "brand", "response_id", "frt_s").rows() == [
        ("1001", T, "1002", 720.0),
        ("2001", P, "2002", 7200.0),
        ("3001", T, None, None),
        ("4001", T, "4002", 1800.0),
        ("6001", P, None, None),
    ]
    ranked = bm.api.rank(store, min_requests=1, open_window=0)  # 3001 and 6001 are near the end of the data
    got = {r["brand"]: r for r in ranked.to_dicts()}
    # TelcoNova_Help: 3 requests, 2 answered; median of (720, 1800) = 1260, mean 1260.
    assert (got[T]["requests"], got[T]["answered"]) == (3, 2)
    assert got[T]["frt_median_s"] == pytest.approx(1260.0) and got[T]["frt_mean_s"] == pytest.approx(1260.0)
    assert got[T]["response_rate"] == pytest.approx(2 / 3)
    # PostaVeloce: 2 requests, 1 answered in 7200 s.
    assert (got[P]["requests"], got[P]["answered"]) == (2, 1)
    assert got[P]["frt_median_s"] == pytest.approx(7200.0)
    # ranked by median FRT, lower is better
    assert got[T]["rank"] == 1 and got[P]["rank"] == 2
    assert bm.api.measurement(store).diagnostics.unattributed_requests == 1  # the retweet 5001


def test_cli_ingest_reports_counts_and_notes(tmp_path):
    result = CliRunner().invoke(
        app, ["ingest", str(PAGES), str(FLAT), "--store", str(tmp_path / "s"), "--brand", "@TelcoNova_Help", "--brand", "@PostaVeloce"]
    )
    assert result.exit_code == 0, result.output
    err = result.stderr
    # pages.jsonl: 15 read, 11 stored, 4 rejected. flat.jsonl: 6 read; 1001-1003 are already stored and 1002 is
    # in the file twice, so 1 stored (1004), 4 duplicates, 1 rejected (the user line).
    assert "twitter-v2" in err
    assert result.stdout == ""
    assert "not a tweet: compliance record" in err
    summary = {Path(s["source_file"]).name: s for s in bm.open_store(tmp_path / "s").summaries()}
    assert [summary["pages.jsonl"][k] for k in ("read", "stored", "duplicates", "rejected")] == [15, 11, 0, 4]
    assert [summary["flat.jsonl"][k] for k in ("read", "stored", "duplicates", "rejected")] == [6, 1, 4, 1]


def test_cli_not_json_is_one_line_exit_1(tmp_path):
    f = tmp_path / "dump.json"
    f.write_text("<html>rate limited</html>\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(f), "--store", str(tmp_path / "s"), "--format", "twitter-v2"])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "dump.json: not JSON" in result.stderr


# ---- properties -------------------------------------------------------------------------------

def _tweet(i: str, author: str, conversation: str, hm: str, text: str) -> dict[str, str]:
    return {"id": i, "author_id": author, "conversation_id": conversation, "created_at": f"2024-03-04T{hm}:00.000Z", "text": text}


_PAGE = {
    "data": [],  # filled per line
    "includes": {"users": [{"id": "9001", "username": T}], "tweets": [_tweet("1", "101", "1", "08:00", "root")]},
}
_LINES = {
    "tweet": lambda i: json.dumps(_tweet(str(100 + i), "101", str(100 + i), "09:00", f"t{i}")),
    "page": lambda i: json.dumps(dict(_PAGE, data=[_tweet(str(500 + i), "9001", "1", "10:00", "brand reply")])),
    "compliance": lambda i: json.dumps({"id": str(i), "action": "delete", "created_at": "2024-03-04T09:00:00.000Z", "reason": "deleted"}),
    "counts": lambda i: json.dumps({"data": [{"start": "a", "end": "b", "tweet_count": i}]}),
    "garbage": lambda i: '{"data": [',
    "blank": lambda i: "",
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(sorted(_LINES)), min_size=1, max_size=25), chunk_rows=st.integers(1, 6))
def test_every_line_is_accounted_for(tmp_path, kinds, chunk_rows):
    f = tmp_path / "prop.jsonl"
    f.write_text("\n".join(_LINES[k](i) for i, k in enumerate(kinds)) + "\n", encoding="utf-8")
    if all(k in ("blank", "garbage") for k in kinds):  # nothing in the file is JSON
        with pytest.raises(InputError):
            list(LOADER.load(f, LoadOptions(brands=(T,), chunk_rows=chunk_rows)))
        return
    chunks = list(LOADER.load(f, LoadOptions(brands=(T,), chunk_rows=chunk_rows)))
    messages = pl.concat([c.messages for c in chunks])
    rejects = [r for c in chunks for r in c.rejects]
    pages = kinds.count("page")
    # one tweet per tweet line and per page, plus the page's referenced root once per file
    assert messages.height == kinds.count("tweet") + pages + (1 if pages else 0)
    assert len(rejects) == sum(kinds.count(k) for k in ("compliance", "counts", "garbage"))
    assert sorted(r.record for r in rejects) == [i + 1 for i, k in enumerate(kinds) if k in ("compliance", "counts", "garbage")]
    # the root 1 is attributed through its conversation, whatever the chunking
    if pages:
        assert messages.filter(pl.col("message_id") == "1")["brand"].to_list() == [T]


def test_many_silent_accounts_from_a_brands_file_give_one_note_only_when_all_are_silent():
    many = ("9002", "@RetailBella", "@GhostOne", "@GhostTwo", "@GhostThree")
    _, _, notes = load(ARRAY, brands=many)
    assert not any("writes no tweet" in n or "none of the" in n for n in notes)
    _, _, notes = load(ARRAY, brands=("@GhostOne", "@GhostTwo", "@GhostThree", "@GhostFour"))
    assert "none of the 4 brand accounts writes a tweet in this file, so no response time can be measured" in notes


def test_list_fields_of_the_wrong_type_are_read_as_empty(tmp_path):
    """Hand-edited exports: `referenced_tweets: true` or a string of mentions must not crash the loader."""
    f = tmp_path / "odd.jsonl"
    f.write_text(
        '{"data": [{"id": "1", "text": "x", "author_id": "2", "created_at": "2024-01-01T00:00:00.000Z",'
        ' "conversation_id": "1", "referenced_tweets": true, "entities": {"mentions": "oops"}}]}\n'
    )
    (report,) = bm.ingest([f], store=tmp_path / "s")
    assert (report.read, report.stored, report.rejected) == (1, 1, 0)
    assert bm.open_store(tmp_path / "s").messages().select("message_id", "parent_id").rows() == [("1", None)]

"""Facebook Graph API loader: canonical rows, rejects, notes, streaming, sniffing, end to end.

Fixtures in tests/fixtures/facebook are synthetic (fictional pages "Telco Nova" 111,
"Posta Aurora" 222, "Vola Italia" 333); see their README.
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
from benchmark import api
from benchmark.cli import app
from benchmark.errors import InputError
from benchmark.loaders import REGISTRY, Chunk, LoadOptions, detect_format
from benchmark.loaders.facebook_graph import LOADER, parse_permalink
from benchmark.loaders.instagram import LOADER as IG_LOADER

FIXTURES = Path(__file__).parents[1] / "fixtures" / "facebook"
ROW = ("brand", "message_id", "parent_id", "thread_id", "author_id", "is_brand", "kind", "created_at")


def load(path: Path, **options: object) -> list[Chunk]:
    return list(LOADER.load(path, LoadOptions(**options)))  # type: ignore[arg-type]


def rows(chunks: list[Chunk]) -> list[tuple[object, ...]]:
    return pl.concat([c.messages for c in chunks]).select(ROW).rows()


def t(hhmm: str, day: int = 1, year: int = 2013, month: int = 6) -> datetime:
    h, m = hhmm.split(":")
    return datetime(year, month, day, int(h), int(m), tzinfo=UTC)


def test_nested_comments_and_replies_become_canonical_rows() -> None:
    chunks = load(FIXTURES / "feed_nested.json")
    assert rows(chunks) == [
        ("Telco Nova", "111_1", None, "111_1", "111", True, "post", t("09:00")),
        ("Telco Nova", "1_11", "111_1", "111_1", "901", False, "comment", t("09:30")),
        ("Telco Nova", "1_12", "1_11", "111_1", "111", True, "reply", t("09:45")),
        ("Telco Nova", "111_2", None, "111_2", "902", False, "post", t("10:00")),
        ("Telco Nova", "2_21", "111_2", "111_2", "111", True, "comment", t("10:12")),
        ("Telco Nova", "111_3", None, "111_3", "903", False, "post", t("11:00")),
    ]
    messages = chunks[0].messages
    assert set(messages["platform"]) == {"facebook"}
    assert messages["text"][0] == "Nuova offerta fibra!"
    assert sum(c.read for c in chunks) == 6 and not any(c.rejects for c in chunks)


def test_stream_replies_use_parent_and_bad_ndjson_lines_are_rejected_by_line() -> None:
    chunks = load(FIXTURES / "feed_stream.ndjson")
    assert rows(chunks) == [
        ("Posta Aurora", "222_5", None, "222_5", "904", False, "post", t("08:00", day=2)),
        ("Posta Aurora", "5_51", "222_5", "222_5", "222", True, "comment", t("09:00", day=2)),
        ("Posta Aurora", "5_52", "5_51", "222_5", "904", False, "reply", t("09:10", day=2)),
        ("Posta Aurora", "5_53", "5_52", "222_5", "222", True, "reply", t("09:40", day=2)),
        ("Posta Aurora", "222_6", None, "222_6", "905", False, "post", t("12:00", day=2)),
    ]
    rejects = [r for c in chunks for r in c.rejects]
    assert [r.record for r in rejects] == [3, 4]
    assert rejects[0].reason.startswith("line 3: malformed JSON")
    assert rejects[1].reason.startswith("line 4: malformed JSON") and "the file ends inside this line" in rejects[1].reason
    assert sum(c.read for c in chunks) == 5 + 2  # five messages from lines 1-2, two bad lines


def test_withheld_comments_are_kept_with_rebuilt_ids_and_counted() -> None:
    chunks = load(FIXTURES / "comments_withheld.json")
    # Page 111 and post 4 come from permalink_url; ids are rebuilt as Graph writes them, POSTID_COMMENTID.
    assert rows(chunks) == [
        ("Telco Nova", "4_41", "111_4", "111_4", None, False, "comment", datetime(2021, 8, 10, 18, 45, 3, tzinfo=UTC)),
        ("Telco Nova", "4_42", "4_41", "111_4", None, False, "reply", datetime(2021, 8, 10, 19, 0, tzinfo=UTC)),
        ("Telco Nova", "4_43", "4_41", "111_4", "111", True, "reply", datetime(2021, 8, 10, 19, 5, tzinfo=UTC)),
    ]
    (reject,) = [r for c in chunks for r in c.rejects]
    assert reject.record == 4
    assert "without id and without comment_id in permalink_url" in reject.reason
    notes = [n for c in chunks for n in c.notes]
    assert "2 comments with withheld authors kept (author unknown, not counted as the page's)" in notes
    assert "2 comment ids rebuilt from permalink_url (POSTID_COMMENTID)" in notes


def test_array_of_pages_numbers_records_by_message_index(tmp_path: Path) -> None:
    pages = json.loads((FIXTURES / "feed_pages.json").read_text())
    pages[1]["data"][0]["created_time"] = "yesterday"  # the third message walked
    path = tmp_path / "pages.json"
    path.write_text(json.dumps(pages))
    chunks = load(path)
    assert [m for m, in pl.concat([c.messages for c in chunks]).select("message_id").rows()] == ["111_31", "31_1"]
    (reject,) = [r for c in chunks for r in c.rejects]
    assert reject.record == 3 and reject.reason == "created_time yesterday is not a timestamp"


def test_chunks_are_bounded_and_the_brand_name_is_the_same_on_every_chunk() -> None:
    # The page's own name appears only on line 3; with one row per chunk the loader must learn it first.
    chunks = load(FIXTURES / "late_name.ndjson", chunk_rows=1)
    assert [c.messages.height for c in chunks] == [1, 1, 1]
    assert rows(chunks) == [
        ("Vola Italia", "333_1", None, "333_1", "908", False, "post", t("08:00", day=4)),
        ("Vola Italia", "333_2", None, "333_2", "909", False, "post", t("09:00", day=4)),
        ("Vola Italia", "333_3", None, "333_3", "333", True, "post", t("10:00", day=4)),
    ]


def test_brand_option_accepts_the_page_name(tmp_path: Path) -> None:
    # A vanity permalink (telconova) gives no page id: --brand "Telco Nova" names the page.
    doc = {
        "data": [
            {"id": "4_41", "from": {"id": "910", "name": "Carla Neri"}, "created_time": "2021-08-10T18:00:00+0000",
             "message": "Aiuto", "permalink_url": "https://www.facebook.com/telconova/posts/4/?comment_id=41"},
            {"id": "4_42", "from": {"id": "111", "name": "Telco Nova"}, "created_time": "2021-08-10T18:20:00+0000",
             "message": "Eccoci", "parent": {"id": "4_41"}},
        ]
    }
    path = tmp_path / "comments.json"
    path.write_text(json.dumps(doc))
    without = pl.concat([c.messages for c in load(path)])
    assert without["brand"].to_list() == [None, None] and without["is_brand"].to_list() == [False, False]
    named = pl.concat([c.messages for c in load(path, brands=("Telco Nova",))])
    assert named.select("brand", "is_brand", "kind", "parent_id").rows() == [
        ("Telco Nova", False, "comment", "4"),
        ("Telco Nova", True, "reply", "4_41"),
    ]
    by_id = pl.concat([c.messages for c in load(path, brands=("111",))])
    assert by_id["is_brand"].to_list() == [False, True] and by_id["thread_id"].to_list() == ["111_4", "111_4"]


def test_error_lines_and_unknown_objects_are_rejected_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "mixed.ndjson"
    lines = [
        {"error": {"message": "(#4) Application request limit reached", "code": 4}},
        {"hello": "world"},
        {"data": [{"id": "111_9", "from": {"id": "911", "name": "Ugo Sala"}, "created_time": "2013-06-05T08:00:00+0000"}]},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    chunks = load(path)
    rejects = [r for c in chunks for r in c.rejects]
    assert [(r.record, r.reason) for r in rejects] == [
        (1, "a Graph API error response, not data: (#4) Application request limit reached"),
        (2, "not a Graph API page, post or comment (keys: hello)"),
    ]
    assert sum(c.read for c in chunks) == 3


def test_a_file_that_is_not_json_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("these are not the posts you are looking for\n")
    with pytest.raises(InputError, match="not JSON"):
        load(path)
    result = CliRunner().invoke(app, ["ingest", str(path), "--store", str(tmp_path / "s"), "--format", "facebook"])
    assert result.exit_code == 1
    assert "notes.json" in result.stderr and "not JSON" in result.stderr and "Traceback" not in result.stderr


def test_sniff_recognises_graph_files_and_leaves_others_alone(tmp_path: Path) -> None:
    for name in ("feed_nested.json", "feed_stream.ndjson", "comments_withheld.json", "feed_pages.json"):
        path = FIXTURES / name
        head = path.read_bytes()[: 64 * 1024]
        assert LOADER.sniff(head, path) and not IG_LOADER.sniff(head, path), name
        assert detect_format(path).name == "facebook"
    tweets = {"data": [{"id": "1", "text": "@telconova help", "author_id": "9", "conversation_id": "1",
                        "created_at": "2021-04-08T19:34:16.000Z"}], "meta": {"result_count": 1}}
    other = {"id": "1_2", "created_time": "2013-06-01T10:00:00+0000", "author_id": "9"}
    for doc in (tweets, other, {"id": "5", "name": "not a post"}, [1, 2, 3]):
        head = json.dumps(doc).encode()
        assert not LOADER.sniff(head, tmp_path / "x.json"), doc
        assert not IG_LOADER.sniff(head, tmp_path / "x.json"), doc
    assert list(REGISTRY)[0] == "twcs" and list(REGISTRY)[-1] == "csv"


def test_end_to_end_frt_through_store_rank_and_requests(tmp_path: Path) -> None:
    store = bm.create_store(tmp_path / "store")
    reports = api.ingest([FIXTURES / n for n in ("feed_nested.json", "feed_stream.ndjson", "comments_withheld.json", "feed_pages.json")], store)
    assert [(r.read, r.stored, r.rejected) for r in reports] == [(6, 6, 0), (7, 5, 2), (4, 3, 1), (3, 3, 0)]
    facts = api.requests(store).sort("request_id")
    # Requests are visitor posts only (fans' comments are not, by default):
    #   111_2 10:00 -> page comment 2_21 10:12 = 720 s;  111_3 unanswered;
    #   111_31 08:00 -> page comment 31_1 08:05 = 300 s;
    #   222_5 08:00 -> page comment 5_51 09:00 = 3600 s (its later reply 5_53 does not count);  222_6 unanswered.
    assert facts.select("brand", "request_id", "frt_s").rows() == [
        ("Telco Nova", "111_2", 720.0),
        ("Telco Nova", "111_3", None),
        ("Telco Nova", "111_31", 300.0),
        ("Posta Aurora", "222_5", 3600.0),
        ("Posta Aurora", "222_6", None),
    ]
    ranked = api.rank(store, min_requests=1)
    # Telco Nova: median of (300, 720) = 510 s, 2 of 3 answered; Posta Aurora: 3600 s, 1 of 2.
    assert ranked.select("rank", "brand", "requests", "answered", "frt_median_s").rows() == [
        (1, "Telco Nova", 3, 2, 510.0),
        (2, "Posta Aurora", 2, 1, 3600.0),
    ]


_GOOD = st.builds(
    lambda n, k: {"data": [{"id": f"111_{n}", "from": {"id": "9", "name": "X"}, "created_time": "2013-06-01T10:00:00+0000",
                            "comments": {"data": [{"id": f"{n}_{i}", "from": {"id": "111"}, "created_time": "2013-06-01T10:05:00+0000"} for i in range(k)]}}]},
    st.integers(1, 10_000),
    st.integers(0, 3),
)
_BAD = st.sampled_from(['{"data": [', "{oops}", '{"data": [{"id": 1', "[1, 2"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(_GOOD, _BAD), min_size=1, max_size=8), chunk_rows=st.integers(1, 5))
def test_every_line_is_stored_or_rejected(tmp_path: Path, lines: list[object], chunk_rows: int) -> None:
    """read == messages + rejects, whatever mix of good pages and broken lines, at any chunk size."""
    path = tmp_path / "p.ndjson"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    chunks = list(LOADER.load(path, LoadOptions(chunk_rows=chunk_rows)))
    expected = sum(1 if isinstance(x, str) else 1 + len(x["data"][0]["comments"]["data"]) for x in lines)  # type: ignore[index]
    assert sum(c.read for c in chunks) == expected
    assert sum(len(c.rejects) for c in chunks) == sum(isinstance(x, str) for x in lines)


def test_permalink_variants() -> None:
    p = parse_permalink("https://www.facebook.com/111/posts/4/?comment_id=41&reply_comment_id=42")
    assert (p.page, p.post_object, p.comment_id, p.reply_id) == ("111", "4", "41", "42")
    p = parse_permalink("https://www.facebook.com/telconova/photos/a.77/5/?type=3&comment_id=51")
    assert (p.page, p.post_object, p.comment_id, p.reply_id) == (None, "5", "51", None)
    p = parse_permalink("https://www.facebook.com/permalink.php?story_fbid=6&id=111&comment_id=61")
    assert (p.page, p.post_object, p.comment_id) == ("111", "6", "61")

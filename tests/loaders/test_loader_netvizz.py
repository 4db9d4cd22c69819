"""Netvizz page comments loader: canonical rows, reply parents from row order, rejects, end to end.

Fixture: tests/fixtures/netvizz/Pasticceria Aurora.tab — synthetic, a fictional
page (id 900100200300400). Rows, in file order (post A = _1001, B = _1002 by the
page's hash a1…; C = _1003 by a visitor b2…):

    0_0 reply   1001_2002 pageowner 10:15  ┐ replies precede their parent:
    0_1 reply   1001_2003 d4…       10:20  ┘ → parent 1001_2001
    0_2 comment 1001_2001 c3…       10:00
    0_3 comment 1001_2004 e5…       11:00
    0_4 reply   1001_2005 e5…       11:30    no comment row after it → attached to post A
    1_0 comment 1002_2006 c3…
    1_1 comment 1002_2099 c2…  "ieri sera"   → rejected (record 7)
    2_0 comment 1003_2007 pageowner 08:30    the page answers the visitor post C (08:00)
    2_1 comment 1003_2008 f6…  text starts with a double quote
    2_2 comment 1.2E+15                      → rejected (record 10)
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.loaders import LoadOptions, detect_format, netvizz

FIXTURE = Path(__file__).parents[1] / "fixtures" / "netvizz" / "Pasticceria Aurora.tab"
PAGE_ID = "900100200300400"
POST_A, POST_B, POST_C = (f"{PAGE_ID}_{n}" for n in (1001, 1002, 1003))


def _load(path: Path = FIXTURE, brands: tuple[str, ...] = ()) -> list:
    return list(netvizz.LOADER.load(path, LoadOptions(brands=brands)))


def _t(day: int, hh: int, mm: int) -> datetime:
    return datetime(2016, 3, day, hh, mm, tzinfo=UTC)


def test_sniff_recognises_netvizz_and_not_other_headers():
    head = FIXTURE.read_bytes()[:4096]
    assert netvizz.LOADER.sniff(head, FIXTURE)
    assert detect_format(FIXTURE).name == "netvizz"
    twcs = b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    generic = b"id\tdate\tuser\tmessage\n1\t2020-01-01\tx\thi\n"
    minimaxir = b"comment_id,status_id,parent_id,comment_message,comment_author,comment_published\n"
    assert not any(netvizz.LOADER.sniff(h, Path("x.tab")) for h in (twcs, generic, minimaxir))


def test_canonical_rows_are_the_hand_worked_ones():
    (chunk,) = _load()
    got = chunk.messages.sort("kind", "message_id").select(
        "message_id", "parent_id", "thread_id", "author_id", "is_brand", "kind", "created_at"
    ).rows()
    c1, c2, c3, c4 = ("c3" * 20, "d4" * 20, "e5" * 20, "f6" * 20)
    expected = [
        ("1001_2001", POST_A, POST_A, c1, False, "comment", _t(1, 10, 0)),
        ("1001_2004", POST_A, POST_A, c3, False, "comment", _t(1, 11, 0)),
        ("1002_2006", POST_B, POST_B, c1, False, "comment", _t(2, 10, 5)),
        ("1003_2007", POST_C, POST_C, PAGE_ID, True, "comment", _t(3, 8, 30)),
        ("1003_2008", POST_C, POST_C, c4, False, "comment", _t(3, 9, 0)),
        (POST_A, None, POST_A, PAGE_ID, True, "post", _t(1, 9, 0)),
        (POST_B, None, POST_B, PAGE_ID, True, "post", _t(2, 10, 0)),
        (POST_C, None, POST_C, "b2" * 20, False, "post", _t(3, 8, 0)),  # a visitor post: a request
        ("1001_2002", "1001_2001", POST_A, PAGE_ID, True, "reply", _t(1, 10, 15)),
        ("1001_2003", "1001_2001", POST_A, c2, False, "reply", _t(1, 10, 20)),
        ("1001_2005", POST_A, POST_A, c3, False, "reply", _t(1, 11, 30)),  # no parent row after it
    ]
    assert got == expected
    assert set(chunk.messages["brand"]) == {"Pasticceria Aurora"}
    assert set(chunk.messages["platform"]) == {"facebook"}


def test_every_row_and_post_is_accounted_for():
    (chunk,) = _load()
    # 10 rows + 3 distinct posts = 13 records; 2 rows rejected, 11 messages.
    assert chunk.read == 13
    assert chunk.messages.height == 11
    assert [(r.record, r.reason) for r in chunk.rejects] == [
        (7, "comment_published ieri sera is not a timestamp"),
        (10, "comment_id 1.2E+15 is in scientific notation (digits lost, e.g. by a spreadsheet)"),
    ]
    assert any("1 replies had no comment row after them" in n for n in chunk.notes)
    assert any(f"posts by {'a1' * 20!r} taken as the page's own, 1 visitor posts" in n for n in chunk.notes)


def test_text_starting_with_a_quote_is_text():
    (chunk,) = _load()
    text = chunk.messages.filter(pl.col("message_id") == "1003_2008")["text"].item()
    assert text == '"Rotta" anche la mia'


def test_brand_from_file_name_and_from_option(tmp_path):
    assert netvizz.page_name(Path("Marta Suplicy.tab"), LoadOptions()) == "Marta Suplicy"
    assert netvizz.page_name(Path("Bar_Centrale_comments.tab"), LoadOptions()) == "Bar_Centrale"
    (chunk,) = _load(brands=("Pasticceria Aurora Srl",))
    assert set(chunk.messages["brand"]) == {"Pasticceria Aurora Srl"}


def test_pageowner_post_author_wins_over_frequency():
    posts = pl.DataFrame({"_record": [1, 2, 3], "_by": ["x", "x", "pageowner"]}, schema={"_record": pl.UInt32, "_by": pl.String})
    assert netvizz.page_post_author(posts) == "pageowner"
    tie = pl.DataFrame({"_record": [5, 2], "_by": ["late", "early"]}, schema={"_record": pl.UInt32, "_by": pl.String})
    assert netvizz.page_post_author(tie) == "early"


def test_end_to_end_rank_gives_the_hand_computed_frt(tmp_path):
    store = bm.create_store(tmp_path / "store")
    (report,) = bm.ingest(FIXTURE, store=store)
    assert (report.format, report.read, report.stored, report.duplicates, report.rejected) == ("netvizz", 13, 11, 0, 2)
    table = bm.rank(store, min_requests=0)
    row = table.row(0, named=True)
    # One request: visitor post C at 08:00; the page's first message in its thread is
    # comment 1003_2007 at 08:30 → FRT = 30 min = 1800 s.
    assert table.height == 1
    assert (row["brand"], row["platform"], row["requests"], row["answered"]) == ("Pasticceria Aurora", "facebook", 1, 1)
    assert row["frt_median_s"] == pytest.approx(1800.0)


def test_cli_ingest_reports_counts_on_stderr(tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(FIXTURE), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "netvizz" in result.stderr and "13" in result.stderr and "visitor posts" in result.stderr


def test_missing_column_is_a_one_line_error(tmp_path):
    bad = tmp_path / "Bar Centrale.tab"
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    header = lines[0].replace("post_published", "post_date")
    bad.write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(bad), "--store", str(tmp_path / "s"), "--format", "netvizz"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {bad}: missing required column(s): post_published"


def test_short_row_is_rejected_and_long_row_is_a_clear_error(tmp_path):
    short = tmp_path / "Bar Centrale.tab"
    shutil.copy(FIXTURE, short)
    with short.open("ab") as fh:
        fh.write(b"3_0\t900100200300400_1004\textra\r\n")
    (chunk,) = _load(short)
    # The short row (record 11) lacks its comment; its post (first seen on record 11) lacks a time.
    assert chunk.read == 15 and chunk.messages.height == 11
    assert [(r.record, r.reason) for r in chunk.rejects][:2] == [(11, "post_published is empty"), (7, "comment_published ieri sera is not a timestamp")]
    assert (11, "comment_id is empty") in [(r.record, r.reason) for r in chunk.rejects]

    long = tmp_path / "Bar Lungo.tab"
    shutil.copy(FIXTURE, long)
    with long.open("ab") as fh:
        fh.write(b"\t".join([b"x"] * 14) + b"\r\n")
    with pytest.raises(bm.InputError, match="not a readable Netvizz tab file"):
        _load(long)

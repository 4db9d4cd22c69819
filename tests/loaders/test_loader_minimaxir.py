"""minimaxir facebook-page-post-scraper loader: UTC−5 times, three column generations, encodings, end to end.

Fixtures (tests/fixtures/minimaxir/) are synthetic, for fictional Italian pages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.errors import UsageError
from benchmark.loaders import LoadOptions, detect_format, minimaxir

FIXTURES = Path(__file__).parents[1] / "fixtures" / "minimaxir"
G3_STATUSES = FIXTURES / "gelateria_bellavista_facebook_statuses.csv"
COMMENTS = FIXTURES / "gelateria_bellavista_facebook_comments.csv"
G1_STATUSES = FIXTURES / "pizzeria_vesuvio_g1_facebook_statuses.csv"
G1_COMMENTS = FIXTURES / "pizzeria_vesuvio_g1_facebook_comments.csv"
CP1252 = FIXTURES / "caffe_aurora_excel_cp1252_facebook_statuses.csv"
MAC_ROMAN = FIXTURES / "caffe_aurora_excel_macroman_facebook_statuses.csv"
GELATERIA = ("Gelateria Bellavista",)


def _load(path: Path, brands: tuple[str, ...], encoding: str = "utf-8"):
    (chunk,) = minimaxir.LOADER.load(path, LoadOptions(brands=brands, encoding=encoding))
    return chunk


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_sniff_recognises_all_generations_and_not_other_formats():
    for path in (G3_STATUSES, COMMENTS, G1_STATUSES, G1_COMMENTS, CP1252, MAC_ROMAN):
        assert minimaxir.LOADER.sniff(path.read_bytes()[:4096], path), path
        assert detect_format(path).name == "minimaxir"
    others = [
        b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n",
        b"id,status_id,message,created\n1,2,hi,2020-01-01\n",
        b"status_id,created_at,text\n",
        b"position\tpost_id\tpost_by\tpost_text\tpost_published\tcomment_id\tcomment_by\tis_reply\n",
    ]
    assert not any(minimaxir.LOADER.sniff(h, Path("x.csv")) for h in others)


def test_times_are_read_at_utc_minus_5():
    chunk = _load(G3_STATUSES, GELATERIA)
    times = dict(chunk.messages.select("message_id", "created_at").iter_rows())
    # written 2017-06-02 22:30:00 at UTC−5 → 2017-06-03 03:30:00 UTC (crosses midnight)
    assert times["111222333_5002"] == _utc(2017, 6, 3, 3, 30)
    # written 2017-06-01 09:00:00 (June: still −5, the scraper ignored daylight saving) → 14:00 UTC
    assert times["111222333_5001"] == _utc(2017, 6, 1, 14, 0)


@given(st.datetimes(min_value=datetime(2004, 1, 1), max_value=datetime(2030, 12, 31)).map(lambda d: d.replace(microsecond=0)))
def test_scraper_time_adds_exactly_five_hours(written: datetime):
    df = pl.DataFrame({"t": [written.strftime("%Y-%m-%d %H:%M:%S")]})
    value, problem, _ = minimaxir.scraper_time(df, "t")
    got = df.select(value.alias("v"), problem.alias("p")).row(0)
    assert got == (written.replace(tzinfo=UTC) + timedelta(hours=5), None)


def test_generation_3_statuses_visitor_post_is_a_request():
    chunk = _load(G3_STATUSES, GELATERIA)
    rows = chunk.messages.sort("message_id").select("message_id", "parent_id", "thread_id", "author_id", "is_brand", "kind", "brand").rows()
    assert rows == [
        ("111222333_5001", None, "111222333_5001", "Gelateria Bellavista", True, "post", "Gelateria Bellavista"),
        ("111222333_5002", None, "111222333_5002", "Mario Rossi", False, "post", "Gelateria Bellavista"),
    ]
    assert chunk.notes[0] == "statuses file, column generation 3 (with status_author)"


def test_comments_rows_parents_and_rejects():
    chunk = _load(COMMENTS, GELATERIA)
    rows = chunk.messages.sort("message_id").select("message_id", "parent_id", "thread_id", "is_brand", "kind", "created_at").rows()
    assert rows == [
        ("5001_6003", "111222333_5001", "111222333_5001", False, "comment", _utc(2017, 6, 1, 15, 0)),
        # author written "gelateria bellavista": names match case-insensitively
        ("5001_6005", "5001_6003", "111222333_5001", True, "reply", _utc(2017, 6, 1, 15, 30)),
        ("5002_6001", "111222333_5002", "111222333_5002", True, "comment", _utc(2017, 6, 3, 4, 15)),
        ("5002_6002", "5002_6001", "111222333_5002", False, "reply", _utc(2017, 6, 3, 4, 20)),
    ]
    assert chunk.messages.filter(pl.col("message_id") == "5001_6003")["text"].item() == "Buonissimo,\nlo provo domani"
    assert chunk.read == 6
    assert [(r.record, r.reason) for r in chunk.rejects] == [
        (5, "comment_id is empty"),
        (6, "comment_published 2017-13-01 10:00:00 is not a time like 2018-01-31 19:05:11"),
    ]


def test_generation_1_files():
    statuses = _load(G1_STATUSES, ("Pizzeria Vesuvio",))
    assert statuses.messages.select("message_id", "is_brand", "created_at").rows() == [("444555666_7001", True, _utc(2015, 11, 20, 17, 0))]
    assert statuses.notes[0] == "statuses file, column generation 1 (likes only)"
    comments = _load(G1_COMMENTS, ("Pizzeria Vesuvio",))
    assert comments.messages.select("message_id", "parent_id", "is_brand", "kind").rows() == [
        ("7001_8001", "444555666_7001", False, "comment"),
        ("7001_8002", "7001_8001", True, "reply"),
    ]
    assert comments.notes[0] == "comments file, column generation 1 (comment_likes)"


def test_cp1252_spreadsheet_file_is_detected_and_read():
    chunk = _load(CP1252, ("Caffè Aurora",))
    assert chunk.notes[0].startswith("not valid UTF-8: read as cp1252 (detected")
    assert any("month/day order" in n for n in chunk.notes)
    rows = chunk.messages.sort("message_id").select("message_id", "created_at", "text").rows()
    assert rows == [
        # 1/31/18 18:55 at UTC−5 → 23:55 UTC; 12/1/17 7:05 → 12:05 UTC
        ("222333444_9001", _utc(2018, 1, 31, 23, 55), "Il caffè è pronto – l’espresso del mattino (dati sintetici)"),
        ("222333444_9002", _utc(2017, 12, 1, 12, 5), "Più crema per tutti"),
    ]
    assert [(r.record, r.reason) for r in chunk.rejects] == [(3, "status_id is empty")]


def test_mac_roman_file_is_detected():
    chunk = _load(MAC_ROMAN, ("Caffè Aurora",))
    assert chunk.notes[0].startswith("not valid UTF-8: read as mac_roman (detected")
    assert chunk.messages.filter(pl.col("message_id") == "333444555_9002")["text"].item() == "Giù crema per tutti"


def test_explicit_encoding_that_fails_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(
        app, ["ingest", str(MAC_ROMAN), "--store", str(tmp_path / "s"), "--brand", "Caffè Aurora", "--encoding", "cp1252"]
    )
    assert result.exit_code == 1
    err = result.stderr.strip()
    assert err.startswith(f"error: {MAC_ROMAN}: not valid cp1252 text") and "--encoding mac_roman" in err
    assert "\n" not in err


def test_brand_is_required(tmp_path):
    with pytest.raises(UsageError, match='name the page with --brand "Page Name"'):
        _load(COMMENTS, ())
    result = CliRunner().invoke(app, ["ingest", str(COMMENTS), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and "--brand" in result.stderr


def test_generation_3_with_a_wrong_brand_name_is_refused():
    with pytest.raises(UsageError, match=r"no post is by 'Gelateria Sbagliata'; status_author values are 'Gelateria Bellavista' \(1\), 'Mario Rossi' \(1\)"):
        _load(G3_STATUSES, ("Gelateria Sbagliata",))


def test_withheld_comment_authors_are_noted(tmp_path):
    withheld = tmp_path / "x_facebook_comments.csv"
    withheld.write_text(COMMENTS.read_text(encoding="utf-8").replace("Gelateria Bellavista", "undiscoverable")
                        .replace("gelateria bellavista", "undiscoverable").replace("Mario Rossi", "undiscoverable")
                        .replace("Lucia Bianchi", "undiscoverable").replace("Paolo Verdi", "undiscoverable"), encoding="utf-8")
    chunk = _load(withheld, GELATERIA)
    assert not chunk.messages["is_brand"].any()
    assert "every author is 'undiscoverable'" in chunk.notes[-1]


def test_facebook_ids_written_as_floats_are_fixed_and_scientific_refused():
    df = pl.DataFrame({"id": ["123.0", "5281959998_101", "1.2E+15", "abc", " "]})
    value, problem = minimaxir.facebook_id("id")
    assert df.select(value.alias("v"), problem.alias("p")).rows() == [
        ("123", None),
        ("5281959998_101", None),
        ("1.2E+15", "id 1.2E+15 is in scientific notation (digits lost, e.g. by a spreadsheet)"),
        ("abc", "id abc is not a Facebook id"),
        (None, None),
    ]


def test_end_to_end_statuses_and_comments_rank_with_hand_computed_frt(tmp_path):
    store = bm.create_store(tmp_path / "store")
    reports = bm.ingest([G3_STATUSES, COMMENTS], store=store, brands=GELATERIA)
    assert [(r.format, r.read, r.stored, r.duplicates, r.rejected) for r in reports] == [
        ("minimaxir", 2, 2, 0, 0),
        ("minimaxir", 6, 4, 0, 2),
    ]
    table = bm.rank(store, min_requests=0)
    # One request: Mario Rossi's visitor post 5002, written 22:30 (UTC−5); the page's
    # comment 6001 under it, written 23:15 → FRT 45 min = 2700 s (the offset cancels).
    assert table.height == 1
    row = table.row(0, named=True)
    assert (row["brand"], row["platform"], row["requests"], row["answered"]) == ("Gelateria Bellavista", "facebook", 1, 1)
    assert row["frt_median_s"] == pytest.approx(2700.0)
    facts = bm.requests(store)
    assert facts.select("request_id", "response_id").rows() == [("111222333_5002", "5002_6001")]

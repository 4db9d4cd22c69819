"""TWCS CSV quirks seen in real exports: pandas floats, Excel booleans and CRLF, bare CRs, mangled child lists."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from benchmark.errors import InputError
from benchmark.loaders import LoadOptions, detect_format, twcs

HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"


def _load(path: Path):
    chunks = list(twcs.LOADER.load(path, LoadOptions()))
    assert len(chunks) == 1
    return chunks[0]


def test_pandas_resave_with_index_column_and_float_ids(tmp_path):
    p = tmp_path / "twcs.csv"
    p.write_text(
        ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "0,1,AcmeTel,False,Tue Oct 31 22:10:47 +0000 2017,@115712 we can help,2,3.0\n"
        "1,3,115712,True,Tue Oct 31 22:08:27 +0000 2017,@AcmeTel no one answers,1,\n"
    )
    assert detect_format(p).name == "twcs"
    msgs = _load(p).messages
    assert msgs.select("message_id", "parent_id", "brand", "is_brand", "kind").rows() == [
        ("1", "3", "AcmeTel", True, "reply"),
        ("3", None, "AcmeTel", False, "tweet"),
    ]
    assert msgs["created_at"].dtype == pl.Datetime("us", "UTC")
    assert msgs["thread_id"].to_list() == ["3", "3"]


def test_excel_resave_true_false_crlf_and_mangled_child_lists(tmp_path):
    p = tmp_path / "twcs.csv"
    p.write_bytes(
        (HEADER + "\r\n"
         "1,AcmeTel,FALSE,Tue Oct 31 22:10:47 +0000 2017,@c1 ok,2.00E+00,3\r\n"
         "3,c1,TRUE,Tue Oct 31 22:08:27 +0000 2017,@AcmeTel hi,\"1,4,5\",\r\n").encode()
    )
    chunk = _load(p)
    assert chunk.rejects == []  # response_tweet_id is ignored: threads come from parent ids only
    assert chunk.messages.select("message_id", "parent_id", "is_brand").rows() == [("1", "3", True), ("3", None, False)]


def test_bare_carriage_return_inside_an_unquoted_field_stays_in_the_text(tmp_path):
    p = tmp_path / "twcs.csv"
    p.write_bytes(
        (HEADER + "\n"
         "1,c1,True,Tue Oct 31 22:08:27 +0000 2017,@AcmeTel line one\rline two,,\n"
         "2,AcmeTel,False,Tue Oct 31 22:10:47 +0000 2017,@c1 ok,,1\n").encode()
    )
    chunk = _load(p)
    assert chunk.read == 2 and chunk.rejects == []
    assert chunk.messages["text"][0] == "@AcmeTel line one\rline two"


def test_multiline_quoted_text_and_emoji(tmp_path):
    p = tmp_path / "twcs.csv"
    p.write_text(HEADER + '\n1,c1,True,Tue Oct 31 22:08:27 +0000 2017,"@AcmeTel 😡\nstill down, ""again""",,\n', encoding="utf-8")
    assert _load(p).messages["text"][0] == '@AcmeTel 😡\nstill down, "again"'


def test_unattributed_when_no_company_answers_or_is_mentioned(tmp_path):
    p = tmp_path / "twcs.csv"
    p.write_text(
        HEADER + "\n"
        "1,c1,True,Tue Oct 31 22:08:27 +0000 2017,@acmetel case-insensitive mention,,\n"
        "2,c2,True,Tue Oct 31 22:09:27 +0000 2017,@nobody hello,,\n"
        "3,AcmeTel,False,Tue Oct 31 21:00:00 +0000 2017,Good morning!,,\n"
    )
    brands = dict(_load(p).messages.select("message_id", "brand").rows())
    assert brands == {"1": "AcmeTel", "2": None, "3": "AcmeTel"}


def test_missing_columns_is_a_file_error(tmp_path):
    p = tmp_path / "twcs.csv"
    p.write_text("tweet_id,author_id,inbound,created_at,text,in_response_to_tweet_id_x\n1,a,True,x,y,\n")
    with pytest.raises(InputError, match=r"twcs.csv: missing required column\(s\): in_response_to_tweet_id"):
        _load(p)


def test_non_utf8_file_suggests_an_encoding(tmp_path):
    p = tmp_path / "twcs.csv"
    p.write_bytes((HEADER + "\n1,c1,True,Tue Oct 31 22:08:27 +0000 2017,perch\xe9 non funziona,,\n").encode("latin-1"))
    with pytest.raises(InputError, match="--encoding"):
        _load(p)
    chunk = list(twcs.LOADER.load(p, LoadOptions(encoding="cp1252")))[0]
    assert chunk.messages["text"][0] == "perché non funziona"


def test_real_excerpt_loads_completely_if_present():
    """The public excerpt beside the checkout (not part of the project) loads with no rejects."""
    real = Path(__file__).resolve().parents[3] / "shared" / "data" / "twcs_monalisapatra" / "twcs.csv"
    if not real.exists():
        pytest.skip("../shared/data is not beside this checkout")
    chunk = _load(real)
    assert (chunk.read, len(chunk.rejects)) == (5000, 0)
    assert chunk.messages["message_id"].n_unique() == 5000


def test_real_excerpt_rewritten_with_an_empty_record_rejects_it_if_present(tmp_path):
    """The excerpt re-written by Python's csv module (CRLF) with one all-empty record: that record is
    rejected, the rest stored (Polars once panicked on the multi-chunk block its reader returned)."""
    import csv

    real = Path(__file__).resolve().parents[3] / "shared" / "data" / "twcs_monalisapatra" / "twcs.csv"
    if not real.exists():
        pytest.skip("../shared/data is not beside this checkout")
    rows = list(csv.reader(real.open(newline="", encoding="utf-8")))
    p = tmp_path / "rewritten.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerows(rows[:51])
        out.writerow([""] * len(rows[0]))
        out.writerows(rows[51:])
    chunk = _load(p)  # the csv module also splits two records at the excerpt's bare CRs: they are rejected too
    assert chunk.read == len(rows)  # header out, empty record in
    assert [r.reason for r in chunk.rejects if r.record == 51] == ["tweet_id is empty"]
    assert chunk.messages.height == chunk.read - len(chunk.rejects) and len(chunk.rejects) <= 3

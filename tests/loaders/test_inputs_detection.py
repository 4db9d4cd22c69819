"""Issue 14, inputs 4 and 5: near misses name the format and what is missing; a file that yields nothing fails.

All data here is synthetic, written by the tests (fictional brands "AcmeTel" and "Gelateria Bellavista").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.loaders import detect_format
from benchmark.loaders.hints import fix_for

runner = CliRunner()
COLUMNS = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"]
ROW = {"tweet_id": "1", "author_id": "c1", "inbound": "True", "created_at": "Mon Oct 02 10:00:00 +0000 2017",
       "text": "@AcmeTel help", "response_tweet_id": "", "in_response_to_tweet_id": ""}
MINIMAXIR = Path(__file__).parents[1] / "fixtures" / "minimaxir" / "gelateria_bellavista_facebook_comments.csv"


def twcs_without(tmp_path: Path, *dropped: str, prefix: str = "") -> Path:
    cols = [c for c in COLUMNS if c not in dropped]
    path = tmp_path / "twcs.csv"
    path.write_text(prefix + ",".join(cols) + "\n" + ("0," if prefix else "") + ",".join(ROW[c] for c in cols) + "\n")
    return path


def ingest(tmp_path: Path, *args: str):
    return runner.invoke(app, ["ingest", *args, "--store", str(tmp_path / "st")])


# ---- 4. near misses ---------------------------------------------------------------------------


@pytest.mark.parametrize("dropped", ["author_id", "tweet_id", "inbound", "in_response_to_tweet_id", "text", "created_at"])
def test_twcs_lacking_one_column_says_so(tmp_path: Path, dropped: str) -> None:
    path = twcs_without(tmp_path, dropped)
    result = ingest(tmp_path, str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {path}: twcs: missing required column(s): {dropped}"
    assert not (tmp_path / "st").exists()


def test_twcs_lacking_more_columns_is_unknown_but_names_the_nearest(tmp_path: Path) -> None:
    path = twcs_without(tmp_path, "inbound", "in_response_to_tweet_id", "response_tweet_id")
    result = ingest(tmp_path, str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {path}: unknown format: not one of twcs, twitter-v2, minimaxir, netvizz, facebook, instagram, csv "
        "(nearest: twcs, which also needs column(s) inbound, in_response_to_tweet_id); pass --format, or --map columns for a generic CSV"
    )


def test_a_generic_csv_is_not_called_a_near_twcs(tmp_path: Path) -> None:
    path = tmp_path / "generic.csv"
    path.write_text("id,author_id,created_at,text\n1,c1,2024-01-01T00:00:00Z,hi\n")
    result = ingest(tmp_path, str(path))
    assert result.exit_code == 1
    assert "nearest" not in result.stderr and "unknown format" in result.stderr


def test_netvizz_lacking_one_column_says_so(tmp_path: Path) -> None:
    path = tmp_path / "page.tab"
    path.write_text("post_id\tpost_by\tcomment_id\tcomment_by\tis_reply\tcomment_published\tcomment_message\n1\t2\t3\t4\t0\t2016-01-01\thi\n")
    result = ingest(tmp_path, str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {path}: netvizz: missing required column(s): post_published"


def test_a_blank_first_header_name_is_a_pandas_index_and_does_not_fail(tmp_path: Path) -> None:
    path = twcs_without(tmp_path, prefix=",")
    assert detect_format(path).name == "twcs"
    result = ingest(tmp_path, str(path))
    assert result.exit_code == 0, result.output
    assert bm.open_store(tmp_path / "st").messages()["message_id"].to_list() == ["1"]
    # The same for a minimaxir comments file re-saved by pandas (its sniff wants comment_id first).
    lines = MINIMAXIR.read_text(encoding="utf-8").splitlines(keepends=True)
    indexed = tmp_path / "comments_indexed.csv"
    indexed.write_text("," + lines[0] + "".join(f"{i}," + line for i, line in enumerate(lines[1:])), encoding="utf-8")
    assert detect_format(indexed).name == "minimaxir"
    # A blank first name with a column missing is still a near miss, not unknown.
    missing = twcs_without(tmp_path, "author_id", prefix=",")
    res = ingest(tmp_path, str(missing))
    assert res.exit_code == 1 and res.stderr.strip() == f"error: {missing}: twcs: missing required column(s): author_id"


def test_near_miss_in_a_subprocess(tmp_path: Path) -> None:
    path = twcs_without(tmp_path, "author_id")
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([sys.executable, "-m", "benchmark", "ingest", str(path), "--store", str(tmp_path / "st")],
                          capture_output=True, text=True, env=env, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", f"error: {path}: twcs: missing required column(s): author_id\n")


# ---- 5. a file that yields nothing ------------------------------------------------------------

MAP = ["--map", "message_id=id", "--map", "created_at=when", "--map", "author_id=who", "--map", "parent_id=reply_to", "--map", "text=body"]


def naive(tmp_path: Path, name: str = "naive.csv") -> Path:
    path = tmp_path / name
    path.write_text("id,when,who,reply_to,body\na1,2024-03-04 09:00:00,c1,,help\na2,2024-03-04 09:30:00,AcmeTel,a1,ok\n")
    return path


def test_naive_timestamps_fail_with_the_exact_fix_in_a_subprocess(tmp_path: Path) -> None:
    path = naive(tmp_path)
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    cmd = [sys.executable, "-m", "benchmark", "ingest", str(path), "--store", str(tmp_path / "st"), *MAP, "--brand", "AcmeTel"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip().splitlines()[-1] == (
        f"error: {path}: nothing stored: all 2 records were rejected; the timestamps have no UTC offset: "
        "give the zone they were written in, e.g. --map timezone=Europe/Rome"
    )
    fixed = subprocess.run([*cmd, "--map", "timezone=Europe/Rome"], capture_output=True, text=True, env=env, check=False)
    assert fixed.returncode == 0, fixed.stderr
    assert bm.open_store(tmp_path / "st").messages().height == 2


def test_the_hint_names_the_mapping_file_key_when_a_mapping_file_is_used(tmp_path: Path) -> None:
    toml = tmp_path / "map.toml"
    toml.write_text('[columns]\nmessage_id = "id"\ncreated_at = "when"\nauthor_id = "who"\n')
    result = ingest(tmp_path, str(naive(tmp_path)), "--mapping", str(toml), "--brand", "AcmeTel")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].endswith(
        "e.g. --map timezone=Europe/Rome (or timezone = … under [values] in the mapping file)"
    )


def test_several_files_yielding_nothing_are_each_named(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("id,when,who,reply_to,body\nb1,2024-03-04T09:00:00Z,c1,,help\n")
    a, b = naive(tmp_path, "a.csv"), naive(tmp_path, "b.csv")
    result = ingest(tmp_path, str(a), str(good), str(b), *MAP, "--brand", "AcmeTel")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-3:] == [
        f"{a}: nothing stored: all 2 records were rejected; the timestamps have no UTC offset: give the zone they were written in, e.g. --map timezone=Europe/Rome",
        f"{b}: nothing stored: all 2 records were rejected; the timestamps have no UTC offset: give the zone they were written in, e.g. --map timezone=Europe/Rome",
        "error: nothing stored from 2 of 3 files (see above)",
    ]
    assert bm.open_store(tmp_path / "st").messages()["message_id"].to_list() == ["b1"]  # the good file is kept


def test_a_file_with_some_good_records_or_none_at_all_still_exits_0(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("id,when,who,reply_to,body\na1,2024-03-04 09:00:00,c1,,help\na2,2024-03-04T09:30:00Z,c2,,ok\n")
    assert ingest(tmp_path, str(mixed), *MAP, "--brand", "AcmeTel").exit_code == 0
    header_only = tmp_path / "header.csv"
    header_only.write_text("id,when,who,reply_to,body\n")
    assert ingest(tmp_path, str(header_only), *MAP, "--brand", "AcmeTel").exit_code == 0


def test_unknown_reasons_fail_without_a_guess(tmp_path: Path) -> None:
    path = tmp_path / "empty_ids.csv"
    path.write_text("id,when,who,reply_to,body\n,2024-03-04T09:00:00Z,c1,,help\n")
    result = ingest(tmp_path, str(path), *MAP, "--brand", "AcmeTel")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == f"error: {path}: nothing stored: the only record was rejected"


@pytest.mark.parametrize(
    ("reasons", "fix"),
    [
        ({"when has no UTC offset; give the export's timezone": 3}, "--map timezone=Europe/Rome"),
        ({"when is not a timestamp": 3}, "--map timestamp_format='%d/%m/%Y %H:%M'"),
        ({"when is not a timestamp in format %d/%m/%Y": 3}, "do not match the timestamp_format given"),
        ({"line fields where the header has": 5}, "--delimiter ';'"),
        ({"tweet_id is in scientific notation (digits lost, e.g. by a spreadsheet)": 2}, "ingest the original export"),
        ({"id is empty": 9, "when has no UTC offset; give the export's timezone": 1}, None),  # the commonest reason decides
    ],
)
def test_fix_for(reasons: dict[str, int], fix: str | None) -> None:
    got = fix_for(reasons)
    assert (got is None) if fix is None else (got is not None and fix in got)

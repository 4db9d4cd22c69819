"""Issue 6, input faults: every broken export gives a clear one-line error or rejects with reasons.

Fixtures are in tests/fixtures/hostile/ (synthetic, fictional brands; see its README). For
every file ingested the counting identity ``read = stored + duplicates + rejected`` is
checked on the committed summary, and the ingest table printed on stderr shows those counts.
Exit codes: 0 when the file was read (bad records go to rejects.ndjson), 1 for a fatal
problem (empty file, unknown format, unreadable encoding, missing columns), 1 with
``--strict`` when anything was rejected.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.loaders._read import csvread

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
runner = CliRunner()


def ingest(store: Path, *args: str):
    return runner.invoke(app, ["ingest", *args, "--store", str(store)])


def summaries(store: Path) -> list[dict]:
    out = [json.loads(p.read_text()) for p in sorted((store / "ingests").glob("ingest=*/summary.json"))]
    for s in out:
        assert s["read"] == s["stored"] + s["duplicates"] + s["rejected"], s
    return out


def rejects(store: Path) -> list[dict]:
    return [json.loads(line) for p in sorted((store / "ingests").glob("ingest=*/rejects.ndjson")) for line in p.read_text().splitlines()]


def counts(store: Path) -> tuple[int, int, int, int]:
    (s,) = summaries(store)
    return s["read"], s["stored"], s["duplicates"], s["rejected"]


def one_error_line(result, path_part: str) -> str:
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and path_part in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def stored_texts(store: Path) -> dict[str, str]:
    df = bm.open_store(store).messages()
    return dict(zip(df["message_id"], df["text"], strict=True))


# ---- fatal problems: one line naming the file, exit 1, nothing written ----------------------------


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("empty.csv", (), "the file is empty"),
        ("blank.json", (), "the file is empty"),
        ("unknown.txt", (), "unknown format"),
        ("twcs_missing_columns.csv", ("--format", "twcs"), "missing required column(s): inbound, in_response_to_tweet_id"),
        ("twcs_missing_columns.csv", (), "unknown format"),
        ("twcs_latin1.csv", (), "not valid utf-8 text (invalid continuation byte at byte"),
        ("fb_truncated_object.json", (), "truncated?"),
    ],
)
def test_fatal_problem_is_one_clear_line_and_exit_1(tmp_path: Path, name: str, args: tuple[str, ...], expected: str) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / name), *args)
    assert result.exit_code == 1
    line = one_error_line(result, name)
    assert expected in line
    assert summaries(tmp_path / "st") == []  # nothing committed


def test_latin1_hint_names_the_fix_and_the_fix_works(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "twcs_latin1.csv"))
    assert "--encoding cp1252" in result.output
    ok = ingest(tmp_path / "st", str(HOSTILE / "twcs_latin1.csv"), "--encoding", "cp1252")
    assert ok.exit_code == 0, ok.output
    assert counts(tmp_path / "st") == (2, 2, 0, 0)
    assert stored_texts(tmp_path / "st")["1"] == "@AcmeTel perché non funziona? Più lento di così…"


def test_one_bad_file_among_many_stops_before_writing_anything(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "twcs_ok.csv"), str(HOSTILE / "unknown.txt"))
    assert result.exit_code == 1
    assert summaries(tmp_path / "st") == []


def test_header_only_file_reads_nothing_and_says_so(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "header_only.csv"))
    assert result.exit_code == 0, result.output
    assert counts(tmp_path / "st") == (0, 0, 0, 0)
    assert "header_only.csv" in result.output


# ---- bad records: rejected with file, record and reason; the rest stored -------------------------


def test_bom_and_nul_bytes(tmp_path: Path) -> None:
    assert ingest(tmp_path / "a", str(HOSTILE / "twcs_bom.csv")).exit_code == 0
    assert counts(tmp_path / "a") == (2, 2, 0, 0)
    assert set(stored_texts(tmp_path / "a")) == {"1", "2"}  # the BOM did not hide the tweet_id column
    assert ingest(tmp_path / "b", str(HOSTILE / "twcs_nul.csv")).exit_code == 0
    assert counts(tmp_path / "b") == (2, 2, 0, 0)
    assert stored_texts(tmp_path / "b")["1"] == "@AcmeTel nul\x00byte"  # kept as written, stored safely


def test_unbalanced_quotes_reject_only_the_bad_line(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "twcs_unbalanced_quote.csv"))
    assert result.exit_code == 0, result.output
    assert counts(tmp_path / "st") == (4, 3, 0, 1)
    (bad,) = rejects(tmp_path / "st")
    assert bad["source_file"].endswith("twcs_unbalanced_quote.csv")
    assert bad["record"] == 3 and bad["reason"] == "line 4: a quote opened on this line is never closed"
    texts = stored_texts(tmp_path / "st")
    assert texts["1"] == '@AcmeTel a stray "quote inside'  # a quote inside a field is text
    assert texts["4"] == "@AcmeTel still here"  # reading resumed after the bad line


def test_embedded_newlines_survive(tmp_path: Path) -> None:
    assert ingest(tmp_path / "st", str(HOSTILE / "twcs_embedded_newlines.csv")).exit_code == 0
    assert counts(tmp_path / "st") == (2, 2, 0, 0)
    assert stored_texts(tmp_path / "st")["1"] == '@AcmeTel line one\nline two, with comma\r\nand "quoted" three'


def test_extra_columns_ignored_extra_fields_rejected(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "twcs_extra_columns.csv"))
    assert result.exit_code == 0, result.output
    assert counts(tmp_path / "st") == (3, 2, 0, 1)
    (bad,) = rejects(tmp_path / "st")
    assert (bad["record"], bad["reason"]) == (2, "line 3: 10 fields where the header has 8")


def test_ids_as_floats_kept_scientific_notation_rejected(tmp_path: Path) -> None:
    assert ingest(tmp_path / "st", str(HOSTILE / "twcs_bad_ids.csv")).exit_code == 0
    assert counts(tmp_path / "st") == (5, 2, 0, 3)
    df = bm.open_store(tmp_path / "st").messages()
    assert dict(zip(df["message_id"], df["parent_id"], strict=True)) == {"1": None, "2": "1"}
    reasons = {r["record"]: r["reason"] for r in rejects(tmp_path / "st")}
    assert reasons[3] == "tweet_id 1.23457E+17 is in scientific notation (digits lost, e.g. by a spreadsheet)"
    assert reasons[4].startswith("in_response_to_tweet_id 3.1E+5 is in scientific notation")
    assert reasons[5] == "tweet_id 12abc is not a numeric id"


def test_timestamps_without_offset_or_in_unknown_format(tmp_path: Path) -> None:
    assert ingest(tmp_path / "a", str(HOSTILE / "twcs_bad_times.csv")).exit_code == 0
    assert counts(tmp_path / "a") == (3, 1, 0, 2)
    assert all("is not like 'Tue Oct 31 22:10:47 +0000 2017'" in r["reason"] for r in rejects(tmp_path / "a"))

    mapping = ["--map", "message_id=id", "--map", "created_at=when", "--map", "author_id=who", "--map", "parent_id=reply_to", "--map", "text=body"]
    args = [str(HOSTILE / "generic_times.csv"), *mapping, "--brand", "AcmeTel"]
    assert ingest(tmp_path / "b", *args).exit_code == 0
    assert counts(tmp_path / "b") == (4, 2, 0, 2)
    reasons = {r["record"]: r["reason"] for r in rejects(tmp_path / "b")}
    assert reasons == {
        2: "when 2024-03-04 09:30:00 has no UTC offset; give the export's timezone",
        3: "when 04/03/2024 10:00 is not a timestamp",
    }
    # With the export's timezone the naive one is read in it (09:30 Rome = 08:30 UTC); the unknown format stays rejected.
    assert ingest(tmp_path / "c", *args, "--map", "timezone=Europe/Rome").exit_code == 0
    assert counts(tmp_path / "c") == (4, 3, 0, 1)
    times = bm.open_store(tmp_path / "c").messages().select("message_id", pl.col("created_at").dt.strftime("%H:%M")).rows()
    assert dict(times) == {"a1": "08:00", "a2": "08:30", "a4": "10:00"}


def test_duplicate_ids_with_different_content_are_counted_and_reported(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "twcs_duplicates.csv"))
    assert result.exit_code == 0, result.output
    assert counts(tmp_path / "st") == (4, 2, 2, 0)  # two copies of id 1 dropped: one identical, one different
    (s,) = summaries(tmp_path / "st")
    note = "1 duplicate message id(s) with different content (author, parent, time or text)"
    assert any(n.startswith(note) for n in s["notes"])
    assert note in result.output.replace("\n", " ")
    assert stored_texts(tmp_path / "st")["1"] == "@AcmeTel first"  # the first version is kept


def test_duplicates_across_ingests_with_different_content(tmp_path: Path) -> None:
    assert ingest(tmp_path / "st", str(HOSTILE / "twcs_ok.csv")).exit_code == 0
    # twcs_duplicates.csv: id 1 appears three times; the stored one says "my line is down", so all 3 differ; id 2 differs too.
    result = ingest(tmp_path / "st", str(HOSTILE / "twcs_duplicates.csv"))
    second = summaries(tmp_path / "st")[1]
    assert (second["read"], second["stored"], second["duplicates"]) == (4, 0, 4)
    assert any(n.startswith("4 duplicate message id(s) with different content") for n in second["notes"]), result.output
    # Re-ingesting an identical file notes nothing of the kind.
    again = ingest(tmp_path / "st", str(HOSTILE / "twcs_ok.csv"))
    assert "different content" not in again.output


def rank_stderr(tmp_path: Path, name: str) -> tuple[str, list[dict]]:
    result = runner.invoke(app, ["rank", str(HOSTILE / name), "--format", "json", "--min-requests", "1"])
    assert result.exit_code == 0, result.output
    start = result.stdout.index("[")
    return result.stderr, json.loads(result.stdout[start:])


def test_parent_cycle_is_reported_and_left_out(tmp_path: Path) -> None:
    err, ranked = rank_stderr(tmp_path, "twcs_cycle.csv")
    assert "2 messages in reply cycles (left out)" in err
    (acme,) = ranked
    assert (acme["brand"], acme["requests"], acme["frt_median_s"]) == ("AcmeTel", 1, 600.0)  # 20 -> 21 after 10 min


def test_clock_skew_is_counted_never_a_negative_frt(tmp_path: Path) -> None:
    err, ranked = rank_stderr(tmp_path, "twcs_skew.csv")
    assert "1 replies dated before the message they answer (clock skew; never counted as a response)" in err
    (acme,) = ranked
    assert acme["frt_median_s"] == 1200.0  # 32 at 10:20 answers 30 at 10:00; 31 (09:55) is not a response
    bm.ingest([HOSTILE / "twcs_skew.csv"], store=tmp_path / "st")
    d = bm.api.measurement(tmp_path / "st").diagnostics
    assert d.replies_before_parent == 1


def test_replies_to_messages_not_in_the_export(tmp_path: Path) -> None:
    err, ranked = rank_stderr(tmp_path, "twcs_orphans.csv")
    assert "2 messages reply to messages not in the data" in err
    (acme,) = ranked
    assert (acme["requests"], acme["answered"]) == (1, 1)  # only 40 is a request; 42 answers 999, not a thread starter


def test_strict_turns_rejects_into_exit_1(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "twcs_bad_ids.csv"), "--strict")
    assert result.exit_code == 1
    assert "error: --strict: 3 record(s) rejected" in result.output
    assert ingest(tmp_path / "st2", str(HOSTILE / "twcs_ok.csv"), "--strict").exit_code == 0


def test_counts_are_printed_per_file(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "twcs_bad_ids.csv"), str(HOSTILE / "twcs_duplicates.csv"))
    assert result.exit_code == 0
    header = next(x for x in result.stderr.splitlines() if "read" in x and "stored" in x)
    assert all(w in header for w in ("read", "stored", "duplicates", "rejected"))
    row = next(x for x in result.stderr.splitlines() if "twcs_bad_ids.csv" in x and "│" in x)
    assert [c.strip() for c in row.split("│")[3:7]] == ["5", "2", "0", "3"]
    assert "twcs_bad_ids.csv: 3 rejected" in result.stderr
    assert len(summaries(tmp_path / "st")) == 2


# ---- truncated JSON and NDJSON ---------------------------------------------------------------------


def test_truncated_ndjson_rejects_the_cut_line(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "v2_truncated.jsonl"))
    assert result.exit_code == 0, result.output
    # 3 whole lines: 2 tweets (+ 2 referenced tweets embedded in them, one already stored) and a user
    # record (not a tweet); then the cut line.
    assert counts(tmp_path / "st") == (6, 3, 1, 2)
    bad = {r["record"]: r["reason"] for r in rejects(tmp_path / "st")}
    assert bad[4].startswith("line 4: truncated last line (the export was cut off): not valid JSON")


def test_truncated_json_array_rejects_the_cut_element(tmp_path: Path) -> None:
    result = ingest(tmp_path / "st", str(HOSTILE / "fb_truncated_array.json"))
    assert result.exit_code == 0, result.output
    read, stored, dups, rejected = counts(tmp_path / "st")
    assert rejected == 1 and stored > 0
    (bad,) = rejects(tmp_path / "st")
    assert "malformed or truncated JSON" in bad["reason"]


# ---- a malformed record in the middle of 100,000 good ones ------------------------------------------


def test_malformed_csv_line_among_100k(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvread, "BLOCK_BYTES", 1 << 20)  # several blocks: the bad one is re-read record by record
    n = 100_000
    df = pl.DataFrame({"tweet_id": pl.int_range(1, n + 1, eager=True)}).with_columns(
        pl.lit("c1").alias("author_id"), pl.lit("True").alias("inbound"),
        pl.lit("Mon Oct 02 10:00:00 +0000 2017").alias("created_at"), pl.lit("@AcmeTel help, please").alias("text"),
        pl.lit(None, pl.String).alias("response_tweet_id"), pl.lit(None, pl.String).alias("in_response_to_tweet_id"),
    )
    lines = df.write_csv().splitlines(keepends=True)
    lines[50_001] = lines[50_001].rstrip("\n") + ",oops,more\n"  # record 50,001 is on line 50,002
    path = tmp_path / "big_twcs.csv"
    path.write_text("".join(lines))
    result = ingest(tmp_path / "st", str(path))
    assert result.exit_code == 0, result.output
    assert counts(tmp_path / "st") == (n, n - 1, 0, 1)
    (bad,) = rejects(tmp_path / "st")
    assert (bad["record"], bad["reason"]) == (50_001, "line 50002: 9 fields where the header has 7")


def test_malformed_ndjson_line_among_100k(tmp_path: Path) -> None:
    n = 100_000
    template = json.loads((HOSTILE.parent / "twitter_v2" / "flat.jsonl").read_text().splitlines()[1])
    template.pop("referenced_tweets", None)
    template.pop("in_reply_to_user_id", None)
    template.pop("in_reply_to_user", None)
    head, tail = json.dumps({**template, "id": "@@"}).split('"@@"')
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        for i in range(1, n + 1):
            fh.write('{"id": "broken' + "\n" if i == 50_000 else f'{head}"{10_000_000 + i}"{tail}\n')
    result = ingest(tmp_path / "st", str(path))
    assert result.exit_code == 0, result.output
    assert counts(tmp_path / "st") == (n, n - 1, 0, 1)
    (bad,) = rejects(tmp_path / "st")
    assert bad["record"] == 50_000 and bad["reason"].startswith("line 50000: not valid JSON")

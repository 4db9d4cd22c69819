"""Issue 12, readers: inputs that used to be refused, split or read as nothing, run as a user would run them.

Each case runs ``benchmark ingest`` in a real process on a synthetic file (fictional brands) written
under tmp_path, then checks the committed counts (``read = stored + duplicates + rejected``), the
stored texts and the one-line errors. Items: 3 (UTF-8 cut by a read block), 4 (CR-only line ends),
5 (long quoted fields), 11 (deep JSON, reader part), 12 (absurd headers), 2 (placeholder dates).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import benchmark as bm

BENCHMARK = [sys.executable, "-m", "benchmark"]
ENV = {**os.environ, "BENCHMARK_DETECT_LANGUAGE": "0", "COLUMNS": "200", "NO_COLOR": "1"}
FIXTURES = Path(__file__).parents[1] / "fixtures"
HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
WHEN = "Mon Oct 02 10:00:00 +0000 2017"


def row(i: int, text: str) -> str:
    """One TWCS customer tweet; the text is always quoted (as pandas writes it when needed)."""
    return f'{i},c{i},True,{WHEN},"{text}",,\n'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BENCHMARK, *args], check=False, env=ENV, capture_output=True, text=True, timeout=300)


def ingest(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("ingest", *args, "--store", str(store))


def counts(store: Path) -> tuple[int, int, int, int]:
    (s,) = bm.open_store(store).summaries()
    assert s["read"] == s["stored"] + s["duplicates"] + s["rejected"], s
    return s["read"], s["stored"], s["duplicates"], s["rejected"]


def texts(store: Path) -> dict[str, str]:
    df = bm.open_store(store).messages()
    return dict(zip(df["message_id"], df["text"], strict=True))


def rejects(store: Path) -> list[dict]:
    return [json.loads(line) for p in sorted((store / "ingests").glob("ingest=*/rejects.ndjson")) for line in p.read_text().splitlines()]


def one_error_line(result: subprocess.CompletedProcess[str], path_part: str) -> str:
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert result.returncode == 1, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: ") and path_part in lines[0], result.stderr
    assert "internal error" not in lines[0] and "Traceback" not in result.stderr
    return lines[0]


# ---- item 3: a UTF-8 character cut by a read block ----------------------------------------------


def test_character_straddling_byte_65536_is_read(tmp_path: Path) -> None:
    before = HEADER + row(1, "@AcmeTel first")
    prefix = f'2,c2,True,{WHEN},"@AcmeTel '
    pad = 65_535 - len((before + prefix).encode())
    text2 = "@AcmeTel " + "y" * pad + "é€ fine"
    data = (before + row(2, text2) + row(3, "@AcmeTel third")).encode()
    assert data.index("é".encode()) == 65_535  # its two bytes are 65,535 and 65,536: the first read ends between them
    path = tmp_path / "straddle.csv"
    path.write_bytes(data)
    result = ingest(tmp_path / "st", str(path))
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "st") == (3, 3, 0, 0)
    assert texts(tmp_path / "st")["2"] == text2


def test_four_byte_characters_across_every_block_edge(tmp_path: Path) -> None:
    """5 MB of emoji: the 64 KiB header read and the 4 MiB block edge both fall inside a character."""
    n = 12_000
    body = "".join(row(i, f"@AcmeTel {i} " + "😀é" * 60) for i in range(1, n + 1))
    path = tmp_path / "emoji.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    assert path.stat().st_size > 4 << 20
    result = ingest(tmp_path / "st", str(path))
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "st") == (n, n, 0, 0)
    stored = texts(tmp_path / "st")
    assert all(stored[str(i)] == f"@AcmeTel {i} " + "😀é" * 60 for i in range(1, n + 1))


def test_invalid_utf8_after_the_first_block_names_its_byte(tmp_path: Path) -> None:
    data = (HEADER + row(1, "@AcmeTel " + "x" * 70_000) + row(2, "@AcmeTel caf\udce9"))
    raw = data.encode("utf-8", "surrogateescape")
    path = tmp_path / "bad_late.csv"
    path.write_bytes(raw)
    line = one_error_line(ingest(tmp_path / "st", str(path)), "bad_late.csv")
    assert f"not valid utf-8 text (invalid continuation byte at byte {raw.index(b'caf') + 3})" in line
    assert "--encoding cp1252" in line


# ---- item 4: CR-only line ends (Excel "CSV (Macintosh)") ----------------------------------------


def test_cr_only_line_ends_load(tmp_path: Path) -> None:
    lines = [HEADER.rstrip("\n"), f'1,c1,True,{WHEN},"@AcmeTel a, b",,', f'2,AcmeTel,False,{WHEN},"@c1 two\nlines",,1', f"3,c3,True,{WHEN},@AcmeTel c,,"]
    path = tmp_path / "mac.csv"
    path.write_bytes("\r".join(lines).encode() + b"\r")
    result = ingest(tmp_path / "st", str(path))
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "st") == (3, 3, 0, 0)
    assert texts(tmp_path / "st") == {"1": "@AcmeTel a, b", "2": "@c1 two\nlines", "3": "@AcmeTel c"}


def test_cr_only_file_of_many_blocks_keeps_memory_bounded_and_counts(tmp_path: Path) -> None:
    n = 60_000
    path = tmp_path / "mac_big.csv"
    path.write_bytes((HEADER + "".join(row(i, f"@AcmeTel number {i}") for i in range(1, n + 1))).replace("\n", "\r").encode())
    assert path.stat().st_size > 4 << 20  # more than one block, and no LF anywhere
    result = ingest(tmp_path / "st", str(path))
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "st") == (n, n, 0, 0)
    assert texts(tmp_path / "st")[str(n)] == f"@AcmeTel number {n}"


# ---- item 5: long quoted fields are one field -----------------------------------------------------


def test_fifty_megabyte_field_with_record_like_text_is_one_field(tmp_path: Path) -> None:
    fake = "\n".join(f"{900 + k},c9,True,{WHEN},@AcmeTel fake,," for k in range(10))
    long_text = "@AcmeTel " + ("z" * 1000 + "\n") * 50_000 + fake
    path = tmp_path / "long_field.csv"
    path.write_text(HEADER + row(1, "@AcmeTel a") + row(2, long_text) + row(3, "@AcmeTel c"))
    assert path.stat().st_size > 50_000_000
    result = ingest(tmp_path / "st", str(path))
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "st") == (3, 3, 0, 0)
    stored = texts(tmp_path / "st")
    assert set(stored) == {"1", "2", "3"}  # no "900".."909" from inside the field
    assert stored["2"] == long_text


def test_long_field_next_to_a_stray_quote_and_an_unclosed_one(tmp_path: Path) -> None:
    """A stray quote inside an unquoted field is text; a quote never closed still rejects only its line."""
    long_text = "@AcmeTel " + "w" * (9 << 20)  # longer than two blocks
    body = (
        f'1,c1,True,{WHEN},@AcmeTel a stray "quote,,\n' + row(2, long_text) + row(3, '@AcmeTel said ""hi""')
        + f'4,c4,True,{WHEN},"@AcmeTel never closed,,\n' + f"5,c5,True,{WHEN},@AcmeTel after,,\n"
    )
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + body)
    result = ingest(tmp_path / "st", str(path))
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "st") == (5, 4, 0, 1)
    stored = texts(tmp_path / "st")
    assert stored["1"] == '@AcmeTel a stray "quote' and stored["2"] == long_text and stored["3"] == '@AcmeTel said "hi"'
    assert stored["5"] == "@AcmeTel after"
    (bad,) = rejects(tmp_path / "st")
    assert (bad["record"], bad["reason"]) == (4, "line 5: a quote opened on this line is never closed")


# ---- item 12: absurd headers are refused early ------------------------------------------------------


def test_million_column_header_is_one_line_and_cheap(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    cols = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"]
    path.write_text(",".join(cols + [f"c{i}" for i in range(1_000_000)]) + "\n1,2,3\n")
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *BENCHMARK, "ingest", str(path), "--store", str(tmp_path / "st")],
                            check=False, env=ENV, capture_output=True, text=True, timeout=120)
    *lines, peak_kb = [x for x in result.stderr.splitlines() if x.strip() and not x.startswith("Command exited")]
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0] == f"error: {path}: the header line is longer than 1 MiB: not an export's header"
    assert int(peak_kb) < 600_000  # not gigabytes


def test_header_with_too_many_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide2.csv"
    cols = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"]
    path.write_text(",".join(cols + [f"c{i}" for i in range(20_000)]) + "\n")
    line = one_error_line(ingest(tmp_path / "st", str(path)), "wide2.csv")
    assert line == f"error: {path}: the header has 20,007 columns (more than 10,000): not an export's header"


# ---- item 11 (reader part): JSON nested 100 k deep ----------------------------------------------------


def test_deep_json_line_is_one_reject_and_the_file_goes_on(tmp_path: Path) -> None:
    lines = (FIXTURES / "facebook" / "feed_stream.ndjson").read_text().splitlines()
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.ndjson"
    path.write_text("\n".join([lines[0], '{"data": ' + deep + "}", *lines[1:]]) + "\n")
    plain = tmp_path / "plain.ndjson"
    plain.write_text("\n".join(lines) + "\n")
    assert ingest(tmp_path / "ref", str(plain), "--format", "facebook").returncode == 0
    result = ingest(tmp_path / "st", str(path), "--format", "facebook")
    assert result.returncode == 0, result.stderr
    _read, stored, _dups, rejected = counts(tmp_path / "st")
    assert stored == counts(tmp_path / "ref")[1] and rejected == counts(tmp_path / "ref")[3] + 1
    reasons = {r["record"]: r["reason"] for r in rejects(tmp_path / "st")}
    assert reasons[2] == "line 2: JSON nested too deeply to read (thousands of levels: not an API export)"


def test_deep_json_document_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"data": ' + "[" * 100_000 + "]" * 100_000 + "}")
    line = one_error_line(ingest(tmp_path / "st", str(path), "--format", "facebook"), "deep.json")
    assert line == f"error: {path}: JSON nested too deeply to read (thousands of levels: not an API export)"


# ---- item 2 (ingest part): placeholder dates are rejected with a reason ------------------------------

MAPPING = ["--map", "message_id=id", "--map", "created_at=when", "--map", "author_id=who", "--map", "parent_id=to",
           "--map", "text=body", "--map", "is_brand=own", "--map", "platform=twitter", "--brand", "AcmeTel"]


def test_placeholder_dates_are_rejected_and_rank_runs(tmp_path: Path) -> None:
    rows = [
        "id,when,who,to,body,own",
        "r1,2024-03-04T09:00:00Z,cust1,,help,false",
        "a1,2024-03-04T09:10:00Z,AcmeTel,r1,hi,true",
        "x1,0001-01-01T00:00:00Z,cust9,,placeholder,false",
        "x2,9999-12-31T23:59:59Z,cust9,,placeholder,false",
        "x3,1892-06-01T10:00:00+01:00,cust9,,placeholder,false",
    ]
    path = tmp_path / "dates.csv"
    path.write_text("\n".join(rows) + "\n")
    result = ingest(tmp_path / "st", str(path), *MAPPING)
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "st") == (5, 2, 0, 3)
    assert {r["record"]: r["reason"] for r in rejects(tmp_path / "st")} == {
        3: "when 0001-01-01T00:00:00Z is before 1990-01-01 (a placeholder date?)",
        4: "when 9999-12-31T23:59:59Z is after 2100-01-01 (a placeholder date?)",
        5: "when 1892-06-01T09:00:00Z is before 1990-01-01 (a placeholder date?)",
    }
    ranked = run("rank", "--store", str(tmp_path / "st"), "--min-requests", "1", "--figures", "all", "--format", "json")
    assert ranked.returncode == 0, ranked.stderr
    (acme,) = json.loads(ranked.stdout)
    assert (acme["requests"], acme["frt_median_s"], acme["bh_frt_median_s"]) == (1, 600.0, 600.0)


def test_rank_with_placeholder_dates_already_in_the_store_does_not_explode(tmp_path: Path) -> None:
    """A store written before the check (TWCS reads its own time format) still ranks, in bounded memory."""
    path = tmp_path / "twcs_dates.csv"
    path.write_text(
        HEADER + f"1,c1,True,{WHEN},@AcmeTel help,,\n2,AcmeTel,False,Mon Oct 02 10:05:00 +0000 2017,@c1 hi,,1\n"
        "3,c3,True,Mon Jan 01 00:00:00 +0000 0001,@AcmeTel placeholder,,\n4,c4,True,Fri Dec 31 23:59:59 +0000 9999,@AcmeTel placeholder,,\n"
    )
    assert ingest(tmp_path / "st", str(path)).returncode == 0
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *BENCHMARK, "rank", "--store", str(tmp_path / "st"), "--min-requests", "1",
                             "--figures", "all", "--format", "json"], check=False, env=ENV, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert int(result.stderr.strip().splitlines()[-1]) < 1_500_000  # KB: not "memory allocation of 8485671408 bytes failed"
    (acme,) = json.loads(result.stdout)
    assert (acme["answered"], acme["frt_median_s"], acme["bh_frt_median_s"]) == (1, 300.0, 300.0)

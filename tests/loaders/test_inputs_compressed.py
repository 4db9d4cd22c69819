"""Issue 14, inputs 1: compressed exports (.zip .gz .bz2 .xz .zst) are read as they are, streamed.

All data here is synthetic, written by the tests (fictional brands "AcmeTel" and "BetaBank").
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest
import zstandard
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.errors import InputError
from benchmark.loaders import (
    LoadOptions,
    detect_format,
    get_loader,
    read_head,
)
from benchmark.loaders._read import compressed
from benchmark.loaders._read.compressed import SourcePath, contents

FIXTURES = Path(__file__).parents[1] / "fixtures"
runner = CliRunner()

HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
TWCS = HEADER + (
    "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,\"@AcmeTel my line is down, again\",,\n"
    "2,AcmeTel,False,Mon Oct 02 10:05:00 +0000 2017,@c1 sorry! DM us,,1\n"
    "3,c2,True,Mon Oct 02 11:00:00 +0000 2017,@BetaBank card blocked,,\n"
    "4,BetaBank,False,Mon Oct 02 11:30:00 +0000 2017,@c2 we can help,,3\n"
)


def _zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress, ".zst": _zstd}


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _messages(store: Path) -> pl.DataFrame:
    return bm.open_store(store).messages().drop("ingested_at", "source_file").sort("message_id")


def _ingest(tmp_path: Path, *args: str, store: str = "st"):
    return runner.invoke(app, ["ingest", *args, "--store", str(tmp_path / store)])


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zst"])
def test_single_compressed_files_read_like_the_plain_file(tmp_path: Path, suffix: str) -> None:
    plain = tmp_path / "twcs.csv"
    plain.write_text(TWCS)
    packed = tmp_path / f"twcs.csv{suffix}"
    packed.write_bytes(COMPRESSORS[suffix](TWCS.encode()))
    assert detect_format(packed).name == "twcs"
    ok = _ingest(tmp_path, str(packed))
    assert ok.exit_code == 0, ok.output
    assert f"twcs.csv{suffix}" in ok.output and "│ twcs " in ok.output
    assert _ingest(tmp_path, str(plain), store="plain").exit_code == 0
    assert _messages(tmp_path / "st").equals(_messages(tmp_path / "plain"))
    sources = bm.open_store(tmp_path / "st").messages()["source_file"].unique().to_list()
    assert sources == [str(packed)]


def test_kaggle_style_zip_names_the_inner_file_and_skips_readme(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "twcs.zip", {
        "twcs/twcs.csv": TWCS.encode(),
        "README.md": b"# synthetic readme\n",
        "__MACOSX/twcs/._twcs.csv": b"\x00\x05\x16\x07",
        ".DS_Store": b"\x00",
    })
    result = _ingest(tmp_path, str(archive))
    assert result.exit_code == 0, result.output
    assert f"{archive}: read twcs/twcs.csv from the zip" in result.output
    assert f"{archive}: skipped 3 file(s) in the zip that are not exports: README.md, __MACOSX/twcs/._twcs.csv, .DS_Store" in result.output
    df = bm.open_store(tmp_path / "st").messages()
    assert df.height == 4
    assert df["source_file"].unique().to_list() == [f"{archive}!twcs/twcs.csv"]


def test_zip_with_several_exports_of_one_format_reads_them_all(tmp_path: Path) -> None:
    part1 = HEADER + "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel help,,\n"
    part2 = HEADER + "2,AcmeTel,False,Mon Oct 02 10:05:00 +0000 2017,@c1 ok,,1\n5,c3,True,never,@AcmeTel hi,,\n"
    archive = _zip(tmp_path / "parts.zip", {"a.csv": part1.encode(), "b.csv": part2.encode()})
    result = _ingest(tmp_path, str(archive))
    assert result.exit_code == 0, result.output
    (summary,) = [json.loads(p.read_text()) for p in (tmp_path / "st" / "ingests").glob("*/summary.json")]
    assert (summary["read"], summary["stored"], summary["rejected"]) == (3, 2, 1)
    (reject,) = [json.loads(line) for p in (tmp_path / "st" / "ingests").glob("*/rejects.ndjson") for line in p.read_text().splitlines()]
    assert reject["reason"] == "b.csv: created_at never is not like 'Tue Oct 31 22:10:47 +0000 2017'"  # which member it was in
    facts = bm.requests(tmp_path / "st")
    assert facts.select("request_id", "response_id").rows() == [("1", "2")]  # a thread across members is joined


def test_zip_of_mixed_formats_or_of_notes_only_is_one_clear_error(tmp_path: Path) -> None:
    mixed = _zip(tmp_path / "mixed.zip", {"a.csv": TWCS.encode(), "b.jsonl": (FIXTURES / "twitter_v2" / "flat.jsonl").read_bytes()})
    result = _ingest(tmp_path, str(mixed))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {mixed}: holds exports of different formats (a.csv: twcs, b.jsonl: twitter-v2); unzip it and ingest them one by one"
    notes = _zip(tmp_path / "notes.zip", {"README.md": b"synthetic", "LICENSE": b"synthetic"})
    result = _ingest(tmp_path, str(notes))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {notes}: the zip archive holds no export file (only README.md, LICENSE)"
    assert not (tmp_path / "st").exists()


def test_json_exports_read_from_compressed_files(tmp_path: Path) -> None:
    pages = (FIXTURES / "twitter_v2" / "pages_array.json").read_bytes()  # one JSON document: the loader rewinds it
    (tmp_path / "pages.json.gz").write_bytes(gzip.compress(pages))
    (tmp_path / "pages.json").write_bytes(pages)
    for name, store in (("pages.json.gz", "gz"), ("pages.json", "plain")):
        res = _ingest(tmp_path, str(tmp_path / name), "--brand", "@AcmeTel", store=store)
        assert res.exit_code == 0, res.output
    assert _messages(tmp_path / "gz").height > 0
    assert _messages(tmp_path / "gz").equals(_messages(tmp_path / "plain"))


def test_netvizz_page_name_comes_from_the_inner_file_name(tmp_path: Path) -> None:
    src = FIXTURES / "netvizz" / "Pasticceria Aurora.tab"
    packed = tmp_path / "Pasticceria Aurora.tab.xz"
    packed.write_bytes(lzma.compress(src.read_bytes()))
    assert _ingest(tmp_path, str(packed)).exit_code == 0
    assert _ingest(tmp_path, str(src), store="plain").exit_code == 0
    assert set(_messages(tmp_path / "st")["brand"].drop_nulls()) == {"Pasticceria Aurora"}
    assert _messages(tmp_path / "st").equals(_messages(tmp_path / "plain"))


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("cut.csv.gz", gzip.compress(TWCS.encode() * 50)[:200], "the gzip data ends early: the file is truncated (an incomplete download?)"),
        ("cut.csv.zst", _zstd(TWCS.encode() * 50)[:60], "the zstd data ends early: the file is truncated (an incomplete download?)"),
        ("cut.csv.xz", lzma.compress(TWCS.encode() * 50)[:100], "the xz data ends early: the file is truncated (an incomplete download?)"),
        ("renamed.csv.gz", TWCS.encode(), "named like a gzip file but its bytes are not gzip-compressed (renamed, or damaged?)"),
        ("cut.zip", b"PK\x03\x04" + b"\x00" * 40, "not a readable zip archive (File is not a zip file); the download may be incomplete"),
    ],
)
def test_damaged_compressed_files_are_one_line_naming_the_file(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = _ingest(tmp_path, str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {path}: {expected}"
    assert not (tmp_path / "st").exists()  # no store left behind


def test_a_damaged_member_is_named_in_the_error(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "twcs.zip", {"twcs.csv": TWCS.encode() * 20})
    raw = bytearray(archive.read_bytes())
    raw[60:70] = b"\xff" * 10  # inside the compressed data of the member
    archive.write_bytes(bytes(raw))
    result = _ingest(tmp_path, str(archive))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {archive}!twcs.csv: the zip data is damaged (")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_cli_in_a_subprocess_reads_a_zip_and_names_its_member(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "twcs.zip", {"twcs.csv": (HEADER + "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel hi,,x\n").encode()})
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmark", "ingest", str(archive), "--store", str(tmp_path / "st")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 1  # its only record is rejected (issue 14, item 5)
    assert proc.stdout == ""
    assert f"{archive}: read twcs.csv from the zip" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
        f"error: {archive}: nothing stored: the only record was rejected; the ids are not numbers: is this a TWCS file? "
        "read it as a generic CSV with --map"
    )


# ---- streaming: never decompressed whole ------------------------------------------------------


def test_csv_is_streamed_from_the_compressed_file_in_bounded_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(f"{i},c{i},True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel synthetic request number {i:08d},,\n" for i in range(1, 90_001))
    data = (HEADER + rows).encode()  # ~7 MB: several of the CSV reader's blocks
    path = tmp_path / "big.csv.gz"
    path.write_bytes(gzip.compress(data, compresslevel=1))
    reads: list[int] = []
    real_readinto = compressed._Decompressed.readinto

    def spy(self, b):  # type: ignore[no-untyped-def]
        n = real_readinto(self, b)
        reads.append(n)
        return n

    def whole(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("the file was read whole")

    monkeypatch.setattr(compressed._Decompressed, "readinto", spy)
    monkeypatch.setattr(SourcePath, "read_bytes", whole)
    monkeypatch.setattr(gzip, "decompress", whole)
    reports = bm.ingest(path, store=tmp_path / "st")
    assert (reports[0].read, reports[0].stored) == (90_000, 90_000)
    assert max(reads) <= 4 << 20 and len(reads) > 3  # many bounded reads, none of the whole ~7 MB
    assert not [p for p in tmp_path.iterdir() if p.name not in ("big.csv.gz", "st")]  # nothing unpacked to disk


def test_decompressed_stream_rewinds_seeks_and_knows_its_size(tmp_path: Path) -> None:
    data = TWCS.encode() * 100
    for suffix, pack in COMPRESSORS.items():
        path = tmp_path / f"x.csv{suffix}"
        path.write_bytes(pack(data))
        (member,) = contents(path, read_head(path))
        assert str(member) == str(path) and member.name == "x.csv" and member.suffix == ".csv" and member.stem == "x"
        with member.open("rb") as fh:
            assert fh.read(100) == data[:100]
            fh.seek(0)
            assert fh.read(10) == data[:10]
            fh.seek(5000)
            assert fh.read(10) == data[5000:5010]
        assert member.stat().st_size == len(data)
        assert member.read_bytes() == data
        assert member.read_text(encoding="utf-8").startswith("tweet_id,")
        assert type(member.parent) is type(Path()) and member.parent == tmp_path  # derived paths are plain paths
    archive = _zip(tmp_path / "x.zip", {"dir/x.csv": data})
    (member,) = contents(archive, read_head(archive))
    assert str(member) == f"{archive}!dir/x.csv" and member.name == "x.csv" and member.stat().st_size == len(data)
    with member.open("rb") as fh:
        assert isinstance(fh, io.BufferedReader) and fh.read() == data


def test_forced_format_reads_compressed_files_too(tmp_path: Path) -> None:
    path = tmp_path / "twcs.csv.bz2"
    path.write_bytes(bz2.compress(TWCS.encode()))
    chunks = list(get_loader("twcs").load(path, LoadOptions()))
    assert sum(c.messages.height for c in chunks) == 4
    with pytest.raises(InputError, match="an empty zip archive"):
        empty = tmp_path / "empty.zip"
        zipfile.ZipFile(empty, "w").close()
        detect_format(empty)


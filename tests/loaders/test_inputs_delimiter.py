"""Issue 14, inputs 2: the CSV delimiter is sniffed (, ; tab |) and --delimiter overrides it.

All data here is synthetic, written by the tests (fictional brands "AcmeTel" and "Luce Chiara").
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
from benchmark.errors import UsageError
from benchmark.loaders._read.sniff import parse_delimiter, sniff_delimiter

runner = CliRunner()
COLUMNS = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"]
ROWS = [
    ["1", "c1", "True", "Mon Oct 02 10:00:00 +0000 2017", "@AcmeTel la linea non va, di nuovo; aiuto", "", ""],
    ["2", "AcmeTel", "False", "Mon Oct 02 10:05:00 +0000 2017", "@c1 ci scusi, ci scriva in DM", "", "1"],
]


def twcs_text(sep: str) -> str:
    def field(v: str) -> str:
        return f'"{v}"' if sep in v or "," in v or ";" in v else v

    return "\n".join(sep.join(field(v) for v in row) for row in [COLUMNS, *ROWS]) + "\n"


def _texts(store: Path) -> dict[str, str]:
    df = bm.open_store(store).messages()
    return dict(zip(df["message_id"], df["text"], strict=True))


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"a,b,c\n1,2,3\n", ","),
        (b"a;b;c\n1;2;3\n", ";"),
        (b"a\tb\tc\n1\t2\t3\n", "\t"),
        (b"a|b|c\n1|2|3\n", "|"),
        (b'"x;y",b,c\n1,"2;3",4\n', ","),  # delimiters inside quotes do not count
        (b"a;b,c;d\n1;2,5;3\n4;5,6;7\n", ";"),  # a comma inside names: the split that fits the records wins
        (b"\xef\xbb\xbfa;b\n1;2\n", ";"),  # BOM
        (b"only_one_column\nx\n", ","),
        (b"a;b;c\n1;2;3\n4;5;", ";"),  # the head's last line is cut short
    ],
)
def test_sniff_delimiter(head: bytes, expected: str) -> None:
    assert sniff_delimiter(head) == expected


def test_sniff_prefers_tab_for_tsv_on_a_tie() -> None:
    assert sniff_delimiter(b"a\tb,c\n1\t2,3\n", prefer="\t") == "\t"
    assert sniff_delimiter(b"a\tb,c\n1\t2,3\n") == ","


@pytest.mark.parametrize(("given", "expected"), [(";", ";"), ("tab", "\t"), ("\\t", "\t"), ("\t", "\t"), ("TAB", "\t"), ("|", "|"), ("pipe", "|"), ("comma", ",")])
def test_parse_delimiter(given: str, expected: str) -> None:
    assert parse_delimiter(given) == expected


@pytest.mark.parametrize("bad", ["", ";;", "a", '"', "\n"])
def test_parse_delimiter_refuses(bad: str) -> None:
    with pytest.raises(UsageError, match="--delimiter"):
        parse_delimiter(bad)


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_twcs_loads_with_any_sniffed_delimiter(tmp_path: Path, sep: str) -> None:
    src = tmp_path / "twcs.csv"
    src.write_text(twcs_text(sep))
    result = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "st")])
    assert result.exit_code == 0, result.output
    assert _texts(tmp_path / "st") == {"1": ROWS[0][4], "2": ROWS[1][4]}


def test_italian_excel_twcs_in_a_subprocess(tmp_path: Path) -> None:
    src = tmp_path / "twcs_excel_it.csv"  # Excel (Italian locale) writes ';', CRLF and cp1252
    src.write_bytes(twcs_text(";").replace("\n", "\r\n").replace("la linea", "perché la linea").encode("cp1252"))
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmark", "ingest", str(src), "--store", str(tmp_path / "st"), "--encoding", "cp1252"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "│ twcs   │    2 │      2 │          0 │        0 │" in proc.stderr
    assert _texts(tmp_path / "st")["1"] == "@AcmeTel perché la linea non va, di nuovo; aiuto"


def test_generic_csv_with_semicolons(tmp_path: Path) -> None:
    src = tmp_path / "pagina.csv"
    src.write_text(
        "id;data;utente;risposta_a;testo\n"
        "p1;2024-03-04T09:00:00+01:00;cliente1;;Buongiorno, la bolletta è sbagliata\n"
        "p2;2024-03-04T09:20:00+01:00;Luce Chiara;p1;Ci scriva in privato\n"
    )
    args = ["--map", "message_id=id", "--map", "created_at=data", "--map", "author_id=utente", "--map", "parent_id=risposta_a",
            "--map", "text=testo", "--map", "platform=facebook", "--brand", "Luce Chiara"]
    result = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "st"), *args])
    assert result.exit_code == 0, result.output
    assert _texts(tmp_path / "st") == {"p1": "Buongiorno, la bolletta è sbagliata", "p2": "Ci scriva in privato"}
    facts = bm.requests(tmp_path / "st")
    assert facts.select("request_id", "brand", "frt_s").rows() == [("p1", "Luce Chiara", 1200.0)]


def test_delimiter_option_overrides_the_sniff(tmp_path: Path) -> None:
    # Every line splits into 3 fields on ';' and on ',' alike: the sniff cannot tell, takes ',', and the
    # mapped columns are not found; --delimiter ';' reads it as written.
    src = tmp_path / "ambiguous.csv"
    src.write_text("id;when;note, tag, mood\np1;2024-03-04T09:00:00+01:00;slow, line, angry\n")
    args = ["--map", "message_id=id", "--map", "created_at=when", "--map", "author_id=id", "--map", "text=note, tag, mood", "--brand", "AcmeTel"]
    sniffed = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "a"), *args])
    assert sniffed.exit_code == 1 and "missing required column(s): id, when, note, tag, mood" in sniffed.stderr
    forced = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "a"), *args, "--delimiter", ";"])
    assert forced.exit_code == 0, forced.output
    assert _texts(tmp_path / "a") == {"p1": "slow, line, angry"}
    # From Python too, by name.
    reports = bm.ingest(src, store=tmp_path / "b", delimiter="semicolon", mapping=_mapping(), brands=["AcmeTel"])
    assert reports[0].stored == 1


def _mapping():  # type: ignore[no-untyped-def]
    from benchmark.loaders.generic_csv import mapping_from_pairs

    return mapping_from_pairs(["message_id=id", "created_at=when", "author_id=id", "text=note, tag, mood"])


def test_wrong_delimiter_says_which_one_the_header_uses(tmp_path: Path) -> None:
    src = tmp_path / "twcs.csv"
    src.write_text(twcs_text(";"))
    result = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "st"), "--delimiter", ","])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {src}: twcs: missing required column(s): tweet_id, author_id, inbound, created_at, text, in_response_to_tweet_id; "
        "the header is not ','-delimited but ';'-delimited: pass --delimiter ';', or leave it out"
    )
    generic = tmp_path / "g.csv"
    generic.write_text("id;when;who\na;2024-03-04T09:00:00Z;c1\n")
    args = ["--map", "message_id=id", "--map", "created_at=when", "--map", "author_id=who", "--brand", "AcmeTel", "--delimiter", "tab"]
    result = runner.invoke(app, ["ingest", str(generic), "--store", str(tmp_path / "st"), *args])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {generic}: missing required column(s): id, when, who; the header is ';'-delimited: pass --delimiter ';', or leave it out"
    assert not (tmp_path / "st").exists()


def test_delimiter_usage_errors(tmp_path: Path) -> None:
    src = tmp_path / "twcs.csv"
    src.write_text(twcs_text(","))
    bad = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "st"), "--delimiter", "ab"])
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "error: --delimiter 'ab': give one character such as ';' or '|', or tab, comma, semicolon, pipe"
    jsonl = Path(__file__).parents[1] / "fixtures" / "twitter_v2" / "flat.jsonl"
    not_csv = runner.invoke(app, ["ingest", str(jsonl), "--store", str(tmp_path / "st"), "--delimiter", ";"])
    assert not_csv.exit_code == 2
    assert not_csv.stderr.strip() == f"error: --delimiter applies to twcs and csv files; {jsonl} is twitter-v2"
    assert not (tmp_path / "st").exists()

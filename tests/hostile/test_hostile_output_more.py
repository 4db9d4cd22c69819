"""Issue 12, output security (items 13, 16–19, and the output/option parts of 14).

Data is never rich markup (``[/nope]`` crashed tables, ``[final]`` vanished), control characters and
escape sequences reach a terminal only escaped, every Markdown output escapes like the report, every
CSV output has ``--spreadsheet-safe``, brands.toml values are validated and JSON is always valid.
Synthetic data with fictional brands, generated under tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.cli.render import to_json

runner = CliRunner()
BENCHMARK = [sys.executable, "-m", "benchmark"]
ENV = {**os.environ, "BENCHMARK_DETECT_LANGUAGE": "0", "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
MAPPING = ["--map", "message_id=id", "--map", "created_at=when", "--map", "author_id=who", "--map", "parent_id=to",
           "--map", "brand=brand", "--map", "is_brand=own", "--map", "text=body"]

OSC8 = "\x1b]8;;http://evil.example/\x07Link Tel\x1b]8;;\x07"
# Brand k answers after k+1 minutes, so the ranking by median FRT keeps this order.
BRANDS = [
    "[/nope]",
    "[final]",
    "[bold red]Zed Mobile",
    "\x1b[2J\x1b[HWipe Tel",
    OSC8,
    "Bell\x07Co",
    "Cr\rOver",
    "\u202eLiveCo",
    "<script>alert(1)</script>",
    "Nova\n# Owned [click](javascript:alert(1))",
    "=HYPERLINK(\"http://x\")",
    "Quill Telecom",
]
# What a terminal shows for each brand: as written, control characters escaped.
SHOWN = [
    "[/nope]",
    "[final]",
    "[bold red]Zed Mobile",
    "\\x1b[2J\\x1b[HWipe Tel",
    "\\x1b]8;;http://evil.example/\\x07Link Tel\\x1b]8;;\\x07",
    "Bell\\x07Co",
    "Cr\\rOver",
    "\\u202eLiveCo",
    "<script>alert(1)</script>",
    "Nova\\n# Owned [click](javascript:alert(1))",
    "=HYPERLINK(\"http://x\")",
    "Quill Telecom",
]
# Customer handles: markup, an OSC-8 link and formula starts.
CUSTOMERS = ["[/cust]", "[final-cust]", "\x1b]8;;http://evil.example/\x07cust\x1b]8;;\x07", "=cmd|' /C calc'!A0", "+39 555 0100",
             "@mention", "-1+1", "-2-2", "quiet_customer", "c9", "c10", "c11"]
FILE_NAME = "[final] export.csv"


def write_export(path: Path) -> Path:
    rows = []
    for k, (brand, who) in enumerate(zip(BRANDS, CUSTOMERS, strict=True)):
        rows.append({"id": f"r{k}", "when": "2024-03-04T09:00:00Z", "who": who, "to": None, "brand": brand, "own": "false", "body": "my bill is wrong"})
        rows.append({"id": f"a{k}", "when": f"2024-03-04T09:{k + 1:02d}:00Z", "who": f"desk{k}", "to": f"r{k}", "brand": brand, "own": "true", "body": "sorry"})
    pl.DataFrame(rows).write_csv(path)
    return path


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("more")
    src = write_export(tmp / FILE_NAME)
    result = runner.invoke(app, ["ingest", str(src), *MAPPING, "--store", str(tmp / "st")])
    assert result.exit_code == 0, result.stderr
    return tmp / "st", result.stderr


@pytest.fixture(scope="module")
def store(ingested: tuple[Path, str]) -> Path:
    return ingested[0]


def table_rows(text: str) -> list[list[str]]:
    """The cells of every rich table line in ``text`` (header lines ┃, body lines │)."""
    return [[c.strip() for c in line.strip().strip("│┃").split("│" if "│" in line else "┃")] for line in text.splitlines() if line.startswith(("│", "┃"))]


def column(text: str, header: str) -> list[str]:
    """The non-empty body cells under ``header``, in every table of ``text`` (wrapped headers allowed)."""
    cells: list[str] = []
    index = None
    for line in text.splitlines():
        row = [c.strip() for c in line.strip().strip("│┃").split("│" if "│" in line else "┃")]
        if line.startswith("┃") and header in row:
            index = row.index(header)
        elif line.startswith("│") and index is not None and row[index]:
            cells.append(row[index])
    return cells


def no_raw_controls(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\r\u202e"), repr(text)


# ---- 16 + 17: tables and messages -----------------------------------------------------------------


def test_ingest_summary_shows_a_markup_file_name_as_written(ingested: tuple[Path, str]) -> None:
    store, err = ingested
    assert table_rows(err)[1] == [str(store.parent / FILE_NAME), "csv", "24", "24", "0", "0"]


def test_ingest_summary_escapes_control_characters_in_a_file_name(tmp_path: Path) -> None:
    src = write_export(tmp_path / "wipe\x1b[2Jname.csv")
    result = runner.invoke(app, ["ingest", str(src), *MAPPING, "--store", str(tmp_path / "st")])
    assert result.exit_code == 0, result.stderr
    no_raw_controls(result.stderr)
    assert table_rows(result.stderr)[1] == [f"{tmp_path}/wipe\\x1b[2Jname.csv", "csv", "24", "24", "0", "0"]


def test_rank_table_shows_markup_and_escapes_controls(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1"])
    assert result.exit_code == 0, result.stderr
    no_raw_controls(result.stdout)
    assert column(result.stdout, "Brand") == SHOWN
    assert column(result.stdout, "#") == [str(k) for k in range(1, 13)]


def test_rank_figures_all_tables_show_markup_and_escape_controls(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--figures", "all"])
    assert result.exit_code == 0, result.stderr
    no_raw_controls(result.stdout)
    tables = result.stdout.count("┏")  # the ranking (folded into as many tables as the width needs), then off-hours
    assert tables >= 2
    assert column(result.stdout, "Brand") == SHOWN * tables  # every table shows every brand, escaped


def test_users_table_shows_markup_handles_and_escapes_controls(store: Path) -> None:
    result = runner.invoke(app, ["users", "--store", str(store), "--top", "20"])
    assert result.exit_code == 0, result.stderr
    no_raw_controls(result.stdout)
    assert sorted(column(result.stdout, "author_id")) == sorted(
        [*CUSTOMERS[:2], "\\x1b]8;;http://evil.example/\\x07cust\\x1b]8;;\\x07", *CUSTOMERS[3:]]
    )


def test_topics_table_shows_markup_brands_and_escapes_controls(store: Path) -> None:
    result = runner.invoke(app, ["topics", "--store", str(store), "--by-brand"])
    assert result.exit_code == 0, result.stderr
    no_raw_controls(result.stdout)
    assert sorted(column(result.stdout, "Brand")) == sorted(SHOWN)


def test_keywords_table_shows_a_markup_term_as_written(store: Path) -> None:
    result = runner.invoke(app, ["keywords", "bill", "[/nope]", "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert table_rows(result.stdout) == [["period", "bill", "[/nope]"], ["2024-03-04", "12", "0"]]
    assert result.stderr == "bill: 12 messages; [/nope]: 0 messages\n"


def test_error_messages_escape_control_characters(tmp_path: Path) -> None:
    missing = tmp_path / "gone\x1b[2J\x1b]8;;http:evil.example\x07store"
    result = runner.invoke(app, ["rank", "--store", str(missing)])
    assert result.exit_code == 1
    shown = str(tmp_path) + "/gone\\x1b[2J\\x1b]8;;http:evil.example\\x07store"
    assert result.stderr.startswith(f"error: {shown}: ")
    assert len(result.stderr.splitlines()) == 1
    no_raw_controls(result.stderr)


def _run_on_a_terminal(args: list[str]) -> bytes:
    """stdout on a pseudo-terminal, as a user running the command sees it."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*BENCHMARK, *args], stdout=slave, stderr=subprocess.PIPE, env=ENV)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    return out.replace(b"\r\n", b"\n")


def test_csv_on_a_terminal_is_escaped_but_piped_csv_keeps_the_data(store: Path) -> None:
    args = ["rank", "--store", str(store), "--min-requests", "1", "--format", "csv"]
    shown = _run_on_a_terminal(args).decode("utf-8")
    no_raw_controls(shown.replace("\r\n", "\n"))
    assert "\\x1b]8;;http://evil.example/\\x07Link Tel\\x1b]8;;\\x07" in shown
    assert "\\u202eLiveCo" in shown
    piped = subprocess.run([*BENCHMARK, *args], env=ENV, capture_output=True, check=True).stdout.decode("utf-8")
    brands = [r["brand"] for r in csv.DictReader(io.StringIO(piped, newline=""))]
    assert brands == BRANDS  # scripts and files get the data exactly as written


# ---- 18: one Markdown escaping --------------------------------------------------------------------


MD_BRANDS = [
    "\\[/nope\\]",
    "\\[final\\]",
    "\\[bold red\\]Zed Mobile",
    "\x1b\\[2J\x1b\\[HWipe Tel",
    "\x1b\\]8;;http://evil.example/\x07Link Tel\x1b\\]8;;\x07",
    "Bell\x07Co",
    "Cr Over",
    "\u202eLiveCo",
    "\\<script\\>alert(1)\\</script\\>",
    "Nova # Owned \\[click\\](javascript:alert(1))",
    "=HYPERLINK(\"http://x\")",
    "Quill Telecom",
]


def test_rank_markdown_escapes_html_links_and_newlines(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + len(BRANDS)  # no brand broke onto a line of its own
    assert [line.split(" | ")[1] for line in lines[2:]] == MD_BRANDS
    assert lines[2 + 8] == "| 9 | \\<script\\>alert(1)\\</script\\> | other | 1 | 1 | 0 | 0 | 100% | 9m | 9m | 9m | 100% | 100% | 100% |"
    assert not any(line.startswith("#") for line in lines)


def test_rank_and_report_markdown_escape_brands_the_same_way(store: Path) -> None:
    rank = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--format", "markdown"])
    report = runner.invoke(app, ["report", "--store", str(store), "--min-requests", "1", "--format", "markdown"])
    assert rank.exit_code == report.exit_code == 0, report.stderr
    report_rows = [line for line in report.stdout.splitlines() if re.match(r"\| \d+ \| ", line)]
    rank_rows = rank.stdout.splitlines()[2:]
    assert [line.split(" | ")[1] for line in report_rows] == [line.split(" | ")[1] for line in rank_rows] == MD_BRANDS


# ---- 19: --spreadsheet-safe on every CSV output ---------------------------------------------------


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("command", ["users", "topics", "keywords"])
def test_spreadsheet_safe_flag_is_documented(command: str) -> None:
    assert "--spreadsheet-safe" in runner.invoke(app, [command, "--help"]).output


def test_users_csv_is_spreadsheet_safe_only_when_asked(store: Path) -> None:
    args = ["users", "--store", str(store), "--top", "20", "--format", "csv"]
    plain, safe = runner.invoke(app, args), runner.invoke(app, [*args, "--spreadsheet-safe"])
    assert plain.exit_code == safe.exit_code == 0, safe.stderr
    assert sorted(r["author_id"] for r in csv_rows(plain.stdout)) == sorted(CUSTOMERS)
    assert sorted(r["author_id"] for r in csv_rows(safe.stdout)) == sorted(
        ["'" + c if c[0] in "=+-@" else c for c in CUSTOMERS]
    )
    assert [r["requests"] for r in csv_rows(safe.stdout)] == [r["requests"] for r in csv_rows(plain.stdout)]


def test_topics_csv_is_spreadsheet_safe(store: Path) -> None:
    args = ["topics", "--store", str(store), "--by-brand", "--format", "csv"]
    plain, safe = runner.invoke(app, args), runner.invoke(app, [*args, "--spreadsheet-safe"])
    assert plain.exit_code == safe.exit_code == 0, safe.stderr
    assert sorted(r["brand"] for r in csv_rows(plain.stdout)) == sorted(BRANDS)
    assert sorted(r["brand"] for r in csv_rows(safe.stdout)) == sorted(
        [b for b in BRANDS if not b.startswith("=")] + ["'=HYPERLINK(\"http://x\")"]
    )


def test_keywords_csv_is_spreadsheet_safe_in_headers_and_cells(store: Path) -> None:
    args = ["keywords", "bill", "=bill", "--store", str(store), "--format", "csv"]
    plain, safe = runner.invoke(app, args), runner.invoke(app, [*args, "--spreadsheet-safe"])
    assert plain.exit_code == safe.exit_code == 0, safe.stderr
    assert plain.stdout.splitlines()[0] == "period,bill,=bill"
    assert safe.stdout.splitlines()[0] == "period,bill,'=bill"
    assert safe.stdout.splitlines()[1:] == plain.stdout.splitlines()[1:]


# ---- 13: brands.toml values, valid JSON -----------------------------------------------------------


BRANDS_TOML = '[[brand]]\nname = "Nimbus Tel"\naccounts = ["other:desk0"]\n{extra}\n'


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ("holidays = [2024-12-25T10:00:00]", 4, "brand 'Nimbus Tel': holiday 2024-12-25T10:00:00 is a date-time; give the date alone, like 2024-12-25"),
        ("holidays = [2024-12-25T10:00:00Z]", 4, "brand 'Nimbus Tel': holiday 2024-12-25T10:00:00+00:00 is a date-time; give the date alone, like 2024-12-25"),
        ("holidays = [2024-12-24, 10:00:00]", 4, "brand 'Nimbus Tel': holiday 10:00:00 is a time; give the date alone, like 2024-12-25"),
        ("sla_minutes = nan", 4, "brand 'Nimbus Tel': sla_minutes must be a positive number of minutes, not nan"),
        ("sla_minutes = inf", 4, "brand 'Nimbus Tel': sla_minutes must be a positive number of minutes, not inf"),
        ("sla_minutes = -inf", 4, "brand 'Nimbus Tel': sla_minutes must be a positive number of minutes, not -inf"),
        ("sla_minutes = -5", 4, "brand 'Nimbus Tel': sla_minutes must be a positive number of minutes, not -5"),
        ("sla_minutes = 1e308", 4, "brand 'Nimbus Tel': sla_minutes must be at most 525600 (365 days), not 1e+308"),
        ("sla_minutes = 525_601", 4, "brand 'Nimbus Tel': sla_minutes must be at most 525600 (365 days), not 525601"),
    ],
)
def test_brands_file_values_are_validated(store: Path, tmp_path: Path, extra: str, line: int, message: str) -> None:
    brands = tmp_path / "brands.toml"
    brands.write_text(BRANDS_TOML.format(extra=extra), encoding="utf-8")
    result = runner.invoke(app, ["rank", "--store", str(store), "--brands", str(brands), "--format", "json", "--figures", "all"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {brands}:{line}: {message}\n"
    assert result.stdout == ""


def test_rank_json_with_an_sla_is_strict_json(store: Path, tmp_path: Path) -> None:
    brands = tmp_path / "brands.toml"
    brands.write_text(BRANDS_TOML.format(extra="sla_minutes = 525_600"), encoding="utf-8")  # the largest allowed (1e308 is refused: above)
    result = runner.invoke(app, ["rank", "--store", str(store), "--brands", str(brands), "--format", "json", "--figures", "all", "--min-requests", "1"])
    assert result.exit_code == 0, result.stderr

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON output")

    rows = json.loads(result.stdout, parse_constant=refuse)
    assert next(r for r in rows if r["brand"] == "Nimbus Tel")["within_sla"] == 1.0


def test_json_never_holds_nan_or_infinity() -> None:
    df = pl.DataFrame({"a": [1.5, math.nan, math.inf, -math.inf], "b": [[1.0, math.inf]] * 4})
    assert json.loads(to_json(df), parse_constant=lambda c: pytest.fail(c)) == [
        {"a": 1.5, "b": [1.0, None]}, {"a": None, "b": [1.0, None]}, {"a": None, "b": [1.0, None]}, {"a": None, "b": [1.0, None]},
    ]


# ---- 14: -o DIR, --mapping DIR, --min-reply-seconds 1e309 -----------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["rank", "--format", "csv"],
        ["rank", "--format", "markdown"],
        ["requests"],
        ["users", "--format", "csv"],
        ["topics", "--format", "json"],
        ["keywords", "bill", "--format", "csv"],
        ["report", "--format", "markdown"],
    ],
    ids=lambda a: "-".join(a),
)
def test_output_that_is_a_directory_is_one_line(store: Path, tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--store", str(store), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: --output {tmp_path}: is a directory; give a file name\n"


def test_mapping_that_is_a_directory_is_one_line(tmp_path: Path) -> None:
    src = write_export(tmp_path / "in.csv")
    result = runner.invoke(app, ["ingest", str(src), "--mapping", str(tmp_path), "--store", str(tmp_path / "st")])
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path}: is a directory\n"


@pytest.mark.parametrize("command", ["rank", "requests"])
def test_infinite_min_reply_seconds_is_a_usage_error(store: Path, command: str) -> None:
    result = runner.invoke(app, [command, "--store", str(store), "--min-reply-seconds", "1e309"])
    assert result.exit_code == 2
    assert result.stderr == "error: --min-reply-seconds must be a finite number (got inf)\n"

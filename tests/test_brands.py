"""brands.toml: parsing, validation with file:line errors, and merging accounts into brands (synthetic)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.brands import load_brands, parse_brands, parse_day_hours
from benchmark.cli import app
from benchmark.errors import UsageError
from benchmark.schema import conform

GOOD = """\
# synthetic brands file; fictional brands
[[brand]]
name = "Telco Nova"
sector = "telco"
timezone = "Europe/Rome"
accounts = ["twitter:TelcoNova_Help", "twitter:@TelcoNova", "facebook:Telco Nova"]
holidays = ["2024-01-01", 2024-01-06]
sla_minutes = 60

[brand.hours]
mon = "08:00-20:00"
tue = "08:00-13:00, 14:00-20:00"
sat = "09:00-13:00"
sun = "closed"

[[brand]]
name = "Banca Aurora"
sector = "banking"
accounts = ["twitter:AuroraBank"]
"""


def test_good_file_parses():
    book = parse_brands(GOOD, "brands.toml")
    nova, aurora = book.brands
    assert nova.name == "Telco Nova" and nova.sector == "telco" and nova.sla_minutes == 60.0
    assert nova.accounts == (("twitter", "telconova_help"), ("twitter", "telconova"), ("facebook", "telco nova"))
    assert nova.holidays == (date(2024, 1, 1), date(2024, 1, 6))
    assert nova.hours is not None
    assert nova.hours[0] == ((480, 1200),)  # mon 08:00-20:00 in minutes
    assert nova.hours[1] == ((480, 780), (840, 1200))
    assert nova.hours[2] == ()  # wed missing: closed all day
    assert nova.hours[5] == ((540, 780),) and nova.hours[6] == ()
    assert aurora.timezone is None and aurora.hours is None  # defaults: no zone of its own (UTC unless --timezone; issue 14), open 24/7
    assert book.account_ids() == ("TelcoNova_Help", "TelcoNova", "Telco Nova", "AuroraBank")  # as written, for loaders


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace('sector = "banking"', 'sector = "banking"\ncolour = "red"'), 19, "unknown key 'colour'"),
        (GOOD.replace('timezone = "Europe/Rome"', 'timezone = "Europe/Roma"'), 5, "not an IANA time zone"),
        (GOOD.replace('sat = "09:00-13:00"', 'sat = "9-13"'), 13, "sat = '9-13'"),
        (GOOD.replace('sat = "09:00-13:00"', 'sat = "13:00-09:00"'), 13, "ends before it starts"),
        (GOOD.replace('sun = "closed"', 'sunday = "closed"'), 14, "unknown weekday 'sunday'"),
        (GOOD.replace('"twitter:AuroraBank"', '"tiktok:AuroraBank"'), 19, "platform one of"),
        (GOOD.replace('"twitter:AuroraBank"', '"twitter:telconova"'), 19, "also belongs to 'Telco Nova'"),
        (GOOD.replace('name = "Banca Aurora"', 'name = "Telco Nova"'), 17, "used twice"),
        (GOOD.replace('"2024-01-01"', '"2024-13-01"'), 7, "not a date"),
        (GOOD.replace("sla_minutes = 60", "sla_minutes = -5"), 8, "positive number"),
        (GOOD.replace('name = "Banca Aurora"\n', ""), 16, "needs a non-empty name"),
    ],
)
def test_bad_values_name_file_and_line(text, line, words):
    with pytest.raises(UsageError) as exc:
        parse_brands(text, "brands.toml")
    message = str(exc.value)
    assert message.startswith(f"brands.toml:{line}:"), message
    assert words in message


def test_syntax_errors_and_missing_file(tmp_path):
    with pytest.raises(UsageError, match=r"^brands.toml: not valid TOML: .*line 2"):
        parse_brands('[[brand]]\nname = = "x"\n', "brands.toml")
    with pytest.raises(UsageError, match="brands file not found"):
        load_brands(tmp_path / "nope.toml")
    with pytest.raises(UsageError, match="no \\[\\[brand\\]\\] table"):
        parse_brands("", "brands.toml")


def test_day_hours_spellings():
    assert parse_day_hours("closed") == ()
    assert parse_day_hours("00:00-24:00") == ((0, 1440),)
    with pytest.raises(ValueError, match="overlap"):
        parse_day_hours("08:00-12:00,11:00-13:00")


def _t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, minute, tzinfo=UTC)


def _messages() -> pl.DataFrame:
    """Synthetic: a customer writes to @TelcoNova; the help-desk handle answers; Aurora is unmatched by handle."""
    rows = [
        # id, parent, author, is_brand, brand (account level, as a loader writes it), time
        ("1", None, "c1", False, "TelcoNova", _t(4, 9)),
        ("2", "1", "TelcoNova_Help", True, "TelcoNova_Help", _t(4, 9, 10)),  # another account of the same brand
        ("3", None, "c2", False, "TelcoNova_Help", _t(4, 10)),
        ("4", "3", "TelcoNova_Help", True, "TelcoNova_Help", _t(4, 10, 30)),
        ("5", None, "c3", False, "999", _t(4, 11)),  # brand stored by numeric id; the file names the handle
        ("6", "5", "AuroraBank", True, "999", _t(4, 12)),
        ("7", None, "c4", False, "OtherCo", _t(4, 12)),
    ]
    df = pl.DataFrame(rows, schema=["message_id", "parent_id", "author_id", "is_brand", "brand", "created_at"], orient="row")
    return conform(df.with_columns(pl.lit("twitter").alias("platform"), pl.lit("tweet").alias("kind"), pl.lit("").alias("text")))


def test_accounts_merge_into_brands(engine):
    book = parse_brands(GOOD, "brands.toml")
    m = bm.metrics.measure(_messages(), engine=engine, options=bm.metrics.MetricOptions(brands=book))
    rows = {r["brand"]: r for r in m.table.to_dicts()}
    # Telco Nova: requests 1 (FRT 600 s, answered from the other handle) and 3 (1,800 s): median 1,200 s.
    assert rows["Telco Nova"]["requests"] == 2 and rows["Telco Nova"]["frt_median_s"] == 1200.0
    assert rows["Telco Nova"]["sector"] == "telco" and rows["Telco Nova"]["sla_minutes"] == 60.0
    # Stored as "999", matched through the brand's own author id AuroraBank: 3,600 s.
    assert rows["Banca Aurora"]["frt_median_s"] == 3600.0 and rows["Banca Aurora"]["sector"] == "banking"
    assert rows["OtherCo"]["sector"] is None  # not in the file: kept under its account name
    assert m.diagnostics.unmatched_brands == ("twitter:OtherCo",)


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    store = bm.create_store(path)
    _messages().write_csv(tmp_path / "m.csv")
    bm.ingest(
        [tmp_path / "m.csv"], store=store, format="csv",
        mapping=bm.ColumnMapping(message_id="message_id", created_at="created_at", author_id="author_id",
                                 parent_id="parent_id", brand="brand", is_brand="is_brand", platform="platform", text="text"),
    )
    return path


def test_rank_with_brands_file_from_python_and_cli(tmp_path):
    store = _store(tmp_path)
    (tmp_path / "brands.toml").write_text(GOOD, encoding="utf-8")
    ranked = bm.rank(store, brands=tmp_path / "brands.toml", min_requests=1)
    assert ranked.select("rank", "brand").rows() == [(1, "Telco Nova"), (2, "Banca Aurora"), (None, "OtherCo")]
    result = CliRunner().invoke(app, ["rank", "--store", str(store), "--brands", str(tmp_path / "brands.toml"), "--min-requests", "1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Telco Nova" in result.stdout and "not in the brands file" in result.stderr


def test_cli_bad_brands_file_is_a_usage_error(tmp_path):
    store = _store(tmp_path)
    (tmp_path / "brands.toml").write_text(GOOD.replace('sun = "closed"', 'sun = "nope"'), encoding="utf-8")
    result = CliRunner().invoke(app, ["rank", "--store", str(store), "--brands", str(tmp_path / "brands.toml")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'brands.toml'}:14: sun = 'nope'" in result.stderr
    assert "Traceback" not in result.output

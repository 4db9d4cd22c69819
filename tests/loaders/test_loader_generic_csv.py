"""Generic CSV with a column mapping from --map flags or a TOML file."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.errors import UsageError
from benchmark.loaders.generic_csv import mapping_from_pairs, mapping_from_toml

runner = CliRunner()

EXPORT = (
    "id;date;user;reply_to;body;page\n"
    "p1;2024-03-31 01:30;fan1;;Bolletta sbagliata;Luce Chiara\n"
    "c1;2024-03-31 03:30;Luce Chiara;p1;Ci scriva in privato;Luce Chiara\n"
    "p2;2024-04-02 10:00;fan2;;Nessuna risposta?;Luce Chiara\n"
    "p3;02/04/2024;fan3;;bad date;Luce Chiara\n"
).replace(";", ",")


def test_map_flags_with_a_local_timezone_across_the_dst_change(tmp_path):
    src = tmp_path / "export.csv"
    src.write_text(EXPORT)
    mapping = mapping_from_pairs([
        "message_id=id", "created_at=date", "author_id=user", "parent_id=reply_to", "text=body",
        "brand=page", "platform=facebook", "timezone=Europe/Rome",
    ])
    report = bm.ingest(src, store=tmp_path / "s", mapping=mapping, brands=["Luce Chiara"])[0]
    assert (report.format, report.read, report.stored, report.rejected) == ("csv", 4, 3, 1)
    facts = bm.requests(tmp_path / "s")
    # 01:30 CET (00:30 UTC) → 03:30 CEST (01:30 UTC): clocks jumped forward that night, so one real hour.
    p1 = facts.filter(facts["request_id"] == "p1").to_dicts()[0]
    assert p1["frt_s"] == 3600.0 and p1["brand"] == "Luce Chiara" and p1["platform"] == "facebook"
    assert facts.filter(facts["request_id"] == "p2")["answered"].to_list() == [False]
    reason = bm.open_store(tmp_path / "s").rejects()["reason"][0]
    assert reason == "date 02/04/2024 is not a timestamp"


def test_toml_mapping_and_cli(tmp_path):
    src = tmp_path / "export.csv"
    src.write_text(EXPORT)
    toml = tmp_path / "map.toml"
    toml.write_text(
        '[columns]\nmessage_id = "id"\ncreated_at = "date"\nauthor_id = "user"\nparent_id = "reply_to"\ntext = "body"\n'
        '[values]\nplatform = "facebook"\nbrand = "Luce Chiara"\ntimezone = "Europe/Rome"\n'
    )
    result = runner.invoke(app, ["rank", str(src), "--format", "csv", "--input-format", "csv", "--mapping", str(toml), "--brand", "Luce Chiara", "--min-requests", "1", "--open-window", "0"])
    assert result.exit_code == 0, result.stderr
    # --open-window 0: p2 is the last message of the data but still counts as unanswered.
    assert result.stdout.splitlines()[1].startswith("1,Luce Chiara,facebook,2,1,1,0,0.5,3600.0")  # ..., unanswered, open, rate
    assert "1 rejected (1 × date is not a timestamp)" in result.stderr


def test_naive_timestamps_without_timezone_are_rejected_with_a_reason(tmp_path):
    src = tmp_path / "export.csv"
    src.write_text(EXPORT)
    mapping = mapping_from_pairs(["message_id=id", "created_at=date", "author_id=user", "brand=page"])
    report = bm.ingest(src, store=tmp_path / "s", mapping=mapping, brands=["Luce Chiara"])[0]
    assert report.stored == 0 and report.rejected == 4
    assert "has no UTC offset; give the export's timezone" in next(iter(report.reject_reasons))


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["message_id"], "expected FIELD=COLUMN"),
        (["message_id=id", "colour=red"], "unknown field 'colour'"),
        (["message_id=id", "created_at=d"], "the mapping needs author_id"),
        (["message_id=id", "created_at=d", "author_id=u", "timezone=Mars/Base"], "unknown timezone 'Mars/Base'"),
    ],
)
def test_bad_mappings_are_usage_errors(pairs, message):
    with pytest.raises(UsageError, match=message):
        mapping_from_pairs(pairs)


def test_toml_unknown_platform_is_named(tmp_path):
    toml = tmp_path / "map.toml"
    toml.write_text('[columns]\nmessage_id = "id"\ncreated_at = "d"\nauthor_id = "u"\n[values]\nplatform = "myspace"\n')
    with pytest.raises(UsageError, match="platform 'myspace' is not one of facebook, twitter"):
        mapping_from_toml(toml)


def test_toml_unknown_keys_are_named(tmp_path):
    toml = tmp_path / "map.toml"
    toml.write_text('[columns]\nmessage_id = "id"\ncreated = "date"\n')
    with pytest.raises(UsageError, match=r"map.toml: \[columns\] unknown key 'created'"):
        mapping_from_toml(toml)


def test_missing_mapped_column_is_a_file_error(tmp_path):
    src = tmp_path / "export.csv"
    src.write_text(EXPORT)
    res = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "s"), "--format", "csv", "--map", "message_id=ID", "--map", "created_at=date", "--map", "author_id=user", "--map", "brand=page"])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"error: {src}: missing required column(s): ID"
    assert res.stdout == ""

"""One error, two languages: the library names the Python parameter, the CLI names its flag (issue 11, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.cli.flags import cli_message, flag
from benchmark.errors import ParameterError, UsageError

runner = CliRunner()


@pytest.mark.parametrize(
    ("call", "python_message", "cli_args", "cli_message_"),
    [
        (
            lambda s: bm.rank(s, open_window="-5h"),
            "open_window must be 0 or more",
            ["--open-window", "-5h"],
            "error: --open-window must be 0 or more\n",
        ),
        (
            lambda s: bm.rank(s, open_window="soon"),
            "open_window 'soon': expected a duration like 72h, 3d, 90m or seconds",
            ["--open-window", "soon"],
            "error: --open-window 'soon': expected a duration like 72h, 3d, 90m or seconds\n",
        ),
        (
            lambda s: bm.rank(s, since="2017-10-31", until="2017-10-01"),
            "until must be after since",
            ["--since", "2017-10-31", "--until", "2017-10-01"],
            "error: --until must be after --since\n",
        ),
    ],
)
def test_library_names_the_parameter_and_cli_the_flag(golden_cli_store: Path, call, python_message: str, cli_args: list[str], cli_message_: str) -> None:
    with pytest.raises(UsageError) as caught:
        call(golden_cli_store)
    assert str(caught.value) == python_message
    result = runner.invoke(app, ["rank", "--store", str(golden_cli_store), *cli_args])
    assert result.exit_code == 2
    assert result.stderr == cli_message_


def test_rank_table_errors_name_parameters() -> None:
    import polars as pl

    from benchmark.rank import rank_table

    table = pl.DataFrame({"brand": ["A"], "platform": ["twitter"], "requests": [3], "answered": [2], "frt_median_s": [60.0]})
    with pytest.raises(ParameterError, match=r"^min_requests must be 0 or more$") as caught:
        rank_table(table, min_requests=-1)
    assert cli_message(caught.value) == "--min-requests must be 0 or more"
    with pytest.raises(ParameterError) as caught:
        rank_table(table, group_by="sector")
    assert str(caught.value) == "group_by sector needs sectors: give a brands file (brand_book)"
    assert cli_message(caught.value) == "--group-by sector needs sectors: give a brands file (--brands)"


def test_quoted_values_are_never_read_as_fields() -> None:
    exc = ParameterError("{timezone} {value!r} is not a time zone name", "timezone", value="{timezone}")
    assert str(exc) == "timezone '{timezone}' is not a time zone name"
    assert cli_message(exc) == "--timezone '{timezone}' is not a time zone name"


def test_flag_names() -> None:
    assert [flag(p) for p in ("min_requests", "brand_book", "only_brands", "tz")] == ["--min-requests", "--brands", "--only-brand", "--tz"]
    assert cli_message(UsageError("plain message")) == "plain message"

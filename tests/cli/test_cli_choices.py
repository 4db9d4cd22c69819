"""Issue 14, item 14: enumerated choices are validated (with "did you mean"), case-insensitive, completed and
listed in ``--help``; ``--platform Facebook``/``fb`` never silently selects nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app, options
from benchmark.defaults import RANK_KEYS
from benchmark.errors import UsageError

runner = CliRunner()


@pytest.fixture
def store(golden_store) -> Path:
    """The golden TWCS fixture's store (tests/conftest.py), as the path the CLI takes."""
    return golden_store.path


def test_choice_lists_are_those_of_the_modules_that_own_them():
    from benchmark import api, schema
    from benchmark.engine import ENGINES
    from benchmark.listening import topic_figures
    from benchmark.metrics import agents
    from benchmark.metrics.options import PERIODS, REQUEST_MODES
    from benchmark.rank import GROUPS as RANK_GROUPS

    assert options.PLATFORMS == schema.PLATFORMS
    assert options.PLATFORM_ALIASES == api.PLATFORM_ALIASES
    assert tuple(options.ENGINES) == tuple(ENGINES)
    assert tuple(options.PERIODS) == tuple(PERIODS)
    assert tuple(options.REQUEST_MODES) == tuple(REQUEST_MODES)
    assert options.GROUPS == (*RANK_GROUPS, *topic_figures.GROUPS, *agents.GROUPS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rank", "--platform", "Facebok"], "error: --platform 'Facebok': choose facebook, twitter, instagram or other (did you mean facebook?)"),
        (["rank", "--platform", "myspace"], "error: --platform 'myspace': choose facebook, twitter, instagram or other"),
        (["rank", "--group-by", "sectr"], "error: --group-by 'sectr': choose sector, topic, team, lang or agent (did you mean sector?)"),
        (["rank", "--group-by", "topics"], "error: --group-by 'topics': choose sector, topic, team, lang or agent (did you mean topic?)"),
        (["rank", "--format", "jsn"], "error: --format 'jsn': choose table, json, csv or markdown (did you mean json?)"),
        (["rank", "--engine", "duck"], "error: --engine 'duck': choose polars, duckdb or spark (did you mean duckdb?)"),
        (["rank", "--period", "months"], "error: --period 'months': choose month, week or quarter (did you mean month?)"),
        (["rank", "--requests", "question"], "error: --requests 'question': choose starters, comments, all-inbound or questions (did you mean questions?)"),
        (["rank", "--figures", "al"], "error: --figures 'al': choose default or all (did you mean all?)"),
        (["rank", "--by", "response-rate"], f"error: cannot rank by 'response-rate': choose {', '.join(RANK_KEYS[:-1])} or {RANK_KEYS[-1]} (did you mean response_rate?)"),
        (["requests", "--format", "ndjsn"], "error: --format 'ndjsn': choose csv, json, ndjson or parquet (did you mean ndjson?)"),
        (["requests", "--status", "opened"], "error: --status 'opened': choose answered, unanswered or open (did you mean open?)"),
        (["users", "--per", "wek"], "error: --per 'wek': choose day, week or month (did you mean week?)"),
        (["topics", "--platform", "instagramm"], "error: --platform 'instagramm': choose facebook, twitter, instagram or other (did you mean instagram?)"),
        (["keywords", "bill", "--by", "dya"], "error: --by 'dya': choose day, week or month"),
        (["keywords", "bill", "--by", "daily"], "error: --by 'daily': choose day, week or month (did you mean day?)"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_a_bad_choice_is_one_line_exit_2_with_the_nearest(store: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--store", str(store)])
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert result.stdout == ""


def _rank_json(store: Path, *extra: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["rank", "--store", str(store), "--format", "json", "--min-requests", "1", *extra])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("spelling", ["TWITTER", "Twitter", "x", "tw", " twitter"])
def test_platform_is_case_insensitive_and_knows_aliases(store: Path, spelling: str) -> None:
    assert _rank_json(store, "--platform", spelling) == _rank_json(store, "--platform", "twitter")
    assert sum(r["requests"] for r in _rank_json(store, "--platform", spelling)) == 6


def test_facebook_spellings_select_facebook_not_nothing_silently(store: Path) -> None:
    assert _rank_json(store, "--platform", "Facebook") == _rank_json(store, "--platform", "fb") == []  # a twitter-only store


@pytest.mark.parametrize(
    "args",
    [["--format", "JSON"], ["--format", "Md"], ["--engine", "DuckDB"], ["--figures", "ALL"], ["--requests", "Starters"], ["--by", "Response_Rate"]],
    ids=lambda a: " ".join(a),
)
def test_other_choices_are_case_insensitive(store: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", *args])
    assert result.exit_code == 0, result.stderr


def test_python_api_refuses_an_unknown_platform_and_folds_case(store: Path) -> None:
    assert bm.rank(store, platform="Twitter", min_requests=1).equals(bm.rank(store, platform="twitter", min_requests=1))
    with pytest.raises(UsageError, match="^" + re.escape("platform 'fbk': choose facebook, twitter, instagram or other (did you mean facebook?)")):
        bm.rank(store, platform="fbk")


CHOICES_IN_HELP = {
    "rank": ["--platform [facebook|twitter|instagram|other]", "--format [table|json|csv|markdown]", "--engine [polars|duckdb|spark]",
             "--figures [default|all]", "--group-by [sector|topic|team|lang|agent]", "--period [month|week|quarter]",
             "--requests [starters|comments|all-inbound|questions]", "--by [requests|answered|unanswered|response_rate|"],
    "requests": ["--format [csv|json|ndjson|parquet]", "--status [answered|unanswered|open]", "--period [month|week|quarter]"],
    "users": ["--per [day|week|month]", "--format [table|json|csv|markdown]"],
    "topics": ["--format [table|json|csv|markdown]", "--requests [starters|comments|all-inbound|questions]"],
    "keywords": ["--by [day|week|month]", "--format [table|json|csv|markdown]"],
}


@pytest.mark.parametrize("command", list(CHOICES_IN_HELP))
def test_help_lists_the_choices_and_no_type_placeholders(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    for choice in CHOICES_IN_HELP[command]:
        assert choice in result.stdout, (choice, result.stdout)
    own = [line for line in result.stdout.splitlines() if line.lstrip().startswith("-") and "--map" not in line and "--brand <" not in line]
    assert not [line for line in own if re.search(r"<(int range|float range|list\[str\]|str)>", line) and "--spark-master" not in line
                and "--input-format" not in line and "--encoding" not in line], own


def test_completion_offers_the_choices():
    assert options.completer(options.PLATFORMS)("in") == ["instagram"]
    assert options.completer(options.GROUPS)("t") == ["topic", "team"]
    assert options.completer(options.TABLE_FORMATS)("") == list(options.TABLE_FORMATS)


def test_a_bad_choice_through_a_real_subprocess_loads_no_dataframe_library(store: Path) -> None:
    code = (
        "import sys\nfrom benchmark.cli import main\nsys.argv = ['benchmark', 'rank', '--store', sys.argv[1], '--platform', 'fcebook']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print('exit', exc.code, 'polars' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True, check=False)
    assert done.stdout == "exit 2 False\n"
    assert done.stderr == "error: --platform 'fcebook': choose facebook, twitter, instagram or other (did you mean facebook?)\n"

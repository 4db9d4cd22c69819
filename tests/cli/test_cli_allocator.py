"""The allocator setting chosen per command (see :mod:`benchmark.cli.allocator`)."""

from __future__ import annotations

import subprocess
import sys

from benchmark.cli.allocator import RETURN_SOON, VARIABLE, command_of, tune_allocator


def test_measuring_commands_return_freed_memory_at_once_ingest_keeps_the_default() -> None:
    env: dict[str, str] = {}
    tune_allocator(["--verbose", "rank", "--store", "s"], env)
    assert env == {VARIABLE: RETURN_SOON}
    env = {}
    tune_allocator(["ingest", "twcs.csv"], env)
    assert env == {}
    tune_allocator(["--help"], env)
    assert env == {}


def test_a_value_the_user_set_wins() -> None:
    env = {VARIABLE: "narenas:1"}
    tune_allocator(["report", "--store", "s"], env)
    assert env == {VARIABLE: "narenas:1"}


def test_command_word() -> None:
    assert command_of(["-v", "report", "-o", "r.html"]) == "report"
    assert command_of(["--version"]) is None


def test_the_console_entry_sets_it_before_polars_loads() -> None:
    """Through the real entry point: the command sees the variable, and Polars was not loaded before it."""
    code = (
        "import os, sys\n"
        "import benchmark.cli as cli\n"
        "loaded = 'polars' in sys.modules\n"
        "cli.app = lambda: print(os.environ.get('_RJEM_MALLOC_CONF'), loaded)\n"
        "sys.argv = ['benchmark', 'rank', '--store', 'x']\n"
        "cli.main()\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != VARIABLE}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == [RETURN_SOON, "False"]

"""A reader that stops reading (``benchmark rank | head -1``) ends the command quietly with exit 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    "command",
    [
        ["rank", "--min-requests", "0"],  # rich's table: its own broken-pipe handler exited 1 without a word
        ["rank", "--min-requests", "0", "--format", "csv"],
        ["rank", "--min-requests", "0", "--format", "json"],
        ["requests"],
        ["requests", "--format", "csv"],
    ],
    ids=lambda c: " ".join(c),
)
def test_a_reader_that_closes_stdout_early_ends_the_command_with_exit_0_and_no_traceback(golden_cli_store: Path, command: list[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmark", *command, "--store", str(golden_cli_store)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # closed before the command writes a byte: every write meets a broken pipe
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Exception ignored" not in err and "Broken pipe" not in err.lower().replace("brokenpipe", "broken pipe")
    assert "error" not in err.lower()

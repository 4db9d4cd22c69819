"""Every command and long option that README.md and docs/*.md show exists (issue 14's acceptance, items 12, 15, 10).

The lines of the documentation's code blocks and inline examples that start with ``benchmark`` (or
``.venv/bin/benchmark``) are split into the command and its ``--options``; each command's ``--help`` must list
each option. A renamed or removed option then fails here instead of in a reader's terminal.
"""

from __future__ import annotations

import re
import shlex
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli import app

ROOT = Path(__file__).parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
runner = CliRunner()


def _examples() -> list[tuple[str, str, list[str]]]:
    """(where, command, long options) for every ``benchmark …`` example line."""
    found = []
    for doc in DOCS:
        for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for match in re.finditer(r"(?:^|&& |`)(?:\.venv/bin/)?benchmark ([a-z]+)([^`#|&\n]*)", line):
                command, rest = match.group(1), match.group(2)
                if command == "ingest" and "..." in rest:
                    rest = rest.replace("...", "")
                try:
                    words = shlex.split(rest)
                except ValueError:  # an example with an unbalanced quote inside inline code
                    words = rest.split()
                options = [w.split("=")[0] for w in words if w.startswith("--")]
                found.append((f"{doc.name}:{n}", command, options))
    return found


EXAMPLES = _examples()


@cache
def _help(command: str) -> str:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, f"benchmark {command} --help: {result.output}"
    return result.stdout


def test_the_docs_show_examples() -> None:
    commands = {c for _, c, _ in EXAMPLES}
    assert {"ingest", "rank", "requests", "chart", "report", "topics", "users", "keywords", "sample"} <= commands


@pytest.mark.parametrize(("where", "command", "options"), EXAMPLES, ids=[f"{w} {c}" for w, c, _ in EXAMPLES])
def test_every_documented_option_exists(where: str, command: str, options: list[str]) -> None:
    text = _help(command)
    for option in options:
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text), f"{where}: benchmark {command} has no {option}"

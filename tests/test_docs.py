"""The CLI reference is complete and current (issue 11, item 6), in the manner of sqlite-utils' tests/test_docs.py.

``docs/cli.md`` is generated from the commands (``python -m benchmark.cli.reference``); this test fails when a
command or an option changes without the file being regenerated, and checks that every command and every
option appears in the README or in that reference.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmark.cli import reference

ROOT = Path(__file__).parent.parent
CLI_MD = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
COMMANDS = reference.commands()


def test_the_cli_reference_is_current() -> None:
    assert CLI_MD.read_text(encoding="utf-8") == reference.render(), "docs/cli.md is stale: run python -m benchmark.cli.reference"


def test_the_check_mode_says_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(reference.render().replace("## benchmark rank", "## benchmark rnak"), encoding="utf-8")
    assert reference.main([str(stale), "--check"]) == 1
    assert capsys.readouterr().err == f"{stale} is stale: run python -m benchmark.cli.reference\n"
    assert reference.main([str(CLI_MD), "--check"]) == 0


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_and_option_is_documented(name: str, command: object) -> None:
    docs = CLI_MD.read_text(encoding="utf-8") + README.read_text(encoding="utf-8")
    assert re.search(rf"^## benchmark {name}$", docs, re.M), f"benchmark {name} is not documented"
    section = CLI_MD.read_text(encoding="utf-8").split(f"## benchmark {name}\n", 1)[1].split("\n## ", 1)[0]
    for param in command.params:  # type: ignore[attr-defined]
        if getattr(param, "hidden", False) or type(param).__name__.endswith("Argument"):
            continue
        for flag in param.opts:
            assert f"`{flag}`" in section, f"benchmark {name} {flag} is not in docs/cli.md"

"""The command-line reference (``docs/cli.md``), generated from the commands themselves.

``python -m benchmark.cli.reference`` rewrites ``docs/cli.md``; ``--check`` exits 1 when the file is stale
(``tests/test_docs.py`` does the same), so that every command and every option is documented with the help
text ``--help`` shows. Built from the option declarations, not from rendered ``--help``: the terminal's width
never changes the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

HEADER = """# Command-line reference

Generated from the commands' own declarations by `python -m benchmark.cli.reference`: do not edit by hand
(`tests/test_docs.py` fails when this file is stale). `benchmark COMMAND --help` shows the same.
"""
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _cell(text: object) -> str:
    """A Markdown table cell: pipes escaped, one line."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _default(param: object) -> str:
    """The default as ``--help`` shows it; empty when there is none worth showing."""
    default = getattr(param, "default", None)
    if getattr(param, "is_flag", False) or default in (None, (), []) or callable(default):
        return ""
    return f"`{default}`"


def _names(param: object) -> str:
    opts = [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
    if type(param).__name__.endswith("Argument"):
        return f"`{param.metavar or param.name.upper()}`" + (" …" if getattr(param, "nargs", 1) == -1 else "")  # type: ignore[attr-defined]
    metavar = getattr(param, "metavar", None)
    shown = ", ".join(f"`{o}`" for o in opts)
    return _cell(f"{shown} `{metavar}`" if metavar and not getattr(param, "is_flag", False) else shown)


def commands() -> list[tuple[str, object]]:
    """``(name, command)`` for every command, in the order ``benchmark --help`` lists them."""
    import typer

    from . import app

    group = typer.main.get_command(app)
    ctx = type(group).context_class(group)  # type: ignore[attr-defined]
    return [(name, group.get_command(ctx, name)) for name in group.list_commands(ctx)]  # type: ignore[attr-defined]


def render() -> str:
    """The whole reference as Markdown."""
    lines = [HEADER]
    for name, command in commands():
        if getattr(command, "hidden", False):
            continue
        lines += [f"## benchmark {name}", "", _cell(getattr(command, "help", "") or ""), ""]
        params = [p for p in command.params if not getattr(p, "hidden", False)]  # type: ignore[attr-defined]
        arguments = [p for p in params if type(p).__name__.endswith("Argument")]
        options = [p for p in params if p not in arguments]
        if arguments:
            lines += ["| argument | what |", "|---|---|"]
            lines += [f"| {_names(p)} | {_cell(getattr(p, 'help', '') or '')} |" for p in arguments]
            lines.append("")
        if options:
            lines += ["| option | what | default |", "|---|---|---|"]
            lines += [f"| {_names(p)} | {_cell(getattr(p, 'help', '') or '')} | {_default(p)} |" for p in options]
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the reference (``--check``: only say whether the file is current; exit 1 when stale)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(next((a for a in args if not a.startswith("--")), DEFAULT_FILE))
    text = render()
    if "--check" in args:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is stale: run python -m benchmark.cli.reference", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

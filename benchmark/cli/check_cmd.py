"""``benchmark check``: verify a store; ``--repair`` moves damaged ingests aside (never deletes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import BenchmarkError, UsageError
from ..formatting import control_escaped
from .app import Verbose, app, errors_to_exit_codes


@app.command()
def check(
    store: Annotated[Path, typer.Option("--store", "-s", help="Store directory to verify.")],
    repair: Annotated[bool, typer.Option("--repair", help="Move damaged ingests, copies and stray entries into STORE/quarantine/ (nothing is deleted) and rewrite a damaged marker.")] = False,
    output_format: Annotated[str, typer.Option("--format", help="text (problems on stderr, nothing on stdout) or json (a summary on stdout).")] = "text",
    verbose: Verbose = False,
) -> None:
    """Verify every ingest of a store: files readable, counts as recorded, no copies. Exits 1 when something is wrong."""
    with errors_to_exit_codes(verbose):
        if output_format not in ("text", "json"):
            raise UsageError(f"--format {output_format!r}: choose text or json")
        from ..store.check import (  # Polars and pyarrow: when the command runs
            check_store,
            repair_store,
        )

        report = repair_store(store) if repair else check_store(store)
        for old, new in report.moved:
            typer.echo(control_escaped(f"moved {old} to {new}"), err=True)
        for problem in report.problems:
            typer.echo(control_escaped(problem.line()), err=True)
        if output_format == "json":
            typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        if not report.ok:
            n = len(report.problems)
            if repair:
                raise BenchmarkError(f"{store}: {n:,} problem(s) that --repair cannot fix (see above)")
            fixable = f"; 'benchmark check --store {store} --repair' moves them into {store / 'quarantine'}" if any(p.repair for p in report.problems) else ""
            raise BenchmarkError(f"{store}: {n:,} problem(s) found{fixable}")
        typer.echo(f"{store}: {report.ingests:,} ingest(s), {report.messages:,} messages: no problems found", err=True)

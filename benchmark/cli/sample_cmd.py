"""``benchmark sample``: write the synthetic sample dataset (fictional brands) to a folder."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..defaults import DEFAULT_MONTHS, DEFAULT_SEED, DEFAULT_START
from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr

if TYPE_CHECKING:  # the generator imports NumPy: loaded when the command runs, not for --help
    from ..sample import FileSummary


def sample(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write into (created if needed; files of the same name are replaced).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed, scale and period give byte-identical files.")] = DEFAULT_SEED,
    scale: Annotated[float, typer.Option("--scale", help="Volume multiplier: 1 gives the committed sample_data (a few MB); 50 gives ~50x the messages.")] = 1.0,
    start: Annotated[str, typer.Option("--start", help="First day of activity (YYYY-MM-DD, Europe/Rome).")] = DEFAULT_START.isoformat(),
    months: Annotated[int, typer.Option("--months", help="Months of activity.")] = DEFAULT_MONTHS,
    verbose: Verbose = False,
) -> None:
    """Write a synthetic dataset: 20 fictional Italian brands, Facebook Graph feed and Twitter v2 (twarc2) files."""
    err = stderr()
    with errors_to_exit_codes(verbose):
        try:
            first_day = date.fromisoformat(start)
        except ValueError:
            raise UsageError(f"--start {start!r}: expected a date like 2024-01-01") from None
        from ..sample import generate  # NumPy

        began = time.perf_counter()

        def show(fs: FileSummary) -> None:
            err.print(f"wrote {fs.path}: {fs.requests:,} requests, {fs.messages:,} messages, {fs.pages:,} pages", markup=False)

        summary = generate(output, seed=seed, scale=scale, start=first_day, months=months, progress=show)
        size = sum(f.path.stat().st_size for f in summary.files) + (output / "brands.toml").stat().st_size
        err.print(
            f"wrote {output / 'brands.toml'} and {len(summary.files)} files: {summary.requests:,} requests, "
            f"{summary.messages:,} messages, {size / 1e6:.1f} MB in {time.perf_counter() - began:.1f} s "
            f"(synthetic, seed {seed}, scale {scale:g})",
            markup=False,
        )


app.command("sample")(sample)

# ``python -m benchmark.sample`` runs this one command on its own.
sample_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
sample_app.command()(sample)

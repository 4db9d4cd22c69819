"""``benchmark ingest``: load export files into a store and account for every record."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..defaults import INPUT_FORMATS
from ..errors import BenchmarkError
from .app import Verbose, app, errors_to_exit_codes, stderr

if TYPE_CHECKING:  # the API, loaders and store import Polars: loaded when a command runs, not for --help
    from rich.console import Console
    from rich.table import Table

    from ..loaders.base import ColumnMapping
    from ..store import FileReport, Store

PROGRESS_MIN_BYTES = 4 * 1024 * 1024

FormatOpt = Annotated[str, typer.Option("--format", "-f", help=f"Input format: auto or one of {', '.join(INPUT_FORMATS)}.")]
BrandOpt = Annotated[list[str] | None, typer.Option("--brand", "-b", help="A brand account (id or @handle), for formats that do not mark the brand. Repeatable.")]
MapOpt = Annotated[list[str] | None, typer.Option("--map", help="Generic CSV column mapping FIELD=COLUMN (e.g. message_id=id). Repeatable.")]
MappingOpt = Annotated[Path | None, typer.Option("--mapping", help="Generic CSV column mapping as a TOML file.")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="Text encoding of CSV inputs (e.g. cp1252 for Excel exports).")]


def build_mapping(pairs: Sequence[str] | None, mapping_file: Path | None) -> ColumnMapping | None:
    """``--mapping FILE`` with ``--map`` flags overriding its entries."""
    from ..loaders.generic_csv import mapping_from_pairs, mapping_from_toml

    base = mapping_from_toml(mapping_file) if mapping_file else None
    if pairs:
        return mapping_from_pairs(pairs, base)
    return base


def ingest_with_progress(
    store: Store,
    paths: Sequence[Path],
    fmt: str,
    brands: Sequence[str],
    mapping: ColumnMapping | None,
    encoding: str,
    err: Console,
) -> list[FileReport]:
    """Ingest files one by one, with a progress bar for large ones, printing each file's counts."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from .. import api
    from ..loaders import LoadOptions, detect_format, expand_inputs

    paths = expand_inputs(paths)
    if fmt == "auto":  # fail before writing anything when a file is unreadable or of unknown format
        options = LoadOptions(brands=tuple(brands), mapping=mapping, encoding=encoding)
        for path in paths:
            detect_format(path, options)
    reports: list[FileReport] = []
    big = [p for p in paths if p.is_file() and p.stat().st_size >= PROGRESS_MIN_BYTES]
    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=err, transient=True, disable=not big,
    ) as progress:
        for path in paths:
            size = path.stat().st_size if path.is_file() else 0
            task = progress.add_task(path.name, total=size or None, visible=size >= PROGRESS_MIN_BYTES)

            def advance(_file: str, done: int, _total: int, task: int = task) -> None:
                progress.update(task, completed=done)

            reports.extend(api.ingest([path], store, format=fmt, brands=brands, mapping=mapping, encoding=encoding, progress=advance))
            progress.update(task, completed=size)
    return reports


def report_table(reports: Sequence[FileReport]) -> Table:
    from rich.table import Table

    table = Table(title="Ingest", title_justify="left")
    for name, justify in (("file", "left"), ("format", "left"), ("read", "right"), ("stored", "right"), ("duplicates", "right"), ("rejected", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in reports:
        table.add_row(r.source_file, r.format, f"{r.read:,}", f"{r.stored:,}", f"{r.duplicates:,}", f"{r.rejected:,}")
    if len(reports) > 1:
        table.add_row("total", "", *(f"{sum(getattr(r, k) for r in reports):,}" for k in ("read", "stored", "duplicates", "rejected")))
    return table


def print_reports(reports: Sequence[FileReport], store: Store, err: Console) -> None:
    err.print(report_table(reports))
    for r in reports:
        for note in r.notes:
            err.print(f"{r.source_file}: {note}", markup=False)
        if r.rejected:
            reasons = ", ".join(f"{n:,} × {why}" for why, n in sorted(r.reject_reasons.items(), key=lambda kv: -kv[1])[:5])
            where = store.path / "ingests" / f"ingest={r.ingest_id}" / "rejects.ndjson" if r.ingest_id else "not written (already ingested)"
            err.print(f"{r.source_file}: {r.rejected:,} rejected ({reasons}); details in {where}", markup=False)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files, or directories of them, to load.", show_default=False)],
    store: Annotated[Path, typer.Option("--store", "-s", help="Store directory (created when new).")],
    fmt: FormatOpt = "auto",
    brand: BrandOpt = None,
    map_: MapOpt = None,
    mapping: MappingOpt = None,
    encoding: EncodingOpt = "utf-8",
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) when any record is rejected.")] = False,
    brands_file: Annotated[Path | None, typer.Option("--brands", help="Brands file (brands.toml): its accounts mark brand messages, like --brand.")] = None,
    verbose: Verbose = False,
) -> None:
    """Load export files into a Parquet store. Re-ingesting a file adds nothing."""
    err = stderr()
    with errors_to_exit_codes(verbose):
        from .. import api
        from ..store import create_store

        col_map = build_mapping(map_, mapping)
        accounts = [*(brand or ()), *(api.brand_book(brands_file).account_ids() if brands_file else ())]  # type: ignore[union-attr]
        st = create_store(store)
        reports = ingest_with_progress(st, paths, fmt, accounts, col_map, encoding, err)
        print_reports(reports, st, err)
        rejected = sum(r.rejected for r in reports)
        if strict and rejected:
            raise BenchmarkError(f"--strict: {rejected:,} record(s) rejected")

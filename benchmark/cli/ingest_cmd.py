"""``benchmark ingest``: load export files into a store and account for every record."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..defaults import INGEST_PREFIX, INGESTS, INPUT_FORMATS, SUMMARY_FILE
from ..errors import BenchmarkError, Interrupted
from .app import Verbose, app, errors_to_exit_codes, stderr

if TYPE_CHECKING:  # the API, loaders and store import Polars: loaded when a command runs, not for --help
    from rich.console import Console
    from rich.table import Table

    from ..loaders.base import ColumnMapping, LoadOptions
    from ..store import FileReport, Store

PROGRESS_MIN_BYTES = 4 * 1024 * 1024

FormatOpt = Annotated[str, typer.Option("--format", "-f", help=f"Input format: auto or one of {', '.join(INPUT_FORMATS)}.")]
BrandOpt = Annotated[list[str] | None, typer.Option("--brand", "-b", help="A brand account (id or @handle), for formats that do not mark the brand. Repeatable.")]
MapOpt = Annotated[list[str] | None, typer.Option("--map", help="Generic CSV column mapping FIELD=COLUMN (e.g. message_id=id). Repeatable.")]
MappingOpt = Annotated[Path | None, typer.Option("--mapping", help="Generic CSV column mapping as a TOML file.")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="Text encoding of CSV inputs (e.g. cp1252 for Excel exports).")]
DelimiterOpt = Annotated[
    str | None,
    typer.Option("--delimiter", help="CSV field delimiter for twcs and csv inputs: ',' ';' '|' or tab (default: sniffed from the header).", show_default=False),
]


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
    delimiter: str | None = None,
    resolved: bool = False,
    strict: bool = False,
) -> list[FileReport]:
    """Ingest files one by one, with a progress bar for large ones, printing each file's counts.

    ``paths`` may hold folders; with ``resolved`` they are files that :func:`resolve_inputs` checked.
    With ``strict`` they are loaded together and committed only when nothing was rejected (see :func:`benchmark.api.ingest`).
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from .. import api
    from ..formatting import control_escaped
    from ..loaders import LoadOptions

    if not resolved:
        options = LoadOptions(brands=tuple(brands), mapping=mapping, encoding=encoding, delimiter=delimiter)
        paths = resolve_inputs(paths, fmt, options, err)
    reports: list[FileReport] = []
    big = [p for p in paths if p.is_file() and p.stat().st_size >= PROGRESS_MIN_BYTES]
    with Progress(
        TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=err, transient=True, disable=not big or not err.is_terminal,  # piped: no bar, and no blank line where it was
    ) as progress:
        tasks: dict[str, int] = {}
        for path in paths:
            size = path.stat().st_size if path.is_file() else 0
            tasks[str(path)] = progress.add_task(control_escaped(path.name), total=size or None, visible=size >= PROGRESS_MIN_BYTES)

        def advance(file: str, done: int, _total: int) -> None:
            if file in tasks:
                progress.update(tasks[file], completed=done)

        reports.extend(api.ingest(  # one call: the store's keys are read once, each file committed when loaded
            list(paths), store, format=fmt, brand_accounts=brands, mapping=mapping, encoding=encoding, delimiter=delimiter, progress=advance, strict=strict,
        ))
    return reports


def resolve_inputs(paths: Sequence[Path], fmt: str, options: LoadOptions, err: Console) -> list[Path]:
    """The export files to ingest, checked before anything is written.

    Folders are expanded (one stderr line per folder names the files skipped as not exports);
    with ``--format auto`` every file's format is detected now, so an unreadable or unknown
    file stops the ingest before the store is touched.
    """
    from .. import api

    files, skipped = api.check_inputs(  # the check-every-file loop lives in the API (bm.check_inputs)
        paths, format=fmt, brand_accounts=options.brands, mapping=options.mapping, encoding=options.encoding, delimiter=options.delimiter,
    )
    for line in skipped:
        err.print(line, markup=False)
    return files


@contextlib.contextmanager
def saying_what_was_committed(store: Path, files: list[Path]) -> Iterator[None]:
    """Turn Ctrl-C into an :class:`~benchmark.errors.Interrupted` naming the files committed before it.

    Found on disk, not from the reports: a file whose commit rename happened just before the
    interrupt is committed even when its report was never returned. ``files`` is filled by the
    caller once the inputs are known.
    """
    before = set(_committed(store))
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(what_was_committed(store, before, files)) from None


def what_was_committed(store: Path, before: set[str], files: Sequence[Path]) -> str:
    """``interrupted: committed a.csv (10 stored); not committed: b.csv, c.csv (ingest them again)``: one line."""
    committed: dict[str, str] = {}
    now = _committed(store)
    for name in sorted(set(now) - before):
        try:
            summary = json.loads((now[name] / SUMMARY_FILE).read_text(encoding="utf-8"))
            committed[str(summary["source_file"])] = f"{summary['source_file']} ({int(summary['stored']):,} stored)"
        except (OSError, ValueError, KeyError, TypeError):
            committed[name] = f"{now[name]}"
    rest = [str(f) for f in files if str(f) not in committed]
    if not committed:
        return f"interrupted: nothing was committed; {store} is as it was"
    line = f"interrupted: committed {', '.join(committed.values())}"
    return line + (f"; not committed: {', '.join(rest)} (ingest {'it' if len(rest) == 1 else 'them'} again)" if rest else "")


def _committed(store: Path) -> dict[str, Path]:
    """The committed ingest directories by name, from disk (names from :mod:`benchmark.defaults`: no Polars
    import, so a Ctrl-C right after the command starts still gets its one true line)."""
    try:
        return {e.name: e for e in (store / INGESTS).iterdir() if e.name.startswith(INGEST_PREFIX)}
    except OSError:
        return {}


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


def print_reports(reports: Sequence[FileReport], store: Store | Path, err: Console, *, committed: bool = True) -> None:
    """The counts table, each file's notes and reject reasons; ``committed=False`` for a ``--strict`` ingest that committed nothing."""
    from ..store.layout import REJECTS_FILE, ingest_dir

    root = store if isinstance(store, Path) else store.path
    err.print(report_table(reports))
    for r in reports:
        for note in r.notes:
            err.print(f"{r.source_file}: {note}", markup=False)
        if r.rejected:
            reasons = ", ".join(f"{n:,} × {why}" for why, n in sorted(r.reject_reasons.items(), key=lambda kv: -kv[1])[:5])
            if not committed:
                err.print(f"{r.source_file}: {r.rejected:,} rejected ({reasons}); not committed (--strict)", markup=False)
                continue
            where = f"details in {ingest_dir(root, r.ingest_id) / REJECTS_FILE}" if r.ingest_id else "details kept with the first ingest of this file"
            err.print(f"{r.source_file}: {r.rejected:,} rejected ({reasons}); {where}", markup=False)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files (also .zip .gz .bz2 .xz .zst), or folders of them, to load.", show_default=False)],
    store: Annotated[Path, typer.Option("--store", "-s", help="Store directory (created when new).")],
    fmt: FormatOpt = "auto",
    brand: BrandOpt = None,
    map_: MapOpt = None,
    mapping: MappingOpt = None,
    encoding: EncodingOpt = "utf-8",
    delimiter: DelimiterOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="All or nothing: commit no file (exit 1) when any record of any file is rejected.")] = False,
    brands_file: Annotated[Path | None, typer.Option("--brands", help="Brands file (brands.toml): its accounts mark brand messages, like --brand.")] = None,
    verbose: Verbose = False,
) -> None:
    """Load export files into a Parquet store. Re-ingesting a file adds nothing.

    Exits 1 when a file cannot be read or yields nothing (every record rejected); the store is
    left as it was, and a new store is not left behind empty.
    """
    err = stderr()
    todo: list[Path] = []
    with errors_to_exit_codes(verbose), saying_what_was_committed(store, todo):
        from .. import api
        from ..loaders import LoadOptions
        from ..loaders import parse_delimiter
        from ..store.ingest import StrictRejectError

        sep = parse_delimiter(delimiter) if delimiter is not None else None
        col_map = build_mapping(map_, mapping)
        accounts = [*(brand or ()), *(api.brand_book(brands_file).account_ids() if brands_file else ())]  # type: ignore[union-attr]
        options = LoadOptions(brands=tuple(accounts), mapping=col_map, encoding=encoding, delimiter=sep)
        files = resolve_inputs(paths, fmt, options, err)
        todo.extend(files)
        try:
            with api.store_for_ingest(store) as st:
                reports = ingest_with_progress(st, files, fmt, accounts, col_map, encoding, err, delimiter=sep, resolved=True, strict=strict)
        except StrictRejectError as exc:  # nothing committed: show what each file held, then the one error line
            print_reports(exc.reports, store, err, committed=False)
            raise
        print_reports(reports, st, err)
        empty = [msg for r in reports if (msg := api.nothing_stored(r, mapping_file=mapping is not None))]
        if len(empty) == 1:
            raise BenchmarkError(empty[0])
        if empty:
            for msg in empty:
                err.print(msg, markup=False)
            raise BenchmarkError(f"nothing stored from {len(empty)} of {len(reports)} files (see above)")

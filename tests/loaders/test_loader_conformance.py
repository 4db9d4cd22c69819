"""Every export format obeys the same contract, checked on every fixture of every format (issue 11).

In the manner of narwhals' ``constructor`` fixtures: one parametrised fixture, :func:`export`, yields each
format's fixture files with the options that format needs, and each test states one rule for all of them:

- a format's ``sniff`` says yes to its own files and every other format's says no (detection never
  depends on the order formats are tried in); the generic ``csv`` format is chosen by a column mapping and
  never sniffs;
- nothing is lost or counted twice: ``read = stored + duplicates + rejected`` for every file, and
  ingesting the same file again stores nothing, every record it stored now counting as a duplicate.

A new format adds its fixtures to :data:`CASES`; the suite fails until it does (see
:func:`test_every_registered_format_has_fixtures`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import benchmark as bm
from benchmark.errors import UnknownFormatError
from benchmark.loaders import REGISTRY, ColumnMapping, LoadOptions, detect_format, read_head

FIXTURES = Path(__file__).parents[1] / "fixtures"
HOSTILE = FIXTURES / "hostile"


@dataclass(frozen=True)
class Case:
    """One export file and what its format needs to read it (brand names, a column mapping)."""

    format: str
    path: Path
    brands: tuple[str, ...] = ()
    mapping: ColumnMapping | None = None

    @property
    def id(self) -> str:
        return f"{self.format}:{self.path.relative_to(FIXTURES).as_posix()}"


def _all(folder: str, suffixes: tuple[str, ...], **kwargs: object) -> list[Case]:
    fmt = kwargs.pop("format")
    return [Case(fmt, p, **kwargs) for p in sorted((FIXTURES / folder).iterdir()) if p.suffix in suffixes]  # type: ignore[arg-type]


GENERIC_MAPPING = ColumnMapping(message_id="id", created_at="when", author_id="who", parent_id="reply_to", text="body")
MINIMAXIR_PAGES = {"gelateria_bellavista": "Gelateria Bellavista", "pizzeria_vesuvio": "Pizzeria Vesuvio", "caffe_aurora": "Caffè Aurora"}

CASES: list[Case] = [
    Case("twcs", FIXTURES / "twcs" / "golden.csv"),
    *(Case("twcs", HOSTILE / name) for name in ("twcs_ok.csv", "twcs_duplicates.csv", "twcs_bad_ids.csv", "twcs_bad_times.csv",
                                                "twcs_orphans.csv", "twcs_bom.csv", "twcs_embedded_newlines.csv")),
    *_all("twitter_v2", (".json", ".jsonl"), format="twitter-v2"),
    Case("twitter-v2", HOSTILE / "v2_truncated.jsonl"),
    *(Case("minimaxir", p, brands=(next(v for k, v in MINIMAXIR_PAGES.items() if p.name.startswith(k)),))
      for p in sorted((FIXTURES / "minimaxir").glob("*.csv"))),
    Case("netvizz", FIXTURES / "netvizz" / "Pasticceria Aurora.tab"),
    *_all("facebook", (".json", ".ndjson"), format="facebook"),
    *_all("instagram", (".json", ".ndjson"), format="instagram", brands=("@modalucia",)),
    Case("csv", HOSTILE / "generic_times.csv", brands=("AcmeTel",), mapping=GENERIC_MAPPING),
]


@pytest.fixture(params=CASES, ids=[c.id for c in CASES])
def export(request: pytest.FixtureRequest) -> Case:
    """Each format's fixture files, with the options that format needs."""
    return request.param


def test_every_registered_format_has_fixtures() -> None:
    assert {c.format for c in CASES} == set(REGISTRY)


def test_a_format_sniffs_its_own_files_and_no_other_format_does(export: Case) -> None:
    head = read_head(export.path)
    claimed = [name for name, loader in REGISTRY.items() if loader.sniff(head, export.path)]
    assert claimed == ([] if export.format == "csv" else [export.format])


def test_detection_picks_the_format(export: Case) -> None:
    if export.format == "csv":  # chosen by --map/--mapping, never guessed: detection names the file and refuses it
        with pytest.raises(UnknownFormatError, match="unknown format"):
            detect_format(export.path, LoadOptions(brands=export.brands))
        return
    assert detect_format(export.path, LoadOptions(brands=export.brands)).name == export.format


def test_every_record_read_is_stored_a_duplicate_or_rejected_and_a_second_ingest_stores_nothing(export: Case, tmp_path: Path) -> None:
    store = tmp_path / "store"
    fmt = "csv" if export.format == "csv" else "auto"

    def ingest() -> bm.FileReport:
        (report,) = bm.ingest([export.path], store=store, format=fmt, brands=export.brands, mapping=export.mapping)
        assert report.format == export.format
        assert report.read == report.stored + report.duplicates + report.rejected, report
        return report

    first = ingest()
    assert first.read > 0 and first.stored > 0
    assert bm.open_store(store).messages().height == first.stored
    assert bm.open_store(store).rejects().height == first.rejected

    again = ingest()
    assert (again.read, again.stored, again.duplicates, again.rejected) == (first.read, 0, first.stored + first.duplicates, first.rejected)
    assert bm.open_store(store).messages().height == first.stored

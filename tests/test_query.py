"""One measurement flows downstream (issue 11): a Query built once, by the CLI or in Python, measured once."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.cli.options import QueryArgs
from benchmark.engine import PolarsEngine
from benchmark.errors import UsageError
from benchmark.store.layout import Store

from report_fixtures import store  # noqa: F401  (the synthetic report store, once per module)

runner = CliRunner()
GOLDEN = Path(__file__).parent / "fixtures" / "twcs" / "golden.csv"


def test_the_cli_query_and_the_python_query_are_the_same(store: bm.Store) -> None:
    typed = QueryArgs({"since": "2017-09-10", "until": "2017-10-20", "platform": "Twitter", "only_brand": ["AcmeTel", "BetaBank"],
                       "open_window": "48h", "requests_mode": "starters", "first_response": "direct", "timezone": "Europe/Rome"})
    from_cli = typed.build(store)
    in_python = bm.query(store, since="2017-09-10", until="2017-10-20", platform="twitter", only_brands=["AcmeTel", "BetaBank"],
                         open_window="48h", first_response="direct", timezone="Europe/Rome")
    assert from_cli == in_python
    assert bm.measure(from_cli).facts.equals(bm.measure(in_python).facts)


def test_requests_command_writes_the_facts_of_the_python_query(store: bm.Store) -> None:
    result = runner.invoke(app, ["requests", "--store", str(store.path), "--since", "2017-09-10", "--only-brand", "AcmeTel",
                                 "--open-window", "48h", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    cli = pl.read_csv(io.StringIO(result.stdout), try_parse_dates=True)
    facts = bm.requests(bm.query(store, since="2017-09-10", only_brands=["AcmeTel"], open_window="48h"))
    assert cli.get_column("request_id").cast(pl.String).to_list() == facts.get_column("request_id").to_list()
    assert cli.get_column("frt_s").to_list() == facts.get_column("frt_s").to_list()
    assert cli.get_column("status").to_list() == facts.get_column("status").to_list()


def test_rank_takes_a_query_or_a_measurement_and_gives_the_keyword_ranking(store: bm.Store) -> None:
    by_keywords = bm.rank(store, min_requests=5, since="2017-09-01", open_window="48h")
    q = bm.query(store, since="2017-09-01", open_window="48h")
    assert bm.rank(q, min_requests=5).equals(by_keywords)
    m = bm.measure(q)
    assert bm.rank(m, min_requests=5).equals(by_keywords)
    assert bm.requests(m).equals(bm.requests(q))
    assert bm.rank(m, min_requests=5, figures="all").equals(bm.rank(store, min_requests=5, since="2017-09-01", open_window="48h", figures="all"))


def test_a_query_refuses_keywords_it_would_ignore(store: bm.Store) -> None:
    q = bm.query(store)
    with pytest.raises(UsageError, match=r"^the Query says what to measure already: drop since \(or use Query.with_options\)$"):
        bm.rank(q, since="2017-10-01")
    with pytest.raises(UsageError, match=r"^the Measurement says what to measure already: drop platform$"):
        bm.listening.users(bm.measure(q), platform="twitter")


def test_a_chart_given_a_measurement_refuses_filters_instead_of_ignoring_them(store: bm.Store) -> None:
    m = bm.measure(bm.query(store))
    with pytest.raises(UsageError) as caught:
        bm.chart.ranking(m, brands=["AcmeTel"])
    assert str(caught.value) == "the Measurement says which requests to draw already: drop brands (or build it with them)"
    assert bm.chart.ranking(bm.query(store, only_brands=["AcmeTel"]), min_requests=5) is not None


def test_measurement_holds_the_query_and_the_store_summaries(store: bm.Store) -> None:
    q = bm.query(store, brand_book=None)
    m = bm.measure(q)
    assert m.query == q and m.store == store
    assert [s["source_file"] for s in m.summaries] == [s["source_file"] for s in store.summaries()]
    assert m.rejected == store.rejects().height == sum(s["rejected"] for s in store.summaries())


def test_rank_of_raw_files_by_topic_works_from_python(tmp_path: Path) -> None:
    ranked = bm.rank(files=[GOLDEN], min_requests=1, group_by="topic")
    assert set(ranked.columns) >= {"topic", "rank", "brand", "requests"}
    st = bm.create_store(tmp_path / "s")
    bm.ingest([GOLDEN], store=st)
    assert ranked.equals(bm.rank(st, min_requests=1, group_by="topic"))
    cli = runner.invoke(app, ["rank", str(GOLDEN), "--min-requests", "1", "--group-by", "topic", "--format", "json"])
    assert cli.exit_code == 0, cli.stderr
    assert [(r["topic"], r["brand"], r["requests"]) for r in json.loads(cli.stdout)] == ranked.select("topic", "brand", "requests").rows()


def test_old_keyword_names_still_work_with_a_deprecation_warning(store: bm.Store) -> None:
    with pytest.warns(DeprecationWarning, match=r"^brands= is deprecated: use only_brands=$"):
        old = bm.requests(store, brands=["AcmeTel"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bm.requests(store, only_brands=["AcmeTel"]).equals(old)
    with pytest.raises(UsageError, match=r"^give brand_book only \(brands is its old name\)$"), pytest.warns(DeprecationWarning):
        bm.rank(store, brand_book="a.toml", brands="b.toml")


class Spies:
    """Counts what a report reads: Parquet scans by the metrics engine and by the store, and thread resolutions."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import benchmark.metrics as metrics

        self.counts = {"engine_scans": 0, "store_scans": 0, "thread_resolutions": 0}
        scan, engine_scan, with_threads = Store.scan, PolarsEngine.scan_parquet, metrics.with_threads

        def count(key: str, fn):  # noqa: ANN001, ANN202
            def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                self.counts[key] += 1
                return fn(*args, **kwargs)

            return counted

        monkeypatch.setattr(Store, "scan", count("store_scans", scan))
        monkeypatch.setattr(PolarsEngine, "scan_parquet", count("engine_scans", engine_scan))
        monkeypatch.setattr(metrics, "with_threads", count("thread_resolutions", with_threads))


def test_a_report_measures_once_and_reads_the_messages_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from report_fixtures import synthetic_store

    st = synthetic_store(tmp_path)
    spies = Spies(monkeypatch)
    html = bm.report.html(st, min_requests=5, keywords=["order"])
    assert "order" in html
    # One scan by the metrics (threads resolved once: the changes vs the previous month and the hours tables reuse
    # it), one Store.scan shared by the listening users and keywords.
    assert spies.counts == {"engine_scans": 1, "store_scans": 1, "thread_resolutions": 1}
    again = bm.report.html(bm.query(st), min_requests=5, keywords=["order"])  # the facts come from the cache now
    assert spies.counts == {"engine_scans": 1, "store_scans": 2, "thread_resolutions": 1}
    assert again.split("<footer")[0].count("<tr") == html.split("<footer")[0].count("<tr")


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_a_derived_measurement_equals_measuring_its_options_afresh(store: bm.Store, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmark.metrics as metrics

    q = bm.query(store, engine=engine, timezone="Europe/Rome")
    m = bm.measure(q)
    resolved = []
    monkeypatch.setattr(metrics, "with_threads", lambda *a, **k: resolved.append(1) or (_ for _ in ()).throw(AssertionError("threads resolved again")))
    monthly = m.derived(period="month", extended=False)
    assert resolved == [] and monthly.query == q.with_options(period="month", extended=False)
    monkeypatch.undo()
    afresh = bm.measure(q.with_options(period="month", extended=False))
    assert monthly.table.equals(afresh.table)
    assert monthly.facts.equals(afresh.facts)
    assert monthly.diagnostics == afresh.diagnostics


def test_a_report_of_a_duckdb_query_reads_as_the_polars_report(store: bm.Store) -> None:
    duck = bm.report.markdown(bm.query(store, engine="duckdb"), min_requests=5)
    assert "**Change versus the previous month**" in duck  # derived from the DuckDB measurement, on its connection
    assert duck == bm.report.markdown(store, min_requests=5)

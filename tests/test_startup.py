"""`import benchmark` and `benchmark --help` stay light: heavy parts load on first use."""

from __future__ import annotations

import subprocess
import sys


def test_import_and_cli_do_not_load_matplotlib_or_the_language_detector():
    code = (
        "import sys, benchmark, benchmark.cli\n"
        "heavy = [m for m in ('matplotlib', 'lingua', 'benchmark.chart', 'benchmark.report') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_lazy_parts_load_on_first_use_and_the_cli_knows_every_chart():
    import benchmark as bm
    from benchmark.cli.chart_cmd import CHART_KINDS

    assert list(bm.chart.KINDS) == list(CHART_KINDS)
    assert callable(bm.report.html) and callable(bm.listening.topics)


def test_the_report_loads_matplotlib_only_to_draw():
    """Importing the report (and measuring) needs no matplotlib: it loads on the report's drawing thread
    while the main thread measures. A chart module imported first leaves the package's name the function."""
    code = (
        "import sys, types, benchmark.report, benchmark.chart.data, benchmark.chart.labels, benchmark.report.changes\n"
        "print('matplotlib' in sys.modules)\n"
        "import benchmark.chart.heatmap, benchmark.chart as chart\n"
        "print(isinstance(chart.heatmap, types.FunctionType), sorted(type(f).__name__ for f in chart.KINDS.values()) == ['function'] * 5)\n"
        "print(dir(chart) == sorted(chart.__all__), all(callable(getattr(chart, n)) or n == 'FORMATS' for n in chart.__all__ if n != 'KINDS'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True", "True", "True"]


HEAVY = ("polars", "numpy", "pyarrow", "duckdb", "narwhals", "matplotlib", "lingua", "benchmark.api")


def _loaded_after(code: str) -> list[str]:
    """Which heavy modules a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport sys\nprint('loaded:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return [m for m in out.rsplit("loaded:", 1)[1].strip().split(",") if m]


def test_the_cli_loads_no_dataframe_library_for_help_or_usage_errors():
    # Speed is not asserted in unit tests (issue 10 target 4: < 0.3 s); what makes it slow is.
    assert _loaded_after("import benchmark, benchmark.cli") == []
    helps = (
        "import typer.main\n"
        "from benchmark.cli import app\n"
        "cli = typer.main.get_command(app)\n"
        "for name in ['', *cli.commands]:\n"
        "    try:\n"
        "        cli.main([name, '--help'] if name else ['--help'], prog_name='benchmark', standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
    )
    assert _loaded_after(helps) == []
    usage_errors = (
        "from typer.testing import CliRunner\n"
        "from benchmark.cli import app\n"
        "runner = CliRunner()\n"
        "for args in (['rank'], ['rank', '--by', 'nope', '--store', 'x'], ['rank', '--format', 'xml', '--store', 'x'],\n"
        "             ['chart', 'pie', '--store', 'x', '-o', 'x.png'], ['requests', '--store', 'x', '--format', 'xml'],\n"
        "             ['sample', '-o', 'x', '--start', 'soon'], ['ingest']):\n"
        "    result = runner.invoke(app, args)\n"
        "    assert result.exit_code == 2, (args, result.exit_code, result.output)\n"
        "    assert 'Traceback' not in result.output, args\n"
    )
    assert _loaded_after(usage_errors) == []


def test_help_lists_every_command():
    import typer.main

    from benchmark.cli import app

    commands = list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert {"ingest", "rank", "requests", "sample", "chart", "report", "topics", "keywords", "users"} <= set(commands)
    out = subprocess.run([sys.executable, "-m", "benchmark", "--help"], capture_output=True, text=True, check=True).stdout
    listed = out.split("Commands:", 1)[1].split()
    assert all(name in listed for name in commands), (commands, out)


def test_the_cli_defaults_are_those_of_the_modules_that_use_them():
    from benchmark import brands, defaults, rank, sample
    from benchmark.loaders import REGISTRY
    from benchmark.metrics import options

    rank_module = sys.modules["benchmark.rank"]  # `benchmark.rank` is the API function, as it always was
    assert rank is not rank_module and callable(rank)
    assert defaults.RANK_KEYS == rank_module.RANK_KEYS
    assert defaults.INPUT_FORMATS == tuple(REGISTRY)
    assert rank_module.DEFAULT_MIN_REQUESTS == defaults.DEFAULT_MIN_REQUESTS == 100
    assert options.DEVOTED_RATE == defaults.DEVOTED_RATE == 0.65
    assert brands.DEFAULT_TIMEZONE == defaults.DEFAULT_TIMEZONE == "UTC"  # issue 14, item 10: was Europe/Rome
    assert (sample.DEFAULT_SEED, sample.DEFAULT_START, sample.DEFAULT_MONTHS) == (defaults.DEFAULT_SEED, defaults.DEFAULT_START, defaults.DEFAULT_MONTHS)


def test_the_lazy_package_keeps_every_public_name():
    code = (
        "import benchmark.rank, benchmark.store.ingest\n"  # the submodules first: they must not hide bm.rank / bm.ingest
        "import benchmark as bm, benchmark.api as api, benchmark.loaders as loaders, benchmark.store as store\n"
        "assert bm.rank is api.rank and bm.requests is api.requests and bm.ingest is api.ingest\n"
        "assert bm.filters is api.filters and bm.measurement is api.measurement\n"
        "assert bm.ColumnMapping is loaders.ColumnMapping and bm.LoadOptions is loaders.LoadOptions\n"
        "assert bm.Store is store.Store and bm.FileReport is store.FileReport\n"
        "assert bm.create_store is store.create_store and bm.open_store is store.open_store\n"
        "from benchmark import rank, Store\n"
        "assert rank is api.rank and Store is store.Store\n"
        "assert set(bm.__all__) <= set(dir(bm)), set(bm.__all__) - set(dir(bm))\n"
        "assert all(getattr(bm, name) is not None for name in bm.__all__)\n"
        "assert bm.metrics.__name__ == 'benchmark.metrics' and not hasattr(bm, 'no_such_thing')\n"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_the_open_window_default_is_declared_once() -> None:
    """Every command and API function defaults to benchmark.defaults.DEFAULT_OPEN_WINDOW (issue 11, item 1)."""
    import inspect

    from benchmark import api
    from benchmark.cli import rank_cmd, requests_cmd, topics_cmd, users_cmd
    from benchmark.defaults import DEFAULT_OPEN_WINDOW
    from benchmark.listening import api as listening_api
    from benchmark.metrics.options import DEFAULT_OPEN_WINDOW_S, parse_duration

    assert parse_duration(DEFAULT_OPEN_WINDOW) == DEFAULT_OPEN_WINDOW_S
    functions = [api.metric_options, api.rank, api.requests, api.agents, rank_cmd.rank, requests_cmd.requests,
                 topics_cmd.topics, users_cmd.users, *(f for _, f in inspect.getmembers(listening_api, inspect.isfunction))]
    defaults = [p.default for f in functions for name, p in inspect.signature(f).parameters.items() if name == "open_window" and p.default is not p.empty]
    assert len(defaults) >= 9 and set(defaults) == {DEFAULT_OPEN_WINDOW}

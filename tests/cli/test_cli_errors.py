"""Exceptions that are not ``Exception`` subclasses still end as one line and an exit code."""

from __future__ import annotations

import pytest
import typer

from benchmark.cli.app import errors_to_exit_codes


class PanicException(BaseException):
    """Stands in for ``pyo3_runtime.PanicException``, which a Rust panic in Polars raises."""


def test_a_polars_panic_is_one_line_without_a_traceback(capsys) -> None:
    with pytest.raises(typer.Exit) as stop, errors_to_exit_codes(verbose=False):
        raise PanicException("assertion failed: i < self.len()\nstack backtrace:\n  0: rust_begin_unwind")
    assert stop.value.exit_code == 1
    err = capsys.readouterr().err
    assert err == "internal error: the Polars engine panicked: assertion failed: i < self.len() (run with --verbose for a traceback)\n"


def test_other_base_exceptions_pass_through() -> None:
    with pytest.raises(SystemExit), errors_to_exit_codes(verbose=False):
        raise SystemExit(3)

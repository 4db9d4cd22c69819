"""Exceptions that the CLI turns into one-line messages and exit codes.

Library code raises these and never prints; `benchmark.cli` maps
:class:`BenchmarkError` to exit code 1 and :class:`UsageError` to exit code 2.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["BenchmarkError", "InputError", "Interrupted", "ParameterError", "StoreError", "UnknownFormatError", "UsageError"]


class BenchmarkError(Exception):
    """A domain error: the input or the store is not what we need (exit code 1)."""


class InputError(BenchmarkError):
    """A whole input file cannot be read; names the file and, when known, the record."""

    def __init__(self, path: object, reason: str, record: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.record = record
        where = f"{self.path}, record {record}" if record is not None else self.path
        super().__init__(f"{where}: {reason}")


class UnknownFormatError(InputError):
    """No loader recognises the file."""


class StoreError(BenchmarkError):
    """The store is missing, locked, or not a benchmark store."""


class UsageError(Exception):
    """Options that do not fit together (exit code 2)."""


class ParameterError(UsageError):
    """A value a parameter cannot take, said with the parameter's Python name (``min_requests must be 0 or more``).

    The message is a template whose ``{name}`` fields are the parameters it names (``parameters``) and
    the values it quotes (``values``, formatted, never interpreted). A notebook user reads the Python
    names; the CLI renders the same error with its flags (``benchmark.cli.flags``), so that one error
    speaks each caller's language.
    """

    def __init__(self, template: str, *parameters: str, **values: object) -> None:
        self.template = template
        self.parameters = parameters
        self.values = values
        super().__init__(self.render(lambda name: name))

    def render(self, name_of: Callable[[str], str]) -> str:
        """The message with each parameter called ``name_of(parameter)`` (a flag, for the CLI)."""
        return self.template.format(**self.values, **{p: name_of(p) for p in self.parameters})


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or a termination signal), with the line saying what the command had done by then
    (e.g. which files an ingest committed) and the exit code (130 for SIGINT, 143 for SIGTERM)."""

    def __init__(self, line: str, code: int = 130) -> None:
        super().__init__(line)
        self.line = line
        self.code = code

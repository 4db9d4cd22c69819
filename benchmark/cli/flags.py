"""Python parameter names → command-line flags, in one place.

The library says ``min_requests must be 0 or more`` (:class:`~benchmark.errors.ParameterError`); the
CLI shows the same error as ``--min-requests must be 0 or more``. A parameter whose flag is not its
name with dashes is listed here; every other one is ``--`` plus its name with ``_`` → ``-``.
"""

from __future__ import annotations

from typing import Final

from ..errors import ParameterError

FLAGS: Final = {
    "brand_book": "--brands",  # the brands file
    "brand_accounts": "--brand",  # brand accounts (ingest, rank)
    "only_brands": "--only-brand",  # a brand-name filter
    "per": "--per/--by",  # users' and keywords' time bucket (now --period)
    "requests_mode": "--requests",
}


def flag(parameter: str) -> str:
    """``min_requests`` → ``--min-requests``; ``brand_book`` → ``--brands``."""
    return FLAGS.get(parameter, "--" + parameter.replace("_", "-"))


def cli_message(exc: BaseException) -> str:
    """``exc``'s message as the command line says it: parameters named by their flags."""
    return exc.render(flag) if isinstance(exc, ParameterError) else str(exc)

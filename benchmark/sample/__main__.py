"""``python -m benchmark.sample``: the same command as ``benchmark sample``.

An entry point, like :mod:`benchmark.console`: it belongs to the interface layer, so it may import the
CLI; the generator in this package never does.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Run the ``benchmark sample`` command on its own."""
    from ..cli.sample_cmd import sample_app

    sample_app(args=argv if argv is not None else sys.argv[1:], prog_name="python -m benchmark.sample")


if __name__ == "__main__":
    main()

"""``python -m benchmark`` runs the command-line tool (through :mod:`benchmark.console`, which owns Ctrl-C)."""

from .console import main

main()

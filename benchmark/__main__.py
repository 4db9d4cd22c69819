"""``python -m benchmark`` runs the command-line tool."""

from .cli import main

main()

"""How far a command got when an interrupt stopped it: written by the CLI, read by :mod:`benchmark.console`.

Kept apart from ``console`` because importing that module takes over SIGINT, which only the entry
point may do: a CliRunner test or a notebook calling the typer app must keep its own Ctrl-C.
"""

from __future__ import annotations

__all__ = ["EXIT_INTERRUPTED", "SIGNAL_EXITS", "command_ran", "reported"]

EXIT_INTERRUPTED = 130  # 128 + SIGINT
SIGNAL_EXITS = (129, EXIT_INTERRUPTED, 143)  # SIGHUP, SIGINT, SIGTERM (rank's quick look catches the other two: see store.temporary)

reported = False  # the command printed what it had done (set by errors_to_exit_codes)
command_ran = False  # the command's body began (set by errors_to_exit_codes): a later interrupt may follow its own line

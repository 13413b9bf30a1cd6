"""``kehu churn``: churn models from the command line.

``kehu churn fit|score|activity|backtest …`` work on files and are the plain
``kehu.analytics.churn.cli`` entry points (see each one's ``--help``). Bad input ends with one
``error: …`` line and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

ACTIONS = ("fit", "score", "activity", "backtest")


class Command(BaseCommand):
    help = (
        "Churn risk. fit --data FILE --label COL --id COL --model PATH; "
        "score --model PATH --data FILE --id COL --output FILE; "
        "activity --transactions FILE --calibration-end DATE --horizon-end DATE --output FILE; "
        "backtest --transactions FILE [--months N]. See 'kehu churn ACTION --help'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=ACTIONS)
        # Everything after the action goes to that action's own parser.
        parser.add_argument("rest", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        from kehu.analytics.churn import cli

        action, argv = options["action"], list(options["rest"])
        # The plain CLI prints to sys.stdout/err; point them at this command's streams so
        # call_command(stdout=…) and the terminal both get the output.
        out = getattr(self.stdout, "_out", sys.stdout)
        err = getattr(self.stderr, "_out", sys.stderr)
        captured = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(captured):
                code = cli.COMMANDS[action](argv)
        except SystemExit as exc:  # argparse's --help and usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        lines = captured.getvalue().splitlines()
        problem = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
        # The error line becomes the CommandError (printed once, as "CommandError: …"); any
        # other diagnostics (argparse's usage) pass through.
        rest = [line for line in lines if not line.startswith("error: ")]
        if rest:
            err.write("\n".join(rest) + "\n")
        if code:
            message = problem[-1] if problem else f"churn {action} failed (exit code {code})"
            raise CommandError(message, returncode=code)

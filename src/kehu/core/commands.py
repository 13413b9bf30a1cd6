"""What the ``kehu`` commands with exact contracts share: bad input ends with one
``CommandError: …`` line and exit code 2 (scripts outside the repo check both), never a
traceback or argparse's usage block."""

from __future__ import annotations

import argparse
from typing import NoReturn

from django.core.management.base import CommandError

EXIT_BAD_INPUT = 2


def bad_input(message: str) -> CommandError:
    """The error for bad input: raise it (``raise bad_input(...)``)."""
    return CommandError(message, returncode=EXIT_BAD_INPUT)


class ContractParser(argparse.ArgumentParser):
    """A sub-action's parser whose usage errors are ``bad_input``."""

    def error(self, message: str) -> NoReturn:
        raise bad_input(f"{self.prog}: {message}")

"""Helpers for ``kehu service deadline``."""

from __future__ import annotations

import io

from django.core.management import call_command


def deadline(start: str, hours: str, *extra: str) -> tuple[str, str]:
    """Run the command; return (last stdout line, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("service", "deadline", "--start", start, "--business-hours", hours, *extra,
                 stdout=out, stderr=err)  # fmt: skip
    return out.getvalue().splitlines()[-1], err.getvalue()

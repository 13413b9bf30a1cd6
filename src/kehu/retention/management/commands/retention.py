"""``kehu retention``: retention measurements from the command line.

``kehu retention lift --data FILE --arm COLUMN --control VALUE --outcome COLUMN [--json]``
compares every arm of a randomised test with its control group (Welch standard error, normal
95 % interval; the statistics are in ``kehu.analytics.uplift``). FILE is CSV, XLSX or Parquet,
one row per customer. Bad input ends with one ``CommandError: …`` line naming the file, column
or row, and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from kehu.core.commands import ContractParser, bad_input

ACTIONS = ("lift",)


def lift_parser() -> argparse.ArgumentParser:
    parser = ContractParser(
        prog="kehu retention lift",
        description=(
            "Lift of each arm of a randomised test over its control group: difference of "
            "means, 95 % interval from the Welch standard error (normal approximation), "
            "two-sided p-value."
        ),
    )
    parser.add_argument("--data", required=True, type=Path, help="CSV, XLSX or Parquet")
    parser.add_argument("--arm", required=True, help="column naming each customer's arm")
    parser.add_argument("--control", required=True, help="the control arm's value, as written")
    parser.add_argument(
        "--outcome", required=True, help="column with the outcome: a number or yes/no"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


class Command(BaseCommand):
    help = (
        "Retention measurements. lift --data FILE --arm COLUMN --control VALUE "
        "--outcome COLUMN [--json]. See 'kehu retention lift --help'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=ACTIONS)
        # Everything after the action goes to that action's own parser.
        parser.add_argument("rest", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        args_ = lift_parser().parse_args(list(options["rest"]))
        report = read_and_measure(
            args_.data, arm=args_.arm, control=args_.control, outcome=args_.outcome
        )
        out = getattr(self.stdout, "_out", sys.stdout)
        if args_.json:
            # Full precision: json writes the shortest repr that round-trips each float. ASCII
            # escapes for Chinese arm names: any terminal encoding can print them.
            out.write(json.dumps(report.as_dict()) + "\n")
        else:
            out.write(format_table(report))


def read_and_measure(path: Path, *, arm: str, control: str, outcome: str):
    """Read the file, check every row, and measure; bad input raises ``CommandError`` (2)."""
    from kehu.analytics import uplift
    from kehu.analytics.churn.tabular import text_values
    from kehu.analytics.frames import InputError, read_frame

    try:
        frame, where = read_frame(path)
        for option, column in (("arm", arm), ("outcome", outcome)):
            if column not in frame.columns:
                have = ", ".join(map(str, frame.columns[:12]))
                raise InputError(
                    f"{path}: column {column!r} (--{option}) not found; the columns are: {have}"
                )
        labels = text_values(frame[arm])
        blank = labels.isna().to_numpy().nonzero()[0]
        if len(blank):
            raise InputError(f"{path}: {where(int(blank[0]))}, column {arm!r}: blank")
        values = []
        for i, raw in enumerate(frame[outcome].tolist()):
            value = uplift.outcome_value(raw)
            if value is None:
                problem = "blank" if _blank(raw) else f"{raw!r} is not a number or yes/no"
                raise InputError(f"{path}: {where(i)}, column {outcome!r}: {problem}")
            values.append(value)
        return uplift.lift_by_arm(
            labels.tolist(), values, control=control.strip(), outcome=outcome, arm_column=arm
        )
    except (InputError, uplift.LiftError) as exc:
        raise bad_input(str(exc)) from exc


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN: an empty spreadsheet cell
        return True
    return isinstance(value, str) and not value.strip()


def format_table(report: Any) -> str:
    """A readable table: the control, then each arm's lift with its interval."""
    rows = [("arm", "n", "mean", "lift", "95% interval", "p-value")]
    c = report.control
    rows.append((f"{c.arm} (control)", f"{c.n:,}", f"{c.mean:.4f}", "", "", ""))
    for a in report.arms:
        rows.append(
            (
                a.arm,
                f"{a.n:,}",
                f"{a.mean:.4f}",
                f"{a.lift:+.4f}",
                f"[{a.ci_low:+.4f}, {a.ci_high:+.4f}]",
                _p(a.p_value),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"Outcome: {report.outcome}"]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [r[i].rjust(widths[i]) for i in range(1, len(r))]
        lines.append("  ".join(cells).rstrip())
    for a in report.arms:
        if a.ci_low <= 0 <= a.ci_high:
            lines.append(
                f"{a.arm}: the 95% interval includes zero, so this test does not show a "
                "difference from the control."
            )
    return "\n".join(lines) + "\n"


def _p(p: float) -> str:
    return "<0.0001" if p < 0.0001 else f"{p:.4f}"

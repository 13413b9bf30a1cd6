"""``kehu churn``: churn models from the command line.

``kehu churn fit|score|activity|backtest …`` work on files and are the plain
``kehu.analytics.churn.cli`` entry points (see each one's ``--help``). ``kehu churn train``
fits the models on the Kehu database, backtests them and stores them (live only when not worse
than the baseline and the live model; see ``kehu.insights.churn_train``). Bad input ends with
one ``error: …`` line and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kehu.core.commands import ContractParser, bad_input

ACTIONS = ("fit", "score", "activity", "backtest", "train")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _months(value: str) -> int:
    try:
        months = int(value)
    except ValueError:
        months = -1
    if not 0 <= months <= 36:
        raise argparse.ArgumentTypeError(f"months must be a whole number 0–36: {value!r}")
    return months


def train_parser() -> ContractParser:
    parser = ContractParser(
        prog="kehu churn train",
        description="Fit the churn models on the Kehu database, backtest and store them.",
    )
    parser.add_argument("--kind", choices=["contractual", "activity", "auto"], default="auto")
    parser.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--months", type=_months, default=6, help="backtest months (default 6)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


class Command(BaseCommand):
    help = (
        "Churn risk. fit --data FILE --label COL --id COL --model PATH; "
        "score --model PATH --data FILE --id COL --output FILE; "
        "activity --transactions FILE --calibration-end DATE --horizon-end DATE --output FILE; "
        "backtest --transactions FILE [--months N]; "
        "train [--kind contractual|activity|auto] [--as-of DATE] [--months N] [--json]: "
        "on the database. See 'kehu churn ACTION --help'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=ACTIONS)
        # Everything after the action goes to that action's own parser.
        parser.add_argument("rest", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        action, argv = options["action"], list(options["rest"])
        if action == "train":
            self._train(train_parser().parse_args(argv))
            return
        from kehu.analytics.churn import cli

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

    def _train(self, args: argparse.Namespace) -> None:
        from kehu.core import audit
        from kehu.insights import churn_train
        from kehu.insights.management.commands.analytics import _progress

        with (
            audit.acting_as(None, "cli"),
            _progress(self, enabled=not args.no_progress, title="churn train") as bar,
        ):
            try:
                models, notes = churn_train.train(
                    kind=args.kind, as_of=args.as_of, months=args.months, progress=bar
                )
            except churn_train.CannotTrain as exc:
                raise bad_input(str(exc)) from exc
        out = getattr(self.stdout, "_out", sys.stdout)
        if args.json:
            out.write(json.dumps([_figures(m) for m in models] + [{"note": n} for n in notes]))
            out.write("\n")
            return
        for note in notes:
            out.write(note + "\n")
        for model in models:
            f = _figures(model)
            line = (
                f"churn model {f['id']} ({f['kind']}): {f['status']}; held-out AUC "
                f"{_fmt(f['auc'])} vs baseline {_fmt(f['baseline_auc'])}; "
                f"{f['training_rows']:,} training rows; backtest months {len(f['backtest'])}"
            )
            if f["refusal"]:
                line += f"; refused: {f['refusal']}"
            out.write(line + "\n")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _figures(model: Any) -> dict[str, Any]:
    metrics = model.metrics or {}
    return {
        "id": model.pk,
        "kind": model.kind,
        "status": model.status,
        "refusal": model.refusal,
        "as_of": model.as_of.isoformat(),
        "training_rows": model.training_rows,
        "positive_rate": model.positive_rate,
        "auc": (metrics.get("model") or {}).get("auc"),
        "baseline_auc": (metrics.get("baseline") or {}).get("auc"),
        "model": metrics.get("model"),
        "baseline": metrics.get("baseline"),
        "backtest": [
            {"month_end": b.month_end.isoformat(), "auc": b.auc, "lift": b.lift_top_decile}
            for b in model.backtests.all()
        ],
    }

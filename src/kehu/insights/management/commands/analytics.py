"""``kehu analytics``: the analytics from the command line.

``kehu analytics clv …`` and ``kehu analytics pipeline …`` work on files and are the plain
``kehu.analytics.cli`` entry points (see their ``--help``); ``kehu analytics run`` runs the
whole pipeline on the Kehu database and stores the snapshot; ``kehu analytics schedule``
queues the nightly run for the worker.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

ACTIONS = ("clv", "pipeline", "run", "schedule")


def run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehu analytics run",
        description="Run the analytics on the Kehu database and store a dated snapshot.",
    )
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--spark-master", default="local[1]", help="for --engine spark")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


class Command(BaseCommand):
    help = (
        "Customer value and lifecycle analytics. "
        "clv|pipeline ARGS: on files (see 'kehu analytics clv --help'); "
        "run [--as-of DATE] [--engine duckdb|spark] [--spark-master URL]: on the database; "
        "schedule: queue the nightly run for the worker."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=ACTIONS)
        # Everything after the action goes to that action's own parser. (REMAINDER after a
        # positional: argparse cannot take REMAINDER first when it starts with an option.)
        parser.add_argument("rest", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        action, rest = options["action"], list(options["rest"])
        if action in {"clv", "pipeline"}:
            self._plain(action, rest)
        elif action == "run":
            self._run(run_parser().parse_args(rest))
        else:
            self._schedule()

    def _plain(self, action: str, argv: list[str]) -> None:
        from kehu.analytics import cli

        main = cli.clv_main if action == "clv" else cli.pipeline_main
        # The plain CLI prints to sys.stdout/err; point them at this command's streams so
        # call_command(stdout=…) and the terminal both get the output.
        out = getattr(self.stdout, "_out", sys.stdout)
        err = getattr(self.stderr, "_out", sys.stderr)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        except SystemExit as exc:  # argparse's --help and usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        if code:
            raise CommandError(f"analytics {action} failed (exit code {code})", returncode=code)

    def _run(self, args: argparse.Namespace) -> None:
        from kehu.core import audit
        from kehu.insights import services

        with audit.acting_as(None, "cli"), _progress(self, enabled=not args.no_progress) as bar:
            try:
                run = services.analytics_run(
                    as_of=args.as_of,
                    engine=args.engine,
                    spark_master=args.spark_master,
                    progress=bar,
                )
            except services.RunFailed as exc:
                raise CommandError(f"analytics run {exc.run.pk} failed: {exc}") from exc
            except services.RunInProgress as exc:
                raise CommandError(str(exc)) from exc
        self._report(run)

    def _report(self, run: Any) -> None:
        from rich.console import Console
        from rich.table import Table

        summary = run.summary
        whale = summary.get("whale") or {}
        table = Table(title=f"Analytics run {run.pk} as of {run.as_of}")
        table.add_column("figure")
        table.add_column("value", justify="right")
        table.add_row("customers scored", f"{run.customer_count:,}")
        table.add_row("total profit", f"{summary.get('profit', 0):,.2f}")
        if whale.get("top20_pct") is not None:
            table.add_row("top 20% of customers make", f"{whale['top20_pct']:.0f}% of profit")
        if whale.get("share_making_100pct") is not None:
            table.add_row("share making 100%", f"{whale['share_making_100pct']:.1%}")
        table.add_row("loss-making customers", str(whale.get("loss_makers", 0)))
        table.add_row("core customers", str(summary.get("core_customers", 0)))
        for grade, count in (summary.get("grades") or {}).items():
            table.add_row(f"grade {grade}", str(count))
        clv = summary.get("clv") or {}
        table.add_row("CLV model", "fitted" if clv.get("fitted") else clv.get("reason", "—"))
        table.add_row("seconds", f"{run.duration_seconds or 0:.1f}")
        Console(file=getattr(self.stdout, "_out", sys.stdout)).print(table)

    def _schedule(self) -> None:
        from kehu.insights import tasks

        when = tasks.schedule_next()
        if when is None:
            self.stdout.write("nightly analytics run already queued (or backend cannot defer)")
        else:
            self.stdout.write(f"nightly analytics run queued for {when.isoformat()}")


@contextlib.contextmanager
def _progress(command: BaseCommand, *, enabled: bool, title: str = "analytics"):
    """A rich progress bar on stderr as a ``services.analytics_run`` (or churn training)
    progress callback."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from kehu.insights.services import STEPS

    bar = Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(file=getattr(command.stderr, "_out", sys.stderr)),
    )
    with bar:
        task_id = bar.add_task(title, total=len(STEPS))

        def callback(step: str, done: int, total: int) -> None:
            bar.update(task_id, completed=done, total=total, description=step)

        yield callback

"""Command-line entry points, plain argparse (the Django command ``kehu analytics`` calls these).

``clv_main(argv)``       kehu analytics clv --transactions FILE …
``pipeline_main(argv)``  kehu analytics pipeline --transactions FILE … --out DIR

Both return a process exit code: 0 on success, 2 for bad input (a ``DataError`` or a bad
argument, reported on stderr without a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kehu.analytics import io
from kehu.analytics import pipeline as P


def _transactions_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--transactions", required=True, type=Path, help="CSV, XLSX, Parquet or CDNOW"
    )
    parser.add_argument(
        "--format",
        choices=["cdnow", "csv", "parquet", "xlsx"],
        help="input format (default: from the file extension)",
    )
    parser.add_argument("--customer-col", help="column with the customer id")
    parser.add_argument("--date-col", help="column with the purchase date")
    parser.add_argument("--amount-col", help="column with the amount")
    parser.add_argument("--cost-col", help="column with the cost of goods")
    parser.add_argument("--encoding", help="text encoding (default: UTF-8, else GB18030)")


def _read_transactions(args: argparse.Namespace):
    base = io.CDNOW_COLUMNS if args.format == "cdnow" else io.ColumnMap()
    columns = io.ColumnMap(
        customer=args.customer_col or base.customer,
        date=args.date_col or base.date,
        amount=args.amount_col or base.amount,
        cost=args.cost_col or base.cost,
    )
    return io.read_transactions(
        args.transactions,
        format=args.format,
        columns=columns,
        encoding=args.encoding,
        on_anonymous=_say_anonymous,
    )


def _say_anonymous(rows: int) -> None:
    # Guest sales belong to no customer's history; said on stderr so the output stays clean.
    print(f"note: {rows:,} row(s) without a customer id left out", file=sys.stderr)


def clv_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehu analytics clv",
        description="Fit BG/NBD + Gamma-Gamma on transactions and score customers' CLV.",
    )
    _transactions_args(parser)
    parser.add_argument("--calibration-end", help="YYYY-MM-DD (default: last purchase date)")
    parser.add_argument("--holdout-end", help="YYYY-MM-DD: check predictions after calibration")
    parser.add_argument("--time-unit", choices=["week", "day"], default="week")
    parser.add_argument(
        "--horizon", type=float, default=52.0, help="expected purchases over N time units"
    )
    parser.add_argument("--months", type=int, default=12, help="CLV horizon in months")
    parser.add_argument("--discount-rate", type=float, default=0.01, help="monthly rate")
    parser.add_argument("--scores-out", type=Path, help="per-customer scores (.csv/.parquet)")
    parser.add_argument("--json", action="store_true", help="print the fit as JSON")
    return parser


def clv_main(argv: Sequence[str] | None = None) -> int:
    args = clv_parser().parse_args(argv)
    try:
        tx = _read_transactions(args)
        result = P.fit_clv(
            tx,
            calibration_end=args.calibration_end,
            holdout_end=args.holdout_end,
            time_unit=args.time_unit,
            horizon=args.horizon,
            clv_months=args.months,
            discount_rate=args.discount_rate,
        )
    except (io.DataError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bg, gg = result.bgnbd, result.gamma_gamma
    report: dict = {
        "customers": result.scores.num_rows,
        "bgnbd": {**bg.params_, "log_likelihood": bg.log_likelihood_},
        "gamma_gamma": dict(gg.params_),
    }
    if result.holdout is not None:
        report["holdout"] = {k: result.holdout[k] for k in ("actual", "predicted", "mae")}
    if args.scores_out:
        io.write_table(result.scores, args.scores_out)
    if args.json:
        print(json.dumps(report))
    else:
        _print_clv(report, gg.n_customers_, args)
    return 0


def _print_clv(report: dict, repeat_buyers: int, args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"CLV models ({report['customers']} customers, unit: {args.time_unit})")
    table.add_column("model")
    table.add_column("parameter")
    table.add_column("value", justify="right")
    for k, v in report["bgnbd"].items():
        table.add_row("BG/NBD", k, f"{v:.4f}")
    for k, v in report["gamma_gamma"].items():
        table.add_row(f"Gamma-Gamma ({repeat_buyers} repeat buyers)", k, f"{v:.4f}")
    for k, v in report.get("holdout", {}).items():
        table.add_row("holdout", k, f"{v:.4f}")
    Console().print(table)


def pipeline_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehu analytics pipeline",
        description="Profit, whale curve, grades, CLV, churn and lifecycle for every customer.",
    )
    _transactions_args(parser)
    parser.add_argument("--customers", type=Path)
    parser.add_argument("--service-events", type=Path)
    parser.add_argument("--receivables", type=Path)
    parser.add_argument("--as-of", help="YYYY-MM-DD (default: last purchase date)")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--spark-master", default="local[1]")
    parser.add_argument("--memory-limit", help="DuckDB memory limit, e.g. 4GB")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--no-progress", action="store_true")
    return parser


def pipeline_main(argv: Sequence[str] | None = None) -> int:
    args = pipeline_parser().parse_args(argv)
    try:
        tables = {"transactions": _read_transactions(args)}
        for name in ("customers", "service_events", "receivables"):
            path = getattr(args, name)
            if path is not None:
                tables[name] = io.read_table(path, name, encoding=args.encoding)
        as_of = args.as_of
        if as_of is None:
            import pyarrow.compute as pc

            as_of = pc.max(tables["transactions"]["date"]).as_py()
        config = P.PipelineConfig(duckdb_memory_limit=args.memory_limit)
        with _progress(enabled=not args.no_progress) as progress:
            result = P.run_pipeline(
                tables,
                as_of=as_of,
                config=config,
                engine=args.engine,
                spark_master=args.spark_master,
                progress=progress,
            )
    except (io.DataError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    io.write_table(result.customers, out / "customers.parquet")
    io.write_table(result.whale, out / "whale.parquet")
    io.write_table(result.cohorts, out / "cohorts.parquet")
    summary = {**result.summary, "timings": result.timings}
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    if args.json:
        print(json.dumps(summary, default=str))
    return 0


class _progress:
    """A rich progress bar on stderr, as a pipeline progress callback."""

    def __init__(self, *, enabled: bool):
        self.enabled = enabled

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("analytics", total=len(P.STEPS))

        def callback(step: str, done: int, total: int) -> None:
            self._bar.update(self._task, completed=done, total=total, description=step)

        return callback

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._bar.__exit__(*exc)

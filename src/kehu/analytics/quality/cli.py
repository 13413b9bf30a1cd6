"""``kehu dedupe``: find duplicate customers in a CSV file (no Django needed).

    kehu dedupe --input customers.csv --output clusters.csv \\
        [--threshold 0.95] [--pairs-out pairs.csv] [--labels reviewed.csv] \\
        [--model-out model.json]

Writes ``id,cluster_id`` with every input id exactly once (a record without
duplicates is its own cluster; ``cluster_id`` is the id of the cluster's first
record in file order).  Progress goes to stderr so stdout stays clean.
The Django management command simply calls :func:`dedupe_main`.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .csvio import CsvInputError, read_customers_csv, read_labels_csv
from .dedupe import DuplicateFinder
from .prepare import InputError

__all__ = ["build_parser", "dedupe_main"]

EXIT_OK = 0
EXIT_INPUT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehu dedupe",
        description="Find duplicate customers in a CSV file and write one cluster id per customer.",
    )
    parser.add_argument(
        "--input", required=True, type=Path, help="customer CSV with an 'id' column"
    )
    parser.add_argument("--output", required=True, type=Path, help="where to write id,cluster_id")
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.95,
        metavar="P",
        help="match probability from which two records are the same customer (default 0.95)",
    )
    parser.add_argument(
        "--review-threshold",
        type=float,
        default=0.5,
        metavar="P",
        help="lower bound of pairs written to --pairs-out for review (default 0.5)",
    )
    parser.add_argument("--pairs-out", type=Path, help="also write scored pairs (for review)")
    parser.add_argument("--labels", type=Path, help="reviewed pairs: id_l,id_r,is_match (1/0)")
    parser.add_argument("--model-out", type=Path, help="save the trained model (JSON)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all)")

    parser.add_argument(
        "--timings-out", type=Path, help="write per-stage wall/CPU seconds as JSON (benchmarks)"
    )
    return parser


def _write_clusters(path: Path, ids: Sequence[object], cluster_ids: Sequence[object]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "cluster_id"])
        writer.writerows(zip(ids, cluster_ids, strict=True))


def dedupe_main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the process exit code (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    console = Console(stderr=True, log_path=False)
    if not 0.0 < args.threshold <= 1.0 or not 0.0 <= args.review_threshold <= 1.0:
        console.print("[red]error:[/red] thresholds must be probabilities in (0, 1]")
        return EXIT_INPUT_ERROR
    started = time.perf_counter()
    stages: list[dict[str, object]] = []
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("reading input", total=None)

            def report(stage: str) -> None:
                # Wall and CPU (all threads of this process) at the start of each stage.
                stages.append(
                    {
                        "stage": stage,
                        "wall": round(time.perf_counter() - started, 3),
                        "cpu": round(time.process_time(), 3),
                    }
                )
                progress.update(task, description=stage)
                progress.console.log(stage)

            report(f"reading {args.input}")
            loaded = read_customers_csv(args.input)
            labels = read_labels_csv(args.labels) if args.labels else None
            progress.console.log(
                f"{len(loaded.frame):,} customers ({loaded.encoding})"
                + (
                    f"; ignored columns: {', '.join(loaded.ignored_columns)}"
                    if loaded.ignored_columns
                    else ""
                )
            )
            finder = DuplicateFinder(
                threshold=args.threshold,
                review_threshold=args.review_threshold,
                seed=args.seed,
                threads=args.threads,
                progress=report,
            )
            finder.fit(loaded.frame, labels=labels)
            if args.pairs_out:
                pairs = finder.predict_pairs()
                report(f"writing {len(pairs):,} pairs to {args.pairs_out}")
                pairs.to_csv(args.pairs_out, index=False, encoding="utf-8")
            clusters = finder.predict_clusters()
            report(f"writing {args.output}")
            _write_clusters(args.output, clusters["id"].tolist(), clusters["cluster_id"].tolist())
            if args.model_out:
                finder.save(args.model_out)
            report("done")
    except (CsvInputError, InputError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        return EXIT_INPUT_ERROR
    except FileNotFoundError as exc:
        console.print(f"[red]error:[/red] {exc.filename}: no such file")
        return EXIT_INPUT_ERROR

    if args.timings_out:
        args.timings_out.write_text(
            json.dumps(
                {
                    "records": len(clusters),
                    "wall_seconds": round(time.perf_counter() - started, 3),
                    "stages": stages,
                    "blocking_rules": finder.blocking_rules_,
                    "dropped_blocking_rules": finder.dropped_blocking_rules_,
                    "em_rules": finder.em_rules_,
                    "training_warnings": finder.training_warnings_,
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    n_dup = int((clusters["cluster_size"] > 1).sum())
    n_clusters = clusters["cluster_id"].nunique()
    console.print(
        f"[green]done[/green] in {time.perf_counter() - started:.1f}s: "
        f"{len(clusters):,} customers, {n_clusters:,} clusters, "
        f"{n_dup:,} customers have at least one duplicate"
    )
    return EXIT_OK


if __name__ == "__main__":  # python -m kehu.analytics.quality.cli
    sys.exit(dedupe_main())

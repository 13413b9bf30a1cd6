"""Benchmark of duplicate-customer detection (kehu.analytics.quality).

    .venv/bin/python bench/bench_dedupe.py [--customers 1000000] [--seed 0]

1. Generates deterministic synthetic Chinese customers with ~5% injected
   duplicates (cached in bench/data/, git-ignored); generation is not timed.
2. Runs the real command (``python -m kehu.analytics.quality.cli``) in a
   subprocess and measures its wall time, CPU time and peak memory
   (``ru_maxrss`` of the child), reading CSV to writing clusters.
3. Scores pairwise precision / recall / F1 of the output clusters against the
   known truth.
4. Measures the single-record check (the saved model's warm scorer) over 200
   calls with ~50 candidates each: p50 / p95 latency.
5. Writes everything to bench/results/dedupe.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
# The synthetic generator is test data (tests/support), not part of the package.
sys.path.insert(0, str(ROOT))


def synthetic_csv(n: int, seed: int, dup_rate: float) -> tuple[Path, Path]:
    """Customers CSV and entity-id truth (.npy), generated once per parameters."""
    from tests.support.synthetic import generate_customers

    DATA.mkdir(parents=True, exist_ok=True)
    stem = f"customers_{n}_seed{seed}_dup{dup_rate:g}"
    csv_path, truth_path = DATA / f"{stem}.csv", DATA / f"{stem}.entity.npy"
    if not (csv_path.exists() and truth_path.exists()):
        started = time.perf_counter()
        data = generate_customers(n, dup_rate=dup_rate, seed=seed)
        data.customers.to_csv(csv_path, index=False, encoding="utf-8")
        np.save(truth_path, data.entity_id)
        print(f"generated {n:,} customers in {time.perf_counter() - started:.1f}s -> {csv_path}")
    return csv_path, truth_path


def run_dedupe(csv_path: Path, out_dir: Path, threshold: float) -> dict:
    """The CLI in a child process, so ru_maxrss is the job's own peak memory."""
    out_dir.mkdir(parents=True, exist_ok=True)
    clusters, model, timings = (
        out_dir / "clusters.csv",
        out_dir / "model.json",
        out_dir / "timings.json",
    )
    cmd = [
        sys.executable,
        "-m",
        "kehu.analytics.quality.cli",
        "--input",
        str(csv_path),
        "--output",
        str(clusters),
        "--model-out",
        str(model),
        "--timings-out",
        str(timings),
        "--threshold",
        str(threshold),
    ]
    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"dedupe failed with exit status {proc.returncode}")
    return {
        "command": " ".join(cmd[1:]),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(
            (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2
        ),
        # Linux reports ru_maxrss in KiB; the largest child is the job itself.
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "stages": json.loads(timings.read_text(encoding="utf-8")),
        "clusters_path": str(clusters),
        "model_path": str(model),
    }


def pairs_of_groups(keys: np.ndarray) -> set[tuple[int, int]]:
    """All unordered row-index pairs sharing a key."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    bounds = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1], True])
    pairs: set[tuple[int, int]] = set()
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        if end - start > 1:
            members = np.sort(order[start:end]).tolist()
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pairs.add((a, b))
    return pairs


def evaluate(csv_path: Path, truth_path: Path, clusters_path: Path) -> dict:
    ids = pd.read_csv(csv_path, usecols=["id"], dtype=str)["id"].to_numpy()
    entity = np.load(truth_path)
    with open(clusters_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    position = {v: i for i, v in enumerate(ids)}
    assert len(rows) == len(ids) == len({r[0] for r in rows}), "every id exactly once"
    cluster = np.empty(len(ids), dtype=object)
    for rid, cid in rows:
        cluster[position[rid]] = cid
    codes = pd.factorize(cluster)[0]
    truth, predicted = pairs_of_groups(entity), pairs_of_groups(codes)
    tp = len(truth & predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    return {
        "true_pairs": len(truth),
        "predicted_pairs": len(predicted),
        "true_positive_pairs": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4),
    }


def single_record_latency(
    csv_path: Path, truth_path: Path, model_path: Path, calls: int, n_candidates: int, seed: int
) -> dict:
    """p50/p95 of scoring one new record against ~50 candidates.

    Candidate lists emulate what the app's lookup returns: the record's other
    records (same person), people with the same written name, and random
    customers to fill up to ``n_candidates``.
    """
    from kehu.analytics.quality.dedupe import DuplicateFinder

    customers = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    entity = np.load(truth_path)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    scorer = DuplicateFinder.load(model_path).scorer()
    load_seconds = time.perf_counter() - started
    records = customers.to_dict("records")
    position = {v: i for i, v in enumerate(customers["id"])}
    by_entity = pd.Series(np.arange(len(entity))).groupby(entity).indices
    by_name = customers.groupby("name").indices
    dup_rows = np.flatnonzero(pd.Series(entity).duplicated(keep=False).to_numpy())
    chosen = rng.choice(dup_rows, size=calls, replace=False)
    scorer.score(records[0], records[1 : n_candidates + 1])  # warm-up
    latencies, ranked_first = [], 0
    for row in chosen.tolist():
        siblings = [int(i) for i in by_entity[entity[row]] if i != row]
        namesakes = [int(i) for i in by_name.get(customers.at[row, "name"], [])[:20] if i != row]
        pool = list(dict.fromkeys(siblings + namesakes))
        while len(pool) < n_candidates:
            pool.append(int(rng.integers(0, len(records))))
        pool = [i for i in dict.fromkeys(pool) if i != row][:n_candidates]
        new = dict(records[row], id=None)  # a record being created has no id yet
        begin = time.perf_counter()
        matches = scorer.score(new, [records[i] for i in pool], threshold=0.0)
        latencies.append(time.perf_counter() - begin)
        if matches and position[matches[0].id] in siblings:
            ranked_first += 1
    ms = np.array(latencies) * 1000
    return {
        "calls": calls,
        "candidates_per_call": n_candidates,
        "model_load_seconds": round(load_seconds, 3),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "mean_ms": round(float(statistics.fmean(ms)), 1),
        "true_duplicate_ranked_first": round(ranked_first / calls, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--latency-calls", type=int, default=200)
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--output", type=Path, default=RESULTS / "dedupe.json")
    args = parser.parse_args(argv)

    csv_path, truth_path = synthetic_csv(args.customers, args.seed, args.dup_rate)
    job = run_dedupe(csv_path, DATA / f"run_{args.customers}", args.threshold)
    print(
        f"dedupe: {job['wall_seconds']}s wall, {job['cpu_seconds']}s CPU, {job['peak_rss_mb']} MB"
    )
    accuracy = evaluate(csv_path, truth_path, Path(job["clusters_path"]))
    print(f"pairwise: {accuracy}")
    latency = single_record_latency(
        csv_path,
        truth_path,
        Path(job["model_path"]),
        args.latency_calls,
        args.candidates,
        args.seed,
    )
    print(f"single record: {latency}")
    result = {
        "benchmark": "dedupe",
        "customers": args.customers,
        "dup_rate": args.dup_rate,
        "seed": args.seed,
        "threshold": args.threshold,
        "target_wall_seconds": 120,
        "met_wall_target": job["wall_seconds"] <= 120,
        "job": job,
        "accuracy": accuracy,
        "single_record": latency,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"written {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

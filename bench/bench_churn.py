"""Benchmark of the contractual churn model on synthetic subscribers (1,000,000 by default).

    .venv/bin/python bench/bench_churn.py [--customers 1000000] [--n-jobs N]

Each job runs in its own subprocess, so its peak memory (ru_maxrss from wait4) is its own:

* ``train``: ``kehu churn fit`` end to end on a Parquet file of the customers (read, infer the
  columns, tune by cross-validation on a sample, fit, held-out report, write the model)
  (targets: <= 300 s, <= 4 GB);
* ``score``: ``kehu churn score`` end to end on the same customers (read, probabilities,
  per-customer contributions, reasons, write the CSV) (target: <= 60 s).

The data (``tests/support/churn_synthetic.telecom``, seed 0) is cached in bench/data/. Prints a
table and writes bench/results/churn.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"

TARGETS = {"train": {"seconds": 300, "peak_gb": 4.0}, "score": {"seconds": 60}}


def make_data(customers: int) -> Path:
    path = DATA / f"churn_telecom_{customers}.parquet"
    if not path.exists():
        # Test data lives with the tests, outside the runtime package.
        sys.path.insert(0, str(HERE.parent))
        from tests.support import churn_synthetic as synthetic

        DATA.mkdir(parents=True, exist_ok=True)
        synthetic.telecom(customers, seed=0).to_parquet(path, index=False)
    return path


def run_job(argv: list[str]) -> dict:
    """Run ``kehu.analytics.churn.cli`` in a child process: wall time, peak RSS, exit code."""
    code = "import sys; from kehu.analytics.churn import cli; sys.exit(cli.COMMANDS[sys.argv[1]](sys.argv[2:]))"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *argv], stdout=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    return {
        "seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_gb": round(usage.ru_maxrss / 1024**2, 3),  # ru_maxrss is in KiB on Linux
        "exit_code": os.waitstatus_to_exitcode(status),
        "stdout": out.strip().splitlines()[-1] if out.strip() else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--n-jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    data = make_data(args.customers)
    work = DATA / f"churn_{args.customers}"
    work.mkdir(parents=True, exist_ok=True)
    model, scores = work / "model.kehu", work / "scores.csv"
    jobs = {
        "train": [
            "fit",
            *("--data", str(data), "--label", "Churn", "--id", "customerID"),
            *("--model", str(model), "--json", "--n-jobs", str(args.n_jobs)),
        ],
        "score": [
            "score",
            *("--model", str(model), "--data", str(data), "--id", "customerID"),
            *("--output", str(scores), "--n-jobs", str(args.n_jobs)),
        ],
    }
    results: dict = {
        "customers": args.customers,
        "n_jobs": args.n_jobs,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average_at_start": os.getloadavg(),
    }
    failed = False
    for name, job in jobs.items():
        res = run_job(job)
        if name == "train" and res["stdout"].startswith("{"):
            report = json.loads(res["stdout"])
            res["held_out_auc"] = {
                k: round(report[k]["auc"], 4)
                for k in ("model", "baseline", "lightgbm_tuned", "lightgbm_default")
            }
        res.pop("stdout")
        target = TARGETS[name]
        res["meets_target"] = res["exit_code"] == 0 and all(res[k] <= v for k, v in target.items())
        failed |= not res["meets_target"]
        results[name] = res
    results["load_average_at_end"] = os.getloadavg()
    print(f"{'job':<8}{'seconds':>10}{'cpu s':>10}{'peak GB':>10}  target")
    for name in jobs:
        r = results[name]
        goal = ", ".join(f"{k} <= {v}" for k, v in TARGETS[name].items())
        mark = "ok" if r["meets_target"] else "MISSED"
        print(
            f"{name:<8}{r['seconds']:>10.1f}{r['cpu_seconds']:>10.1f}{r['peak_gb']:>10.2f}  {goal} {mark}"
        )
    if "held_out_auc" in results["train"]:
        print("held-out AUC:", results["train"]["held_out_auc"])
    print(
        "load average (start, end):",
        results["load_average_at_start"],
        results["load_average_at_end"],
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "churn.json").write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    raise SystemExit(main())

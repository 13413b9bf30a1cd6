"""Benchmark of kehu.analytics on synthetic data (1M customers, 10M transactions by default).

    .venv/bin/python bench/bench_analytics.py [--customers 1000000] [--skip-lifetimes]

Measures, each job in its own subprocess so that peak memory (ru_maxrss from wait4) is the job's:

* ``bgnbd_fit``: BetaGeoFitter.fit on the per-customer (x, t_x, T) arrays (target <= 1.5 s);
  the summary arrays are computed first and not timed;
* ``clv_main``: ``kehu analytics clv`` end to end (read Parquet, summarise, fit, score, write);
* ``pipeline_main``: the whole pipeline on the four files with DuckDB (target <= 60 s, <= 4 GB);
* ``lifetimes_fit``: lifetimes' BetaGeoFitter on the same data, compressed rows with weights.

Prints a table and writes bench/results/analytics.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

# Each job prints one JSON line (its own timings and results) as its last stdout line.
SUMMARY_ARRAYS = """
import numpy as np, pyarrow.parquet as pq
from kehu.analytics import pipeline as P
tx = pq.read_table({tx!r})
res_cal = None
import pyarrow.compute as pc
from kehu.analytics import engines as E
prepared = E.prepare({{"transactions": tx}})["transactions"]
cal = int(pc.max(prepared["day"]).as_py())
with E.Engine("duckdb") as eng:
    t = eng.register(prepared)
    act = E.customer_activity(E.daily_purchases(t, until_day=cal), as_of_day=cal, recent_days=1)
    a = eng.to_arrow(act.select("first_day", "last_day", "n_days"))
del tx, prepared
first = a["first_day"].to_numpy().astype(float); last = a["last_day"].to_numpy().astype(float)
x = a["n_days"].to_numpy().astype(float) - 1
t_x = (last - first) / 7; T = (cal - first) / 7
"""

JOBS = {
    "bgnbd_fit": SUMMARY_ARRAYS
    + """
import time, json
from kehu.analytics.clv import BetaGeoFitter, compress
t0, c0 = time.perf_counter(), time.process_time()
bg = BetaGeoFitter().fit(x, t_x, T)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
rows = len(compress(x, t_x, T)[1])
print(json.dumps({{"wall": wall, "cpu": cpu, "params": bg.params_,
                  "log_likelihood": bg.log_likelihood_,
                  "customers": len(x), "compressed_rows": rows, "iterations": bg.n_iter_}}))
""",
    "lifetimes_fit": SUMMARY_ARRAYS
    + """
import time, json, warnings
warnings.filterwarnings("ignore")
from kehu.analytics.clv import compress
from lifetimes import BetaGeoFitter
(ux, ut, uT), w = compress(x, t_x, T)
t0, c0 = time.perf_counter(), time.process_time()
lf = BetaGeoFitter().fit(ux, ut, uT, weights=w)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({{"wall": wall, "cpu": cpu, "params": {{k: float(v) for k, v in lf.params_.items()}},
                  "customers": len(x), "compressed_rows": len(w)}}))
""",
    "clv_main": """
import time, json
from kehu.analytics.cli import clv_main
t0 = time.perf_counter()
rc = clv_main(["--transactions", {tx!r}, "--json", "--scores-out", {scores!r}])
print(json.dumps({{"wall": time.perf_counter() - t0, "rc": rc}}))
""",
    "pipeline_main": """
import time, json
from kehu.analytics.cli import pipeline_main
t0 = time.perf_counter()
rc = pipeline_main(["--transactions", {tx!r}, "--customers", {customers!r},
                    "--service-events", {service_events!r}, "--receivables", {receivables!r},
                    "--out", {out!r}, "--memory-limit", "4GB", "--no-progress"])
print(json.dumps({{"wall": time.perf_counter() - t0, "rc": rc}}))
""",
}


def run_job(name: str, code: str) -> dict:
    """Run ``code`` in a fresh interpreter; return its JSON line plus wall time and peak RSS."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix the jobs).
    stdout = proc.stdout.read() if proc.stdout else ""
    stderr = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    total = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"job {name} failed ({proc.returncode}):\n{stderr[-3000:]}")
    lines = [line for line in stdout.strip().splitlines() if line.startswith("{")]
    result = json.loads(lines[-1])
    if name == "clv_main" and len(lines) >= 2:
        result["output"] = json.loads(lines[-2])
    result["process_wall"] = total
    # CPU seconds of the whole job: less sensitive than wall time to other load on the machine.
    result["process_cpu"] = usage.ru_utime + usage.ru_stime
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # kB on Linux
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--skip-lifetimes", action="store_true")
    args = parser.parse_args(argv)

    from gen_analytics_data import generate

    t0 = time.perf_counter()
    files = {k: str(v) for k, v in generate(args.customers).items()}
    gen_wall = time.perf_counter() - t0
    tmp = Path(tempfile.mkdtemp(prefix="kehu-bench-"))
    fmt = {
        "tx": files["transactions"],
        "customers": files["customers"],
        "service_events": files["service_events"],
        "receivables": files["receivables"],
        "scores": str(tmp / "scores.parquet"),
        "out": str(tmp / "pipeline"),
    }
    names = ["bgnbd_fit", "clv_main", "pipeline_main"]
    if not args.skip_lifetimes:
        names.append("lifetimes_fit")
    results: dict = {}
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        results[name] = run_job(name, JOBS[name].format(**fmt))
    if "pipeline_main" in results:
        summary = json.loads((tmp / "pipeline" / "summary.json").read_text())
        results["pipeline_main"]["timings"] = summary.get("timings")
        results["pipeline_main"]["customers"] = summary.get("customers")
    if "lifetimes_fit" in results:
        results["lifetimes_fit"]["ratio_to_kehu"] = (
            results["lifetimes_fit"]["wall"] / results["bgnbd_fit"]["wall"]
        )
    import pyarrow.parquet as pq

    report = {
        "customers": args.customers,
        "transactions": pq.read_metadata(files["transactions"]).num_rows,
        "generate_wall_s": gen_wall,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_end": os.getloadavg(),
        },
        "targets": {"bgnbd_fit_s": 1.5, "pipeline_s": 60, "pipeline_gb": 4},
        "jobs": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "analytics.json").write_text(json.dumps(report, indent=2))
    _print(report)
    return 0


def _print(report: dict) -> None:
    print(f"\n{report['customers']:,} customers, {report['transactions']:,} transactions")
    print(f"load average at the end: {report['machine'].get('load_average_at_end')}")
    print(f"{'job':<16}{'wall s':>10}{'process s':>12}{'cpu s':>8}{'peak MB':>10}  notes")
    for name, r in report["jobs"].items():
        note = ""
        if "params" in r:
            note = " ".join(f"{k}={v:.4f}" for k, v in r["params"].items())
        if name == "lifetimes_fit":
            note += f"  ({r['ratio_to_kehu']:.1f}× kehu, {r['compressed_rows']:,} weighted rows)"
        print(
            f"{name:<16}{r['wall']:>10.2f}{r['process_wall']:>12.2f}"
            f"{r.get('process_cpu', float('nan')):>8.1f}{r['peak_rss_mb']:>10.0f}  {note}"
        )
    print(f"\nwritten {RESULTS / 'analytics.json'}")


if __name__ == "__main__":
    raise SystemExit(main())

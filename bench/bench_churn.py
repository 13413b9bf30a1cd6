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

``--accuracy`` instead measures the models' AUC (small data, minutes, no timing targets) and
writes bench/results/churn_accuracy.json:

* activity model vs BG/NBD's expected purchases (AUC against "no purchase in (calibration end,
  horizon end]"), at several splits, on the CDNOW sample (tests/data), the rest of the CDNOW
  cohort (the 21,213 customers of ``CDNOW_master.txt`` not in the sample, read from the
  ``lifetimes`` package of the ``bench`` extra), lifetimes' simulated example transactions and
  ``churn_synthetic.purchases``;
* contractual model vs logistic regression and tuned LightGBM on
  ``churn_synthetic.telecom(7000)``, seeds 1-3 (held-out 20 %; ``--telecom-seeds 1,2,3,4,5,6``
  for more), and on the MLC++ carrier's 5,000 real subscribers (tests/data/telecom), its
  held-out 20 % drawn with each of those seeds.

``--orderings N`` repeats each activity split with the customer ids relabelled at random
(ordering 0 is the file's own ids, 1.. a seeded permutation): the ids fix the row order the
trees see, and on the 2,357-customer sample that alone moves a split's AUC by up to ±0.01, so
one ordering says little there. The rows then carry the mean, lowest and highest difference.
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


CDNOW_SPLITS = [
    ("1997-09-30", "1998-06-30"),
    ("1997-09-30", "1997-12-31"),
    ("1997-06-30", "1997-12-31"),
    ("1997-12-31", "1998-06-30"),
    ("1997-12-31", "1998-03-31"),
    ("1998-03-31", "1998-06-30"),
]
SYNTHETIC_SPLITS = [
    ("2024-09-30", "2024-12-30"),
    ("2024-06-30", "2024-12-30"),
    ("2024-03-31", "2024-06-30"),
]
EXAMPLE_SPLITS = [("2014-09-30", "2014-12-31"), ("2014-06-30", "2014-12-31")]


def purchase_logs() -> dict:
    """name -> (frame with customer_id, date, amount; splits)."""
    import pandas as pd

    sys.path.insert(0, str(HERE.parent))
    from tests.data import CDNOW
    from tests.support import churn_synthetic as synthetic

    def cdnow(path, names, skip):
        f = pd.read_csv(path, sep=r"\s+", header=None, names=names, skiprows=skip)
        when = pd.to_datetime(f["date"].astype(str), format="%Y%m%d").dt.strftime("%Y-%m-%d")
        return pd.DataFrame({"customer_id": f["id"].astype(str), "date": when, "amount": f["usd"]})

    sample = cdnow(CDNOW, ["id", "sample_id", "date", "cds", "usd"], 0)
    logs = {"cdnow_sample": (sample, CDNOW_SPLITS)}
    try:
        import lifetimes.datasets as lt
    except ImportError:
        print("lifetimes (the bench extra) missing: CDNOW master and its example skipped")
    else:
        folder = Path(lt.__file__).parent
        master = cdnow(folder / "CDNOW_master.txt", ["id", "date", "cds", "usd"], 1)
        # The sample's ids are the master's: the rest are other customers of the same cohort.
        sample_ids = {str(int(c)) for c in sample["customer_id"]}
        rest = master[~master["customer_id"].map(lambda c: str(int(c))).isin(sample_ids)]
        logs["cdnow_rest"] = (rest, CDNOW_SPLITS)
        ex = pd.read_csv(folder / "example_transactions.csv")
        example = pd.DataFrame(
            {"customer_id": ex["id"].astype(str), "date": ex["date"].str[:10], "amount": 1.0}
        )
        logs["lifetimes_example"] = (example, EXAMPLE_SPLITS)
    logs["synthetic"] = (synthetic.purchases(3000, seed=1), SYNTHETIC_SPLITS)
    return logs


def relabelled(frame, ordering: int):
    """The log with its customer ids replaced by a seeded permutation (0: unchanged)."""
    import numpy as np

    if ordering == 0:
        return frame
    ids = frame["customer_id"].unique()
    perm = np.random.default_rng(ordering).permutation(len(ids))
    new = dict(zip(ids, [f"c{v:07d}" for v in perm], strict=True))
    return frame.assign(customer_id=frame["customer_id"].map(new))


def activity_accuracy(n_jobs: int, orderings: int = 1) -> list[dict]:
    import pandas as pd
    import pyarrow as pa

    from kehu.analytics import io
    from kehu.analytics.churn import metrics as M
    from kehu.analytics.churn.activity import ActivityModel

    rows = []
    for name, (original, splits) in purchase_logs().items():
        for cal, end in splits:
            runs = []
            for ordering in range(orderings):
                frame = relabelled(original, ordering)
                table = io.validate(
                    pa.Table.from_pandas(frame, preserve_index=False), "transactions"
                )
                when = pd.to_datetime(frame["date"])
                model = ActivityModel(n_jobs=n_jobs).fit(
                    table, calibration_end=cal, horizon_end=end
                )
                s = model.scores_
                later = frame[(when > pd.Timestamp(cal)) & (when <= pd.Timestamp(end))]
                y = (~s["id"].isin(set(later["customer_id"]))).to_numpy().astype(int)
                mine = M.auc(y, s["churn_probability"])
                runs.append((mine, M.auc(y, -s["expected_purchases"].to_numpy())))
            diffs = [a - b for a, b in runs]
            row = {
                "data": name,
                "calibration_end": cal,
                "horizon_end": end,
                "customers": len(y),
                "no_purchase_rate": round(float(y.mean()), 3),
                "model_auc": round(sum(a for a, _ in runs) / len(runs), 4),
                "bgnbd_auc": round(sum(b for _, b in runs) / len(runs), 4),
                "training_window_days": model.window_days_,
                "cutoffs": len(model.cutoffs_),
                "orderings": orderings,
                "difference": round(sum(diffs) / len(diffs), 4),
                "difference_low": round(min(diffs), 4),
                "difference_high": round(max(diffs), 4),
            }
            print(row, flush=True)
            rows.append(row)
    return rows


def contractual_accuracy(n_jobs: int, seeds: tuple[int, ...] = (1, 2, 3)) -> list[dict]:
    sys.path.insert(0, str(HERE.parent))
    import pandas as pd

    from kehu.analytics.churn.contractual import ChurnClassifier
    from tests.support import churn_synthetic as synthetic

    files = [
        (f"telecom(7000, seed={seed})", synthetic.telecom(7000, seed=seed), "Churn", 0)
        for seed in seeds
    ]
    # A real file too (tests/data/README.md): the MLC++ carrier's 5,000 subscribers, the
    # held-out part drawn with each seed.
    mlc = pd.read_csv(HERE.parent / "tests" / "data" / "telecom" / "mlc_churn.csv")
    files += [(f"mlc_churn (split {seed})", mlc, "churn", seed) for seed in seeds]
    rows = []
    for name, frame, label, split in files:
        y = frame[label].str.lower().eq("yes").to_numpy().astype(int)
        columns = [c for c in frame.columns if c not in ("customerID", label)]
        model = ChurnClassifier(n_jobs=n_jobs, random_state=split)
        report = model.fit(frame, y, columns).metrics_
        row = {"data": name, "held_out": report["model"]["n"]}
        for key in ("model", "baseline", "lightgbm_tuned", "lightgbm_default"):
            row[key] = round(report[key]["auc"], 4)
        row["blend"] = report["blend"]
        row["blend_with"] = report.get("blend_with", "trees")
        print(row, flush=True)
        rows.append(row)
    return rows


def accuracy(n_jobs: int, orderings: int = 1, seeds: tuple[int, ...] = (1, 2, 3)) -> int:
    results = {
        "activity": activity_accuracy(n_jobs, orderings),
        "contractual": contractual_accuracy(n_jobs, seeds),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "churn_accuracy.json").write_text(json.dumps(results, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--n-jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--accuracy", action="store_true", help="AUC figures only (see above)")
    parser.add_argument("--orderings", type=int, default=1, help="id relabellings per split")
    parser.add_argument("--telecom-seeds", default="1,2,3", help="synthetic telecom seeds")
    args = parser.parse_args(argv)
    if args.accuracy:
        seeds = tuple(int(v) for v in args.telecom_seeds.split(","))
        return accuracy(args.n_jobs, max(1, args.orderings), seeds)
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

"""Benchmark: the nightly analytics run on the database with churn scoring (issue #10).

    KEHU_DATABASE_URL=postgres://…/kehu_bench_churn \\
    nice .venv/bin/python bench/bench_nightly_churn.py [--customers 20000] [--months 3]

Builds the demo (``kehu demo``; skipped when the database already has customers), then times:

1. ``analytics run`` with no trained churn model (the run fits its own activity model, or uses
   BG/NBD where that did better on the latest window);
2. ``kehu churn train`` (contractual and activity, fit + backtest of ``--months``);
3. ``analytics run`` again, scoring with the live models.

Prints one JSON object (wall seconds, the churn step's own seconds, what scored whom, the live
models' held-out AUC and the load average) and writes bench/results/nightly_churn.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from io import StringIO
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--as-of", default="2025-06-30")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kehu.core import audit
    from kehu.customers.models import Customer
    from kehu.insights import churn_train, services
    from kehu.insights.models import ChurnModel

    as_of = dt.date.fromisoformat(args.as_of)
    out: dict = {"customers": args.customers, "database": os.environ.get("KEHU_DATABASE_URL", "")}
    if not Customer.objects.exists():
        t = time.perf_counter()
        call_command("demo", customers=args.customers, seed=7, as_of=as_of, stdout=StringIO())
        out["demo_build_s"] = round(time.perf_counter() - t, 1)
    with audit.acting_as(None, "cli"):
        for label in ("run_fitted", "train", "run_trained"):
            t = time.perf_counter()
            if label == "train":
                models, notes = churn_train.train(as_of=as_of, months=args.months)
                out["train_notes"] = notes
            else:
                run = services.analytics_run(as_of=as_of)
                out[f"{label}_churn"] = run.summary["churn"]
                out[f"{label}_timings"] = run.summary.get("timings")
            out[f"{label}_s"] = round(time.perf_counter() - t, 1)
    out["models"] = [
        {
            "kind": m.kind,
            "status": m.status,
            "refusal": m.refusal,
            "auc": m.metrics["model"].get("auc"),
            "baseline_auc": m.metrics["baseline"].get("auc"),
            "training_rows": m.training_rows,
            "backtest_auc": [b.auc for b in m.backtests.all()],
        }
        for m in ChurnModel.objects.order_by("id")
    ]
    out["loadavg"] = os.getloadavg()
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "nightly_churn.json").write_text(json.dumps(out, indent=2, default=str))
    json.dump(out, sys.stdout, indent=2, default=str)


if __name__ == "__main__":
    main()

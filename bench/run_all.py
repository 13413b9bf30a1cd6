"""`make bench`: every benchmark in bench/, one after the other, each in its own process
(so peak memory is its own), with a summary of which ones ran and how they ended.

Pass names to run a subset: `python bench/run_all.py analytics dedupe`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "analytics": ["bench_analytics.py"],
    "churn": ["bench_churn.py"],
    "churn_files": ["bench_churn_files.py"],
    "churn_ceiling": ["bench_churn_ceiling.py"],
    "dedupe": ["bench_dedupe.py"],
    "dup_warning": ["bench_dup_warning.py"],
    "import": ["bench_import.py"],
    "import_leads": ["bench_import_leads.py"],
    "load": ["bench_load.py"],
    "retention_tasks": ["bench_retention_tasks.py"],
    "today": ["bench_today.py"],
    "search": ["bench_search.py"],
    "web": ["bench_web.py"],
}


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHES)
    unknown = [name for name in chosen if name not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHES)}")
        return 2
    results = []
    for name in chosen:
        script, *args = BENCHES[name]
        print(f"\n=== {name}: {script} {' '.join(args)}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / script), *args])
        results.append((name, code, time.perf_counter() - started))
    print("\n=== summary (figures: bench/results/*.json)")
    for name, code, seconds in results:
        print(f"{name:12} {'ok' if code == 0 else f'exit {code}':8} {seconds:8.1f} s")
    return max((code for _name, code, _s in results), default=0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

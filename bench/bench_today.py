"""Benchmark: the Today page for a rep with 5,000 customers, on PostgreSQL (issue #11).

    .venv/bin/python bench/bench_today.py [--requests 200]

Uses the database of bench_retention_tasks.py (run it first): every rep there owns 5,000
customers, and the generated tasks (as of a week ago) are due or overdue. GETs /today/ as
``bench-rep-0`` through the full middleware stack (Django test client), and /today/?scope=team
as the team's manager (all reps' overdue work, at most 200 items). Target: the rep's p95
≤ 100 ms. Writes bench/results/today.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from bench_retention_tasks import DEFAULT_DB, RESULTS, setup

TARGET_P95_MS = 100


def measure(client, path: str, n: int) -> dict:
    for _ in range(5):
        client.get(path)  # warm the caches and the connection
    ms = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path)
        ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    ordered = sorted(ms)
    return {
        "n": n,
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(n - 1, int(0.95 * n))], 1),
        "max_ms": round(ordered[-1], 1),
        "items": response.content.count(b'class="due-item'),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", default=os.environ.get("KEHU_BENCH_RETENTION_DB", DEFAULT_DB))
    args = parser.parse_args()
    setup(args.database)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from kehu.customers.models import Customer

    settings.ALLOWED_HOSTS = ["*"]
    users = get_user_model().objects
    rep, manager = users.get(username="bench-rep-0"), users.get(username="bench-manager")
    report = {
        "rep_customers": Customer.objects.filter(owner=rep).count(),
        "rep": measure(_client(Client, rep), "/today/", args.requests),
        "manager_team": measure(_client(Client, manager), "/today/?scope=team", args.requests),
        "target_p95_ms": TARGET_P95_MS,
        "load_average": os.getloadavg(),
    }
    report["passed"] = report["rep"]["p95_ms"] <= TARGET_P95_MS
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "today.json").write_text(json.dumps(report, indent=2) + "\n")
    for key, value in report.items():
        print(f"{key:>14}: {value}")
    return 0 if report["passed"] else 1


def _client(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())

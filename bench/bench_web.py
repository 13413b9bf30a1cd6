"""Web benchmark: customer search and the customer 360 page on PostgreSQL with the full demo
data set (1,000,000 customers, ~10,000,000 orders).

    .venv/bin/python bench/bench_web.py [--customers 1000000] [--requests 200] [--seed 42]

The database comes from KEHU_BENCH_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/kehu_bench) and is created when missing; ``migrate``
runs first. The demo is built into it (build rate reported) unless a build of the same size
and seed is already there, then ANALYZE. Requests go through Django's test ``Client``
in-process — the whole stack from middleware to rendered template, minus HTTP parsing and
the network — logged in as the demo sales manager (sees team 华东, half the customers) and
as the administrator (sees everyone).

Measured, 200 requests each: GET /customers/?q=… with a mix of realistic queries (Chinese
names and name prefixes, pinyin, phone numbers in several formats, last four digits,
e-mails), and GET /customers/<id>/ for random customers the user may see. Targets: search
p95 ≤ 100 ms, 360 p95 ≤ 150 ms. A missed target gets its slowest request's slowest query
EXPLAIN ANALYZEd into the results. Output: a table, and bench/results/web.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/kehu_bench"
TARGETS_MS = {"search": 100.0, "360": 150.0}
USERS = ("manager", "admin")
PASSWORD = "kehu-demo"


def ensure_database(url: str) -> None:
    """CREATE DATABASE when it does not exist (connecting to the server's ``postgres``)."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["KEHU_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehu.settings")
    import logging

    import django

    django.setup()
    # Failed requests are counted and listed in the results; no tracebacks mid-table.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def ensure_demo(customers: int, seed: int) -> dict:
    """The demo at this size: built now (rate measured) or found from an earlier build (its
    audit event holds the rate it had)."""
    from kehu.core.models import AuditEvent
    from kehu.customers.models import Customer
    from kehu.demo.builder import AUDIT_MODEL, Options, build

    event = (
        AuditEvent.objects.filter(model=AUDIT_MODEL, action="import", source="demo")
        .order_by("-at")
        .first()
    )
    if event and event.changes.get("customers") == customers and event.changes.get("seed") == seed:
        rows = event.changes.get("rows", {})
        seconds = event.changes.get("seconds") or 0
        return {
            "reused": True,
            "built_at": event.at.isoformat(),
            "seconds": seconds,
            "customers": rows.get("customers.Customer", customers),
            "orders": rows.get("sales.Order"),
            "rows": sum(rows.values()),
            "customers_per_s": customers / seconds if seconds else None,
            "orders_per_s": rows.get("sales.Order", 0) / seconds if seconds else None,
        }
    if Customer.objects.exists():
        sys.exit(
            "The benchmark database holds other data (a different demo size or seed). "
            "Drop it, or point KEHU_BENCH_POSTGRES at another database."
        )
    started = time.perf_counter()

    def progress(done: int, orders: int) -> None:
        elapsed = time.perf_counter() - started
        print(
            f"  build: {done:>9,} / {customers:,} customers, {orders:>11,} orders, "
            f"{elapsed:7.0f} s",
            flush=True,
        )

    print(f"building the demo: {customers:,} customers (seed {seed}) …", flush=True)
    report = build(Options(customers=customers, seed=seed), on_batch=progress)
    return {
        "reused": False,
        "built_at": dt.datetime.now(dt.UTC).isoformat(),
        "seconds": round(report.seconds, 1),
        "customers": report.customers,
        "orders": report.orders,
        "rows": report.rows,
        "customers_per_s": report.customers_per_s,
        "orders_per_s": report.orders_per_s,
    }


def analyze(after_build: bool) -> None:
    """Statistics for the planner; after a fresh load also VACUUM, which sets the visibility
    map that index-only scans need (autovacuum would, some time later)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if after_build else "ANALYZE")
    print(
        f"{'VACUUM ANALYZE' if after_build else 'ANALYZE'}: {time.perf_counter() - started:.0f} s"
    )


PHONE_FORMATS = (
    lambda n: f"+86 {n[:3]} {n[3:7]} {n[7:]}",
    lambda n: n,
    lambda n: f"{n[:3]}-{n[3:7]}-{n[7:]}",
    lambda n: f"0086 {n}",
    lambda n: f"(+86) {n[:3]} {n[3:7]} {n[7:]}",
)


def make_queries(rng: np.random.Generator, user, n: int) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from customers ``user`` can see, so each should find one."""
    from kehu.core.permissions import visible_customers
    from kehu.demo.names import SURNAME_HAN, SURNAME_PINYIN, pinyin_of, traditional

    pool = list(
        visible_customers(user)
        .filter(id__in=sample_ids(rng, user, 4 * n))
        .values("name", "name_en", "kind", "phone", "email")
    )
    kinds = rng.choice(
        ["name", "name_prefix", "pinyin", "phone", "last4", "email"],
        size=n,
        p=[0.15, 0.1, 0.2, 0.2, 0.15, 0.2],
    )
    queries = []
    for i, kind in enumerate(kinds):
        c = pool[i % len(pool)]
        name, phone, email = c["name"], c["phone"], c["email"]
        if kind in ("phone", "last4") and not phone or kind == "email" and not email:
            kind = "name"
        if kind == "name":
            q = traditional(name) if rng.random() < 0.15 else name
        elif kind == "name_prefix":
            q = name[:2] if c["kind"] == "person" else name[:4]
        elif kind == "pinyin":
            surname = next(
                (s for s in sorted(SURNAME_HAN, key=len, reverse=True) if name.startswith(s)), ""
            )
            if c["kind"] == "person" and surname and name.isalnum():
                spelled = f"{SURNAME_PINYIN[surname]} {pinyin_of(name[len(surname) :])}"
                q = spelled if rng.random() < 0.5 else spelled.replace(" ", "")
            else:
                q = c["name_en"] or pinyin_of(name)[:12]
        elif kind == "phone":
            national = phone.removeprefix("+86")
            q = PHONE_FORMATS[int(rng.integers(len(PHONE_FORMATS)))](national)
        elif kind == "last4":
            q = phone[-4:]
        else:
            q = email if rng.random() < 0.6 else email.split("@")[0] + "@"
        queries.append((str(kind), q))
    return queries


def sample_ids(rng: np.random.Generator, user, n: int) -> list[int]:
    """``n`` random ids of customers ``user`` may see (uniform over the id range)."""
    from django.db.models import Max, Min

    from kehu.core.permissions import visible_customers

    visible = visible_customers(user)
    bounds = visible.aggregate(lo=Min("id"), hi=Max("id"))
    found: list[int] = []
    while len(found) < n:
        candidates = rng.integers(bounds["lo"], bounds["hi"] + 1, 4 * n).tolist()
        seen = set(visible.filter(id__in=candidates).values_list("id", flat=True))
        found += [c for c in candidates if c in seen and c not in found][: n - len(found)]
    return found


def timed(client, path: str, params: dict | None = None) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(path, params or {})
    return (time.perf_counter() - started) * 1000, response.status_code


def summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


def explain_slowest(client, path: str, params: dict) -> dict:
    """Run one request again with queries captured; EXPLAIN ANALYZE its slowest query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(path, params)
    queries = sorted(ctx.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    slowest = queries[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "path": path,
        "params": params,
        "queries": len(queries),
        "query_ms": [round(float(q["time"]) * 1000, 1) for q in queries[:5]],
        "sql": slowest["sql"],
        "plan": plan,
    }


def run(args: argparse.Namespace) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from kehu.customers.models import Customer
    from kehu.sales.models import Order

    rng = np.random.default_rng(args.seed)
    results: dict = {}
    explains: list[dict] = []
    for username in USERS:
        user = get_user_model().objects.get(username=username)
        # A failing page counts as an error (status 500) instead of ending the run.
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        if not client.login(username=username, password=PASSWORD):
            sys.exit(f"cannot log in as {username}")
        queries = make_queries(rng, user, args.requests)
        ids = sample_ids(rng, user, args.requests)
        for _kind, q in queries[:10]:  # warm-up: templates compiled, connection open
            client.get("/customers/", {"q": q})
        search, by_kind, errors = [], {}, []
        for kind, q in queries:
            ms, status = timed(client, "/customers/", {"q": q})
            search.append(ms)
            by_kind.setdefault(kind, []).append(ms)
            if status != 200:
                errors.append({"page": "search", "q": q, "status": status})
        search_errors = len(errors)
        detail = []
        for pk in ids:
            ms, status = timed(client, f"/customers/{pk}/")
            detail.append(ms)
            if status != 200:
                errors.append({"page": "360", "id": pk, "status": status})
        detail_errors = len(errors) - search_errors
        results[username] = {
            "search": summary(search) | {"errors": search_errors},
            "search_by_kind": {k: summary(v) for k, v in sorted(by_kind.items())},
            "360": summary(detail) | {"errors": detail_errors},
            "failed_requests": errors[:20],
        }
        slowest = {
            "search": ("/customers/", {"q": queries[int(np.argmax(search))][1]}),
            "360": (f"/customers/{ids[int(np.argmax(detail))]}/", {}),
        }
        for page, (path, params) in slowest.items():
            if results[username][page]["p95_ms"] > TARGETS_MS[page]:
                explains.append(
                    {"user": username, "page": page} | explain_slowest(client, path, params)
                )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {
        "database": {
            "server_version": version,
            "customers": Customer.objects.count(),
            "orders": Order.objects.count(),
        },
        "results": results,
        "explain": explains,
    }


def print_table(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Kehu web benchmark (Django test Client, PostgreSQL)")
    for col in ("user", "page", "n", "p50 ms", "p95 ms", "max ms", "target p95", "errors"):
        table.add_column(col, justify="right" if col not in ("user", "page") else "left")
    for user, pages in report["results"].items():
        for page in ("search", "360"):
            s = pages[page]
            ok = s["p95_ms"] <= TARGETS_MS[page]
            table.add_row(
                user,
                page,
                str(s["n"]),
                f"{s['p50_ms']:.1f}",
                f"[{'green' if ok else 'red'}]{s['p95_ms']:.1f}[/]",
                f"{s['max_ms']:.1f}",
                f"≤ {TARGETS_MS[page]:.0f}",
                str(s["errors"]),
            )
    Console().print(table)
    build = report["build"]
    rate = build.get("customers_per_s")
    if rate:
        print(
            f"demo build ({'earlier' if build['reused'] else 'now'}): {build['customers']:,} "
            f"customers, {build['orders']:,} orders in {build['seconds']:,.0f} s — "
            f"{rate:,.0f} customers/s, {build['orders_per_s']:,.0f} orders/s"
        )
    load = report["load_average"]
    print(f"load average (1 min) before / after: {load['before']:.1f} / {load['after']:.1f}")
    for e in report["explain"]:
        print(
            f"\n{e['user']} {e['page']} p95 over target — slowest query of {e['path']} {e['params']}:"
        )
        print(e["sql"][:2000])
        print(e["plan"])
    for user, pages in report["results"].items():
        for failure in pages["failed_requests"][:5]:
            print(f"FAILED as {user}: {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--output", type=Path, default=RESULTS / "web.json")
    args = parser.parse_args()

    url = os.environ.get("KEHU_BENCH_POSTGRES", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build = ensure_demo(args.customers, args.seed)
    analyze(after_build=not build["reused"])
    load_before = os.getloadavg()
    report = {
        "benchmark": "web",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
        "mode": "django.test.Client, in-process (no HTTP server)",
        "targets_p95_ms": TARGETS_MS,
        "build": build,
    } | run(args)
    # The machine may be shared: the 1-minute load average before and after the requests.
    report["load_average"] = {"before": load_before[0], "after": os.getloadavg()[0]}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_table(report)
    print(f"\nwritten: {args.output}")


if __name__ == "__main__":
    main()

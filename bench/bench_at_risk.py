"""The churn-risk pages at 1,000,000 customers on PostgreSQL (issue #10): the at-risk page
(first page, a deep page, each filter), its API, a rep's filtered CSV export, the 360 risk
block and the churn report, p50/p95 over repeated requests through Django's test Client
(the whole stack: middleware, visibility, queries, templates).

Data: synthetic, built with SQL into its own database the first time (20 teams of 10 reps and
a manager; churn probability uniform, bands at 0.25/0.5, value at risk on 70 % of customers,
5 % lost, 1 % archived; one succeeded run whose 1,000,000 scores carry an RFM segment and two
reason codes; 1 to 10 orders per customer over the three years before the run, 1 in 17
cancelled, about 5 completed per customer), then reused. A database built before the orders
existed gets them once.

    nice .venv/bin/python bench/bench_at_risk.py [--customers 1000000] [--requests 20]
    KEHU_BENCH_AT_RISK_DB=postgresql://postgres@127.0.0.1:5432/kehu_churnpages_bench (default)
    --results PATH (default bench/results/at_risk.json)
    --only SUBSTRING (time only the requests whose path contains it, e.g. churn/)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

DB = os.environ.get(
    "KEHU_BENCH_AT_RISK_DB", "postgresql://postgres@127.0.0.1:5432/kehu_churnpages_bench"
)
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "at_risk.json"

CUSTOMERS_SQL = """
INSERT INTO customers_customer (
    created_at, updated_at, kind, name, name_en, aliases, phone, email, province, city,
    district, address, postcode, trade_area, gender, age_band, income_band, id_number,
    industry, source, attributes, notes, grade, tier, lifecycle_status, loyalty_stage,
    churn_type, is_core, completeness, is_qualified, is_archived, version, churn_band,
    churn_probability, value_at_risk, owner_id, team_id, division_code)
SELECT now(), now(), 'person', '客户' || g, '', '[]', '+86138' || lpad(g::text, 8, '0'), '',
    '', '', '', '', '', '', '', '', '', '', '', '', '{}', '',
    (ARRAY['A','B','C'])[1 + g %% 3], (ARRAY['key','major','ordinary','small'])[1 + g %% 4],
    CASE WHEN g %% 20 = 0 THEN 'lost' ELSE 'active' END, '', '', false, 50, false,
    g %% 100 = 7, 1,
    CASE WHEN p >= 0.5 THEN 'high' WHEN p >= 0.25 THEN 'medium' ELSE 'low' END,
    p, CASE WHEN g %% 10 < 7 THEN round((p * (g %% 997) * 5)::numeric, 2) END,
    %(rep0)s + (g %% 200), %(team0)s + ((g %% 200) / 10), ''
FROM (SELECT g, random() AS p FROM generate_series(1, %(n)s) AS g) AS s
"""

SCORES_SQL = """
INSERT INTO insights_customerscore (
    run_id, customer_id, revenue, cogs, cost_to_serve, bad_debt, profit, loss_reason,
    rfm_segment, grade, tier, is_core, churn_type, lifecycle_status, loyalty_stage,
    churn_model, churn_probability, churn_band, churn_reasons, value_at_risk, churn_change)
SELECT %(run)s, c.id, 0, 0, 0, 0, 0, '',
    (ARRAY['champions','loyal','potential','new','at_risk','cant_lose','hibernating','lost'])
        [1 + c.id %% 8],
    c.grade, c.tier, false, '', c.lifecycle_status, '', 'activity', c.churn_probability,
    c.churn_band,
    jsonb_build_array(
        jsonb_build_object('code', (ARRAY['overdue','spend_down','slowing','alive'])[1 + c.id %% 4],
            'params', jsonb_build_object('days', 74, 'gap', 21, 'pct', 60, 'recent', 1,
                'before', 4, 'window', 90), 'contribution', 0.9),
        jsonb_build_object('code', (ARRAY['frequency','tenure','monetary'])[1 + c.id %% 3],
            'params', jsonb_build_object('count', 2, 'days', 400, 'value', 120),
            'contribution', 0.4)),
    c.value_at_risk, 0.05
FROM customers_customer c
"""


# Per customer k = 1..10 orders from a first date up to three years before the run, one every
# 15..74 days; those after the run's date are dropped (the newest cohorts buy less often).
ORDERS_SQL = """
INSERT INTO sales_order (
    created_at, updated_at, number, ordered_on, channel, status, amount, cost, customer_id)
SELECT now(), now(), 'B' || c.id || '-' || i, c.start + i * c.gap,
    (ARRAY['store','phone','web'])[1 + (c.id + i) %% 3],
    CASE WHEN (c.id + i) %% 17 = 0 THEN 'cancelled' ELSE 'completed' END,
    100 + (c.id * (i + 1)) %% 900, 0, c.id
FROM (SELECT id, %(as_of)s::date - (id * 7919 %% 1095)::int AS start, 15 + (id %% 60)::int AS gap,
        1 + (id %% 10)::int AS k
      FROM customers_customer) AS c,
    generate_series(0, c.k - 1) AS i
WHERE c.start + i * c.gap <= %(as_of)s::date
"""


def setup(n: int) -> None:
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_retention_tasks import ensure_database

    ensure_database(DB)  # created when missing, as the other benchmarks' databases
    os.environ["KEHU_DATABASE_URL"] = DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehu.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from kehu.core.models import Profile, Role, Team
    from kehu.customers.models import Customer

    if Customer.objects.count() >= n:
        _orders()
        _rollup()
        return
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kehu.insights.models import AnalyticsRun

    User = get_user_model()
    teams = [Team.objects.create(name=f"Team {i:02d}") for i in range(20)]
    reps = []
    for i in range(200):
        user = User.objects.create_user(f"rep{i:03d}", password="kehu-bench")
        Profile.objects.create(user=user, role=Role.SALES, team=teams[i // 10])
        reps.append(user)
    for i, team in enumerate(teams):
        user = User.objects.create_user(f"manager{i:02d}", password="kehu-bench")
        Profile.objects.create(user=user, role=Role.MANAGER, team=team)
        team.managers.add(user)
    admin = User.objects.create_user("benchadmin", password="kehu-bench")
    Profile.objects.create(user=admin, role=Role.ADMIN)
    # Contiguous ids (fresh tables): owner = rep0 + g % 200, team follows the owner's.
    assert reps[-1].pk - reps[0].pk == 199 and teams[-1].pk - teams[0].pk == 19
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(CUSTOMERS_SQL, {"n": n, "rep0": reps[0].pk, "team0": teams[0].pk})
    now = timezone.now()
    run = AnalyticsRun.objects.create(
        as_of=now.date(), started_at=now, finished_at=now, status="succeeded"
    )
    with connection.cursor() as cur:
        cur.execute(SCORES_SQL, {"run": run.pk})
        cur.execute("VACUUM ANALYZE customers_customer")
        cur.execute("VACUUM ANALYZE insights_customerscore")
    print(f"built {n:,} customers and scores in {time.perf_counter() - started:.0f} s")
    _orders()
    _rollup()


def _orders() -> None:
    """The customers' orders (the cohort retention and repeat rate read them), added once."""
    from django.db import connection

    from kehu.insights.models import AnalyticsRun
    from kehu.sales.models import Order

    if Order.objects.exists():
        return
    run = AnalyticsRun.objects.filter(status="succeeded").order_by("-as_of").first()
    assert run is not None
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(ORDERS_SQL, {"as_of": run.as_of})
        cur.execute("VACUUM ANALYZE sales_order")
    print(
        f"built {Order.objects.count():,} orders "
        f"({Order.objects.filter(status='completed').count():,} completed) "
        f"in {time.perf_counter() - started:.0f} s"
    )


def _rollup() -> None:
    """The churn report's per-run counts and cohorts, as the nightly run stores them (built
    once, also for a database made before the rollups existed)."""
    from kehu.insights import churn_rollup, cohort_rollup
    from kehu.insights.models import AnalyticsRun, CohortRollup

    for run in AnalyticsRun.objects.filter(status="succeeded"):
        if not churn_rollup.built_runs([run.pk]):
            started = time.perf_counter()
            rows = churn_rollup.build(run)
            print(
                f"churn rollup of run {run.pk}: {rows:,} rows in "
                f"{time.perf_counter() - started:.1f} s"
            )
        if not CohortRollup.objects.filter(run=run).exists():
            started = time.perf_counter()
            rows = cohort_rollup.build(run)
            print(
                f"cohort rollup of run {run.pk}: {rows:,} rows in "
                f"{time.perf_counter() - started:.1f} s"
            )


def timed(client, path: str, params: dict, repeat: int) -> dict:
    times, status, size = [], None, 0
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(path, params)
        body = (
            b"".join(response.streaming_content)
            if hasattr(response, "streaming_content")
            else response.content
        )
        times.append((time.perf_counter() - t) * 1000)
        status, size = response.status_code, len(body)
    times.sort()
    return {
        "status": status,
        "bytes": size,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, math.ceil(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--only", default="", help="time only paths containing this")
    args = parser.parse_args()
    setup(args.customers)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from kehu.customers.models import Customer

    setup_test_environment()
    User = get_user_model()
    users = {u: User.objects.get(username=u) for u in ("benchadmin", "manager03", "rep042")}
    team = users["manager03"].profile.team_id
    one = Customer.objects.filter(churn_band="high", is_archived=False).order_by("id").first()
    scenarios = [
        ("benchadmin", "/insights/at-risk/", {}),
        ("benchadmin", "/insights/at-risk/", {"page": 50}),
        ("benchadmin", "/insights/at-risk/", {"band": "high", "tier": "key"}),
        ("benchadmin", "/insights/at-risk/", {"team": team, "grade": "A"}),
        ("benchadmin", "/insights/at-risk/", {"segment": "at_risk"}),
        ("benchadmin", "/insights/at-risk/", {"reason": "overdue"}),
        ("manager03", "/insights/at-risk/", {}),
        ("rep042", "/insights/at-risk/", {}),
        ("rep042", "/insights/at-risk/", {"reason": "slowing", "band": "medium"}),
        ("benchadmin", "/api/v1/at-risk", {}),
        ("benchadmin", f"/customers/{one.pk}/", {}),
        ("manager03", "/insights/at-risk/export.csv", {"band": "high", "tier": "key"}),
        ("benchadmin", "/insights/churn/", {}),
        ("benchadmin", "/insights/churn/", {"team": team, "segment": "at_risk"}),
        ("manager03", "/insights/churn/", {}),
        ("manager03", "/insights/churn/", {"segment": "loyal"}),
    ]
    # The first request imports every app's views (seconds): not part of any figure.
    warm = Client()
    warm.force_login(users["benchadmin"])
    warm.get("/insights/at-risk/")
    results = []
    for who, path, params in scenarios:
        if args.only not in path:
            continue
        client = Client()
        client.force_login(users[who])
        # The export writes thousands of rows: a few requests tell its time.
        heavy = "export" in path
        row = timed(client, path, params, 3 if heavy else args.requests)
        row.update({"user": who, "path": path, "params": params})
        results.append(row)
        print(
            f"{who:11} {path:32} {json.dumps(params, ensure_ascii=False):38} "
            f"{row['status']} p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms"
        )
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps({"customers": args.customers, "load": load, "results": results}, indent=2)
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()

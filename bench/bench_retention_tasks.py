"""Benchmark: retention task generation from 1,000,000 customers' nightly scores (issue #11).

    KEHU_BENCH_RETENTION_DB=postgres://postgres@127.0.0.1:5432/kehu_retention_bench \\
    .venv/bin/python bench/bench_retention_tasks.py [--customers 1000000]

The database gets ``--customers`` customers (COPY), owned by reps of 5,000 customers each,
with the nightly run's columns filled: tier (key 2 %, major 8 %, ordinary 30 %, small 60 %),
risk band (high 8 %, medium 17 %, low 75 %), value at risk. No interactions, so the
no-contact trigger fires for every key and major customer in the low band as well. Then
``services.generate_tasks`` runs once from empty (control groups drawn and recorded, tasks
created) and once more (idempotent: nothing new). Target: the first run ≤ 60 s.
Prints a table and writes bench/results/retention_tasks.json; bench_today.py reuses the data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/kehu_retention_bench"
BOOK = 5_000  # customers per rep
TEAM_SIZE = 10  # reps per team: a rep sees their team's 50,000 customers, as in a real branch
TARGET_SECONDS = 60
TIERS = [("key", 2), ("major", 8), ("ordinary", 30), ("small", 60)]
BANDS = [("high", 8), ("medium", 17), ("low", 75)]


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup(url: str) -> None:
    ensure_database(url)
    os.environ["KEHU_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehu.settings")
    sys.path.insert(0, str(HERE.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _pick(table: list[tuple[str, int]], x: float) -> str:
    x *= 100
    for value, share in table:
        if x < share:
            return value
        x -= share
    return table[-1][0]


def ensure_data(customers: int) -> dict:
    """The customers and reps, built once (reused when the count matches)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from kehu.core.models import Profile, Role, Team
    from kehu.customers.models import Customer

    if Customer.objects.count() == customers:
        arrange_teams()
        return {"reused": True}
    if Customer.objects.exists():
        sys.exit("The benchmark database holds another number of customers: drop it first.")
    started = time.perf_counter()
    team = Team.objects.get_or_create(name="Bench")[0]
    users = get_user_model()
    reps = []
    # Teams of TEAM_SIZE reps are arranged after the load (arrange_teams).
    for r in range(customers // BOOK):
        user = users.objects.create_user(username=f"bench-rep-{r}", password="kehu-bench")
        Profile.objects.create(user=user, role=Role.SALES, team=team)
        reps.append(user.pk)
    manager = users.objects.create_user(username="bench-manager", password="kehu-bench")
    Profile.objects.create(user=manager, role=Role.MANAGER, team=team)
    team.managers.add(manager)
    template = Customer(name="x", team=team)
    fields = [f for f in Customer._meta.concrete_fields if f.name not in ("id",)]
    names = [f.column for f in fields]
    now = dt.datetime.now(dt.UTC)
    base = {f.column: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    base.update(created_at=now, updated_at=now, aliases="[]", attributes="{}", version=1)
    rng = random.Random(11)
    sql = f"COPY customers_customer ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for i in range(customers):
            row = dict(base)
            row.update(
                name=f"客户{i}",
                owner_id=reps[i // BOOK],
                tier=_pick(TIERS, rng.random()),
                churn_band=_pick(BANDS, rng.random()),
                value_at_risk=(i * 7919) % 50_000,
                churn_probability=0.5,
                lifecycle_status="active",
            )
            copy.write_row([row[c] for c in names])
    arrange_teams()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) customers_customer")
    return {"reused": False, "load_seconds": round(time.perf_counter() - started, 1)}


def arrange_teams() -> None:
    """Reps in teams of TEAM_SIZE, each customer in its owner's team; the manager manages
    the first team (idempotent)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from kehu.core.models import Profile, Team

    reps = list(
        get_user_model()
        .objects.filter(username__startswith="bench-rep-")
        .values_list("id", "username")
    )
    reps.sort(key=lambda r: int(r[1].rsplit("-", 1)[1]))
    if Team.objects.filter(name="Bench 0").exists():
        return
    for start in range(0, len(reps), TEAM_SIZE):
        team = Team.objects.create(name=f"Bench {start // TEAM_SIZE}")
        ids = [pk for pk, _name in reps[start : start + TEAM_SIZE]]
        Profile.objects.filter(user_id__in=ids).update(team=team)
    first = Team.objects.get(name="Bench 0")
    manager = get_user_model().objects.get(username="bench-manager")
    Profile.objects.filter(user=manager).update(team=first)
    first.managers.set([manager])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE customers_customer c SET team_id = p.team_id FROM core_profile p "
            "WHERE p.user_id = c.owner_id AND c.team_id IS DISTINCT FROM p.team_id"
        )
        cursor.execute("VACUUM (ANALYZE) customers_customer")


def reset_retention() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE retention_task, retention_controlassignment, retention_exitreason CASCADE"
        )


def run(args: argparse.Namespace) -> dict:
    setup(args.database)
    data = ensure_data(args.customers)
    from kehu.retention import services
    from kehu.retention.models import ControlAssignment, Task

    reset_retention()
    as_of = dt.date.today() - dt.timedelta(days=7)
    started = time.perf_counter()
    first = services.generate_tasks(as_of=as_of, by=None)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = services.generate_tasks(as_of=as_of, by=None)
    second_s = time.perf_counter() - started
    return {
        "customers": args.customers,
        "data": data,
        "first_run_seconds": round(first_s, 1),
        "second_run_seconds": round(second_s, 1),
        "candidates": first.candidates,
        "tasks_created": first.created,
        "held_back": first.held_back,
        "not_pursued": first.not_pursued,
        "by_trigger": first.by_trigger,
        "second_run_created": second.created,
        "tasks_in_db": Task.objects.count(),
        "assignments_in_db": ControlAssignment.objects.count(),
        "target_seconds": TARGET_SECONDS,
        "passed": first_s <= TARGET_SECONDS and second.created == 0,
        "load_average": os.getloadavg(),
        "machine": platform.platform(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--database", default=os.environ.get("KEHU_BENCH_RETENTION_DB", DEFAULT_DB))
    report = run(parser.parse_args())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "retention_tasks.json").write_text(json.dumps(report, indent=2) + "\n")
    for key, value in report.items():
        print(f"{key:>22}: {value}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())

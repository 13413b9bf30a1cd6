"""Benchmark: the overdue check (kehu.service.escalation.check_overdue) over 100,000 open
tickets on PostgreSQL (issue #13: ≤ 5 s).

    KEHU_BENCH_SLA_DB=postgres://postgres@127.0.0.1:5432/kehu_tickets_bench \\
    .venv/bin/python bench/bench_sla.py [--tickets 100000] [--overdue-share 0.05]

Builds ``--tickets`` open tickets (bulk) over 10,000 customers, 40 agents in 4 teams with a
manager each; ``--overdue-share`` of them are past their resolution deadline and another as
many past their first-response deadline. Then times one check (flags, audit rows,
notifications) and a second one a minute later (nothing new: the steady state every minute).
Prints the figures and writes bench/results/sla.json.
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
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/kehu_tickets_bench"
TARGET_SECONDS = 5.0


def setup(url: str) -> None:
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["KEHU_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehu.settings")
    sys.path.insert(0, str(HERE.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(tickets: int, overdue_share: float, now: dt.datetime) -> None:
    from django.contrib.auth import get_user_model

    from kehu.core.models import Profile, Role, Team
    from kehu.customers.models import Customer
    from kehu.service.models import Ticket

    rng = random.Random(13)
    User = get_user_model()
    teams = [Team.objects.create(name=f"Service {i}") for i in range(4)]
    agents = []
    for i, team in enumerate(teams):
        boss = User.objects.create(username=f"boss{i}")
        Profile.objects.create(user=boss, role=Role.MANAGER, team=team)
        team.managers.add(boss)
        for j in range(10):
            agent = User.objects.create(username=f"agent{i}_{j}")
            Profile.objects.create(user=agent, role=Role.SERVICE, team=team)
            agents.append((agent.pk, team.pk))
    tiers = ["key"] * 2 + ["major"] * 8 + ["ordinary"] * 30 + ["small"] * 60
    Customer.objects.bulk_create(
        [Customer(name=f"客户{i}", tier=rng.choice(tiers)) for i in range(10_000)],
        batch_size=5_000,
    )
    ids = list(Customer.objects.values_list("id", flat=True))
    rows = []
    for n in range(tickets):
        agent, team = rng.choice(agents)
        roll = rng.random()
        opened = now - dt.timedelta(hours=rng.uniform(1, 200))
        late = roll < overdue_share
        late_response = overdue_share <= roll < 2 * overdue_share
        rows.append(
            Ticket(
                customer_id=rng.choice(ids),
                subject=f"工单 {n}",
                kind=rng.choice(["question", "request", "complaint", "fault"]),
                status=rng.choice(["new", "open", "open", "reopened", "waiting"]),
                priority="normal",
                opened_at=opened,
                due_at=now - dt.timedelta(minutes=rng.uniform(1, 600))
                if late
                else now + dt.timedelta(hours=rng.uniform(1, 100)),
                first_response_due_at=now - dt.timedelta(minutes=5)
                if late_response
                else now + dt.timedelta(hours=1),
                first_response_at=None if late_response else opened,
                assigned_to_id=agent,
                team_id=team,
            )
        )
    Ticket.objects.bulk_create(rows, batch_size=5_000)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--overdue-share", type=float, default=0.05)
    args = parser.parse_args()
    setup(os.environ.get("KEHU_BENCH_SLA_DB", DEFAULT_DB))
    from django.db import connection
    from django.utils import timezone

    from kehu.notifications.models import Notification
    from kehu.service import escalation
    from kehu.service.models import Ticket

    now = timezone.now()
    started = time.perf_counter()
    build(args.tickets, args.overdue_share, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    open_count = Ticket.objects.exclude(status__in=Ticket.DONE).count()
    # The worker has its URL table loaded after its first minute; loading it (the first
    # reverse() imports every view) is not the check's cost.
    from django.urls import reverse

    reverse("service:queue")
    t0 = time.perf_counter()
    first = escalation.check_overdue(now=now)
    first_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    escalation.check_overdue(now=now + dt.timedelta(minutes=1))
    second_s = time.perf_counter() - t0
    result = {
        "tickets_open": open_count,
        "build_seconds": round(built, 1),
        "first_check_seconds": round(first_s, 3),
        "first_check": {
            "response_breached": first.response_breached,
            "escalated": first.escalated,
            "notifications": first.notifications,
        },
        "steady_check_seconds": round(second_s, 3),
        "notifications_total": Notification.objects.count(),
        "target_seconds": TARGET_SECONDS,
        "load_average": os.getloadavg(),
        "machine": platform.platform(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "sla.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0 if max(first_s, second_s) <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())

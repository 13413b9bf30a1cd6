"""Benchmark of the creation-time duplicate warning at 100,000 customers (target p95 <= 200 ms).

    .venv/bin/python bench/bench_dup_warning.py [--customers 100000] [--queries 300]
        [--db-url sqlite:////tmp/kehu_bench_dup.sqlite3 | postgresql://…]

Generates the customers once (bulk_create, with their search keys, as the import does) into
its own database, then times ``kehu.quality.warning.duplicate_warning`` for a mix of typed
records: half are existing customers re-typed the way people do (traditional characters,
spaces in the phone, no e-mail), half are new people (a common name, a fresh phone). Timed
for an administrator (sees all) and a sales rep (own and team's customers). Uses the fitted
model at KEHU_DEDUPE_MODEL_PATH when there is one, the matcher's priors otherwise.

Prints p50/p95/max and writes bench/results/dup_warning.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕辉建国文斌宇浩凯鹏飞波亮俊峰林晨欣怡雪梅"
CITIES = [
    "上海",
    "北京",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "成都",
    "武汉",
    "苏州",
    "西安",
    "天津",
    "重庆",
]
TRAD = str.maketrans(
    {
        "张": "張",
        "刘": "劉",
        "陈": "陳",
        "杨": "楊",
        "黄": "黃",
        "赵": "趙",
        "吴": "吳",
        "孙": "孫",
        "伟": "偉",
        "军": "軍",
        "华": "華",
        "丽": "麗",
    }
)


def setup(db_url: str) -> None:
    os.environ["KEHU_DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehu.settings")
    os.environ.setdefault("KEHU_VAR_DIR", str(Path(tempfile.gettempdir()) / "kehu_bench_var"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def person(rng: random.Random, n: int) -> dict:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return {
        "name": rng.choice(SURNAMES) + given,
        "phone": f"+861{rng.choice('3456789')}{n:09d}"[:14],
        "email": f"c{n}@example.com" if rng.random() < 0.5 else "",
        "city": rng.choice(CITIES),
    }


def generate(total: int, seed: int = 7) -> None:
    from django.contrib.auth import get_user_model

    from kehu.core.models import Profile, Role, Team
    from kehu.customers.models import Customer, SearchKey
    from kehu.customers.search import customer_keys

    have = Customer.objects.count()
    if have >= total:
        return
    User = get_user_model()
    team, _ = Team.objects.get_or_create(name="Bench")
    rep, created = User.objects.get_or_create(username="bench-rep")
    if created:
        Profile.objects.create(user=rep, role=Role.SALES, team=team)
    rng = random.Random(seed + have)
    started = time.perf_counter()
    batch = 5000
    for start in range(have, total, batch):
        rows = [person(rng, n) for n in range(start, min(start + batch, total))]
        customers = Customer.objects.bulk_create(
            [
                # Every 20th customer is the rep's team's: a rep sees 5% of the database.
                Customer(**row, completeness=40, team=team if n % 20 == 0 else None)
                for n, row in enumerate(rows, start)
            ]
        )
        keys = [
            SearchKey(customer_id=c.pk, key=k)
            for c in customers
            for k in customer_keys(name=c.name, phones=[c.phone], emails=[c.email])
        ]
        SearchKey.objects.bulk_create(keys, batch_size=10_000)
        print(f"  {start + len(rows)} customers", file=sys.stderr, end="\r")
    print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def queries(n: int, seed: int = 11) -> list[dict]:
    from kehu.customers.models import Customer

    rng = random.Random(seed)
    top = Customer.objects.order_by("-id").values_list("id", flat=True).first()
    out = []
    for i in range(n):
        if i % 2 == 0:
            pk = rng.randint(1, top)
            row = Customer.objects.filter(pk__gte=pk).values("name", "phone", "city").first()
            national = row["phone"].removeprefix("+86")
            out.append(
                {
                    "name": row["name"].translate(TRAD),
                    "phone": f"{national[:3]} {national[3:7]} {national[7:]}",
                    "city": row["city"],
                }
            )
        else:
            new = person(rng, 900_000_000 + i)
            new["name"] = rng.choice("张王李") + rng.choice("伟芳娜")  # the commonest names
            out.append(new)
    return out


def measure(user, typed: list[dict]) -> dict:
    from kehu.quality.warning import duplicate_warning

    duplicate_warning(user=user, fields=typed[0])  # warm: model load, caches
    times, found = [], 0
    for fields in typed:
        t0 = time.perf_counter()
        found += bool(duplicate_warning(user=user, fields=fields))
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
        "warned": found,
        "queries": len(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--db-url", default=f"sqlite:///{Path(tempfile.gettempdir()) / 'kehu_bench_dup.sqlite3'}"
    )
    parser.add_argument("--lookup-only", action="store_true", help="skip the scoring runs")
    args = parser.parse_args()
    setup(args.db_url)
    generate(args.customers)

    from django.contrib.auth import get_user_model
    from django.db import connection

    from kehu.core.models import Profile, Role
    from kehu.quality import matcher

    User = get_user_model()
    admin, created = User.objects.get_or_create(username="bench-admin")
    if created:
        Profile.objects.create(user=admin, role=Role.ADMIN)
    rep = User.objects.get(username="bench-rep")
    typed = queries(args.queries)
    model = "fitted" if matcher.load_finder() is not None else "priors"
    results = {
        "customers": args.customers,
        "database": connection.vendor,
        "model": model,
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
    }
    # The look-ups and the fetch of the candidates alone (a scorer that scores nothing) …
    with matcher.use_scorer(lambda record, candidates: []):
        results["lookup_only_admin"] = measure(admin, typed)
    if not args.lookup_only:
        # … and the whole warning, scored by the matcher.
        results["admin"] = measure(admin, typed)
        results["sales_rep"] = measure(rep, typed)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dup_warning.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Benchmark: 1,000,000 Chinese customer rows imported into PostgreSQL, then re-imported.

    nice python bench/bench_import.py [--rows 1000000] [--keep-db]

Generates a deterministic CSV (Chinese headers, names, mobile numbers, e-mails, addresses,
birthdays, tags), creates the database named by KEHU_BENCH_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/kehu_bench_import) afresh and migrates it, then runs
``kehu import customers`` twice in child processes. Reported: wall time, rows/s and the peak
resident memory of each import process; the second run must create nothing. JSON goes to
bench/results/import.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/kehu_bench_import"
HEADERS = [
    "客户编号",
    "姓名",
    "英文名",
    "手机",
    "邮箱",
    "省份",
    "城市",
    "区县",
    "详细地址",
    "生日",
    "性别",
    "来源",
    "标签",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建文辉力鹏飞宇浩然子轩梓涵一诺欣怡佳琪思远晨曦雨桐嘉俊志强海燕春梅秋菊冬雪"
PLACES = [
    ("上海市", "上海", ["浦东新区", "徐汇区", "静安区", "闵行区"]),
    ("北京市", "北京", ["朝阳区", "海淀区", "东城区", "丰台区"]),
    ("广东省", "广州", ["天河区", "越秀区", "海珠区"]),
    ("广东省", "深圳", ["南山区", "福田区", "宝安区"]),
    ("浙江省", "杭州", ["西湖区", "上城区", "滨江区"]),
    ("四川省", "成都", ["武侯区", "锦江区", "青羊区"]),
]
PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "181",
    "186",
    "187",
    "188",
    "189",
    "199",
]
SOURCES = ["门店", "推荐", "网站", "电话", "活动", ""]
TAGS = ["VIP", "老客户", "会员", "团购", "母婴", "数码", ""]
ROADS = ["中山路", "人民路", "解放路", "建设路", "和平路", "新华路"]


def generate(path: Path, rows: int) -> None:
    rnd = random.Random(20240101)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for i in range(rows):
            name = (
                rnd.choice(SURNAMES)
                + rnd.choice(GIVEN)
                + (rnd.choice(GIVEN) if rnd.random() < 0.7 else "")
            )
            province, city, districts = rnd.choice(PLACES)
            # Unique mobile per row: the row number spread over the subscriber digits.
            phone = f"{rnd.choice(PREFIXES)}{(i * 7919) % 100_000_000:08d}"
            year = rnd.randint(1950, 2004)
            out.writerow(
                [
                    f"B{i:07d}",
                    name,
                    "",
                    phone,
                    f"user{i}@example.com" if rnd.random() < 0.6 else "",
                    province,
                    city,
                    rnd.choice(districts),
                    f"{rnd.choice(ROADS)}{rnd.randint(1, 999)}号",
                    f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                    rnd.choice(["男", "女"]),
                    rnd.choice(SOURCES),
                    rnd.choice(TAGS) if rnd.random() < 0.3 else "",
                ]
            )


def fresh_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# Runs ``kehu ARGS`` and reports the process's own peak resident memory on stderr.
CHILD = """
import resource, sys
from kehu.cli import main
try:
    main(sys.argv[1:])
finally:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("MAXRSS_KB=%d" % me.ru_maxrss, file=sys.stderr)
    print("WORKERS_MAXRSS_KB=%d" % kids.ru_maxrss, file=sys.stderr)
    print("CPU_S=%.1f" % (me.ru_utime + me.ru_stime), file=sys.stderr)
    print("WORKERS_CPU_S=%.1f" % (kids.ru_utime + kids.ru_stime), file=sys.stderr)
"""
SETUP_USER = """
import django
django.setup()
from django.contrib.auth import get_user_model
from kehu.core.models import Profile, Team
# In a team, as a real importer usually is: every imported customer then carries its team.
user = get_user_model().objects.create_user("bench")
Profile.objects.create(user=user, role="admin", team=Team.objects.create(name="Bench"))
"""


def server_cpu_seconds() -> float | None:
    """CPU time of the local PostgreSQL server so far: its live processes, plus what the
    postmaster has collected from the backends that exited. None where /proc can't say."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if not stat.split(" (", 1)[1].startswith("postgres"):
                continue
            fields = stat.rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if fields[1] == "1":  # the postmaster: its reaped children too
            total += int(fields[13]) + int(fields[14])
    return total / tick


def kehu(env: dict, *args: str) -> tuple[float, dict, str]:
    """Run ``kehu ARGS`` in a child; (seconds, resource figures, stdout)."""
    server_before = server_cpu_seconds()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    server_after = server_cpu_seconds()
    if proc.returncode:
        raise SystemExit(f"kehu {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    figures = {}
    for line in proc.stderr.splitlines():
        name, _sep, value = line.partition("=")
        if name in {"MAXRSS_KB", "WORKERS_MAXRSS_KB", "CPU_S", "WORKERS_CPU_S"}:
            figures[name] = float(value)
    resources = {
        "peak_rss_mib": round(figures.get("MAXRSS_KB", 0) / 1024),
        "worker_peak_rss_mib": round(figures.get("WORKERS_MAXRSS_KB", 0) / 1024),
        "cpu_s": figures.get("CPU_S"),
        "worker_cpu_s": figures.get("WORKERS_CPU_S"),
        # The database's share of the machine (local server only).
        "database_cpu_s": (
            round(server_after - server_before, 1)
            if server_before is not None and server_after is not None
            else None
        ),
        "load_average_after": round(os.getloadavg()[0], 1),
    }
    return elapsed, resources, proc.stdout


def import_twice(url: str, setup: str, kind: str, path: Path, rows: int, workers: int) -> dict:
    """A fresh, migrated database with the ``bench`` user made by ``setup``, then ``kehu
    import KIND PATH`` run twice ("first", "again"): wall time, rows/s, resources, summary."""
    env = {
        **os.environ,
        "KEHU_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "kehu.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    fresh_database(url)
    subprocess.run(
        [sys.executable, "-m", "kehu.cli", "migrate", "-v", "0", "--skip-checks"],
        env=env,
        check=True,
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True)
    runs = {}
    for label in ("first", "again"):
        load = round(os.getloadavg()[0], 1)
        command = ["import", kind, str(path), "--user", "bench", "--no-progress"]
        seconds, resources, out = kehu(env, *command, "--workers", str(workers))
        summary = json.loads(out.strip().splitlines()[-1])
        runs[label] = {
            "seconds": round(seconds, 1),
            "rows_per_s": round(rows / seconds),
            "load_average_before": load,
            **resources,
            **summary,
        }
        print(label, json.dumps(runs[label], ensure_ascii=False), flush=True)
    return runs


def arguments(out_name: str) -> argparse.Namespace:
    """The options the import benchmarks share; ``out_name``: the results file's name."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / out_name))
    return parser.parse_args()


def source_file(args: argparse.Namespace, stem: str, generate: Callable[[Path, int], None]) -> Path:
    """``{stem}-{rows}.csv`` in the data folder, generated the first time."""
    data_dir = Path(args.data)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{stem}-{args.rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - t:.0f}s",
            flush=True,
        )
    return path


def write_result(args: argparse.Namespace, path: Path, runs: dict, command: str) -> None:
    """The results file of an import benchmark (target: the first import ≤ 180 s)."""
    result = {
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "database": "postgresql",
        "machine": f"{platform.machine()} {os.cpu_count()} cpus",
        "workers": args.workers,
        # The machine is shared: a load average above the CPU count means other work took
        # CPU time from the import (cpu_s + worker_cpu_s is what the import itself used).
        "command": command,
        "python": platform.python_version(),
        "import": runs["first"],
        "reimport": runs["again"],
        "target_seconds": 180,
        "within_target": runs["first"]["seconds"] <= 180,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


def main() -> None:
    args = arguments("import.json")
    url = os.environ.get("KEHU_BENCH_POSTGRES", DEFAULT_URL)
    path = source_file(args, "customers", generate)
    runs = import_twice(url, SETUP_USER, "customers", path, args.rows, args.workers)
    assert runs["again"]["created"] == 0, "re-import created rows"
    write_result(args, path, runs, f"nice python bench/bench_import.py --rows {args.rows}")


if __name__ == "__main__":
    main()

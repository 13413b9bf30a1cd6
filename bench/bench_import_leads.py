"""Benchmark: 1,000,000 lead rows through the importer into PostgreSQL, then re-imported
(issue #14: "bulk lead import of 1,000,000 rows through the existing importer ≤ 3 min").

    nice -n -10 python bench/bench_import_leads.py [--rows 1000000] [--workers 2]

Generates a deterministic lead CSV (Chinese headers; names, mobiles, e-mails, companies,
every source by its Chinese label or code, campaign codes, A/B/C grades, MAN answers,
notes), creates the database named by KEHU_BENCH_LEADS_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/kehu_leadimport_bench) afresh, migrates it, and runs
``kehu import leads`` twice in child processes, measured as bench/bench_import.py measures
the customer import (wall, rows/s, peak memory and CPU of the importer, its workers and the
database server). The second run must create nothing. JSON goes to
bench/results/import_leads.json.
"""

from __future__ import annotations

import csv
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import (  # noqa: E402
    GIVEN,
    PREFIXES,
    SURNAMES,
    arguments,
    import_twice,
    source_file,
    write_result,
)

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/kehu_leadimport_bench"
HEADERS = [
    "名称",
    "电话",
    "邮箱",
    "公司",
    "城市",
    "来源",
    "活动",
    "等级",
    "资金",
    "决策权",
    "需求",
    "备注",
]
# Codes and the Chinese words people type, in about equal parts.
SOURCES = [
    "统计资料", "statistics", "名录", "directory", "报刊", "press", "转介绍", "referral",
    "活动", "event", "邮寄", "mailing", "网页表单", "web_form", "渠道伙伴", "partner",
]  # fmt: skip
COMPANIES = ["贸易有限公司", "科技有限公司", "制造厂", "商行", "实业有限公司", ""]
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "成都", ""]
ANSWERS = ["是", "否", "", "", "yes", "unknown"]
CAMPAIGNS = ["SPRING26", "EXPO26", "MAIL-Q3"]
SETUP = """
import django
django.setup()
from django.contrib.auth import get_user_model
from kehu.core.models import Profile, Team
from kehu.sales.models import Campaign
# A rep in a team, as most importers of leads are: every lead and card carries the team.
user = get_user_model().objects.create_user("bench")
Profile.objects.create(user=user, role="sales", team=Team.objects.create(name="Bench"))
for code in CODES:
    Campaign.objects.create(code=code, name=code)
""".replace("CODES", repr(CAMPAIGNS))


def generate(path: Path, rows: int) -> None:
    rnd = random.Random(20261204)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for i in range(rows):
            name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
            company = rnd.choice(COMPANIES)
            out.writerow(
                [
                    name,
                    # Unique mobile per row, so every row is a new lead.
                    f"{rnd.choice(PREFIXES)}{(i * 7919) % 100_000_000:08d}",
                    f"lead{i}@example.com" if rnd.random() < 0.5 else "",
                    f"{rnd.choice(SURNAMES)}氏{company}" if company else "",
                    rnd.choice(CITIES),
                    rnd.choice(SOURCES),
                    rnd.choice(CAMPAIGNS) if rnd.random() < 0.2 else "",
                    rnd.choice("ABCCC"),
                    rnd.choice(ANSWERS),
                    rnd.choice(ANSWERS),
                    rnd.choice(ANSWERS),
                    "展会上认识" if rnd.random() < 0.1 else "",
                ]
            )


def main() -> None:
    args = arguments("import_leads.json")
    url = os.environ.get("KEHU_BENCH_LEADS_POSTGRES", DEFAULT_URL)
    path = source_file(args, "leads", generate)
    runs = import_twice(url, SETUP, "leads", path, args.rows, args.workers)
    assert runs["first"]["created"] == args.rows, "not every row became a lead"
    assert runs["again"]["created"] == 0, "re-import created leads"
    command = f"nice -n -10 python bench/bench_import_leads.py --rows {args.rows}"
    write_result(args, path, runs, command)


if __name__ == "__main__":
    main()

"""The balanced report's page and export per persona (report roles only; export needs
``export``), in Chinese with translated headers; bad parameters are a 400."""

from __future__ import annotations

import csv
import io

import pytest

from kehu.core.models import AuditEvent
from kehu.service.models import TierTarget
from tests.conftest import login

PAGE = {"alice": 403, "bob": 403, "charlie": 403, "mia": 200, "sam": 403, "ana": 200,
        "pat": 403, "quinn": 403, "root": 200}  # fmt: skip
EXPORT = {"alice": 403, "bob": 403, "charlie": 403, "mia": 200, "sam": 403, "ana": 200,
          "pat": 403, "quinn": 403, "root": 200}  # fmt: skip


@pytest.mark.parametrize("persona,status", PAGE.items())
def test_page(client, org, persona, status):
    assert login(client, getattr(org, persona)).get("/insights/balanced/").status_code == status


@pytest.mark.parametrize("persona,status", EXPORT.items())
def test_export(client, org, persona, status):
    audit = AuditEvent.objects.count()
    c = login(client, getattr(org, persona))
    assert c.get("/insights/balanced/export.csv").status_code == status
    assert c.get("/insights/balanced/export.xlsx?tier=key").status_code == status
    assert AuditEvent.objects.count() == audit


def test_chinese_page_and_csv_headers(client, org):
    TierTarget.objects.create(tier="key", fcr_pct=70, handling_minutes=6)
    c = login(client, org.root)
    c.cookies["django_language"] = "zh-hans"
    html = c.get("/insights/balanced/?tier=key&months=6").content.decode()
    assert "平衡报表" in html and "首次接触解决率（%）" in html
    assert 'id="balanced-data"' in html and "各层级目标" in html
    body = c.get("/insights/balanced/export.csv?tier=key&months=6").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["月份", "满意客户（CSAT 4-5 分，%）", "NPS", "保留率（%）"]
    assert len(rows) == 1 + 6 + 1  # header, six months, the target row
    assert rows[-1][0] == "目标" and rows[-1][5] == "70.0"


def test_bad_parameters_are_400(client, org):
    c = login(client, org.root)
    assert c.get("/insights/balanced/?tier=gold").status_code == 400
    assert c.get("/insights/balanced/?months=99").status_code == 400
    assert c.get("/insights/balanced/?months=abc").status_code == 400

"""The churn models page in a real browser, in Chinese, on a desktop and on a 390 px phone:
the live model's figures and its backtest table are readable, a live activity model of an
older feature set is marked as such, and nothing runs off the side."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from kehu.insights.models import ChurnBacktest, ChurnModel
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _models():
    live = ChurnModel.objects.create(
        kind="contractual", status="live", trained_at=timezone.now(), as_of=dt.date(2025, 6, 30),
        training_rows=1212, positive_rate=0.076,
        metrics={"model": {"auc": 0.992, "pr_auc": 0.91, "top_decile_lift": 8.1, "brier": 0.02},
                 "baseline": {"auc": 0.995, "pr_auc": 0.93, "top_decile_lift": 8.3, "brier": 0.02}},
        payload=b"",
    )  # fmt: skip
    for month in (10, 11, 12):
        ChurnBacktest.objects.create(
            model=live, month_end=dt.date(2024, month, 28), customers=1450, churn_rate=0.075,
            auc=0.968, lift_top_decile=7.9,
            calibration=[{"n": 145, "predicted": p / 10, "observed": p / 11} for p in range(10)],
        )  # fmt: skip
    ChurnModel.objects.create(
        kind="activity", status="live", trained_at=timezone.now(), as_of=dt.date(2025, 5, 31),
        training_rows=1480, positive_rate=0.41,
        metrics={"model": {"auc": 0.7412}, "baseline": {"auc": 0.7301}},
        payload=b"",  # not a model this Kehu can read: outdated
    )  # fmt: skip
    ChurnModel.objects.create(
        kind="activity", status="refused", trained_at=timezone.now(), as_of=dt.date(2025, 6, 30),
        refusal="held-out AUC 0.6614 is below BG/NBD (the baseline)'s 0.7018",
        metrics={"model": {"auc": 0.6614}, "baseline": {"auc": 0.7018}}, payload=b"",
    )  # fmt: skip


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_models_page_in_chinese(browser, live_server, org, width, name):
    _models()
    # A Chinese browser (the language then comes from its Accept-Language).
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded machine: the first page imports the URLconf
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "root")
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": page.url}])
    page.goto("/insights/churn/models/")
    assert page.locator("h1").inner_text() == "流失模型"
    assert page.locator("#live-contractual").get_by_text("回测").count() >= 1
    assert "0.992" in page.locator("#live-contractual").inner_text()
    assert "BG/NBD" in page.locator("#refused").inner_text()
    assert "旧版特征" in page.locator("#outdated-activity").inner_text()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"churn_models_{name}.png"), full_page=True)
    context.close()

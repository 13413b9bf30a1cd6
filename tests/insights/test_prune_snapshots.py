"""Old snapshots lose their per-customer scores (the newest N runs and each month's last run
keep them); the run rows with their summaries stay for the trends."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.insights import services
from kehu.insights.models import AnalyticsConfig, AnalyticsRun, CustomerScore

pytestmark = pytest.mark.django_db


def test_prune_keeps_newest_and_month_ends(shop):
    config = AnalyticsConfig.load()
    config.keep_daily_snapshots = 2
    config.save()
    days = [dt.date(2025, 5, 30), dt.date(2025, 5, 31), dt.date(2025, 6, 28), dt.date(2025, 6, 29)]
    runs = [services.analytics_run(as_of=day) for day in days]
    runs.append(services.analytics_run(as_of=dt.date(2025, 6, 30)))

    with_scores = set(CustomerScore.objects.values_list("run_id", flat=True).distinct())
    # Newest two (06-30, 06-29) and May's last (05-31) keep scores; 05-30 and 06-28 lost them.
    assert with_scores == {runs[4].pk, runs[3].pk, runs[1].pk}
    assert AnalyticsRun.objects.filter(status="succeeded").count() == 5
    assert all(r.summary for r in AnalyticsRun.objects.all())

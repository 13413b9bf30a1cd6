"""The activity reasons the nightly run stores for seasonal buyers and small expectations,
read back in both languages (codes from ``insights.churn.activity_reason``), and their short
names in the at-risk page's reason filter."""

from __future__ import annotations

import math

from django.utils import translation

from kehu.insights.churn import activity_reason, reason_words
from kehu.insights.selectors_churn import REASON_LABELS

BASE = {"tenure": 500.0, "expected": 0.004, "p_alive": 0.9}


def test_a_missed_season_stored_and_read():
    stored = [
        activity_reason("season", {**BASE, "season": 0.0}, 92),
        activity_reason("season", {**BASE, "season": 3.0}, 92),
        activity_reason("season", {**BASE, "season": math.nan, "tenure": 120.0}, 92),
    ]
    assert [r["code"] for r in stored] == ["season_none", "season", "tenure"]
    assert reason_words(stored, "en") == [
        "no purchase in the same 92 days last year",
        "3 purchase(s) in the same 92 days last year",
        "customer for 120 days",
    ]
    assert reason_words(stored, "zh-hans")[:2] == [
        "去年同期 92 天内没有购买",
        "去年同期 92 天内购买 3 次",
    ]


def test_a_small_expectation_is_not_read_as_zero():
    stored = [activity_reason("alive", {**BASE, "expected": 0.0087}, 153)]
    assert reason_words(stored, "en") == ["expected to buy only 0.01 time(s) in the next 153 days"]
    stored = [activity_reason("alive", {**BASE, "expected": 0.004}, 153)]
    assert reason_words(stored, "zh-hans") == ["预计未来 153 天仅购买 <0.01 次"]


def test_filter_names_in_chinese():
    with translation.override("zh-hans"):
        assert str(REASON_LABELS["season_none"]) == "去年同期未购买"
        assert str(REASON_LABELS["season"]) == "去年同期有购买"

"""Stored churn reasons (codes with parameters) read in the reader's language, with the
analytics' phrases; unknown codes are left out, never shown as codes."""

from __future__ import annotations

from django.utils import translation

from kehu.insights.churn import reason_words

REASONS = [
    {"code": "overdue", "params": {"days": 74, "gap": 21}, "contribution": 0.8},
    {"code": "spend_down", "params": {"pct": 60}, "contribution": 0.4},
    {"code": "high", "params": {"column": "complaints_unresolved", "value": 2, "typical": 0}},
    {"code": "category", "params": {"column": "attr:contract", "value": "Month-to-month"}},
    {"code": "no_such_code", "params": {}},
]


def test_english():
    assert reason_words(REASONS, "en") == [
        "74 days since last purchase, usually 21",
        "spend down 60 % on last year",
        "complaints unresolved 2 (high; typical 0)",
        "month-to-month contract",
    ]


def test_chinese():
    words = reason_words(REASONS, "zh-hans")
    assert words[0] == "已 74 天未购买（通常 21 天）"
    assert words[2] == "未解决投诉 2（偏高，通常 0）"
    assert words[3] == "按月合同"


def test_active_language_by_default():
    with translation.override("zh-hans"):
        assert reason_words(REASONS[:1]) == ["已 74 天未购买（通常 21 天）"]
    assert reason_words(None, "en") == []

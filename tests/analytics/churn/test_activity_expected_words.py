"""The "expected to buy only … times" reason shows small expectations as they are (0.35,
<0.01), never as "0 times" for a customer the model still gives a chance."""

from __future__ import annotations

import math

import pytest

from kehu.analytics.churn import reasons as R
from kehu.analytics.churn.activity import _activity_phrase

FEATURES = {"p_alive": 0.9, "expected": 0.0, "days_since_last": 200.0, "mean_gap": math.nan}


@pytest.mark.parametrize(
    ("expected", "shown"),
    [(2.44, "2.4"), (1.0, "1"), (0.35, "0.35"), (0.0087, "0.01"), (0.004, "<0.01")],
)
def test_expected_purchases_in_words(expected, shown):
    words = R.PHRASES["en"]
    phrase = _activity_phrase("alive", {**FEATURES, "expected": expected}, words, 153)
    assert phrase == f"expected to buy only {shown} time(s) in the next 153 days"


def test_in_chinese_too():
    phrase = _activity_phrase("alive", {**FEATURES, "expected": 0.004}, R.PHRASES["zh-Hans"], 90)
    assert phrase == "预计未来 90 天仅购买 <0.01 次"

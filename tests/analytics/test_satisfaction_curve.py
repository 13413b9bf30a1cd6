"""The satisfaction → loyalty curve: rates per score and Wilson 95 % bands, checked against
values worked out by hand (and the textbook 8 of 10: 0.490-0.943)."""

from __future__ import annotations

import pytest

from kehu.analytics.satisfaction import as_table, satisfaction_curve, wilson


def test_wilson_textbook_eight_of_ten():
    band = wilson(8, 10)
    assert band is not None
    assert band.rate == 0.8
    assert band.low == pytest.approx(0.4902, abs=1e-4)
    assert band.high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_at_the_edges_stays_inside_zero_one():
    none = wilson(0, 5)
    every = wilson(5, 5)
    assert none is not None and every is not None
    # 0 of 5: [0, z²/(n+z²)] = 3.8415/8.8415
    assert (none.low, round(none.high, 4)) == (0.0, 0.4345)
    assert (round(every.low, 4), every.high) == (0.5655, 1.0)
    assert wilson(0, 0) is None


def test_curve_by_score_hand_computed():
    rows = [
        # score 5: 4 customers, 4 retained, 3 rebought
        (1, 5, True, True), (2, 5, True, True), (3, 5, True, True), (4, 5, True, False),
        # score 4: 4 customers, 2 retained, 1 rebought
        (5, 4, True, True), (6, 4, True, False), (7, 4, False, False), (8, 4, False, False),
        # score 2: 1 customer, lost
        (9, 2, False, False),
    ]  # fmt: skip
    table = {r["score"]: r for r in as_table(satisfaction_curve(rows))}
    assert list(table) == [1, 2, 3, 4, 5]
    assert table[5]["customers"] == 4 and table[5]["retention_pct"] == 100.0
    assert table[5]["repeat_pct"] == 75.0
    # 3 of 4: p=.75, z²=3.8415; centre=(.75+.4802)/1.9604=.6275, half=1.96·√(.0469+.0600)/1.9604=.3269 → 30.1-95.4
    assert table[5]["repeat_low_pct"] == 30.1
    assert table[5]["repeat_high_pct"] == 95.4
    assert (table[4]["retention_pct"], table[4]["repeat_pct"]) == (50.0, 25.0)
    # 2 of 4: centre .5, half = 1.96·√(.0625+.0600)/1.9604 = .3497 → 15.0-85.0
    assert (table[4]["retention_low_pct"], table[4]["retention_high_pct"]) == (15.0, 85.0)
    assert table[2]["retention_pct"] == 0.0
    # No answers: no rate and no band, but the score is on the axis.
    assert table[1]["customers"] == 0 and table[1]["retention_pct"] is None
    assert table[3]["repeat_low_pct"] is None


def test_customer_twice_or_score_out_of_range_is_an_error():
    with pytest.raises(ValueError, match="customer 7"):
        satisfaction_curve([(7, 5, True, True), (7, 4, True, True)])
    with pytest.raises(ValueError, match="customer 8: score 6"):
        satisfaction_curve([(8, 6, True, True)])

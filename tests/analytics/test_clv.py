"""BG/NBD and Gamma-Gamma: the published CDNOW results, and the model mechanics."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kehu.analytics import clv, io
from kehu.analytics import pipeline as P
from kehu.analytics.cli import clv_main


@pytest.fixture(scope="module")
def cdnow_fit(cdnow_path):
    tx = io.read_transactions(cdnow_path, format="cdnow")
    return P.fit_clv(tx, calibration_end="1997-09-30", holdout_end="1998-06-30")


def test_bgnbd_reproduces_fader_hardie_lee_2005(cdnow_fit):
    bg = cdnow_fit.bgnbd
    assert bg.n_customers_ == 2357
    p = {k: round(v, 3) for k, v in bg.params_.items()}
    assert p["r"] == pytest.approx(0.243, abs=1e-3)
    assert p["alpha"] == pytest.approx(4.414, abs=1e-3)
    assert p["a"] == pytest.approx(0.793, abs=1e-3)
    assert p["b"] == pytest.approx(2.426, abs=1e-3)
    assert bg.log_likelihood_ == pytest.approx(-9582.4, abs=0.1)
    e39 = bg.conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86)
    assert round(float(e39), 3) == 1.226


def test_gamma_gamma_reproduces_fader_hardie_2013(cdnow_fit):
    gg = cdnow_fit.gamma_gamma
    assert gg.n_customers_ == 946
    assert round(gg.params_["p"], 2) == pytest.approx(6.25, abs=0.01)
    assert round(gg.params_["q"], 2) == pytest.approx(3.74, abs=0.01)
    assert round(gg.params_["gamma"], 2) == pytest.approx(15.44, abs=0.01)


def test_holdout_and_scores(cdnow_fit):
    h = cdnow_fit.holdout
    assert h["customers"] == 2357
    # Repeat purchase days of the sample from 1997-10-01 to 1998-06-30 (counted by hand with
    # awk over the file: distinct customer-days after the calibration end).
    assert h["actual"] == 1882
    assert 1500 < h["predicted"] < 2000
    assert 0 < h["mae"] < 1.5
    s = cdnow_fit.scores
    assert s.num_rows == 2357
    row = s.slice(0, 1).to_pylist()[0]
    assert row["customer_id"] == "00004"
    assert (row["frequency"], round(row["recency"], 2), round(row["T"], 2)) == (2, 30.43, 38.86)
    assert 0 < row["p_alive"] <= 1 and row["clv"] > 0


def test_clv_main_json(cdnow_path, capsys, tmp_path):
    out = tmp_path / "scores.csv"
    argv = ["--transactions", str(cdnow_path), "--format", "cdnow"]
    argv += ["--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30"]
    assert clv_main([*argv, "--json", "--scores-out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"customers", "bgnbd", "gamma_gamma", "holdout"}
    assert set(report["bgnbd"]) == {"r", "alpha", "a", "b", "log_likelihood"}
    assert set(report["gamma_gamma"]) == {"p", "q", "gamma"}
    assert set(report["holdout"]) == {"actual", "predicted", "mae"}
    assert report["customers"] == 2357
    assert round(report["bgnbd"]["r"], 3) == 0.243
    assert round(report["bgnbd"]["alpha"], 3) == 4.414
    assert round(report["bgnbd"]["a"], 3) == 0.793
    assert round(report["bgnbd"]["b"], 3) == 2.426
    assert report["bgnbd"]["log_likelihood"] == pytest.approx(-9582.4, abs=0.1)
    assert round(report["gamma_gamma"]["p"], 2) == 6.25
    assert round(report["gamma_gamma"]["q"], 2) == 3.74
    assert round(report["gamma_gamma"]["gamma"], 2) == 15.44
    header = out.read_text().splitlines()[0]
    assert header.replace('"', "").split(",") == [
        "customer_id",
        "frequency",
        "recency",
        "T",
        "p_alive",
        "expected_purchases",
        "expected_spend",
        "clv",
    ]
    assert len(out.read_text().splitlines()) == 2358


def test_clv_main_reports_bad_file(tmp_path, capsys):
    bad = tmp_path / "t.csv"
    bad.write_text("customer_id,date,amount\nA,2024-13-01,1\n")
    assert clv_main(["--transactions", str(bad), "--json"]) == 2
    assert "line 2, column 'date'" in capsys.readouterr().err


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 6, 300).astype(float)
    T = rng.uniform(5, 40, 300)
    t_x = np.where(x > 0, T * rng.uniform(0, 1, 300), 0.0)
    data = clv._BgData(x, t_x, T, rng.integers(1, 4, 300).astype(float))
    p = np.array([0.5, 3.0, 0.9, 2.5])
    _, grad = data.loglik(p, with_grad=True)
    eps = 1e-6
    for i in range(4):
        e = np.zeros(4)
        e[i] = eps
        num = (data.loglik(p + e, with_grad=False)[0] - data.loglik(p - e, with_grad=False)[0]) / (
            2 * eps
        )
        assert grad[i] == pytest.approx(num, rel=1e-5)


def simulate_bgnbd(n: int, *, r=0.5, alpha=10.0, a=0.8, b=2.5, seed=7):
    """Summary data from the BG/NBD story, in days on a weekly scale (t = days / 7).

    Arrivals while alive form a Poisson process: given N arrivals in (0, T] they are N sorted
    uniforms, and the customer makes the first K = min(N, repeat purchases before drop-out).
    """
    rng = np.random.default_rng(seed)
    T = rng.integers(30, 400, n) / 7
    lam = rng.gamma(r, 1 / alpha, n)
    # BG/NBD drop-out happens right after a repeat purchase, so at most G ~ Geometric(p) repeats.
    alive_for = rng.geometric(rng.beta(a, b, n))
    arrivals = rng.poisson(lam * T)
    owner = np.repeat(np.arange(n), arrivals)
    u = rng.random(len(owner)) * T[owner]
    order = np.lexsort((u, owner))
    owner, u = owner[order], u[order]
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(arrivals) - arrivals, arrivals)
    k = np.minimum(alive_for, arrivals)
    seen = rank < k[owner]
    x = np.bincount(owner[seen], minlength=n).astype(float)
    t_x = np.zeros(n)
    np.maximum.at(t_x, owner[seen], np.floor(u[seen] * 7) / 7)
    return x, t_x, T


def test_weights_equal_repeated_rows_and_warm_start_path():
    n = 30_000
    x, t_x, T = simulate_bgnbd(n)
    direct = clv.BetaGeoFitter(warm_start_rows=0).fit(x, t_x, T)
    warm = clv.BetaGeoFitter(warm_start_rows=3_000).fit(x, t_x, T)
    (ux, ut, uT), w = clv.compress(x, t_x, T)
    weighted = clv.BetaGeoFitter(warm_start_rows=0).fit(ux, ut, uT, weights=w)
    assert w.sum() == n and len(w) < n
    for k in direct.params_:
        assert warm.params_[k] == pytest.approx(direct.params_[k], rel=1e-5)
        assert weighted.params_[k] == pytest.approx(direct.params_[k], rel=1e-5)
    # And the fit recovers the simulation's parameters roughly.
    assert direct.params_["r"] == pytest.approx(0.5, rel=0.15)
    assert direct.params_["alpha"] == pytest.approx(10.0, rel=0.2)
    assert warm.log_likelihood_ == pytest.approx(direct.log_likelihood_, rel=1e-9)


def test_compress_off_grid_values():
    (a, b), w = clv.compress([1, 1, 2, 1], [0.1234, 0.1234, 0.5, 0.3])
    rows = sorted(zip(a.tolist(), b.tolist(), w.tolist(), strict=True))
    assert rows == [(1.0, 0.1234, 2.0), (1.0, 0.3, 1.0), (2.0, 0.5, 1.0)]


def test_predictions_basic_properties():
    bg = clv.BetaGeoFitter()
    bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    # x = 0: alive for sure in BG/NBD (no purchase to drop out after).
    assert bg.conditional_probability_alive(0, 0, 30) == pytest.approx(1.0)
    alive = bg.conditional_probability_alive([3, 3], [30, 5], [38, 38])
    assert alive[0] > alive[1]  # a recent last purchase means more likely alive
    assert bg.expected_number_of_purchases_up_to_time(0) == pytest.approx(0.0)
    e = bg.expected_number_of_purchases_up_to_time([10, 20, 40])
    assert np.all(np.diff(e) > 0)


def test_clv_is_discounted_sum_of_monthly_purchases():
    bg = clv.BetaGeoFitter()
    bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    f = bg.conditional_expected_number_of_purchases_up_to_time
    value = clv.customer_lifetime_value(
        bg, [2], [30.43], [38.86], [20.0], time=2, discount_rate=0.1
    )
    m1 = f(4.345, 2, 30.43, 38.86)
    m2 = f(8.69, 2, 30.43, 38.86) - m1
    assert value[0] == pytest.approx(20 * m1 / 1.1 + 20 * m2 / 1.21)


def test_gamma_gamma_expected_spend_shrinks_to_the_mean():
    gg = clv.GammaGammaFitter()
    gg.params_ = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    mean = 6.25 * 15.44 / 2.74
    assert gg.conditional_expected_average_profit(0, 0)[()] == pytest.approx(mean)
    w = 6.25 * 10 / (6.25 * 10 + 2.74)
    assert gg.conditional_expected_average_profit(10, 50.0)[()] == pytest.approx(
        (1 - w) * mean + w * 50
    )


def test_pair_shortcut_equals_direct_formula(cdnow_fit):
    s = cdnow_fit.scores
    x, t_x, T = (s[c].to_numpy().astype(float) for c in ("frequency", "recency", "T"))
    bg = cdnow_fit.bgnbd
    fast = bg.conditional_expected_number_of_purchases_up_to_time(52.0, x, t_x, T)
    direct = bg._conditional_expected(52.0, x, t_x, T, pairs=None)
    np.testing.assert_allclose(fast, direct, rtol=1e-13)
    one = bg.conditional_expected_number_of_purchases_up_to_time(52.0, x[:1], t_x[:1], T[:1])
    assert one[0] == pytest.approx(fast[0], rel=1e-13)


def test_gamma_gamma_matches_the_textbook_likelihood():
    from scipy.special import gammaln

    rng = np.random.default_rng(5)
    x = rng.integers(1, 9, 400).astype(float)
    m = rng.gamma(4, 10, 400)
    gg = clv.GammaGammaFitter().fit(x, m)
    p, q, g = gg.params_["p"], gg.params_["q"], gg.params_["gamma"]

    def ll(p, q, g):
        px = p * x
        return np.sum(
            gammaln(px + q)
            - gammaln(px)
            - gammaln(q)
            + q * np.log(g)
            + (px - 1) * np.log(m)
            + px * np.log(x)
            - (px + q) * np.log(x * m + g)
        )

    assert gg.log_likelihood_ == pytest.approx(ll(p, q, g), rel=1e-10)
    # The optimum: nudging any parameter lowers the likelihood.
    for dp in [(1.01, 1, 1), (0.99, 1, 1), (1, 1.01, 1), (1, 0.99, 1), (1, 1, 1.01), (1, 1, 0.99)]:
        assert ll(p * dp[0], q * dp[1], g * dp[2]) < ll(p, q, g)

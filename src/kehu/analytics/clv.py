"""Customer lifetime value: BG/NBD (purchases, P(alive)) and Gamma-Gamma (spend per purchase).

Models and conventions follow Fader, Hardie & Lee (2005), "Counting Your Customers the Easy
Way", and Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", with the API of the
``lifetimes`` package so that results can be compared one to one:

* purchases on the same day are one transaction;
* ``frequency`` x = number of repeat purchase days in the calibration period;
* ``recency`` t_x = time from the first to the last purchase; ``T`` = time from the first purchase
  to the end of calibration, both in the chosen unit (weeks = days / 7, or days);
* Gamma-Gamma's monetary value is the mean value of the repeat transactions (the first purchase
  is excluded), fitted on repeat buyers only.

Both fitters maximise the likelihood with scipy on compressed rows: identical (x, t_x, T) rows are
collapsed into one row with a weight, and the parts of the likelihood that depend on x alone are
computed once per distinct x. A million customers fit in well under a second this way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from scipy.special import digamma, expit, gammaln, hyp2f1

TimeUnit = Literal["week", "day"]

# Periods of one month in each time unit, as in lifetimes' customer_lifetime_value (freq W/D).
MONTH_IN_UNITS: dict[str, float] = {"week": 4.345, "day": 30.0}

Array = NDArray[np.float64]


class ConvergenceError(RuntimeError):
    """The likelihood maximisation did not converge."""


def _as_float(a: ArrayLike) -> Array:
    return np.asarray(a, dtype=np.float64)


def compress(*columns: ArrayLike, weights: ArrayLike | None = None) -> tuple[list[Array], Array]:
    """Collapse identical rows of ``columns`` into unique rows and summed weights."""
    cols = [_as_float(c) for c in columns]
    w = np.ones(len(cols[0])) if weights is None else _as_float(weights)
    stacked = np.column_stack(cols)
    uniq, inverse = np.unique(stacked, axis=0, return_inverse=True)
    summed = np.bincount(inverse.ravel(), weights=w, minlength=len(uniq))
    return [uniq[:, i].copy() for i in range(uniq.shape[1])], summed


def _check_summary(x: Array, t_x: Array, T: Array) -> None:
    if not (len(x) == len(t_x) == len(T)):
        raise ValueError("frequency, recency and T must have the same length")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must be a non-negative integer count")
    if np.any(t_x < 0) or np.any(t_x > T + 1e-9):
        raise ValueError("recency must satisfy 0 <= recency <= T")
    if np.any((x == 0) & (t_x != 0)):
        raise ValueError("recency must be 0 when frequency is 0")


@dataclass
class _FitResult:
    params: Array
    neg_ll: float
    n_iter: int


def _maximise(fun, x0: Array, *, tol: float, max_iter: int) -> _FitResult:
    res = minimize(fun, x0, jac=True, method="BFGS", options={"gtol": tol, "maxiter": max_iter})
    # BFGS reports "precision loss" when it is already at the optimum to machine precision; only
    # a non-finite result or an exhausted iteration budget is a real failure.
    if not np.all(np.isfinite(res.x)) or res.nit >= max_iter:
        raise ConvergenceError(f"likelihood maximisation failed: {res.message}")
    return _FitResult(res.x, float(res.fun), int(res.nit))


class BetaGeoFitter:
    """The BG/NBD model of repeat purchasing, fitted by maximum likelihood.

    Parameters
    ----------
    penalizer_coef:
        L2 penalty on the parameters (as in lifetimes); 0 reproduces the published fit.
    tol, max_iter:
        Gradient tolerance and iteration cap of the BFGS maximisation (on the mean
        log-likelihood, in log-parameter space).

    Attributes (after ``fit``): ``params_`` {r, alpha, a, b}, ``log_likelihood_`` (total, not
    mean), ``n_customers_``, ``n_rows_`` (distinct compressed rows), ``n_iter_``.
    """

    param_names = ("r", "alpha", "a", "b")

    def __init__(self, penalizer_coef: float = 0.0, *, tol: float = 1e-9, max_iter: int = 500):
        self.penalizer_coef = penalizer_coef
        self.tol = tol
        self.max_iter = max_iter

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
        *,
        initial_params: dict[str, float] | None = None,
    ) -> BetaGeoFitter:
        x, t_x, TT = _as_float(frequency), _as_float(recency), _as_float(T)
        _check_summary(x, t_x, TT)
        if len(x) == 0:
            raise ValueError("no customers to fit")
        (x, t_x, TT), w = compress(x, t_x, TT, weights=weights)
        keep = w > 0
        x, t_x, TT, w = x[keep], t_x[keep], TT[keep], w[keep]

        # Rescale time so that alpha starts near 1 whatever the unit; alpha scales with time and
        # r, a, b are unit-free, so the fit maps back exactly.
        scale = 10.0 / TT.max() if TT.max() > 0 else 1.0
        data = _BgData(x, t_x * scale, TT * scale, w)
        if initial_params is None:
            theta0 = np.zeros(4)
        else:
            p0 = np.array([initial_params[k] for k in self.param_names], dtype=float)
            p0[1] *= scale
            theta0 = np.log(p0)
        pen = self.penalizer_coef

        def fun(theta: Array) -> tuple[float, Array]:
            ll, grad = data.loglik(np.exp(theta), with_grad=True)
            p = np.exp(theta)
            f = -ll / data.total + pen * float(np.sum(p**2))
            g = -grad * p / data.total + pen * 2 * p**2
            return f, g

        res = _maximise(fun, theta0, tol=self.tol, max_iter=self.max_iter)
        p = np.exp(res.params)
        p[1] /= scale
        self.params_ = dict(zip(self.param_names, map(float, p), strict=True))
        self.n_customers_ = int(round(w.sum()))
        self.n_rows_ = len(x)
        self.n_iter_ = res.n_iter
        full = _BgData(x, t_x, TT, w)
        self.log_likelihood_ = float(full.loglik(p, with_grad=False)[0])
        return self

    def _params(self) -> tuple[float, float, float, float]:
        if not hasattr(self, "params_"):
            raise RuntimeError("fit() first")
        return tuple(self.params_[k] for k in self.param_names)  # type: ignore[return-value]

    def expected_number_of_purchases_up_to_time(self, t: ArrayLike) -> Array:
        """E[X(t)] for a customer picked at random at the start of their relationship."""
        r, alpha, a, b = self._params()
        t = _as_float(t)
        hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Array:
        """E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` periods."""
        r, alpha, a, b = self._params()
        t, x, t_x, TT = (_as_float(v) for v in (t, frequency, recency, T))
        _a, _b, _c = r + x, b + x, a + b + x - 1
        z = t / (alpha + TT + t)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ln_hyp = np.log(hyp2f1(_a, _b, _c, z))
            # Euler's transformation, when the direct series overflows (large x, z near 1).
            alt = np.log(hyp2f1(_c - _a, _c - _b, _c, z)) + (_c - _a - _b) * np.log1p(-z)
            ln_hyp = np.where(np.isfinite(ln_hyp), ln_hyp, alt)
            first = (a + b + x - 1) / (a - 1)
            second = 1 - np.exp(ln_hyp + (r + x) * np.log((alpha + TT) / (alpha + t + TT)))
            log_odds = _log_dead_odds(x, t_x, TT, r, alpha, a, b)
            denominator = 1 + np.exp(log_odds)
        return first * second / denominator

    def conditional_probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Array:
        """P(alive | x, t_x, T)."""
        r, alpha, a, b = self._params()
        x, t_x, TT = (_as_float(v) for v in (frequency, recency, T))
        return expit(-_log_dead_odds(x, t_x, TT, r, alpha, a, b))

    predict = conditional_expected_number_of_purchases_up_to_time


def _log_dead_odds(x, t_x, T, r, alpha, a, b) -> Array:
    """log of the odds that the customer has dropped out (-inf for x = 0: alive for sure)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log(a) - np.log(b + x - 1) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return np.where(x > 0, z, -np.inf)


class _BgData:
    """Compressed BG/NBD data with the per-x and per-time parts precomputed for speed."""

    def __init__(self, x: Array, t_x: Array, T: Array, w: Array):
        self.w = w
        self.total = float(w.sum())
        self.ux, self.x_inv = np.unique(x, return_inverse=True)
        self.wx = np.bincount(self.x_inv, weights=w, minlength=len(self.ux))
        self.uT, self.T_inv = np.unique(T, return_inverse=True)
        self.rep = x > 0
        self.ut, self.t_inv = np.unique(t_x[self.rep], return_inverse=True)
        self.x = x
        self.xr = x[self.rep]
        self.wr = w[self.rep]
        self.xr_inv = self.x_inv[self.rep]

    def loglik(self, p: Array, *, with_grad: bool) -> tuple[float, Array]:
        r, alpha, a, b = p
        ux, wx, x = self.ux, self.wx, self.x
        # Parts depending on x only (A1, A2 of FHL's appendix), one value per distinct x.
        a1 = gammaln(r + ux) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + ux) - gammaln(b) - gammaln(a + b + ux)
        ll = float(np.dot(wx, a1 + a2))
        lT = np.log(alpha + self.uT)[self.T_inv]
        a3 = -(r + x) * lT
        xr = self.xr
        lt = np.log(alpha + self.ut)[self.t_inv]
        with np.errstate(divide="ignore"):
            a4 = np.log(a) - np.log(b + xr - 1) - (r + xr) * lt
        a3r = a3[self.rep]
        both = np.logaddexp(a3r, a4)
        ll += float(np.dot(self.w, a3)) + float(np.dot(self.wr, both - a3r))
        if not with_grad:
            return ll, np.empty(0)
        w4 = np.exp(a4 - both)  # share of the likelihood from "dropped out after last purchase"
        w3 = 1.0 - w4
        wr = self.wr
        grad = np.empty(4)
        # d/dr
        g1 = digamma(r + ux) - digamma(r) + np.log(alpha)
        grad[0] = np.dot(wx, g1) - np.dot(self.w[~self.rep], lT[~self.rep])
        grad[0] -= np.dot(wr, w3 * lT[self.rep] + w4 * lt)
        # d/dalpha
        inv_T = 1.0 / (alpha + self.uT)
        inv_t = 1.0 / (alpha + self.ut)
        nr = ~self.rep
        grad[1] = self.total * r / alpha
        grad[1] -= np.dot(self.w[nr], (r + x[nr]) * inv_T[self.T_inv[nr]])
        grad[1] -= np.dot(
            wr, (r + xr) * (w3 * inv_T[self.T_inv[self.rep]] + w4 * inv_t[self.t_inv])
        )
        # d/da, d/db
        dab = digamma(a + b)
        dabx = digamma(a + b + ux)
        grad[2] = np.dot(wx, dab - dabx) + np.dot(wr, w4) / a
        grad[3] = np.dot(wx, dab + digamma(b + ux) - digamma(b) - dabx)
        grad[3] -= np.dot(wr, w4 / (b + xr - 1))
        return ll, grad


class GammaGammaFitter:
    """The Gamma-Gamma model of spend per transaction, fitted on repeat buyers.

    ``fit(frequency, monetary_value)`` uses the rows with frequency > 0 and monetary_value > 0
    (one-time buyers carry no information on spend variation; see Fader & Hardie 2013).
    Attributes: ``params_`` {p, q, gamma}, ``log_likelihood_``, ``n_customers_``.
    """

    param_names = ("p", "q", "gamma")

    def __init__(self, penalizer_coef: float = 0.0, *, tol: float = 1e-9, max_iter: int = 500):
        self.penalizer_coef = penalizer_coef
        self.tol = tol
        self.max_iter = max_iter

    def fit(
        self,
        frequency: ArrayLike,
        monetary_value: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> GammaGammaFitter:
        x, m = _as_float(frequency), _as_float(monetary_value)
        w = np.ones(len(x)) if weights is None else _as_float(weights)
        keep = (x > 0) & (m > 0) & np.isfinite(m) & (w > 0)
        x, m, w = x[keep], m[keep], w[keep]
        if len(x) < 2:
            raise ValueError("Gamma-Gamma needs at least two repeat buyers with positive spend")
        # Spend scales into gamma only; fit on unit-mean spend for a well-conditioned start.
        scale = 1.0 / float(np.average(m, weights=w))
        ms = m * scale
        total = float(w.sum())
        pen = self.penalizer_coef
        logm, logx = np.log(ms), np.log(x)

        def fun(theta: Array) -> tuple[float, Array]:
            p, q, g = np.exp(theta)
            px = p * x
            lxm = np.log(x * ms + g)
            ll = (
                gammaln(px + q)
                - gammaln(px)
                - gammaln(q)
                + q * np.log(g)
                + (px - 1) * logm
                + px * logx
                - (px + q) * lxm
            )
            d_pq = digamma(px + q)
            gp = x * (d_pq - digamma(px) + logm + logx - lxm)
            gq = d_pq - digamma(q) + np.log(g) - lxm
            gg = q / g - (px + q) / (x * ms + g)
            grad = np.array([np.dot(w, gp), np.dot(w, gq), np.dot(w, gg)]) * np.exp(theta)
            par = np.exp(theta)
            f = -float(np.dot(w, ll)) / total + pen * float(np.sum(par**2))
            return f, -grad / total + pen * 2 * par**2

        res = _maximise(fun, np.zeros(3), tol=self.tol, max_iter=self.max_iter)
        p, q, g = np.exp(res.params)
        g /= scale
        self.params_ = {"p": float(p), "q": float(q), "gamma": float(g)}
        self.n_customers_ = int(round(total))
        self.n_iter_ = res.n_iter
        px = p * x
        self.log_likelihood_ = float(
            np.dot(
                w,
                gammaln(px + q)
                - gammaln(px)
                - gammaln(q)
                + q * np.log(g)
                + (px - 1) * np.log(m)
                + px * np.log(x)
                - (px + q) * np.log(x * m + g),
            )
        )
        return self

    def conditional_expected_average_profit(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> Array:
        """E[M | x, m_x]: expected spend per transaction (population mean when x = 0)."""
        if not hasattr(self, "params_"):
            raise RuntimeError("fit() first")
        p, q, g = (self.params_[k] for k in self.param_names)
        x = _as_float(frequency)
        m = np.nan_to_num(_as_float(monetary_value))
        population_mean = p * g / (q - 1)
        weight = p * x / (p * x + q - 1)
        return (1 - weight) * population_mean + weight * m

    def customer_lifetime_value(
        self,
        transaction_model: BetaGeoFitter,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        monetary_value: ArrayLike,
        *,
        time: int = 12,
        discount_rate: float = 0.01,
        time_unit: TimeUnit = "week",
    ) -> Array:
        """Discounted value of the next ``time`` months (``discount_rate`` per month).

        As in lifetimes: sum over months i of E[purchases in month i] × E[spend] / (1+d)^i.
        """
        spend = self.conditional_expected_average_profit(frequency, monetary_value)
        return customer_lifetime_value(
            transaction_model,
            frequency,
            recency,
            T,
            spend,
            time=time,
            discount_rate=discount_rate,
            time_unit=time_unit,
        )


def customer_lifetime_value(
    transaction_model: BetaGeoFitter,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    expected_spend: ArrayLike,
    *,
    time: int = 12,
    discount_rate: float = 0.01,
    time_unit: TimeUnit = "week",
) -> Array:
    """Discounted sum over ``time`` months of expected purchases per month × expected spend."""
    factor = MONTH_IN_UNITS[time_unit]
    x, t_x, TT = (_as_float(v) for v in (frequency, recency, T))
    spend = _as_float(expected_spend)
    clv = np.zeros(len(x))
    previous = np.zeros(len(x))
    for month in range(1, time + 1):
        cumulative = transaction_model.conditional_expected_number_of_purchases_up_to_time(
            month * factor, x, t_x, TT
        )
        clv += spend * (cumulative - previous) / (1 + discount_rate) ** month
        previous = cumulative
    return clv


def holdout_evaluation(
    model: BetaGeoFitter,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    actual: ArrayLike,
    duration: float,
) -> dict[str, float]:
    """Compare predicted and actual repeat transactions in a holdout of ``duration`` periods."""
    predicted = model.conditional_expected_number_of_purchases_up_to_time(
        duration, frequency, recency, T
    )
    actual = _as_float(actual)
    return {
        "customers": len(actual),
        "actual": float(actual.sum()),
        "predicted": float(predicted.sum()),
        "mae": float(np.mean(np.abs(predicted - actual))) if len(actual) else float("nan"),
    }

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
    if len(cols[0]) == 0:
        return cols, w
    first, inverse = _unique_rows(cols)
    summed = np.bincount(inverse, weights=w, minlength=len(first))
    return [c[first] for c in cols], summed.astype(np.float64)


def _unique_rows(cols: list[Array]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Index of one representative of each distinct row, and each row's group index."""
    key = _grid_key(cols)
    if key is not None:
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return first, inverse.ravel()
    order = np.lexsort(cols[::-1])
    change = np.zeros(len(order), dtype=bool)
    change[0] = True
    for c in cols:
        sc = c[order]
        change[1:] |= sc[1:] != sc[:-1]
    inverse = np.empty(len(order), dtype=np.intp)
    inverse[order] = np.cumsum(change) - 1
    return order[change], inverse


def _grid_key(cols: list[Array]) -> NDArray[np.int64] | None:
    """One exact int64 key per row when every column lies on a 1/7 grid (days or weeks).

    Sorting one integer key is several times faster than a three-column lexsort, and summary
    data made from dates always lies on that grid.
    """
    scaled = []
    span = 1
    for c in cols:
        c7 = c * 7
        v = np.rint(c7)
        c7 -= v
        np.abs(c7, out=c7)
        if c7.max() >= 1e-6 or v.min() < 0:
            return None
        size = int(v.max()) + 1
        span *= size
        if span >= 2**62:
            return None
        scaled.append((v.astype(np.int64), size))
    key = np.zeros(len(cols[0]), dtype=np.int64)
    for v, size in scaled:
        key = key * size + v
    return key


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
    hess_inv: Array


def _maximise(fun, x0: Array, *, tol: float, max_iter: int, hess_inv0=None) -> _FitResult:
    options = {"gtol": tol, "maxiter": max_iter}
    if hess_inv0 is not None:
        options["hess_inv0"] = hess_inv0
    res = minimize(fun, x0, jac=True, method="BFGS", options=options)
    # BFGS reports "precision loss" when it is already at the optimum to machine precision; only
    # a non-finite result or an exhausted iteration budget is a real failure.
    if not np.all(np.isfinite(res.x)) or res.nit >= max_iter:
        raise ConvergenceError(f"likelihood maximisation failed: {res.message}")
    return _FitResult(res.x, float(res.fun), int(res.nit), np.asarray(res.hess_inv))


def _polish(fun, theta: Array, hess_inv: Array, *, tol: float = 1e-8, max_iter: int = 30):
    """Newton steps with a fixed (subsample) Hessian: theta -= H^-1 g until the step < tol.

    Converges fast when the subsample curvature is close to the full data's; returns None
    (caller falls back to BFGS) if the objective ever worsens or it does not converge.
    """
    f, g = fun(theta)
    for i in range(max_iter):
        step = hess_inv @ g
        new = theta - step
        fn, gn = fun(new)
        if not np.isfinite(fn) or fn > f + 1e-12 * abs(f):
            return None
        theta, f, g = new, fn, gn
        if np.max(np.abs(step)) < tol:
            return _FitResult(theta, f, i + 1, hess_inv)
    return None


def _inverse_hessian(fun, theta: Array) -> Array | None:
    """Inverse of the finite-difference Hessian of ``fun`` at ``theta`` (None unless PD)."""
    eps = 1e-5
    cols = []
    for e in np.eye(len(theta)) * eps:
        cols.append((fun(theta + e)[1] - fun(theta - e)[1]) / (2 * eps))
    h = np.array(cols)
    h = (h + h.T) / 2
    if not np.all(np.isfinite(h)) or np.linalg.eigvalsh(h).min() <= 0:
        return None
    inv = np.linalg.inv(h)
    return (inv + inv.T) / 2  # exactly symmetric, as scipy checks


def _objective(data: _BgData, pen: float):
    """Mean negative log-likelihood (plus L2 penalty) and its gradient in log-parameters."""

    def fun(theta: Array) -> tuple[float, Array]:
        p = np.exp(theta)
        ll, grad = data.loglik(p, with_grad=True)
        f = -ll / data.total + pen * float(np.sum(p**2))
        g = -grad * p / data.total + pen * 2 * p**2
        return f, g

    return fun


class BetaGeoFitter:
    """The BG/NBD model of repeat purchasing, fitted by maximum likelihood.

    Parameters
    ----------
    penalizer_coef:
        L2 penalty on the parameters (as in lifetimes); 0 reproduces the published fit.
    tol, max_iter:
        Gradient tolerance and iteration cap of the BFGS maximisation (on the mean
        log-likelihood, in log-parameter space).
    warm_start_rows:
        With more than twice this many distinct rows, first fit a weighted random subsample of
        this size and start the full fit from its optimum and curvature (0 disables). The
        result is the full-data optimum either way; only the path there is shorter.

    Attributes (after ``fit``): ``params_`` {r, alpha, a, b}, ``log_likelihood_`` (total, not
    mean), ``n_customers_``, ``n_rows_`` (distinct compressed rows), ``n_iter_``.
    """

    param_names = ("r", "alpha", "a", "b")

    def __init__(
        self,
        penalizer_coef: float = 0.0,
        *,
        tol: float = 1e-9,
        max_iter: int = 500,
        warm_start_rows: int = 20_000,
    ):
        self.penalizer_coef = penalizer_coef
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start_rows = warm_start_rows

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

        data = _BgData(x, t_x, TT, w)
        if initial_params is None:
            # alpha is in time units (it scales with them); start it at a tenth of the longest T
            # so that the same start suits weeks and days. r, a, b are unit-free.
            theta0 = np.array([0.0, np.log(max(TT.max(), 1e-3) / 10), 0.0, 0.0])
        else:
            theta0 = np.log([initial_params[k] for k in self.param_names])
        pen = self.penalizer_coef
        fun = _objective(data, pen)

        hess_inv0 = None
        if initial_params is None and self.warm_start_rows and len(x) > 2 * self.warm_start_rows:
            # Warm start from a random subsample: its optimum and curvature are close to the
            # full data's, so the full-data BFGS then needs a handful of iterations, not ~100.
            rng = np.random.default_rng(0)
            sub = rng.choice(len(x), size=self.warm_start_rows, replace=True, p=w / w.sum())
            sub_data = _BgData(x[sub], t_x[sub], TT[sub], np.ones(len(sub)))
            sub_fun = _objective(sub_data, pen)
            warm = _maximise(sub_fun, theta0, tol=1e-6, max_iter=self.max_iter)
            theta0, hess_inv0 = warm.params, _inverse_hessian(sub_fun, warm.params)
        res = _polish(fun, theta0, hess_inv0) if hess_inv0 is not None else None
        if res is None:
            res = _maximise(fun, theta0, tol=self.tol, max_iter=self.max_iter, hess_inv0=hess_inv0)
        p = np.exp(res.params)
        self.params_ = dict(zip(self.param_names, map(float, p), strict=True))
        self.n_customers_ = int(round(w.sum()))
        self.n_rows_ = len(x)
        self.n_iter_ = res.n_iter
        # The objective is the penalised mean: undo both to report the total log-likelihood.
        self.log_likelihood_ = -(res.neg_ll - pen * float(np.sum(p**2))) * data.total
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
        t, x, t_x, TT = (_as_float(v) for v in (t, frequency, recency, T))
        x, t_x, TT = np.broadcast_arrays(x, t_x, TT)
        if t.ndim == 0 and x.ndim == 1 and len(x) > 1000:
            pairs = _unique_rows([x, TT])
            return self._conditional_expected(float(t), x, t_x, TT, pairs=pairs)
        return self._conditional_expected(t, x, t_x, TT, pairs=None)

    def _conditional_expected(self, t, x, t_x, TT, *, pairs) -> Array:
        r, alpha, a, b = self._params()
        if pairs is not None:
            # The hypergeometric part depends on (x, T) only: evaluate it once per distinct pair
            # (tens of thousands) instead of once per customer (millions).
            first_idx, inverse = pairs
            growth = self._growth(t, x[first_idx], TT[first_idx])[inverse]
        else:
            growth = self._growth(t, x, TT)
        with np.errstate(over="ignore"):
            denominator = 1 + np.exp(_log_dead_odds(x, t_x, TT, r, alpha, a, b))
        return growth / denominator

    def _growth(self, t, x, TT) -> Array:
        """E[Y(t) | x, T] for a customer known to be alive: the numerator of FHL eq. (10)."""
        r, alpha, a, b = self._params()
        _a, _b, _c = r + x, b + x, a + b + x - 1
        z = t / (alpha + TT + t)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ln_hyp = np.log(hyp2f1(_a, _b, _c, z))
            bad = ~np.isfinite(ln_hyp)
            if np.any(bad):
                # Euler's transformation, when the direct series overflows (large x, z near 1).
                ca, cb, cc, zz = (np.broadcast_to(v, ln_hyp.shape)[bad] for v in (_a, _b, _c, z))
                alt = np.log(hyp2f1(cc - ca, cc - cb, cc, zz)) + (cc - ca - cb) * np.log1p(-zz)
                ln_hyp = ln_hyp.copy() if ln_hyp.ndim else ln_hyp
                ln_hyp[bad] = alt
            first = (a + b + x - 1) / (a - 1)
            second = 1 - np.exp(ln_hyp + (r + x) * np.log((alpha + TT) / (alpha + t + TT)))
        return first * second

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


def _codes(v: Array) -> tuple[Array, NDArray[np.intp]]:
    """Distinct values of ``v`` and each row's index into them.

    Times made from dates lie on a 1/7 grid; then the grid itself serves (no sort needed,
    unused grid points just get zero weight). Otherwise np.unique.
    """
    if len(v):
        g = np.rint(v * 7)
        lo, hi = g.min(), g.max()
        if hi - lo < 1_000_000 and np.abs(v * 7 - g).max() < 1e-6:
            return (lo + np.arange(hi - lo + 1)) / 7, (g - lo).astype(np.intp)
    u, inv = np.unique(v, return_inverse=True)
    return u, inv.astype(np.intp)


class _BgData:
    """Compressed BG/NBD data, laid out so that one likelihood evaluation is cheap.

    Every term that does not involve the repeaters' two-branch mixture is reduced beforehand to
    sums over distinct x or distinct T (a few hundred values). Row by row remain only the
    repeaters' mixture terms, built from per-distinct-value lookups (gathers are cheaper than
    logs) with as few full-length temporaries as numpy allows.
    """

    def __init__(self, x: Array, t_x: Array, T: Array, w: Array):
        self.total = float(w.sum())
        xi = x.astype(np.intp)
        nx = int(xi.max()) + 1 if len(xi) else 1
        wx = np.bincount(xi, weights=w, minlength=nx)
        keep = wx > 0
        self.ux, self.wx = np.arange(nx, dtype=float)[keep], wx[keep]
        self.uT, T_inv = _codes(T)
        self.wT = np.bincount(T_inv, weights=w, minlength=len(self.uT))
        self.wxT = np.bincount(T_inv, weights=w * x, minlength=len(self.uT))
        rep = x > 0
        self.xr, self.wr, self.xr_int = x[rep], w[rep], xi[rep]
        self.Tr_inv = T_inv[rep]
        self.ut, self.tr_inv = _codes(t_x[rep])
        self.xgrid = np.arange(nx, dtype=float)

    def loglik(self, p: Array, *, with_grad: bool) -> tuple[float, Array]:
        r, alpha, a, b = p
        ux, wx = self.ux, self.wx
        # Terms depending on x only (A1, A2 of FHL's appendix), one value per distinct x.
        a1 = gammaln(r + ux) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + ux) - gammaln(b) - gammaln(a + b + ux)
        lT_u = np.log(alpha + self.uT)
        # The "still alive" branch A3 = -(r + x) log(alpha + T), summed through the T groups.
        ll = float(np.dot(wx, a1 + a2)) - float(np.dot(r * self.wT + self.wxT, lT_u))
        if len(self.xr) == 0:
            return ll, self._grad_no_repeat(p, lT_u) if with_grad else np.empty(0)
        # Repeaters mix in the "dropped out after the last purchase" branch A4:
        # log(e^A3 + e^A4) = A3 + softplus(d), d = A4 - A3.
        lt_u = np.log(alpha + self.ut)
        with np.errstate(divide="ignore", invalid="ignore"):
            bx = b + self.xgrid - 1.0  # b + x - 1, by x (x = 0 is never looked up)
            c_x = np.log(a) - np.log(bx)
        rx = self.xr + r
        diff = lT_u[self.Tr_inv]
        diff -= lt_u[self.tr_inv]
        d = rx * diff
        d += c_x[self.xr_int]
        # Stable softplus and sigmoid from one exp: e = exp(-|d|).
        e = np.abs(d)
        np.negative(e, out=e)
        np.exp(e, out=e)
        sp = np.maximum(d, 0.0)
        sp += np.log1p(e)
        ll += float(np.dot(self.wr, sp))
        if not with_grad:
            return ll, np.empty(0)
        s = 1.0 / (1.0 + e)
        ww = np.where(d >= 0, s, e * s)
        ww *= self.wr  # weight × posterior share of the drop-out branch
        inv_T = 1.0 / (alpha + self.uT)
        inv_t = 1.0 / (alpha + self.ut)
        idiff = inv_T[self.Tr_inv]
        idiff -= inv_t[self.tr_inv]
        grad = np.empty(4)
        grad[0] = np.dot(wx, digamma(r + ux) - digamma(r) + np.log(alpha))
        grad[0] += -np.dot(self.wT, lT_u) + np.dot(ww, diff)
        grad[1] = self.total * r / alpha - np.dot(r * self.wT + self.wxT, inv_T)
        ww_x = np.bincount(self.xr_int, weights=ww, minlength=len(self.xgrid))
        grad[1] += np.dot(ww * rx, idiff)
        dab = digamma(a + b)
        dabx = digamma(a + b + ux)
        grad[2] = np.dot(wx, dab - dabx) + ww.sum() / a
        grad[3] = np.dot(wx, dab + digamma(b + ux) - digamma(b) - dabx)
        grad[3] -= np.dot(ww_x[1:], 1.0 / bx[1:])
        return ll, grad

    def _grad_no_repeat(self, p: Array, lT_u: Array) -> Array:
        r, alpha, a, b = p
        ux, wx = self.ux, self.wx
        grad = np.empty(4)
        grad[0] = np.dot(wx, digamma(r + ux) - digamma(r) + np.log(alpha)) - np.dot(self.wT, lT_u)
        grad[1] = self.total * r / alpha - np.dot(r * self.wT + self.wxT, 1.0 / (alpha + self.uT))
        grad[2] = np.dot(wx, digamma(a + b) - digamma(a + b + ux))
        grad[3] = np.dot(wx, digamma(a + b) + digamma(b + ux) - digamma(b) - digamma(a + b + ux))
        return grad


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
        # x is a small integer: every term but log(x·m + gamma) reduces to sums per distinct x
        # or to constants, so one evaluation costs one log and one division per customer.
        xi = x.astype(np.intp)
        wk = np.bincount(xi, weights=w)
        k = np.arange(len(wk), dtype=float)
        used = wk > 0
        wk, k = wk[used], k[used]
        wxs = w * x
        s_logm = float(np.dot(w, np.log(ms)))
        s_xlogm = float(np.dot(wxs, np.log(ms)))
        s_xlogx = float(np.dot(wk * k, np.log(k)))
        xm = x * ms

        def fun(theta: Array) -> tuple[float, Array]:
            p, q, g = np.exp(theta)
            pk = p * k
            y = xm + g
            lxm = np.log(y)
            inv = 1.0 / y
            s_lxm, s_xlxm = float(np.dot(w, lxm)), float(np.dot(wxs, lxm))
            ll = (
                float(np.dot(wk, gammaln(pk + q) - gammaln(pk)))
                + total * (q * np.log(g) - gammaln(q))
                + p * s_xlogm
                - s_logm
                + p * s_xlogx
                - p * s_xlxm
                - q * s_lxm
            )
            d_pq = digamma(pk + q)
            gp = float(np.dot(wk * k, d_pq - digamma(pk))) + s_xlogm + s_xlogx - s_xlxm
            gq = float(np.dot(wk, d_pq)) - total * digamma(q) + total * np.log(g) - s_lxm
            gg = total * q / g - p * float(np.dot(wxs, inv)) - q * float(np.dot(w, inv))
            par = np.exp(theta)
            grad = np.array([gp, gq, gg]) * par
            f = -ll / total + pen * float(np.sum(par**2))
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
    x, t_x, TT = np.broadcast_arrays(x, t_x, TT)
    clv = np.zeros(len(x))
    previous = np.zeros(len(x))
    pairs = _unique_rows([x, TT]) if len(x) > 1000 else None
    for month in range(1, time + 1):
        cumulative = transaction_model._conditional_expected(
            month * factor, x, t_x, TT, pairs=pairs
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

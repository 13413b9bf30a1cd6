"""Held-out figures of a churn model: AUC, PR-AUC, top-decile lift, Brier score, reliability.

* AUC: the probability that a random churner is ranked above a random stayer (Hanley & McNeil
  1982), computed from ranks with ties counted one half (the Mann-Whitney U statistic).
* PR-AUC: average precision, ``sum_k (R_k - R_{k-1}) P_k`` over the ranked list (as
  scikit-learn's ``average_precision_score``).
* Top-decile lift: the churn rate among the 10 % highest scores divided by the overall rate.
* Brier score: ``mean((p - y)^2)`` (Brier 1950); lower is better, and it rewards calibration.
* Calibration table: customers split into ``bins`` groups of equal size by predicted
  probability, with the mean prediction and the observed rate in each (a reliability diagram,
  Niculescu-Mizil & Caruana 2005).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata


def _arrays(y: ArrayLike, score: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    yy = np.asarray(y, dtype=np.float64)
    ss = np.asarray(score, dtype=np.float64)
    if yy.shape != ss.shape:
        raise ValueError("labels and scores must have the same length")
    return yy, ss


def auc(y: ArrayLike, score: ArrayLike) -> float:
    yy, ss = _arrays(y, score)
    pos = yy == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(ss)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def pr_auc(y: ArrayLike, score: ArrayLike) -> float:
    yy, ss = _arrays(y, score)
    n_pos = yy.sum()
    if n_pos == 0:
        return float("nan")
    order = np.argsort(-ss, kind="mergesort")
    ys, sorted_scores = yy[order], ss[order]
    # One point per distinct score: tied customers enter the ranked list together.
    last_of_tie = np.r_[np.diff(sorted_scores) != 0, True]
    tp = np.cumsum(ys)[last_of_tie]
    seen = np.arange(1, len(ys) + 1)[last_of_tie]
    precision, recall = tp / seen, tp / n_pos
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def top_decile_lift(y: ArrayLike, score: ArrayLike, share: float = 0.1) -> float:
    yy, ss = _arrays(y, score)
    if len(yy) == 0 or yy.mean() == 0:
        return float("nan")
    k = max(1, int(round(len(yy) * share)))
    top = np.argsort(-ss, kind="mergesort")[:k]
    return float(yy[top].mean() / yy.mean())


def brier(y: ArrayLike, prob: ArrayLike) -> float:
    yy, pp = _arrays(y, prob)
    return float(np.mean((pp - yy) ** 2)) if len(yy) else float("nan")


def calibration_table(y: ArrayLike, prob: ArrayLike, bins: int = 10) -> list[dict[str, float]]:
    """Equal-size groups by predicted probability: count, mean predicted, observed rate."""
    yy, pp = _arrays(y, prob)
    order = np.argsort(pp, kind="mergesort")
    rows = []
    for part in np.array_split(order, min(bins, max(len(order), 1))):
        if len(part) == 0:
            continue
        rows.append(
            {
                "n": int(len(part)),
                "predicted": float(pp[part].mean()),
                "observed": float(yy[part].mean()),
            }
        )
    return rows


def report(y: ArrayLike, prob: ArrayLike) -> dict[str, float]:
    """The four headline figures of a probability forecast on held-out data."""
    yy, pp = _arrays(y, prob)
    return {
        "n": int(len(yy)),
        "base_rate": float(yy.mean()) if len(yy) else float("nan"),
        "auc": auc(yy, pp),
        "pr_auc": pr_auc(yy, pp),
        "top_decile_lift": top_decile_lift(yy, pp),
        "brier": brier(yy, pp),
    }

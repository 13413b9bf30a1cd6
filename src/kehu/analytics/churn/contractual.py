"""The contractual churn classifier: LightGBM on a logistic-regression base, calibrated out of fold.

Model
-----
For customer i with features x_i the model's log-odds of churning are

    s(x) = 1[boost] * (beta_0 + beta' z(x)) + F(x),        P(churn | x) = sigma(a s(x) + b)

* ``z(x)`` is the standardised one-hot/imputed design (``tabular.LinearDesign``) and
  ``beta`` a logistic regression fitted on it (scikit-learn, L2, C = 1);
* ``F`` is a LightGBM ensemble of trees (Ke et al. 2017) on the raw columns (categories split
  natively). With ``boost`` the trees start from the regression's log-odds (LightGBM's
  ``init_score``), so they only learn what the linear part misses: interactions and
  thresholds. On data that is close to linear in the log-odds (telecom subscriber files are)
  this beats both plain boosting, which must rebuild a smooth slope out of steps, and the plain
  regression, which has no interactions. Whether to boost from the regression, and the tree
  size, are chosen by stratified K-fold cross-validation (AUC) with early stopping on each
  fold; the regression logits fed to the folds are themselves cross-fitted on the same folds,
  so no fold sees a logit computed from its own labels;
* ``w``: the score is blended with the model of the other kind, ``(1 - w) s(x) + w G(x)``:
  with the regression base chosen, G is the best plain LightGBM of the same cross-validation
  (``w`` in {0, 1/4, 1/2, 3/4, 1}); with the plain trees chosen, G is the regression's own
  log-odds ``beta_0 + beta' z(x)`` (``w`` in {0, 0.1, …, 0.5}: the trees stay the larger
  part). ``w`` is chosen by the out-of-fold AUC of the blend (the regression's out-of-fold
  logits are the cross-fitted ones above), 0 unless the blend gains. The two see the data
  differently (a smooth slope, or steps only), and their average ranks better than either
  where both are close (measured on telecom-style data, bench/README);
* ``a, b``: Platt scaling (Platt 1999; Niculescu-Mizil & Caruana 2005) fitted on the
  **out-of-fold** scores of the cross-validation. Platt is strictly increasing, so it changes
  no ranking (AUC and lift are those of s), unlike isotonic regression, whose steps create ties.

Held-out report
---------------
A stratified share of the rows (``holdout``) is kept out of everything above. On it ``fit``
reports the model, the logistic-regression baseline (the same design, fitted on the same
training rows) and LightGBM with its default settings: AUC, PR-AUC, top-decile lift and Brier
score (``metrics.report``), in ``metrics_``.

With ``refit`` (the default) the model is then fitted again on every row, held-out ones
included, with the settings chosen above (the regression, the trees with their rounds scaled
to the larger table, the blend; the Platt scaling stays the out-of-fold one): a quarter more
data for the model that scores, as in the usual "evaluate on a hold-out, then refit on all"
practice. ``metrics_`` and ``calibration_`` describe the model fitted without the held-out
rows, the estimate of how the refitted one does on new customers.

Per-customer contributions
--------------------------
``contributions`` splits a * s(x) into one additive term per input column: the trees' exact
Shapley values (``pred_contrib``, Lundberg et al. 2020), which LightGBM computes per column
because categories are not one-hot encoded for the trees, plus the regression's
``a * sum_k beta_k z_k(x)`` over that column's design columns. The remainder (the trees'
expected value and the intercept) belongs to no column.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split

from kehu.analytics.churn import metrics as M
from kehu.analytics.churn import tabular as T

FORMAT = "kehu-churn-contractual"
VERSION = 1

# Tree size and leaf size, the settings that matter most on a few thousand to a million rows.
# Small leaves (10) are needed on a few thousand subscribers whose churn hangs on thresholds
# and interactions (the MLC++ telecom file: held-out AUC 0.906 with leaves of 50-200 rows,
# 0.915 with this grid; bench/README.md); large ones keep a big, noisy file from overfitting.
DEFAULT_GRID: tuple[dict[str, Any], ...] = tuple(
    {"num_leaves": leaves, "min_child_samples": rows}
    for leaves in (4, 8, 16, 31)
    for rows in (10, 30, 100)
)

BASE_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "cat_smooth": 10.0,
    "min_data_per_group": 50,
    "max_cat_to_onehot": 8,
    "verbose": -1,
}


class ModelFileError(ValueError):
    """A model file that is not a Kehu churn model, or of an unknown version."""


@dataclass(frozen=True)
class Decision:
    """``reason`` is the English sentence the CLI prints; ``code`` and ``params`` let a page
    say the same in the reader's language (codes: ``no_auc``, ``below_baseline``,
    ``below_live``, ``better``)."""

    replace: bool
    reason: str
    code: str = ""
    params: dict[str, float] = field(default_factory=dict)


def _logit_regression(Z: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=2000).fit(Z, y)


class ChurnClassifier:
    """Contractual churn: P(churn | one row of customer attributes). See the module docstring.

    Parameters
    ----------
    n_jobs: LightGBM threads.
    holdout: share of rows kept out for the held-out report (0 < holdout < 1).
    folds: K of the cross-validation that tunes the trees and yields the calibration scores.
    grid: LightGBM settings to try (each with and without the regression base).
    max_rounds, early_stopping: boosting rounds cap and patience (rounds without AUC gain).
    max_tune_rows: tune on at most this many training rows (a stratified sample); the final
        trees are then fitted on all of them.
    random_state: seed of the splits, the sample and LightGBM.
    refit: fit the chosen model again on all rows after the held-out report.

    Attributes after ``fit``: ``specs_`` (input columns), ``design_``, ``coef_``,
    ``intercept_``, ``booster_``, ``boost_from_linear_``, ``params_``, ``n_rounds_``,
    ``platt_`` (a, b), ``base_rate_``, ``cv_auc_``, ``fitted_rows_`` (rows the scoring model
    was fitted on: all of them with ``refit``), ``metrics_`` (held-out report of
    ``model``, ``baseline`` and ``lightgbm_default``), ``blend_`` (w), ``blend_with_``
    (``"trees"`` or ``"linear"``: what G is) and ``trees_booster_`` (the plain trees G, None
    unless w > 0 and G is the trees).
    """

    blend_: float = 0.0
    blend_with_: str = "trees"
    trees_booster_: lgb.Booster | None = None

    def __init__(
        self,
        *,
        n_jobs: int = 1,
        holdout: float = 0.2,
        folds: int = 4,
        grid: tuple[dict[str, Any], ...] = DEFAULT_GRID,
        max_rounds: int = 1000,
        early_stopping: int = 50,
        max_tune_rows: int = 20_000,
        random_state: int = 0,
        refit: bool = True,
    ):
        self.n_jobs = n_jobs
        self.holdout = holdout
        self.folds = folds
        self.grid = grid
        self.max_rounds = max_rounds
        self.early_stopping = early_stopping
        self.max_tune_rows = max_tune_rows
        self.random_state = random_state
        self.refit = refit

    # ------------------------------------------------------------------ fitting

    def fit(self, frame: pd.DataFrame, y: np.ndarray, columns: list[str]) -> ChurnClassifier:
        y = np.asarray(y, dtype=np.int64)
        if len(np.unique(y)) < 2:
            raise ValueError("the label has only one class: nothing to learn")
        self.specs_ = T.fit_specs(frame, columns)
        X = T.tree_matrix(frame, self.specs_)
        idx_tr, idx_ho = train_test_split(
            np.arange(len(y)), test_size=self.holdout, stratify=y, random_state=self.random_state
        )
        X_tr, y_tr, X_ho, y_ho = X[idx_tr], y[idx_tr], X[idx_ho], y[idx_ho]
        self.base_rate_ = float(y_tr.mean())
        Z_tr, linear = self._fit_linear(X_tr, y_tr)

        tune = self._tuning_rows(y_tr)
        folds = list(
            StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state).split(
                tune, y_tr[tune]
            )
        )
        oof_linear = self._cross_fitted_logits(Z_tr[tune], y_tr[tune], folds)
        best = self._tune(X_tr[tune], y_tr[tune], oof_linear, folds)
        self.boost_from_linear_ = best["boost"]
        self.params_ = best["params"]
        self.n_rounds_ = best["rounds"]
        self.cv_auc_ = best["auc"]
        self.blend_with_ = "trees" if best["boost"] else "linear"
        other = best["trees_only"]["oof"] if best["boost"] else oof_linear
        self.blend_ = _blend_weight(best["oof"], other, y_tr[tune], linear=not best["boost"])
        oof = (1 - self.blend_) * best["oof"] + self.blend_ * other
        self.platt_ = _platt(oof, y_tr[tune])

        self.booster_ = self._fit_trees(X_tr, y_tr, Z_tr)

        default = self._default_lightgbm(X_tr, y_tr)
        tuned = lgb.train(
            best["trees_only"]["params"],
            self._dataset(X_tr, y_tr, None),
            num_boost_round=best["trees_only"]["rounds"],
        )
        self.trees_booster_ = tuned if self.blend_ > 0 and self.blend_with_ == "trees" else None
        baseline = linear.predict_proba(self.design_.transform(X_ho, self.specs_))[:, 1]
        self.metrics_ = {
            "model": M.report(y_ho, self.predict_proba_matrix(X_ho)),
            "baseline": M.report(y_ho, baseline),
            "lightgbm_default": M.report(y_ho, default.predict(X_ho)),
            "lightgbm_tuned": M.report(y_ho, tuned.predict(X_ho)),
            "training_rows": int(len(y_tr)),
            "cv_auc": self.cv_auc_,
            "boost_from_linear": self.boost_from_linear_,
            "rounds": self.n_rounds_,
            "num_leaves": self.params_["num_leaves"],
            "blend": self.blend_,
            "blend_with": self.blend_with_,
        }
        self.calibration_ = M.calibration_table(y_ho, self.predict_proba_matrix(X_ho))
        self.fitted_rows_ = len(y_tr)
        if self.refit:
            self._fit_all(X, y, best["trees_only"], len(y) / len(y_tr))
        return self

    def _fit_all(self, X: np.ndarray, y: np.ndarray, trees_only: dict[str, Any], scale: float):
        """The chosen model fitted again on all rows: regression, trees (rounds times
        ``scale``, the growth of the table) and the blend's plain trees."""
        Z, _linear = self._fit_linear(X, y)
        self.n_rounds_ = max(1, round(self.n_rounds_ * scale))
        self.booster_ = self._fit_trees(X, y, Z)
        if self.trees_booster_ is not None:
            self.trees_booster_ = lgb.train(
                trees_only["params"],
                self._dataset(X, y, None),
                num_boost_round=max(1, round(trees_only["rounds"] * scale)),
            )
        self.fitted_rows_ = len(y)

    def _fit_linear(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, LogisticRegression]:
        """The design and the regression on these rows (``design_``, ``coef_``,
        ``intercept_``); returns the design matrix and the fitted regression."""
        self.design_ = T.LinearDesign.fit(X, self.specs_)
        Z = self.design_.transform(X, self.specs_)
        linear = _logit_regression(Z, y)
        self.coef_ = linear.coef_.ravel().tolist()
        self.intercept_ = float(linear.intercept_[0])
        return Z, linear

    def _fit_trees(self, X: np.ndarray, y: np.ndarray, Z: np.ndarray) -> lgb.Booster:
        """The chosen trees, ``n_rounds_`` of them, from the cross-fitted regression logits
        when they boost from it."""
        init = self._cross_fitted_logits(Z, y, None) if self.boost_from_linear_ else None
        return lgb.train(self.params_, self._dataset(X, y, init), num_boost_round=self.n_rounds_)

    def _tuning_rows(self, y: np.ndarray) -> np.ndarray:
        rows = np.arange(len(y))
        if len(y) <= self.max_tune_rows:
            return rows
        keep, _ = train_test_split(
            rows, train_size=self.max_tune_rows, stratify=y, random_state=self.random_state
        )
        return np.sort(keep)

    def _cross_fitted_logits(self, Z: np.ndarray, y: np.ndarray, folds) -> np.ndarray:
        """Each row's regression logit from a regression fitted without that row's fold."""
        if folds is None:
            folds = StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state)
            folds = list(folds.split(Z, y))
        out = np.zeros(len(y))
        for fit_idx, val_idx in folds:
            out[val_idx] = _logit_regression(Z[fit_idx], y[fit_idx]).decision_function(Z[val_idx])
        return out

    def _dataset(self, X: np.ndarray, y: np.ndarray, init: np.ndarray | None) -> lgb.Dataset:
        return lgb.Dataset(
            X,
            label=y,
            init_score=init,
            categorical_feature=T.category_positions(self.specs_),
            free_raw_data=False,
            params={"verbose": -1},
        )

    def _params(self, extra: dict[str, Any]) -> dict[str, Any]:
        return {
            **BASE_PARAMS,
            **extra,
            "num_threads": self.n_jobs,
            "seed": self.random_state,
            "deterministic": True,
            "force_row_wise": True,
        }

    def _tune(self, X, y, oof_linear, folds) -> dict[str, Any]:
        """The best (boost, grid point) by cross-validated AUC, with its out-of-fold scores.

        ``best["trees_only"]`` is the best grid point without the regression base: the tuned
        plain LightGBM the held-out report compares against.
        """
        best: dict[str, Any] | None = None
        trees_only: dict[str, Any] | None = None
        for boost in (True, False):
            init = oof_linear if boost else None
            data = self._dataset(X, y, init)
            for extra in self.grid:
                params = self._params({**extra, "metric": "auc"})
                result: dict[str, Any] = lgb.cv(  # type: ignore[assignment]
                    params,
                    data,
                    num_boost_round=self.max_rounds,
                    folds=folds,
                    callbacks=[lgb.early_stopping(self.early_stopping, verbose=False)],
                    return_cvbooster=True,
                )
                rounds = len(result["valid auc-mean"])
                auc = float(result["valid auc-mean"][-1])
                oof = np.zeros(len(y))
                boosters = result["cvbooster"].boosters
                for booster, (_, val_idx) in zip(boosters, folds, strict=True):
                    oof[val_idx] = _predict(
                        booster, X[val_idx], raw_score=True, num_iteration=rounds
                    )
                    if boost:
                        oof[val_idx] += oof_linear[val_idx]
                params.pop("metric")
                if not boost and (trees_only is None or auc > trees_only["auc"]):
                    trees_only = {"params": {**params}, "rounds": rounds, "auc": auc, "oof": oof}
                if best is None or auc > best["auc"]:
                    best = {"boost": boost, "params": params, "rounds": rounds, "auc": auc}
                    best["oof"] = oof
        assert best is not None and trees_only is not None
        best["trees_only"] = trees_only
        return best

    def _default_lightgbm(self, X: np.ndarray, y: np.ndarray) -> lgb.Booster:
        """LightGBM with its defaults (100 rounds, 31 leaves), the comparison the report shows."""
        params = {"objective": "binary", "verbose": -1, "num_threads": self.n_jobs}
        params["seed"] = self.random_state
        return lgb.train(params, self._dataset(X, y, None), num_boost_round=100)

    # ------------------------------------------------------------------ scoring

    def _check_fitted(self) -> None:
        if not hasattr(self, "booster_"):
            raise RuntimeError("fit() first")

    def matrix(self, frame: pd.DataFrame) -> np.ndarray:
        self._check_fitted()
        return T.tree_matrix(frame, self.specs_)

    def _linear_terms(self, X: np.ndarray) -> np.ndarray:
        """Per design column terms beta_k z_k of the regression."""
        return self.design_.transform(X, self.specs_) * np.asarray(self.coef_)

    def _blends_linear(self) -> bool:
        return self.blend_ > 0 and self.blend_with_ == "linear"

    def raw_score(self, X: np.ndarray) -> np.ndarray:
        trees = _predict(self.booster_, X, raw_score=True, num_threads=self.n_jobs)
        if self.boost_from_linear_ or self._blends_linear():
            linear = self.intercept_ + self._linear_terms(X).sum(axis=1)
        if self.boost_from_linear_:
            trees = trees + linear
        if self._blends_linear():
            return (1 - self.blend_) * trees + self.blend_ * linear
        if self.trees_booster_ is None:
            return trees
        other = _predict(self.trees_booster_, X, raw_score=True, num_threads=self.n_jobs)
        return (1 - self.blend_) * trees + self.blend_ * other

    def predict_proba_matrix(self, X: np.ndarray) -> np.ndarray:
        a, b = self.platt_
        return expit(a * self.raw_score(X) + b)  # no overflow for a very sure score

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """P(churn) per row of ``frame`` (which must hold every feature column)."""
        return self.predict_proba_matrix(self.matrix(frame))

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """(rows, input columns) additive contributions to the calibrated log-odds."""
        self._check_fitted()
        contrib = _predict(self.booster_, X, pred_contrib=True, num_threads=self.n_jobs)[:, :-1]
        linear = np.zeros_like(contrib)
        if self.boost_from_linear_ or self._blends_linear():
            parts = self._linear_terms(X)
            owners = np.asarray(self.design_.owners, dtype=np.int64)
            for j in range(contrib.shape[1]):
                linear[:, j] = parts[:, owners == j].sum(axis=1)
        mine = contrib + linear if self.boost_from_linear_ else contrib
        if self._blends_linear():
            mine = (1 - self.blend_) * mine + self.blend_ * linear
        elif self.trees_booster_ is not None:
            other = _predict(self.trees_booster_, X, pred_contrib=True, num_threads=self.n_jobs)
            mine = (1 - self.blend_) * mine + self.blend_ * other[:, :-1]
        return self.platt_[0] * mine

    # ------------------------------------------------------------------ storage

    def to_bytes(self, **extra_meta: Any) -> bytes:
        """A zip of LightGBM's model text and JSON metadata (no pickle)."""
        self._check_fitted()
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "specs": T.specs_to_dict(self.specs_),
            "design": {
                "owners": self.design_.owners,
                "means": self.design_.means,
                "scales": self.design_.scales,
            },
            "coef": self.coef_,
            "intercept": self.intercept_,
            "boost_from_linear": self.boost_from_linear_,
            "params": self.params_,
            "n_rounds": self.n_rounds_,
            "platt": list(self.platt_),
            "blend": self.blend_,
            "blend_with": self.blend_with_,
            "base_rate": self.base_rate_,
            "cv_auc": self.cv_auc_,
            "fitted_rows": getattr(self, "fitted_rows_", None),
            "metrics": self.metrics_,
            "calibration": self.calibration_,
            **extra_meta,
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("meta.json", json.dumps(meta))
            zf.writestr("model.txt", self.booster_.model_to_string())
            if self.trees_booster_ is not None:
                zf.writestr("trees.txt", self.trees_booster_.model_to_string())
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, *, n_jobs: int = 1) -> tuple[ChurnClassifier, dict[str, Any]]:
        """The model and its metadata; refuses anything but a Kehu model of a known version."""
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                meta = json.loads(zf.read("meta.json"))
                text = zf.read("model.txt").decode("utf-8")
                names = set(zf.namelist())
                trees = zf.read("trees.txt").decode("utf-8") if "trees.txt" in names else None
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ModelFileError(f"not a Kehu churn model file ({exc})") from exc
        if meta.get("format") != FORMAT:
            raise ModelFileError("not a Kehu contractual churn model file")
        if meta.get("version") != VERSION:
            raise ModelFileError(f"model file version {meta.get('version')!r} is not supported")
        model = cls(n_jobs=n_jobs)
        model.specs_ = T.specs_from_dict(meta["specs"])
        model.design_ = T.LinearDesign(**meta["design"])
        model.coef_ = meta["coef"]
        model.intercept_ = meta["intercept"]
        model.boost_from_linear_ = meta["boost_from_linear"]
        model.params_ = meta["params"]
        model.n_rounds_ = meta["n_rounds"]
        model.platt_ = tuple(meta["platt"])
        model.base_rate_ = meta["base_rate"]
        model.cv_auc_ = meta["cv_auc"]
        model.metrics_ = meta["metrics"]
        model.fitted_rows_ = meta.get("fitted_rows") or meta["metrics"]["training_rows"]
        model.calibration_ = meta["calibration"]
        model.booster_ = lgb.Booster(model_str=text)
        # Files written before the blend have neither: the model alone, as then; files written
        # before the blend with the regression have no "blend_with": it was with the trees.
        model.blend_with_ = meta.get("blend_with", "trees")
        blended = trees is not None or model.blend_with_ == "linear"
        model.blend_ = float(meta.get("blend", 0.0)) if blended else 0.0
        model.trees_booster_ = lgb.Booster(model_str=trees) if trees is not None else None
        return model, meta


def _predict(booster: lgb.Booster, X: np.ndarray, **options: Any) -> np.ndarray:
    """``Booster.predict`` as a float array (its annotation allows sparse and list results)."""
    return np.asarray(booster.predict(X, **options), dtype=np.float64)


BLEND_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
# The regression beside the plain trees: a share, never the larger part (the cross-validation
# preferred the trees).
LINEAR_BLEND_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def _blend_weight(best: np.ndarray, other: np.ndarray, y: np.ndarray, *, linear: bool) -> float:
    """The weight of ``other`` in the blend with ``best`` (out-of-fold scores), by out-of-fold
    AUC; 0 when it gains nothing."""
    weights = LINEAR_BLEND_WEIGHTS if linear else BLEND_WEIGHTS
    aucs = [M.auc(y, (1 - w) * best + w * other) for w in weights]
    k = int(np.argmax(aucs))
    return weights[k] if aucs[k] > aucs[0] + 1e-4 else 0.0


def _platt(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt's sigma(a s + b) by (nearly unpenalised) logistic regression on one score."""
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(score.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def replace_if_better(
    candidate: dict[str, Any], current: dict[str, Any] | None = None, *, tolerance: float = 0.0
) -> Decision:
    """May ``candidate`` (a ``metrics_`` report) replace ``current`` (the live one, or None)?

    Refused when its held-out AUC is below its own logistic-regression baseline's, or below the
    live model's AUC (``tolerance`` allows that much less). Both compare held-out AUC, so
    reports should come from comparable data (the same population, a similar time).
    """
    model_auc = candidate["model"]["auc"]
    baseline_auc = candidate["baseline"]["auc"]
    if not np.isfinite(model_auc):
        return Decision(False, "the new model has no held-out AUC", "no_auc")
    figures = {"auc": float(model_auc), "baseline": float(baseline_auc)}
    if model_auc < baseline_auc - tolerance:
        return Decision(
            False,
            f"held-out AUC {model_auc:.4f} is below the logistic baseline's {baseline_auc:.4f}",
            "below_baseline",
            figures,
        )
    if current is not None:
        live = current["model"]["auc"]
        if model_auc < live - tolerance:
            return Decision(
                False,
                f"held-out AUC {model_auc:.4f} is below the live model's {live:.4f}",
                "below_live",
                {**figures, "live": float(live)},
            )
    return Decision(
        True, f"held-out AUC {model_auc:.4f} (baseline {baseline_auc:.4f})", "better", figures
    )

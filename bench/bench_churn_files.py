"""Contractual churn on real subscriber files, through the commands a user runs.

For each file and seed: a stratified 70/30 split; ``kehu churn fit`` on the 70 % and ``kehu
churn score`` on the 30 % (as subprocesses, exactly as documented); on the same 70 % a
logistic regression (median-imputed, standardised numbers, one-hot categories) and a LightGBM
tuned by 5-fold cross-validated grid search (num_leaves 4/8/16/31 x min_child_samples
10/30/100, learning rate 0.03, early stopping). Prints the held-out AUC of the three and
whether every score above the base rate has a reason; writes results/churn_files.json.

    nice .venv/bin/python bench/bench_churn_files.py [--file F --label churn] [--seeds 0,1,2]

The default file is the MLC++ carrier's 5,000 subscribers (tests/data/telecom). Any CSV with
one row per subscriber and a yes/no label column works (for example IBM's Telco sample, which
R's modeldata carries as ``wa_churn``; bench/README.md has both).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DEFAULT_FILE = HERE.parent / "tests" / "data" / "telecom" / "mlc_churn.csv"
# The console script beside this interpreter, as a user calls it.
KEHU = [str(Path(sys.executable).parent / "kehu")]
GRID = [(leaves, rows) for leaves in (4, 8, 16, 31) for rows in (10, 30, 100)]


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns that are numbers (95 % of the filled cells parse) as numbers, the rest text."""
    out = frame.copy()
    for column in out.columns:
        text = out[column].astype(str).str.strip()
        values = pd.to_numeric(text.replace("", np.nan), errors="coerce")
        if values.notna().sum() >= 0.95 * (text != "").sum():
            out[column] = values
    return out


def logistic_auc(X: pd.DataFrame, y: np.ndarray, train, test) -> float:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
    text = [c for c in X.columns if c not in numbers]
    design = ColumnTransformer(
        [
            ("n", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
            ("c", OneHotEncoder(handle_unknown="ignore"), text),
        ]
    )
    model = make_pipeline(design, LogisticRegression(max_iter=5000))
    model.fit(X.iloc[train], y[train])
    return float(roc_auc_score(y[test], model.predict_proba(X.iloc[test])[:, 1]))


def tuned_lightgbm_auc(X: pd.DataFrame, y: np.ndarray, train, test, seed: int) -> float:
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score

    X = X.copy()
    for column in X.columns:
        if not pd.api.types.is_numeric_dtype(X[column]):
            X[column] = X[column].astype("category")
    best: tuple[float, dict, int] | None = None
    for leaves, rows in GRID:
        params = {
            "objective": "binary",
            "metric": "auc",
            "num_leaves": leaves,
            "min_child_samples": rows,
            "learning_rate": 0.03,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "verbose": -1,
            "num_threads": 1,
            "seed": seed,
        }
        cv = lgb.cv(
            params,
            lgb.Dataset(X.iloc[train], y[train]),
            2000,
            nfold=5,
            stratified=True,
            seed=seed,
            callbacks=[lgb.early_stopping(50, verbose=False)],
        )
        auc = cv["valid auc-mean"][-1]
        if best is None or auc > best[0]:
            best = (auc, params, len(cv["valid auc-mean"]))
    assert best is not None
    booster = lgb.train(best[1], lgb.Dataset(X.iloc[train], y[train]), best[2])
    return float(roc_auc_score(y[test], booster.predict(X.iloc[test])))


def kehu(*argv: str) -> None:
    done = subprocess.run([*KEHU, "churn", *argv], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"kehu churn {argv[0]}: {done.stderr.strip()}")


def one_split(path: Path, label: str, seed: int, work: Path) -> dict:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.insert(0, "bench_id", [f"S{i:06d}" for i in range(len(frame))])
    y = frame[label].str.strip().str.lower().isin({"yes", "true", "1"}).to_numpy().astype(int)
    train, test = train_test_split(
        np.arange(len(frame)), test_size=0.3, stratify=y, random_state=seed
    )
    frame.iloc[train].to_csv(work / "train.csv", index=False)
    frame.iloc[test].drop(columns=label).to_csv(work / "test.csv", index=False)
    model, scores = work / "model.kehu", work / "scores.csv"
    kehu("fit", "--data", str(work / "train.csv"), "--label", label, "--id", "bench_id",
         "--model", str(model))  # fmt: skip
    kehu("score", "--model", str(model), "--data", str(work / "test.csv"), "--id", "bench_id",
         "--output", str(scores))  # fmt: skip
    got = pd.read_csv(scores).set_index("id").loc[frame["bench_id"].iloc[test]]
    above = got["churn_probability"].to_numpy() > y[train].mean()
    X = typed(frame.drop(columns=["bench_id", label]))
    return {
        "file": path.name,
        "seed": seed,
        "held_out": len(test),
        "kehu": round(float(roc_auc_score(y[test], got["churn_probability"])), 4),
        "logistic": round(logistic_auc(X, y, train, test), 4),
        "lightgbm_tuned": round(tuned_lightgbm_auc(X, y, train, test, seed), 4),
        "reasons_missing": int((got["reason_1"].isna().to_numpy() & above).sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, action="append", help="CSV, one row a subscriber")
    parser.add_argument("--label", default="churn")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--output", type=Path, default=RESULTS / "churn_files.json")
    args = parser.parse_args(argv)
    rows = []
    for path in args.file or [DEFAULT_FILE]:
        for seed in (int(s) for s in args.seeds.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                row = one_split(path, args.label, seed, Path(tmp))
            print(json.dumps(row), flush=True)
            rows.append(row)
    for name in sorted({r["file"] for r in rows}):
        mine = [r for r in rows if r["file"] == name]
        means = {k: round(float(np.mean([r[k] for r in mine])), 4) for k in
                 ("kehu", "logistic", "lightgbm_tuned")}  # fmt: skip
        print(f"{name}: mean held-out AUC {means}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``kehu churn fit|score|activity|backtest``: plain argparse entry points (no Django).

Each ``*_main(argv)`` returns the exit code: 0 on success, 2 for bad input, reported as one
line ``error: …`` on stderr naming the file, column or row, never a traceback.

File rows are named as a person sees them: ``line N`` in a CSV (the header is line 1),
``row N`` in a spreadsheet (the header is row 1) or a Parquet file (data rows from 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kehu.analytics import cli as analytics_cli
from kehu.analytics import io
from kehu.analytics.churn import reasons as R
from kehu.analytics.churn import tabular as T
from kehu.analytics.churn.activity import ActivityModel
from kehu.analytics.churn.backtest import backtest_activity
from kehu.analytics.churn.contractual import ChurnClassifier, ModelFileError, replace_if_better
from kehu.analytics.churn.scoring import REASONS, score_frame
from kehu.analytics.frames import InputError, first_line, read_frame

POSITIVE_WORDS = frozenset({"yes", "true", "1", "1.0", "churned", "y", "t", "是", "流失", "已流失"})


def _need_columns(frame: pd.DataFrame, path: Path, **named: str) -> None:
    for option, column in named.items():
        if column not in frame.columns:
            have = ", ".join(map(str, frame.columns[:12]))
            raise InputError(
                f"{path}: column {column!r} (--{option}) not found; the columns are: {have}"
            )


def labels_from(
    frame: pd.DataFrame, column: str, positive: str | None, where: Callable[[int], str]
) -> np.ndarray:
    text = T.text_values(frame[column])
    blank = np.flatnonzero(text.isna().to_numpy())
    if len(blank):
        more = f" (and {len(blank) - 1} more)" if len(blank) > 1 else ""
        raise InputError(f"{where(int(blank[0]))}: column {column!r} is blank{more}")
    # "True." as the UCI/MLC++ churn files write it: a closing full stop is not part of the word.
    low = text.str.lower().str.rstrip(".。")
    wanted = {positive.strip().lower().rstrip(".。")} if positive is not None else POSITIVE_WORDS
    y = low.isin(wanted).to_numpy().astype(np.int64)
    if y.min() == y.max():
        seen = ", ".join(repr(v) for v in text.unique()[:5])
        which = "churners" if y.max() == 0 else "non-churners"
        hint = f"--positive {positive!r}" if positive else "yes/true/1/churned; see --positive"
        raise InputError(
            f"column {column!r} has only one class (no {which}; values: {seen}; positive: {hint})"
        )
    return y


def _check_numbers(frame: pd.DataFrame, model: ChurnClassifier, where) -> None:
    """Numeric model columns must hold numbers (or blanks) in the file being scored."""
    for spec in model.specs_:
        if spec.kind not in {"numeric", "boolean"}:
            continue
        series = frame[spec.name]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue  # typed (Parquet, spreadsheet numbers): nothing to parse, nothing bad
        values = T.values_of(series, spec)
        bad = np.flatnonzero(T.given(series) & ~np.isfinite(values))
        if len(bad):
            value = frame[spec.name].iloc[int(bad[0])]
            kind = "a number" if spec.kind == "numeric" else "yes/no"
            raise InputError(f"{where(int(bad[0]))}, column {spec.name!r}: {value!r} is not {kind}")


# --------------------------------------------------------------------------- fit


def fit_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kehu churn fit",
        description="Fit the contractual churn model on one row per customer.",
    )
    p.add_argument("--data", required=True, type=Path, help="CSV, XLSX or Parquet")
    p.add_argument("--label", required=True, help="the churn column")
    p.add_argument("--id", required=True, help="the customer id column")
    p.add_argument("--model", required=True, type=Path, help="where to write the model file")
    p.add_argument(
        "--positive", help="the label value meaning churned (default: yes/true/1/churned)"
    )
    p.add_argument("--json", action="store_true", help="print the held-out figures as JSON")
    p.add_argument("--n-jobs", type=int, default=min(4, os.cpu_count() or 1))
    p.add_argument(
        "--only-if-better",
        action="store_true",
        help="keep the existing model file unless the new model beats it and the baseline",
    )
    return p


def fit_main(argv: Sequence[str] | None = None) -> int:
    args = fit_parser().parse_args(argv)
    try:
        frame, where = read_frame(args.data)
        _need_columns(frame, args.data, id=args.id, label=args.label)
        if args.id == args.label:
            raise InputError("--id and --label name the same column")
        y = labels_from(frame, args.label, args.positive, where)
        features = [c for c in frame.columns if c not in {args.id, args.label}]
        if not features:
            raise InputError(f"{args.data}: no feature columns besides the id and the label")
        if min(int(y.sum()), int(len(y) - y.sum())) < 5:
            raise InputError(f"column {args.label!r}: fewer than 5 customers in one class")
        model = ChurnClassifier(n_jobs=args.n_jobs).fit(frame, y, features)
        decision = _decide(model, args.model) if args.only_if_better else None
        if decision is None or decision.replace:
            meta = {"id_column": args.id, "label_column": args.label, "positive": args.positive}
            args.model.parent.mkdir(parents=True, exist_ok=True)
            tmp = args.model.with_name(args.model.name + ".tmp")
            tmp.write_bytes(model.to_bytes(**meta))
            tmp.replace(args.model)  # never a half-written model file
    except (InputError, ModelFileError, OSError) as exc:
        return _fail(exc)
    report: dict[str, Any] = {
        **model.metrics_,
        "rows": int(len(y)),
        "features": features,
        "written": decision is None or decision.replace,
    }
    if decision is not None:
        report["decision"] = decision.reason
    if args.json:
        print(json.dumps(report))
    else:
        _print_fit(report)
    return 0


def _decide(model: ChurnClassifier, path: Path):
    current = None
    if path.exists():
        current = ChurnClassifier.from_bytes(path.read_bytes())[0].metrics_
    return replace_if_better(model.metrics_, current)


def _print_fit(report: dict[str, Any]) -> None:
    print(f"{'held-out':<18}{'AUC':>8}{'PR-AUC':>8}{'lift@10%':>10}{'Brier':>8}")
    for name in ("model", "baseline", "lightgbm_tuned", "lightgbm_default"):
        m = report[name]
        print(
            f"{name:<18}{m['auc']:>8.4f}{m['pr_auc']:>8.4f}"
            f"{m['top_decile_lift']:>10.2f}{m['brier']:>8.4f}"
        )
    if "decision" in report:
        print(("written: " if report["written"] else "not written: ") + report["decision"])


# --------------------------------------------------------------------------- score


def score_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kehu churn score", description="Score customers.")
    p.add_argument("--model", required=True, type=Path)
    p.add_argument("--data", required=True, type=Path, help="CSV, XLSX or Parquet")
    p.add_argument("--id", required=True, help="the customer id column")
    p.add_argument("--output", required=True, type=Path, help="CSV to write")
    p.add_argument("--lang", help="reasons in en or zh-Hans (default: KEHU_LANGUAGE, else en)")
    p.add_argument("--n-jobs", type=int, default=min(4, os.cpu_count() or 1))
    p.add_argument(
        "--all-reasons",
        action="store_true",
        help="reasons for every customer (default: those at or above the base rate)",
    )
    return p


def score_main(argv: Sequence[str] | None = None) -> int:
    args = score_parser().parse_args(argv)
    try:
        lang = R.language(args.lang)
        if not args.model.exists():
            raise InputError(f"{args.model}: no such model file")
        model, _ = ChurnClassifier.from_bytes(args.model.read_bytes(), n_jobs=args.n_jobs)
        frame, where = read_frame(args.data)
        _need_columns(frame, args.data, id=args.id)
        missing = [s.name for s in model.specs_ if s.name not in frame.columns]
        if missing:
            raise InputError(
                f"{args.data}: column {missing[0]!r}, used by the model, is missing"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            )
        _check_numbers(frame, model, where)
        scores = score_frame(model, frame, args.id, lang, all_reasons=args.all_reasons)
        _write_csv(scores, args.output)
    except (InputError, ModelFileError, ValueError, OSError) as exc:
        return _fail(exc)
    return 0


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    table.to_csv(tmp, index=False, float_format="%.6f", encoding="utf-8")
    tmp.replace(path)


# --------------------------------------------------------------------------- activity


def _date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def activity_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kehu churn activity",
        description="P(no purchase in (calibration end, horizon end]) for every buyer.",
    )
    analytics_cli._transactions_args(p)
    p.add_argument("--calibration-end", required=True, help="YYYY-MM-DD")
    p.add_argument("--horizon-end", required=True, help="YYYY-MM-DD")
    p.add_argument("--output", required=True, type=Path, help="CSV to write")
    p.add_argument("--lang", help="reasons in en or zh-Hans (default: KEHU_LANGUAGE, else en)")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    p.add_argument("--n-jobs", type=int, default=min(4, os.cpu_count() or 1))
    return p


def _read_transactions(args: argparse.Namespace):
    if not args.transactions.exists():
        raise InputError(f"{args.transactions}: no such file")
    if not args.transactions.read_bytes().strip():
        raise InputError(f"{args.transactions}: the file is empty")
    try:
        return analytics_cli._read_transactions(args)
    except io.DataError as exc:
        where = f"line {exc.line}" if exc.line is not None else "the file"
        column = f", column {exc.column!r}" if exc.column else ""
        more = f" (and {len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
        raise InputError(f"{args.transactions}: {where}{column}: {exc.reason}{more}") from None
    except Exception as exc:  # Arrow's reader errors
        raise InputError(f"{args.transactions}: cannot read ({first_line(exc)})") from exc


def activity_main(argv: Sequence[str] | None = None) -> int:
    args = activity_parser().parse_args(argv)
    try:
        lang = R.language(args.lang)
        cal = _date("--calibration-end", args.calibration_end)
        end = _date("--horizon-end", args.horizon_end)
        if end <= cal:
            raise InputError("--horizon-end must be after --calibration-end")
        tx = _read_transactions(args)
        model = ActivityModel(n_jobs=args.n_jobs, engine=args.engine)
        model.fit(tx, calibration_end=cal, horizon_end=end)
        scores = model.scores_
        top = model.reasons(lang)
        out = scores[["id", "churn_probability", "p_alive", "expected_purchases"]].copy()
        for r, name in enumerate(REASONS):
            out[name] = [row[r] if r < len(row) else "" for row in top]
        _write_csv(out, args.output)
    except (InputError, ValueError, OSError) as exc:
        return _fail(exc)
    return 0


# --------------------------------------------------------------------------- backtest


def backtest_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kehu churn backtest",
        description="Replay the last N month-ends of a purchase log: AUC, lift, calibration.",
    )
    analytics_cli._transactions_args(p)
    p.add_argument("--months", type=int, default=6)
    p.add_argument("--horizon-days", type=int, default=90)
    p.add_argument("--json", action="store_true")
    p.add_argument("--n-jobs", type=int, default=min(4, os.cpu_count() or 1))
    return p


def backtest_main(argv: Sequence[str] | None = None) -> int:
    args = backtest_parser().parse_args(argv)
    try:
        if args.months < 1 or args.horizon_days < 1:
            raise InputError("--months and --horizon-days must be at least 1")
        tx = _read_transactions(args)
        rows = backtest_activity(
            tx, months=args.months, horizon_days=args.horizon_days, n_jobs=args.n_jobs
        )
    except (InputError, ValueError, OSError) as exc:
        return _fail(exc)
    if args.json:
        print(json.dumps(rows))
    else:
        print(f"{'month end':<12}{'customers':>10}{'churn':>8}{'AUC':>8}{'BG/NBD':>8}{'lift':>7}")
        for r in rows:
            print(
                f"{r['month_end']:<12}{r['n']:>10}{r['base_rate']:>8.3f}{r['auc']:>8.4f}"
                f"{r['bgnbd_auc']:>8.4f}{r['top_decile_lift']:>7.2f}"
            )
    return 0


def _fail(exc: BaseException) -> int:
    print(f"error: {first_line(exc)}", file=sys.stderr)
    return 2


COMMANDS: dict[str, Callable[[Sequence[str] | None], int]] = {
    "fit": fit_main,
    "score": score_main,
    "activity": activity_main,
    "backtest": backtest_main,
}

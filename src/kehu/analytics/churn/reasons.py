"""Plain-language reasons from per-customer contributions, in English and Simplified Chinese.

A reason is one input column (contractual model) or one group of related features (activity
model) whose contribution to the customer's churn log-odds is positive; the three largest are
kept. Nothing else becomes a reason: a column the model did not split on has a zero
contribution for everyone, so it can never be named. The only exception: a customer whose
probability is above the base rate but whose contributions are all <= 0 (possible because the
calibration map and the trees' expected value do not meet exactly at the base rate) gets the
largest one, so that such a customer is never left without a reason.

Analytics has no Django, so the words live here as data, one dictionary per language.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable

import numpy as np

from kehu.analytics.churn.tabular import ColumnSpec

LANGUAGES = ("en", "zh-Hans")

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "category": "{label}: {value}",
        "yes": "{label}: yes",
        "no": "{label}: no",
        "missing": "{label} not given",
        "other": "{label}: a rare value",
        "low": "{label} {value} (low; typical {typical})",
        "high": "{label} {value} (high; typical {typical})",
        "overdue": "{days} days since last purchase, usually {gap}",
        "overdue_single": "{days} days since the only purchase",
        "spend_down": "spend down {pct} % on last year",
        "spend_up": "spend up {pct} % on last year",
        "spend_new": "no purchases in the year before",
        "slowing": "{recent} purchases in the last {window} days, {before} in the {window} before",
        "frequency": "only {count} purchase(s) so far",
        "alive": "probably inactive (P(alive) {pct} %)",
        "expected": "expected to buy only {count} time(s) in the next {window} days",
        "tenure": "customer for {days} days",
        "season": "{count} purchase(s) in the same {window} days last year",
        "season_none": "no purchase in the same {window} days last year",
        "monetary": "average spend {value} per purchase",
    },
    "zh-Hans": {
        "category": "{label}：{value}",
        "yes": "{label}：是",
        "no": "{label}：否",
        "missing": "{label}未填写",
        "other": "{label}：少见的取值",
        "low": "{label} {value}（偏低，通常 {typical}）",
        "high": "{label} {value}（偏高，通常 {typical}）",
        "overdue": "已 {days} 天未购买（通常 {gap} 天）",
        "overdue_single": "唯一一次购买已过去 {days} 天",
        "spend_down": "消费较去年下降 {pct} %",
        "spend_up": "消费较去年上升 {pct} %",
        "spend_new": "前一年没有购买",
        "slowing": "近 {window} 天购买 {recent} 次，之前 {window} 天 {before} 次",
        "frequency": "迄今仅购买 {count} 次",
        "alive": "可能已不活跃（仍活跃概率 {pct} %）",
        "expected": "预计未来 {window} 天仅购买 {count} 次",
        "tenure": "成为客户 {days} 天",
        "season": "去年同期 {window} 天内购买 {count} 次",
        "season_none": "去年同期 {window} 天内没有购买",
        "monetary": "平均每次消费 {value}",
    },
}

# Common column names (lower case, letters and digits only) -> label per language.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "tenure": ("tenure (months)", "在网时长（月）"),
    "contract": ("contract", "合同"),
    "monthlycharges": ("monthly charges", "月费"),
    "totalcharges": ("total charges", "累计费用"),
    "complaints": ("complaints", "投诉次数"),
    "paymentmethod": ("payment method", "付款方式"),
    "internetservice": ("internet service", "互联网服务"),
    "techsupport": ("tech support", "技术支持"),
    "onlinesecurity": ("online security", "网络安全服务"),
    "seniorcitizen": ("senior citizen", "老年用户"),
    "paperlessbilling": ("paperless billing", "电子账单"),
    "partner": ("has a partner", "有伴侣"),
    "dependents": ("has dependents", "有受抚养人"),
    "gender": ("gender", "性别"),
}

# Common (column, value) pairs with a better phrase than "column: value".
VALUE_PHRASES: dict[tuple[str, str], tuple[str, str]] = {
    ("contract", "month-to-month"): ("month-to-month contract", "按月合同"),
    ("contract", "one year"): ("one-year contract", "一年期合同"),
    ("contract", "two year"): ("two-year contract", "两年期合同"),
    ("paymentmethod", "electronic check"): ("pays by electronic check", "电子支票付款"),
    ("paymentmethod", "mailed check"): ("pays by mailed check", "邮寄支票付款"),
    ("internetservice", "fiber optic"): ("fibre internet", "光纤宽带"),
    ("techsupport", "no"): ("no tech support", "无技术支持"),
    ("onlinesecurity", "no"): ("no online security", "无网络安全服务"),
}


def language(value: str | None = None) -> str:
    """``en`` or ``zh-Hans`` from a code such as zh, zh_Hans, zh-CN (default: KEHU_LANGUAGE)."""
    code = (value or os.environ.get("KEHU_LANGUAGE") or "en").strip().lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-Hans"
    if code.startswith("en"):
        return "en"
    raise ValueError(f"unknown language {value!r} (en or zh-Hans)")


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _label(name: str, lang: str) -> str:
    known = COLUMN_LABELS.get(_key(name))
    return known[LANGUAGES.index(lang)] if known else name


def number(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    if abs(value - round(value)) < 1e-9 and abs(value) < 1e15:
        return f"{int(round(value)):,}"
    return f"{value:,.2f}"


def column_reason(spec: ColumnSpec, value: float, lang: str) -> str:
    """The phrase for one input column's value (tree-matrix encoding) in ``lang``."""
    words = PHRASES[lang]
    label = _label(spec.name, lang)
    if not math.isfinite(value):
        return words["missing"].format(label=label)
    if spec.kind == "category":
        if int(value) >= len(spec.levels):
            return words["other"].format(label=label)
        level = spec.levels[int(value)]
        known = VALUE_PHRASES.get((_key(spec.name), level.strip().lower()))
        if known:
            return known[LANGUAGES.index(lang)]
        return words["category"].format(label=label, value=level)
    if spec.kind == "boolean":
        return words["yes" if value >= 0.5 else "no"].format(label=label)
    side = "high" if value > spec.median else "low"
    return words[side].format(label=label, value=number(value), typical=number(spec.median))


def top_reasons(
    contributions: np.ndarray,
    probabilities: np.ndarray,
    base_rate: float,
    describe: Callable[[int, int], str],
    *,
    k: int = 3,
) -> list[list[str]]:
    """Up to ``k`` phrases per row: the columns with the largest positive contributions.

    ``describe(row, column)`` renders one reason.
    """
    n, p = contributions.shape
    if p == 0:
        return [[] for _ in range(n)]
    kk = min(k, p)
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :kk]
    top = np.take_along_axis(contributions, order, axis=1)
    out: list[list[str]] = []
    for i in range(n):
        chosen = [int(order[i, r]) for r in range(kk) if top[i, r] > 0]
        if not chosen and probabilities[i] > base_rate:
            chosen = [int(order[i, 0])]
        out.append([describe(i, j) for j in chosen])
    return out


def contractual_describer(
    specs: list[ColumnSpec], X: np.ndarray, lang: str
) -> Callable[[int, int], str]:
    cache: dict[tuple[int, float], str] = {}

    def describe(row: int, column: int) -> str:
        value = float(X[row, column])
        key = (column, value if math.isfinite(value) else math.inf)
        text = cache.get(key)
        if text is None:
            text = cache[key] = column_reason(specs[column], value, lang)
        return text

    return describe

"""One row per customer to numbers: column kinds found from the data, two encodings.

Every column other than the id and the label is a candidate feature. Its kind is read from the
values, not from the file's types, because a CSV or a spreadsheet export often stores numbers
as text with blanks (IBM's Telco file stores ``TotalCharges`` that way):

* ``numeric``: every non-blank value parses as a number (thousands separators allowed);
* ``boolean``: every non-blank value is yes/no, true/false, y/n, t/f or 是/否 (in these two
  kinds a missing-value marker that R, Excel or a database wrote, ``NA``, ``#N/A``, ``NULL``,
  ``-`` …, counts as a blank: R's export of the Telco file writes ``NA``);
* ``category``: anything else; the ``MAX_LEVELS`` most frequent values are kept, the rest are
  pooled into one "other" level.

Blanks are missing values in every kind. Two encodings follow from the kinds:

* the **tree matrix**, one column per input column (categories as integer codes, which
  LightGBM splits natively), so per-customer contributions map one to one back to the columns;
* the **linear design**: medians imputed with a missing-value indicator, categories one-hot,
  then every design column standardised (zero mean, unit variance on the training data), so a
  logistic regression's per-customer contribution of a column is simply ``sum coef * z`` over
  its design columns.

Everything learned is plain numbers and strings (``to_dict``), stored as JSON in the model
file: no pickle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

MAX_LEVELS = 100
TRUE_WORDS = frozenset({"yes", "true", "y", "t", "是"})
FALSE_WORDS = frozenset({"no", "false", "n", "f", "否"})
# Only where every other value is a number or a yes/no: in a column of words "NA" may well be
# a level (North America), so categories keep it as written.
MISSING_MARKERS = frozenset(
    {
        "na",
        "n/a",
        "#n/a",
        "#na",
        "nan",
        "null",
        "none",
        "<na>",
        "-",
        "--",
        "—",
        "#value!",
        "#div/0!",
    }
)


@dataclass
class ColumnSpec:
    """What one input column is and what was learned about it on the training data."""

    name: str
    kind: str  # "numeric" | "boolean" | "category"
    levels: list[str] = field(default_factory=list)  # category: kept levels, most frequent first
    median: float = 0.0  # numeric/boolean: training median (boolean: share of yes)
    has_missing: bool = False


def text_values(series: pd.Series) -> pd.Series:
    """Values as stripped strings with blanks as NaN (typed columns are rendered as text)."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        text = series.astype("string").str.strip()
    else:
        text = series.astype("string")
    return text.mask(text == "").astype(object)


def given(series: pd.Series) -> np.ndarray:
    """Where a cell holds a value: neither blank nor a missing-value marker (for numbers and
    yes/no; see ``MISSING_MARKERS``)."""
    text = text_values(series)
    return (text.notna() & ~text.str.lower().isin(MISSING_MARKERS)).to_numpy(dtype=bool)


def parse_numbers(series: pd.Series) -> np.ndarray:
    """Numbers as float64, NaN for blanks and for anything that is not a number."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype(np.float64).to_numpy()
    if pd.api.types.is_numeric_dtype(series):
        return pd.to_numeric(series, errors="coerce").astype(np.float64).to_numpy()
    text = text_values(series)
    cleaned = text.str.replace(",", "", regex=False) if text.notna().any() else text
    return pd.to_numeric(cleaned, errors="coerce").astype(np.float64).to_numpy()


def parse_booleans(series: pd.Series) -> np.ndarray:
    if pd.api.types.is_bool_dtype(series):
        return series.astype(np.float64).to_numpy()
    low = text_values(series).str.lower()
    out = np.full(len(series), np.nan)
    out[low.isin(TRUE_WORDS).to_numpy()] = 1.0
    out[low.isin(FALSE_WORDS).to_numpy()] = 0.0
    return out


def infer_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_numeric_dtype(series):
        return "numeric"
    text = text_values(series)[given(series)]
    if text.empty:
        return "numeric"  # all blank: carries no information either way
    if np.isfinite(parse_numbers(text)).all():
        return "numeric"
    if text.str.lower().isin(TRUE_WORDS | FALSE_WORDS).all():
        return "boolean"
    return "category"


def fit_specs(frame: pd.DataFrame, columns: list[str]) -> list[ColumnSpec]:
    """Learn each feature column's kind, levels and median from the training rows."""
    specs = []
    for name in columns:
        kind = infer_kind(frame[name])
        spec = ColumnSpec(name=name, kind=kind)
        if kind == "category":
            text = text_values(frame[name])
            spec.levels = [str(v) for v in text.value_counts().index[:MAX_LEVELS]]
            spec.has_missing = bool(text.isna().any())
        else:
            values = values_of(frame[name], spec)
            finite = values[np.isfinite(values)]
            spec.median = float(np.median(finite)) if len(finite) else 0.0
            spec.has_missing = bool(len(finite) < len(values))
        specs.append(spec)
    return specs


def values_of(series: pd.Series, spec: ColumnSpec) -> np.ndarray:
    """One column of the tree matrix: numbers, 0/1, or category codes (NaN when missing).

    A level not seen in training gets the "other" code ``len(levels)``.
    """
    if spec.kind == "numeric":
        return parse_numbers(series)
    if spec.kind == "boolean":
        return parse_booleans(series)
    text = text_values(series)
    codes = pd.Categorical(text, categories=spec.levels).codes.astype(np.float64)
    codes[(codes < 0) & text.notna().to_numpy()] = len(spec.levels)
    codes[codes < 0] = np.nan
    return codes


def tree_matrix(frame: pd.DataFrame, specs: list[ColumnSpec]) -> np.ndarray:
    missing = [s.name for s in specs if s.name not in frame.columns]
    if missing:
        raise KeyError(missing[0])
    if not specs:
        return np.zeros((len(frame), 0))
    return np.column_stack([values_of(frame[s.name], s) for s in specs])


def category_positions(specs: list[ColumnSpec]) -> list[int]:
    return [i for i, s in enumerate(specs) if s.kind == "category"]


@dataclass
class LinearDesign:
    """The standardised design of the logistic-regression part (see the module docstring)."""

    owners: list[int]  # design column -> index of its input column
    means: list[float]
    scales: list[float]

    @classmethod
    def fit(cls, X: np.ndarray, specs: list[ColumnSpec]) -> LinearDesign:
        design = cls(owners=[], means=[], scales=[])
        raw, owners = design._raw(X, specs)
        means = raw.mean(axis=0) if len(raw) else np.zeros(raw.shape[1])
        scales = raw.std(axis=0) if len(raw) else np.ones(raw.shape[1])
        scales[scales == 0] = 1.0
        design.owners, design.means, design.scales = owners, means.tolist(), scales.tolist()
        return design

    def transform(self, X: np.ndarray, specs: list[ColumnSpec]) -> np.ndarray:
        raw, _ = self._raw(X, specs)
        return (raw - np.asarray(self.means)) / np.asarray(self.scales)

    @staticmethod
    def _raw(X: np.ndarray, specs: list[ColumnSpec]) -> tuple[np.ndarray, list[int]]:
        cols: list[np.ndarray] = []
        owners: list[int] = []
        for j, spec in enumerate(specs):
            v = X[:, j]
            miss = ~np.isfinite(v)
            if spec.kind == "category":
                for code in range(len(spec.levels) + 1):
                    cols.append((v == code).astype(np.float64))
                    owners.append(j)
            else:
                cols.append(np.where(miss, spec.median, v))
                owners.append(j)
            if spec.has_missing:
                cols.append(miss.astype(np.float64))
                owners.append(j)
        if not cols:
            return np.zeros((len(X), 0)), owners
        return np.column_stack(cols), owners


def specs_to_dict(specs: list[ColumnSpec]) -> list[dict[str, Any]]:
    return [asdict(s) for s in specs]


def specs_from_dict(data: list[dict[str, Any]]) -> list[ColumnSpec]:
    return [ColumnSpec(**d) for d in data]

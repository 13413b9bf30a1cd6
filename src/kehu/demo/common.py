"""What the demo generators share: the calendar (days relative to the as-of date, seasonal
buying), the column batches they hand to the writer, and a few numpy helpers.

Generators work in whole days relative to the as-of date (0 = as-of day, -1 = the day
before), which keeps every date computation a vectorised integer operation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import models


@dataclass
class Table:
    """Rows for one model, column-wise: attname → numpy array or list, all of length ``n``.

    Conventions the writer understands: ids and foreign keys are int arrays with -1 for NULL;
    money is integer cents; dates are ``datetime64[D]`` and timestamps ``datetime64[s]`` in
    UTC (NaT for NULL); JSON columns are lists of Python objects. Columns left out get the
    field's default."""

    model: type[models.Model]
    cols: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(next(iter(self.cols.values()))) if self.cols else 0


def _season_weight(day: dt.date) -> float:
    """Relative buying activity on a day: shopping festivals up, Spring Festival down."""
    w = 1.0
    if day.month == 11 and day.day <= 11:
        w = 4.0 if day.day == 11 else 2.2
    elif day.month == 6 and day.day <= 18:
        w = 1.8
    elif day.month == 12 and 8 <= day.day <= 12:
        w = 1.5
    elif day.month == 2 and day.day <= 15:
        w = 0.5
    if day.weekday() >= 5:
        w *= 1.25
    return w


class Clock:
    """The as-of date and the history window (``years`` × 365 days back from it)."""

    def __init__(self, as_of: dt.date, years: int, utc_offset: dt.timedelta):
        self.as_of = as_of
        self.years = years
        self.window = 365 * years
        self.base = np.datetime64(as_of, "D")
        self.utc_offset_s = int(utc_offset.total_seconds())
        weights = [_season_weight(as_of + dt.timedelta(days=d)) for d in range(-self.window, 1)]
        self._cum = np.concatenate([[0.0], np.cumsum(weights)])

    def dates(self, days: np.ndarray) -> np.ndarray:
        return self.base + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")

    def stamps(self, days: np.ndarray, local_seconds: np.ndarray | int) -> np.ndarray:
        """UTC timestamps for local wall-clock ``local_seconds`` after midnight on ``days``."""
        secs = np.asarray(days, dtype=np.int64) * 86400 + local_seconds - self.utc_offset_s
        return self.base.astype("datetime64[s]") + secs.astype("timedelta64[s]")

    def office_seconds(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Local times of day between 09:00 and 19:00."""
        return rng.integers(9 * 3600, 19 * 3600, n)

    def sample_days(self, rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """One day per element in [lo, hi] (inclusive, within the window), weighted by the
        season so that 双十一 and 618 show up in the sales curve."""
        lo_i = np.clip(np.asarray(lo) + self.window, 0, self.window)
        hi_i = np.clip(np.asarray(hi) + self.window, lo_i, self.window)
        c_lo, c_hi = self._cum[lo_i], self._cum[hi_i + 1]
        u = c_lo + rng.random(len(lo_i)) * (c_hi - c_lo)
        k = np.searchsorted(self._cum, u, side="right") - 1
        return np.clip(k, lo_i, hi_i) - self.window


def numbered(prefix: str, ids: np.ndarray, width: int = 10) -> pa.Array:
    """Document numbers such as SO0000012345, built in Arrow (10 million in a second)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(ids), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def words(text: str) -> tuple[str, ...]:
    """A word list written as one space-separated string: long tables of names stay legible."""
    return tuple(text.split())


def scramble(numbers: np.ndarray, modulus: int, salt: int) -> np.ndarray:
    """A bijection on [0, modulus): distinct customers get distinct phone numbers and e-mail
    addresses without keeping a set of the ones handed out (multiplier coprime to 10ⁿ)."""
    return (np.asarray(numbers, dtype=np.int64) * 7_919_113 + salt) % modulus


def weighted_index(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """For each row of ``weights`` (n × k) one column index drawn with those weights."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cum[:, -1]
    return np.minimum((cum < u[:, None]).sum(axis=1), weights.shape[1] - 1)

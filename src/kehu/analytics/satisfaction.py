"""The satisfaction → loyalty curve (E2): retention and repeat purchase by satisfaction score,
with a 95 % confidence band per score (the Wilson score interval).

Table in: one row per customer, ``(customer_id, score, retained, repurchased)`` — the
customer's satisfaction score (their latest CSAT, 1-5), whether they are still a customer and
whether they bought again after answering. Table out: one row per score in ``scores``
(every score listed, even with no answers, so the curve's x axis is fixed) with the count,
both rates and their bands. Plain Python: no Django, no dataframe needed for five rows.

The Wilson interval rather than the normal approximation: the groups are small at the low
scores and the rates near 0 or 1 at the high ones, where p ± z·√(p(1-p)/n) leaves [0, 1] and
is far too narrow. With ``n`` answers and ``k`` successes, p = k/n and z = 1.959964:

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z · √(p(1-p)/n + z²/4n²) / (1 + z²/n)

and the band is [centre − half, centre + half]. A score with no answers has no rate and no
band (None).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
CSAT_SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Interval:
    rate: float
    low: float
    high: float


@dataclass(frozen=True)
class CurvePoint:
    score: int
    customers: int
    retained: int
    repurchased: int
    retention: Interval | None
    repeat_purchase: Interval | None


def wilson(successes: int, n: int, z: float = Z95) -> Interval | None:
    """The rate ``successes / n`` with its Wilson score interval (None when n is 0)."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"wilson: need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # Rounding can push the ends a hair outside [0, 1] at p = 0 or 1.
    return Interval(rate=p, low=max(0.0, centre - half), high=min(1.0, centre + half))


Row = tuple[int, int, bool, bool]


def satisfaction_curve(
    rows: Iterable[Sequence], *, scores: Sequence[int] = CSAT_SCORES
) -> list[CurvePoint]:
    """Retention and repeat-purchase rates by score. ``rows``: ``(customer_id, score,
    retained, repurchased)``, one per customer (a customer twice is an error: it would count
    twice); scores outside ``scores`` are an error naming the customer."""
    allowed = set(scores)
    seen: set = set()
    counts = {s: [0, 0, 0] for s in scores}  # customers, retained, repurchased
    for row in rows:
        customer_id, score, retained, repurchased = row
        if customer_id in seen:
            raise ValueError(f"customer {customer_id}: more than one row")
        seen.add(customer_id)
        if score not in allowed:
            raise ValueError(
                f"customer {customer_id}: score {score!r} is not one of {sorted(allowed)}"
            )
        c = counts[score]
        c[0] += 1
        c[1] += bool(retained)
        c[2] += bool(repurchased)
    return [
        CurvePoint(
            score=s,
            customers=c[0],
            retained=c[1],
            repurchased=c[2],
            retention=wilson(c[1], c[0]),
            repeat_purchase=wilson(c[2], c[0]),
        )  # fmt: skip
        for s, c in counts.items()
    ]


def as_table(points: Sequence[CurvePoint]) -> list[dict]:
    """The curve as plain rows (for the page's chart, the export and the API): rates and band
    ends in per cent, one decimal."""

    def pct(band: Interval | None, end: str) -> float | None:
        return None if band is None else round(100 * getattr(band, end), 1)

    out = []
    for p in points:
        out.append({
            "score": p.score, "customers": p.customers,
            "retained": p.retained, "repurchased": p.repurchased,
            "retention_pct": pct(p.retention, "rate"),
            "retention_low_pct": pct(p.retention, "low"),
            "retention_high_pct": pct(p.retention, "high"),
            "repeat_pct": pct(p.repeat_purchase, "rate"),
            "repeat_low_pct": pct(p.repeat_purchase, "low"),
            "repeat_high_pct": pct(p.repeat_purchase, "high"),
        })  # fmt: skip
    return out

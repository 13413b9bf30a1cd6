"""The behaviours the demo data set contains, each a persona with a documented share.

The analytics (value, churn, profit, dedupe) are judged on whether they find these, so every
demo customer carries its truth in ``attributes``: ``demo_persona`` (a code below) and, for an
injected duplicate, ``demo_duplicate_of`` (the original's external id) and
``demo_variations`` (what differs). Keys starting with ``demo_`` are ground truth, never
features: an analytics run must ignore them.

Shares are exact per batch (rounded), so even a 200-customer build has every persona.
Times are relative to the build's as-of date ("today"); 1 month = 30 days here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Persona:
    code: str
    share: float  # of the customers that are not injected duplicates
    orders_per_year: float  # before the build scales all rates to the target order count
    basket: float  # spend per order relative to an ordinary customer
    description: str


PERSONAS = (
    Persona(
        "heavy", 0.08, 18, 1.8, "Heavy buyers: frequent, large orders; last one < 45 days ago."
    ),
    Persona("regular", 0.28, 5, 1.0, "Ordinary repeat buyers, steady; last order < 5 months ago."),
    Persona(
        "light",
        0.22,
        1.2,
        0.6,
        "Light buyers: a small order now and then, at least one in the last 11 months.",
    ),
    Persona(
        "lapsing",
        0.07,
        5,
        1.0,
        "Lapsing: bought steadily, last order 4–8 months ago; no orders since.",
    ),
    Persona(
        "lost",
        0.06,
        5,
        1.0,
        "Lost: stopped buying 13–18 months ago; no orders in the last 12 months.",
    ),
    Persona(
        "partial",
        0.06,
        12,
        1.2,
        "Partial churners: in the last 9 months they order at a fifth of their earlier "
        "rate and spend half as much per order; still buying (an order in the last 3 months).",
    ),
    Persona(
        "service_heavy",
        0.03,
        3,
        0.6,
        "Loss-making through service: 8+ tickets of ~2 hours each, long service calls, "
        "sold at a discount (thin margins).",
    ),
    Persona(
        "bad_debt",
        0.02,
        4,
        1.5,
        "Loss-making through bad debt: large invoices, some never paid and written off.",
    ),
    Persona(
        "late_payer",
        0.05,
        5,
        1.0,
        "Late payers: pay most invoices weeks to months after the due date.",
    ),
    Persona(
        "won_back",
        0.03,
        5,
        1.0,
        "Won back: stopped for 7–12 months, bought again in the last 4 months.",
    ),
    Persona("prospect", 0.10, 0, 0.0, "Prospects: leads that never bought."),
)
CODES = tuple(p.code for p in PERSONAS)
INDEX = {code: i for i, code in enumerate(CODES)}
SHARES = np.array([p.share for p in PERSONAS])
RATES = np.array([p.orders_per_year for p in PERSONAS])
BASKETS = np.array([p.basket for p in PERSONAS])

# Injected duplicates: the same person or company entered again (another name script, a
# typo, a phone or e-mail written differently or missing). A share of all customers built.
DUPLICATE_SHARE = 0.025
DUPLICATE = "duplicate"
DUPLICATE_RATE = 1.0  # the duplicate record collects a few of the customer's orders
MONTH = 30
# How long partial churners have been buying less. They were frequent buyers (12 orders a
# year before the build's scaling) and have bought at a fifth of that for nine months: the
# persona was 7 a year for six months, i.e. one or two orders where four or five were due,
# which a steady buyer also shows about one time in eight, so no rule on the data alone
# could find them.
PARTIAL_MONTHS = 9
assert abs(SHARES.sum() - 1) < 1e-9


def allocate(rng: np.random.Generator, n: int, shares: np.ndarray) -> np.ndarray:
    """``n`` category indices in random order with counts as close to ``shares`` as rounding
    allows (largest remainders), so small batches still hold every category."""
    exact = shares * n
    counts = np.floor(exact).astype(np.int64)
    short = n - int(counts.sum())
    if short:
        counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return rng.permutation(np.repeat(np.arange(len(shares)), counts))


def describe() -> str:
    lines = [f"{p.code:14} {p.share * 100:4.0f} %  {p.description}" for p in PERSONAS]
    lines.append(
        f"{DUPLICATE:14} {DUPLICATE_SHARE * 100:4.1f} %  of all customers: injected duplicates"
    )
    return "\n".join(lines)

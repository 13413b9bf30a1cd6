"""The dealer's credit score and suggested limit.

Score (0–100) = history points (0–60) + financial points (0–40), rounded half up.

History, from the customer's invoices already due on the day of the evaluation (``due_on`` <
today; invoices not yet due say nothing about paying on time):

- on-time share ``s`` = invoices paid in full (paid + written off ≥ amount, nothing written
  off) on or before their due date ÷ invoices due;
- average days late ``d`` over the same invoices (``Invoice.days_late``: to the payment, or
  to today while still open);
- bad-debt share ``b`` = amount written off ÷ amount invoiced;

  history = clamp(40·s + 20·max(0, 1 − d/60) − min(30, 300·b), 0, 60)

  so every invoice on time and none late gives 60; 10 % written off costs the full 30.
  A customer with no invoice due yet gets 30 (half: no evidence either way).

Financials (entered by the manager; a missing figure counts 0):

  financial = 15·min(1, revenue/10,000,000) + 15·min(1, years/10)
            + 10·min(1, registered capital/5,000,000)

Suggested limit = annual revenue × score/100 × 10 %, rounded down to 1,000; 0 below a score
of 40 (such a dealer pays in advance). The manager may set another limit with a note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
MIN_SCORE_FOR_CREDIT = 40
REVENUE_FULL = Decimal("10000000")
CAPITAL_FULL = Decimal("5000000")
YEARS_FULL = 10


@dataclass(frozen=True)
class History:
    invoices_due: int
    paid_on_time: int
    average_days_late: float
    invoiced: Decimal
    written_off: Decimal

    @property
    def on_time_share(self) -> float:
        return self.paid_on_time / self.invoices_due if self.invoices_due else 0.0

    @property
    def bad_debt_share(self) -> float:
        return float(self.written_off / self.invoiced) if self.invoiced > 0 else 0.0


@dataclass(frozen=True)
class Result:
    score: int
    history_points: float
    financial_points: float
    suggested_limit: Decimal

    def as_dict(self) -> dict:
        data = asdict(self)
        data["suggested_limit"] = str(self.suggested_limit)
        return data


def history_points(history: History) -> float:
    if history.invoices_due == 0:
        return 30.0
    lateness = max(0.0, 1 - history.average_days_late / 60)
    points = 40 * history.on_time_share + 20 * lateness - min(30.0, 300 * history.bad_debt_share)
    return max(0.0, min(60.0, points))


def financial_points(
    *, revenue: Decimal | None, years: int | None, capital: Decimal | None
) -> float:
    r = min(Decimal(1), (revenue or ZERO) / REVENUE_FULL)
    y = min(1.0, (years or 0) / YEARS_FULL)
    c = min(Decimal(1), (capital or ZERO) / CAPITAL_FULL)
    return float(15 * r) + 15 * y + float(10 * c)


def evaluate(
    history: History, *, revenue: Decimal | None, years: int | None, capital: Decimal | None
) -> Result:
    h = history_points(history)
    f = financial_points(revenue=revenue, years=years, capital=capital)
    score = int(Decimal(str(h + f)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    score = max(0, min(100, score))
    if score < MIN_SCORE_FOR_CREDIT or not revenue:
        limit = ZERO
    else:
        raw = revenue * Decimal(score) / 100 * Decimal("0.10")
        limit = (raw // 1000) * 1000
    return Result(score, round(h, 2), round(f, 2), limit.quantize(Decimal("0.01")))


def history_of(customer_id: int, today: dt.date) -> History:
    """The customer's invoices due before ``today``, as the score reads them."""
    from kehu.sales.models import Invoice

    count = on_time = late_days = 0
    invoiced = written = ZERO
    rows = Invoice.objects.filter(customer_id=customer_id, due_on__lt=today).only(
        "amount", "paid_amount", "paid_on", "due_on", "written_off"
    )
    for inv in rows.iterator():
        count += 1
        invoiced += inv.amount
        written += inv.written_off
        late_days += inv.days_late(today)
        settled = inv.paid_amount >= inv.amount and inv.written_off == 0
        if settled and inv.paid_on is not None and inv.paid_on <= inv.due_on:
            on_time += 1
    return History(
        invoices_due=count,
        paid_on_time=on_time,
        average_days_late=late_days / count if count else 0.0,
        invoiced=invoiced,
        written_off=written,
    )

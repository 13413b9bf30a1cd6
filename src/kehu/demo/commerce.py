"""What the batch's customers bought and owed: orders with lines (amount and cost of goods),
invoices with due dates, and the payments — on time, late, partial, or never (written off).

Fully vectorised: a batch of 50,000 customers is about half a million orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import models

from kehu.demo.common import Clock, Table, numbered, weighted_index
from kehu.demo.customers import Plan, owner_on
from kehu.demo.org import Org
from kehu.sales.models import Invoice, Order, OrderLine, Payment

Alloc = Callable[[type[models.Model], int], np.ndarray]

CHANNELS = ("store", "web", "chat", "phone", "field", "email", "partner")
# Where persons and companies order; the partner column only counts for partner customers.
PERSON_CHANNEL_W = np.array([0.35, 0.3, 0.1, 0.1, 0.0, 0.0, 0.15])
COMPANY_CHANNEL_W = np.array([0.05, 0.1, 0.05, 0.25, 0.3, 0.1, 0.15])
PERSON_METHODS = ("支付宝", "微信支付", "银行卡", "现金")
PERSON_METHOD_P = np.array([0.35, 0.35, 0.2, 0.1])
COMPANY_METHODS = ("对公转账", "银行承兑汇票")
PERSON_INVOICE_SHARE = 0.2  # persons who buy on credit (instalments, cash on delivery)
WRITE_OFF_AFTER = 180  # days overdue before bad debt is written off
COUNTED_OVERDUE = 90  # days overdue from which kehu's value analytics count a debt (default)
LOSS_MARGIN = 1.2  # a bad debtor's counted debts exceed its margin by this factor


@dataclass
class Commerce:
    orders: Table
    lines: Table
    invoices: Table
    payments: Table
    order_count: np.ndarray  # per customer of the batch
    margin: np.ndarray  # per customer: revenue less cost of goods, in yuan
    last_order_day: np.ndarray  # per customer; a large negative number when none
    overdue: np.ndarray  # per customer: has an unpaid invoice past its due date


def _order_counts(rng: np.random.Generator, plan: Plan, per_customer: float):
    len1 = np.maximum(plan.b1 - plan.a1 + 1, 0)
    len2 = np.maximum(plan.b2 - plan.a2 + 1, 0)
    lam1, lam2 = plan.r1 * len1 / 365, plan.r2 * len2 / 365
    # Scale every rate alike so the batch has ``per_customer`` orders per customer on average.
    total = lam1.sum() + lam2.sum()
    scale = per_customer * plan.n / total if total else 0.0
    c1, c2 = rng.poisson(lam1 * scale), rng.poisson(lam2 * scale)
    # Floors that make each persona's story visible even when the dice say otherwise.
    floors = {"heavy": 6, "regular": 1, "light": 1, "lapsing": 2, "lost": 2, "partial": 3,
              "service_heavy": 1, "bad_debt": 3, "late_payer": 3, "won_back": 2}  # fmt: skip
    for code, floor in floors.items():
        here = plan.is_(code) & (len1 > 0)
        c1[here] = np.maximum(c1[here], floor)
    # Both came back or kept buying: a partial churner still orders, only less.
    again = (plan.is_("won_back") | plan.is_("partial")) & (len2 > 0)
    c2[again] = np.maximum(c2[again], 1)
    return c1, c2


# The latest order of customers who are still buying falls within this many days of today.
RECENT_WITHIN = {"heavy": 45, "regular": 150, "light": 330, "late_payer": 150, "bad_debt": 200,
                 "service_heavy": 200}  # fmt: skip


PARTIAL_RECENT = 90  # days: the latest order of a partial churner is this recent


def _anchor(rng: np.random.Generator, plan: Plan, day: np.ndarray, c1, c2) -> None:
    """Pin one order per customer so each persona's story holds exactly as documented: those
    who stopped bought last just before they stopped, the won-back bought again right when
    they came back, and the active ones bought recently. ``day`` holds the period-1 orders
    of customer 0, 1, … followed by the period-2 orders; the first of each block moves."""
    first1 = np.cumsum(c1) - c1
    first2 = int(c1.sum()) + np.cumsum(c2) - c2
    stopped = (plan.is_("lapsing") | plan.is_("lost") | plan.is_("won_back")) & (c1 > 0)
    day[first1[stopped]] = np.maximum(
        plan.b1[stopped] - rng.integers(0, 5, int(stopped.sum())), plan.a1[stopped]
    )
    back = plan.is_("won_back") & (c2 > 0)
    day[first2[back]] = np.minimum(
        plan.a2[back] + rng.integers(0, 10, int(back.sum())), plan.b2[back]
    )
    # A partial churner is still a customer: one of its rarer orders is a recent one.
    still = plan.is_("partial") & (c2 > 0)
    day[first2[still]] = np.maximum(
        -rng.integers(0, PARTIAL_RECENT, int(still.sum())), plan.a2[still]
    )
    for code, within in RECENT_WITHIN.items():
        here = plan.is_(code) & (c1 > 0)
        day[first1[here]] = np.maximum(-rng.integers(0, within, int(here.sum())), plan.a1[here])


def _product_weights(org: Org, company: bool, level: int) -> np.ndarray:
    """Which products a customer of this kind and spend level (0 low, 1 mid, 2 high) picks."""
    price = org.product_price / 100
    tilt = (-0.6, 0.0, 0.45)[level]
    w = org.product_popularity * price**tilt
    w = np.where(org.product_business, w * (3.0 if company else 0.0), w)
    return w / w.sum()


def build_commerce(
    rng: np.random.Generator,
    plan: Plan,
    org: Org,
    clock: Clock,
    alloc: Alloc,
    *,
    orders_per_customer: float,
) -> Commerce:
    n = plan.n
    c1, c2 = _order_counts(rng, plan, orders_per_customer)
    idx = np.arange(n)
    cust = np.concatenate([np.repeat(idx, c1), np.repeat(idx, c2)])
    lo = np.concatenate([np.repeat(plan.a1, c1), np.repeat(plan.a2, c2)])
    hi = np.concatenate([np.repeat(plan.b1, c1), np.repeat(plan.b2, c2)])
    basket = np.concatenate([np.repeat(plan.k1, c1), np.repeat(plan.k2, c2)])
    day = clock.sample_days(rng, lo, hi)
    _anchor(rng, plan, day, c1, c2)
    order = np.lexsort((cust, day))  # order numbers rise with the date, as in a real shop
    cust, day, basket = cust[order], day[order], basket[order]
    m = len(cust)
    order_ids = alloc(Order, m)
    company = plan.company[cust]

    # Channel, dealer and campaign of each order.
    w = np.where(company[:, None], COMPANY_CHANNEL_W, PERSON_CHANNEL_W)
    partner = np.where(plan.partner[cust] >= 0, plan.partner[cust], plan.shared_with[cust])
    w[:, -1] *= partner >= 0
    channel = np.array(CHANNELS, dtype=object)[weighted_index(rng, w)]
    order_partner = np.where(channel == "partner", partner, -1)
    campaign = np.full(m, -1, dtype=np.int64)
    if len(org.campaign_ids):
        starts = np.argsort(org.campaign_start)
        k = np.searchsorted(org.campaign_start[starts], day, side="right") - 1
        inside = (k >= 0) & (day <= org.campaign_end[starts][np.maximum(k, 0)])
        joins = inside & (rng.random(m) < np.where(company, 0.2, 0.55))
        campaign[joins] = org.campaign_ids[starts][k[joins]]
    roll = rng.random(m)
    status = np.full(m, "completed", dtype=object)
    status[roll < 0.035] = "returned"
    status[roll < 0.02] = "cancelled"
    status[(day > -5) & (roll > 0.5)] = "open"

    # Lines: products by spend level, quantities, campaign and customer discounts.
    n_lines = np.minimum(1 + rng.poisson(np.where(company, 1.2, 0.5)), 5)
    line_order = np.repeat(np.arange(m), n_lines)
    nl = len(line_order)
    level = np.where(basket[line_order] >= 1.5, 2, np.where(basket[line_order] <= 0.7, 0, 1))
    biz = company[line_order]
    product = np.zeros(nl, dtype=np.int64)
    for is_biz in (False, True):
        for lv in (0, 1, 2):
            here = (biz == is_biz) & (level == lv)
            p = _product_weights(org, is_biz, lv)
            product[here] = rng.choice(len(p), size=int(here.sum()), p=p)
    # Service-heavy customers were won on price: deep discounts, small orders, thin margins
    # on top of their service cost.
    thin = plan.is_("service_heavy")[cust][line_order]
    qty = np.where(
        biz,
        1 + rng.poisson(np.where(thin, 0.5, 4 * basket[line_order])),
        1 + (rng.random(nl) < 0.15 * basket[line_order]) * rng.poisson(1.0, nl),
    )
    on_campaign = campaign[line_order] >= 0
    discount = np.where(
        on_campaign,
        rng.choice([0.8, 0.85, 0.9], nl),
        rng.choice([1.0, 1.0, 0.95, 0.9], nl),
    )
    discount = np.where(thin, discount * 0.65, discount)
    unit_price = np.rint(org.product_price[product] * discount).astype(np.int64)
    line_amount = unit_price * qty
    line_cost = org.product_cost[product] * qty
    amount = np.rint(np.bincount(line_order, weights=line_amount, minlength=m)).astype(np.int64)
    cost = np.rint(np.bincount(line_order, weights=line_cost, minlength=m)).astype(np.int64)

    created = clock.stamps(day, clock.office_seconds(rng, m))
    orders = Table(
        Order,
        {
            "id": order_ids,
            "customer_id": plan.ids[cust],
            "number": numbered("SO", order_ids),
            "ordered_on": clock.dates(day),
            "channel": channel,
            "campaign_id": campaign,
            "partner_id": order_partner,
            "status": status,
            "amount": amount,
            "cost": cost,
            "sales_rep_id": owner_on(plan, cust, day),
            "created_at": created,
            "updated_at": created,
        },
    )
    lines = Table(
        OrderLine,
        {
            "id": alloc(OrderLine, nl),
            "order_id": order_ids[line_order],
            "product_id": org.product_ids[product],
            "quantity": qty * 100,  # a decimal column: hundredths, like cents
            "unit_price": unit_price,
            "amount": line_amount,
            "cost": line_cost,
        },
    )
    invoices, payments, overdue = _receivables(
        rng, plan, clock, alloc, cust, day, (amount, cost), status, order_ids
    )
    billed = (status == "completed") | (status == "open")
    margin = np.bincount(cust[billed], weights=(amount - cost)[billed], minlength=n)
    last = np.full(n, -(10**6), dtype=np.int64)
    np.maximum.at(last, cust, day)
    return Commerce(
        orders=orders,
        lines=lines,
        invoices=invoices,
        payments=payments,
        order_count=np.bincount(cust, minlength=n),
        margin=margin / 100,
        last_order_day=last,
        overdue=overdue,
    )


def _unpaid_until_loss(rng, n, cust, due, amount, cost, bad_debt, never, part_paid):
    """More of a bad debtor's invoices left unpaid (oldest first) until the debts the analytics
    count (unpaid more than COUNTED_OVERDUE days after the due date) exceed what the customer's
    orders earn: the persona's promise is a loss through bad debt, and 35 % unpaid does not
    keep it when margins are over 35 %."""
    counted = due < -COUNTED_OVERDUE
    lost = np.where(never & counted, np.where(part_paid, amount * 0.7, amount), 0)
    earned = np.bincount(cust[bad_debt], weights=(amount - cost)[bad_debt], minlength=n)
    need = LOSS_MARGIN * earned - np.bincount(cust, weights=lost, minlength=n)
    pick = np.flatnonzero(bad_debt & counted & ~never)
    pick = pick[np.lexsort((due[pick], cust[pick]))]  # per customer, oldest due date first
    c = cust[pick]
    cum = np.cumsum(amount[pick])
    starts = np.searchsorted(c, c)  # first position of each customer's run
    before = cum - amount[pick] - np.where(starts > 0, cum[starts - 1], 0)
    more = np.zeros(len(cust), dtype=bool)
    more[pick[before < need[c]]] = True
    return more


def _receivables(rng, plan: Plan, clock: Clock, alloc: Alloc, cust, day, money, status, oids):
    amount, cost = money
    company = plan.company[cust]
    late_payer = plan.is_("late_payer")[cust]
    bad_debt = plan.is_("bad_debt")[cust]
    credit = company | late_payer | bad_debt | (rng.random(len(cust)) < PERSON_INVOICE_SHARE)
    # Cancelled and returned orders are not billed (returns are credited in full).
    pick = np.flatnonzero(credit & ((status == "completed") | (status == "open")))
    cust, day, amount, cost, oids = cust[pick], day[pick], amount[pick], cost[pick], oids[pick]
    company, late_payer, bad_debt = company[pick], late_payer[pick], bad_debt[pick]
    k = len(pick)
    inv_ids = alloc(Invoice, k)
    issued = np.minimum(day + rng.integers(0, 3, k), 0)
    terms = np.where(company, rng.choice([30, 60], k), 15)
    due = issued + terms

    # When (if ever) each invoice is settled, by payer behaviour.
    pay_day = issued + rng.integers(0, terms + 1)
    slips = rng.random(k) < 0.05
    pay_day[slips] = due[slips] + rng.integers(1, 20, int(slips.sum()))
    late = (late_payer | bad_debt) & (rng.random(k) < 0.85)
    pay_day[late] = due[late] + 5 + rng.gamma(2.0, 25.0, int(late.sum())).astype(np.int64)
    never = bad_debt & (rng.random(k) < 0.35)
    part_paid = never & (rng.random(k) < 0.3)  # a first instalment, then nothing
    never |= _unpaid_until_loss(rng, plan.n, cust, due, amount, cost, bad_debt, never, part_paid)
    paid = ~never & (pay_day <= 0)
    split = paid & (rng.random(k) < 0.08)

    written_off = np.where(never & (due < -WRITE_OFF_AFTER), amount, 0)
    first = np.where(part_paid, (amount * 0.3).astype(np.int64), 0)
    first = np.where(split, amount // 2, first)
    written_off = np.where(written_off > 0, amount - first, 0)
    paid_amount = np.where(paid, amount, first)

    invoices = Table(
        Invoice,
        {
            "id": inv_ids,
            "customer_id": plan.ids[cust],
            "order_id": oids,
            "number": numbered("INV", inv_ids),
            "issued_on": clock.dates(issued),
            "due_on": clock.dates(due),
            "amount": amount,
            "paid_amount": paid_amount,
            "paid_on": np.where(paid, clock.dates(np.minimum(pay_day, 0)), np.datetime64("NaT")),
            "written_off": written_off,
            "created_at": clock.stamps(issued, np.full(k, 10 * 3600)),
            "updated_at": clock.stamps(np.where(paid, np.minimum(pay_day, 0), issued), 0),
        },
    )
    # Payments: the full amount, or an instalment first (split bills, bad debtors' down
    # payment) and the rest on the settling day.
    inst = np.flatnonzero(first > 0)
    inst_day = np.where(
        split[inst],
        np.maximum(pay_day[inst] - rng.integers(5, 21, len(inst)), issued[inst]),
        np.minimum(issued[inst] + 20, 0),
    )
    full = np.flatnonzero(paid)
    p_inv = np.concatenate([inst, full])
    p_day = np.concatenate([inst_day, np.minimum(pay_day[full], 0)])
    p_amount = np.concatenate([first[inst], amount[full] - first[full]])
    np_ = len(p_inv)
    methods = np.where(
        company[p_inv],
        np.array(COMPANY_METHODS, dtype=object)[(rng.random(np_) < 0.1).astype(int)],
        np.array(PERSON_METHODS, dtype=object)[rng.choice(4, np_, p=PERSON_METHOD_P)],
    )
    payments = Table(
        Payment,
        {
            "id": alloc(Payment, np_),
            "invoice_id": inv_ids[p_inv],
            "customer_id": plan.ids[cust[p_inv]],
            "paid_on": clock.dates(p_day),
            "amount": p_amount,
            "method": methods,
            "created_at": clock.stamps(p_day, np.full(np_, 15 * 3600)),
            "updated_at": clock.stamps(p_day, np.full(np_, 15 * 3600)),
        },
    )
    unpaid = ~paid & (written_off == 0) & (due < 0)
    overdue = np.zeros(plan.n, dtype=bool)
    overdue[cust[unpaid]] = True
    return invoices, payments, overdue

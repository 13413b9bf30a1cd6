"""The churn models' inputs from the database: one row per customer as of any date.

Read once (``read_sources``: five bulk queries through ``extract.read_arrow``, COPY on
PostgreSQL), then turned into a feature table as of any cut-off day by ``feature_frame``, so a
training table (features as of an earlier cut-off, labels from what happened after it) and
the nightly scoring table (features as of today) are the same code. Only rows dated on or
before the cut-off enter a feature: a later order, payment or ticket cannot leak into it.

Features (``FEATURES`` plus one ``attr:<key>`` column per custom attribute):

* the customer record: kind, source, industry, employees, gender, age and income band,
  tenure (days since acquired or created);
* custom attributes (contract type, plan, membership…) as categories or numbers; keys starting
  with ``demo_`` (the demo's ground truth) and the keys that say the customer left
  (``END_KEYS``, ``STATUS_KEYS``: they are the label) are never features;
* orders: count and spend in the last year and in the year before, days since the last order;
* payment behaviour: share of due invoices paid late (or still unpaid), the amount overdue by
  more than the bad-debt limit, amounts written off;
* service: tickets and complaints in the last year, complaints still unresolved at the cut-off;
  interactions in the last year.

Who left (``labels``): in the window (cut-off, end], a customer left when a contract end date
(``END_KEYS``) falls in it, when a status attribute says cancelled/churned (``STATUS_KEYS``), or,
for a buyer who bought in the year before the cut-off, when the window's end is a year of
silence after their last order (the lifecycle's "lost": no order in the 365 days up to the end).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from django.db.models import BooleanField, Case, DateField, F, FloatField, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate

from kehu.customers.models import Customer, Interaction
from kehu.insights.extract import read_arrow
from kehu.sales.models import Invoice, Order
from kehu.service.models import Ticket

YEAR = 365
END_KEYS = (
    "contract_end",
    "contract_ended",
    "contract_end_date",
    "subscription_end",
    "end_date",
    "ended_on",
    "cancelled_on",
    "canceled_on",
    "churned_on",
)
STATUS_KEYS = ("status", "contract_status", "subscription_status")
LEFT_WORDS = frozenset(
    {"cancelled", "canceled", "churned", "ended", "terminated", "lapsed", "closed"}
    | {"已取消", "已解约", "已流失", "已终止", "已退订", "已到期"}
)
RECORD_FIELDS = ("kind", "source", "industry", "employees", "gender", "age_band", "income_band")
FEATURES = (
    *RECORD_FIELDS,
    "tenure_days",
    "orders_year",
    "orders_prior_year",
    "spend_year",
    "spend_prior_year",
    "days_since_order",
    "late_share",
    "overdue_amount",
    "written_off",
    "tickets_year",
    "complaints_year",
    "complaints_unresolved",
    "interactions_year",
)


def _day(field: str) -> TruncDate:
    return TruncDate(field, output_field=DateField())


@dataclass
class Sources:
    customers: pd.DataFrame  # id, created (date), record fields, attributes (dict)
    orders: pd.DataFrame  # customer_id, day (date), amount
    invoices: pd.DataFrame  # customer_id, due, paid, owed, written_off
    tickets: pd.DataFrame  # customer_id, opened, resolved, complaint
    interactions: pd.DataFrame  # customer_id, day


def _frame(qs, schema: pa.Schema) -> pd.DataFrame:
    return read_arrow(qs, schema).to_pandas(date_as_object=False)


def read_sources() -> Sources:
    """Everything the churn features need, every date included (cut later, per cut-off)."""
    customers = (
        Customer.objects.filter(merged_into__isnull=True)
        .annotate(
            created=Coalesce("acquired_on", _day("created_at"), output_field=DateField()),
            attrs=Cast("attributes", TextField()),
        )
        # In id order: the held-out split and the folds follow the table's rows, so the same
        # data must give the same model on SQLite and PostgreSQL.
        .order_by("id")
        .values_list("id", "created", *RECORD_FIELDS, "attrs")
    )
    text = pa.string()
    cust_schema = pa.schema(
        [("customer_id", pa.int64()), ("created", pa.date32())]
        + [(f, pa.float64() if f == "employees" else text) for f in RECORD_FIELDS]
        + [("attrs", text)]
    )
    cust = _frame(customers, cust_schema)
    cust["attributes"] = pd.Series([_attributes(a) for a in cust.pop("attrs")], dtype=object)
    orders = (
        Order.objects.filter(status=Order.Status.COMPLETED, customer__merged_into__isnull=True)
        .annotate(amount_f=Cast("amount", FloatField()))
        .order_by()
        .values_list("customer_id", "ordered_on", "amount_f")
    )
    order_schema = pa.schema(
        [("customer_id", pa.int64()), ("day", pa.date32()), ("amount", pa.float64())]
    )
    invoices = (
        Invoice.objects.filter(customer__merged_into__isnull=True)
        .annotate(
            owed=Cast(F("amount") - F("paid_amount"), FloatField()),
            off=Cast("written_off", FloatField()),
        )
        .order_by()
        .values_list("customer_id", "issued_on", "due_on", "paid_on", "owed", "off")
    )
    invoice_schema = pa.schema(
        [
            ("customer_id", pa.int64()),
            ("issued", pa.date32()),
            ("due", pa.date32()),
            ("paid", pa.date32()),
            ("owed", pa.float64()),
            ("written_off", pa.float64()),
        ]
    )
    tickets = (
        Ticket.objects.filter(customer__merged_into__isnull=True)
        .annotate(opened=_day("opened_at"), resolved=_day("resolved_at"))
        .annotate(
            complaint=Case(
                When(kind=Ticket.Kind.COMPLAINT, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by()
        .values_list("customer_id", "opened", "resolved", "complaint")
    )
    ticket_schema = pa.schema(
        [
            ("customer_id", pa.int64()),
            ("opened", pa.date32()),
            ("resolved", pa.date32()),
            ("complaint", pa.bool_()),
        ]
    )
    interactions = (
        Interaction.objects.filter(customer__merged_into__isnull=True)
        .annotate(day=_day("occurred_at"))
        .order_by()
        .values_list("customer_id", "day")
    )
    inter_schema = pa.schema([("customer_id", pa.int64()), ("day", pa.date32())])
    return Sources(
        customers=cust,
        orders=_frame(orders, order_schema),
        invoices=_frame(invoices, invoice_schema),
        tickets=_frame(tickets, ticket_schema),
        interactions=_frame(interactions, inter_schema),
    )


def _attributes(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def attribute_keys(sources: Sources) -> list[str]:
    """Custom attribute keys usable as features (not ground truth, not the label)."""
    skip = set(END_KEYS) | set(STATUS_KEYS)
    keys: dict[str, None] = {}
    for attrs in sources.customers["attributes"]:
        for key in attrs:
            if not str(key).startswith("demo_") and str(key) not in skip:
                keys.setdefault(str(key))
    return sorted(keys)


def _ts(day: dt.date) -> np.datetime64:
    return np.datetime64(day, "D")


def _count(frame: pd.DataFrame, mask: np.ndarray, ids: pd.Index, column: str | None = None):
    part = frame.loc[mask]
    grouped = part.groupby("customer_id")
    series = grouped[column].sum() if column else grouped.size()
    return series.reindex(ids, fill_value=0).to_numpy(dtype=np.float64)


def feature_frame(
    sources: Sources, *, as_of: dt.date, keys: list[str], overdue_days: int = 90
) -> pd.DataFrame:
    """One row per customer known by ``as_of`` (index: customer id), features as of it."""
    day = _ts(as_of)
    cust = sources.customers
    known = cust[cust["created"].to_numpy(dtype="datetime64[D]") <= day]
    ids = pd.Index(known["customer_id"].to_numpy(), name="customer_id")
    out = pd.DataFrame(index=ids)
    for field in RECORD_FIELDS:
        out[field] = known[field].to_numpy()
    created = known["created"].to_numpy(dtype="datetime64[D]")
    out["tenure_days"] = (day - created).astype(np.float64)

    o = sources.orders
    o_day = o["day"].to_numpy(dtype="datetime64[D]")
    year, prior = o_day > day - YEAR, o_day > day - 2 * YEAR
    upto = o_day <= day
    out["orders_year"] = _count(o, upto & year, ids)
    out["orders_prior_year"] = _count(o, upto & prior & ~year, ids)
    out["spend_year"] = _count(o, upto & year, ids, "amount")
    out["spend_prior_year"] = _count(o, upto & prior & ~year, ids, "amount")
    last = o.loc[upto].groupby("customer_id")["day"].max().reindex(ids)
    out["days_since_order"] = (day - last.to_numpy(dtype="datetime64[D]")).astype(np.float64)

    inv = sources.invoices
    due = inv["due"].to_numpy(dtype="datetime64[D]")
    paid = inv["paid"].to_numpy(dtype="datetime64[D]")
    issued = inv["issued"].to_numpy(dtype="datetime64[D]")
    is_due = (due <= day) & (issued <= day)
    unpaid_now = np.isnat(paid) | (paid > day)
    late = is_due & (unpaid_now | (paid > due))
    n_due = _count(inv, is_due, ids)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["late_share"] = np.where(n_due > 0, _count(inv, late, ids) / n_due, np.nan)
    # What is still owed now on a long-overdue invoice (the amount paid by now is all we know).
    bad = is_due & unpaid_now & (due <= day - overdue_days)
    out["overdue_amount"] = _count(inv.assign(w=inv["owed"].clip(lower=0)), bad, ids, "w")
    out["written_off"] = _count(inv, issued <= day, ids, "written_off")

    t = sources.tickets
    opened = t["opened"].to_numpy(dtype="datetime64[D]")
    resolved = t["resolved"].to_numpy(dtype="datetime64[D]")
    t_year = (opened <= day) & (opened > day - YEAR)
    complaint = t["complaint"].to_numpy(dtype=bool)
    out["tickets_year"] = _count(t, t_year, ids)
    out["complaints_year"] = _count(t, t_year & complaint, ids)
    open_then = (opened <= day) & (np.isnat(resolved) | (resolved > day))
    out["complaints_unresolved"] = _count(t, open_then & complaint, ids)

    i = sources.interactions
    i_day = i["day"].to_numpy(dtype="datetime64[D]")
    out["interactions_year"] = _count(i, (i_day <= day) & (i_day > day - YEAR), ids)

    attrs = known["attributes"].to_list()
    for key in keys:
        values = [a.get(key) for a in attrs]
        out[f"attr:{key}"] = [None if v is None or v == "" else str(v) for v in values]
    return out


def _date(value: object) -> np.datetime64 | None:
    try:
        return np.datetime64(dt.date.fromisoformat(str(value)[:10]), "D")
    except ValueError:
        return None


def left_between(sources: Sources, ids: pd.Index, start: dt.date, end: dt.date) -> pd.Series:
    """Per customer in ``ids``: 1 left in (start, end], 0 stayed, NaN not in the population
    (had left before ``start``, or was neither a buyer nor under contract at ``start``)."""
    s, e = _ts(start), _ts(end)
    cust = sources.customers.set_index("customer_id").reindex(ids)
    o = sources.orders
    o_day = o["day"].to_numpy(dtype="datetime64[D]")
    before = o.loc[(o_day <= s) & (o_day > s - YEAR)].groupby("customer_id").size()
    active = pd.Series(ids.isin(before.index), index=ids)
    recent = o.loc[(o_day <= e) & (o_day > e - YEAR)].groupby("customer_id").size()
    silent = ~pd.Series(ids.isin(recent.index), index=ids)
    label = pd.Series(np.nan, index=ids)
    label[active] = 0.0
    label[active & silent] = 1.0
    for cid, attrs in zip(ids, cust["attributes"], strict=True):
        if not isinstance(attrs, dict):
            continue
        ended = next((_date(attrs[k]) for k in END_KEYS if attrs.get(k)), None)
        status = next((str(attrs[k]).strip().lower() for k in STATUS_KEYS if attrs.get(k)), "")
        if ended is not None:
            if ended <= s:
                label[cid] = np.nan  # gone before the window: nothing to predict
            elif ended <= e:
                label[cid] = 1.0
            else:
                label[cid] = 0.0 if np.isnan(label[cid]) else label[cid]
        elif status in LEFT_WORDS:
            label[cid] = 1.0
    return label

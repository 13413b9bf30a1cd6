"""Synthetic analytics input for the benchmark: deterministic, cached under bench/data/.

``generate(customers=1_000_000)`` writes four Parquet files shaped like ``kehu.analytics.schema``:
transactions (10 per customer on average, exactly ``10 × customers`` rows), customers, service
events (2 per customer) and receivables (1 per customer). Purchase timing mimics the BG/NBD
story: each customer has a purchase rate and a lifetime after which they stop buying, so the
fit has something real to find. No order_id column: the pipeline does not use it.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent / "data"
START = dt.date(2022, 1, 1)
END = dt.date(2024, 12, 31)
EPOCH = dt.date(1970, 1, 1)
SEED = 20240601


def paths(customers: int) -> dict[str, Path]:
    base = DATA / f"analytics_{customers}"
    return {
        name: base / f"{name}.parquet"
        for name in ("transactions", "customers", "service_events", "receivables")
    }


def _ids(prefix: str, idx: np.ndarray) -> pa.Array:
    # Zero-padded so that string order equals numeric order.
    return pa.array(np.char.add(prefix, np.char.zfill(idx.astype(str), 8)))


# True BG/NBD parameters of the simulation, time in days (alpha in weeks = 40 / 7 = 5.714).
TRUE_PARAMS = {"r": 1.0, "alpha_days": 40.0, "a": 1.0, "b": 9.0}


def _bgnbd_purchase_days(rng, n: int, start: int, end: int):
    """Simulate the BG/NBD process: purchase rate lambda ~ Gamma(r, 1/alpha), drop-out after each
    purchase with probability p ~ Beta(a, b), observed from the first purchase to ``end``."""
    tp = TRUE_PARAMS
    first = rng.integers(start, end - 365, n)
    T = (end - first).astype(float)
    lam = rng.gamma(tp["r"], 1.0 / tp["alpha_days"], n)
    p = rng.beta(tp["a"], tp["b"], n)
    alive_for = rng.geometric(p)  # drop-out follows a repeat purchase: at most G repeats
    arrivals = rng.poisson(lam * T)  # Poisson arrivals in (0, T] if never dropping out
    k = np.minimum(alive_for, arrivals)
    # The first k arrival times are the k smallest of `arrivals` uniforms on (0, T]: the
    # sequential order-statistics recursion 1 - U(j) = (1 - U(j-1)) * V^(1 / (N - j + 1)).
    owner = np.repeat(np.arange(n), k)
    within = np.arange(len(owner)) - np.repeat(np.cumsum(k) - k, k)  # 0-based j - 1
    log_factor = np.log(rng.random(len(owner))) / (arrivals[owner] - within)
    csum = np.cumsum(log_factor)
    group_start = np.repeat(np.cumsum(k) - k, k)
    before = np.concatenate([[0.0], csum])[group_start]
    u = 1.0 - np.exp(csum - before)
    repeat_day = first[owner] + np.ceil(u * T[owner]).astype(np.int64)
    cust = np.concatenate([np.arange(n), owner])
    day = np.concatenate([first, np.minimum(repeat_day, end)])
    return cust, day, first


def generate(customers: int = 1_000_000, *, force: bool = False) -> dict[str, Path]:
    out = paths(customers)
    if not force and all(p.exists() for p in out.values()):
        return out
    rng = np.random.default_rng(SEED)
    n = customers
    n_tx = 10 * n
    start, end = (START - EPOCH).days, (END - EPOCH).days
    cust, day, first = _bgnbd_purchase_days(rng, n, start, end)
    # Pad to exactly n_tx rows with second orders on an existing purchase day (several orders a
    # day are common; the analytics merge them, so the BG/NBD summary is unchanged).
    if len(cust) > n_tx:
        raise RuntimeError(f"simulated {len(cust)} purchase days, more than {n_tx} rows")
    pick = rng.integers(0, len(cust), n_tx - len(cust))
    cust = np.concatenate([cust, cust[pick]])
    day = np.concatenate([day, day[pick]])
    order = np.lexsort((day, cust))
    cust, day = cust[order], day[order].astype(np.int32)
    basket = rng.lognormal(3.5, 0.6, n)
    amount = np.round(basket[cust] * rng.lognormal(0.0, 0.4, n_tx), 2)
    cost = np.round(amount * rng.uniform(0.55, 0.9, n_tx), 2)
    ids = _ids("C", np.arange(n))
    DATA.mkdir(parents=True, exist_ok=True)
    out["transactions"].parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.table(
            {
                "customer_id": ids.take(pa.array(cust)),
                "date": pa.array(day, pa.int32()).cast(pa.date32()),
                "amount": amount,
                "cost": cost,
            }
        ),
        out["transactions"],
        row_group_size=1 << 20,
    )
    created = first - rng.integers(0, 120, n)
    nps = rng.integers(0, 11, n).astype(float)
    nps[rng.random(n) < 0.7] = np.nan
    pq.write_table(
        pa.table(
            {
                "customer_id": ids,
                "created_at": pa.array(created.astype(np.int32), pa.int32()).cast(pa.date32()),
                "is_qualified": rng.random(n) < 0.8,
                "referrals": rng.poisson(0.2, n),
                "nps": pa.array(nps, pa.int64(), from_pandas=True),
            }
        ),
        out["customers"],
    )
    n_ev = 2 * n
    ev_cust = rng.integers(0, n, n_ev)
    kinds = np.array(["phone", "email", "visit", "ticket", "chat"])
    pq.write_table(
        pa.table(
            {
                "customer_id": ids.take(pa.array(ev_cust)),
                "date": pa.array(
                    (first[ev_cust] + rng.integers(0, 365, n_ev)).clip(max=end).astype(np.int32),
                    pa.int32(),
                ).cast(pa.date32()),
                "kind": kinds[rng.choice(5, n_ev, p=[0.4, 0.3, 0.05, 0.15, 0.1])],
                "minutes": np.round(rng.exponential(8.0, n_ev), 1),
            }
        ),
        out["service_events"],
    )
    due = (first + rng.integers(30, 400, n)).clip(max=end).astype(np.int32)
    delay = rng.integers(-20, 60, n)
    paid = (due + delay).astype(np.float64)
    paid[rng.random(n) < 0.05] = np.nan
    paid[paid > end] = np.nan
    written = np.where(rng.random(n) < 0.02, np.round(rng.uniform(10, 200, n), 2), 0.0)
    pq.write_table(
        pa.table(
            {
                "customer_id": ids,
                "invoice_id": _ids("I", np.arange(n)),
                "due_date": pa.array(due, pa.int32()).cast(pa.date32()),
                "paid_date": pa.array(paid, pa.int32(), from_pandas=True).cast(pa.date32()),
                "amount": np.round(rng.lognormal(5.0, 0.8, n), 2),
                "written_off": written,
            }
        ),
        out["receivables"],
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    for name, path in generate(args.customers, force=args.force).items():
        print(f"{name}: {path} ({pq.read_metadata(path).num_rows:,} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Synthetic data with a known churn mechanism, for tests and benchmarks.

``telecom(n)`` imitates a telecom subscriber file (IBM's Telco churn sample has the same shape):
contract type, tenure, charges, services, payment method, complaints, with ``TotalCharges``
stored as text and blank for customers in their first month. Churn follows a logistic model
with one interaction (fibre without technical support) and a tenure effect that flattens, so a
linear model is good but not perfect.

``purchases(n)`` is a transaction log of customers who buy at their own rhythm and may quietly
stop (a BG/NBD-like process), with a slowly declining spend before they stop.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def telecom(n: int, *, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    contract = rng.choice(["Month-to-month", "One year", "Two year"], n, p=[0.55, 0.21, 0.24])
    long_contract = contract != "Month-to-month"
    tenure = np.where(long_contract, rng.integers(1, 73, n), np.minimum(rng.geometric(0.05, n), 72))
    internet = rng.choice(["DSL", "Fiber optic", "No"], n, p=[0.34, 0.44, 0.22])
    tech_support = np.where(internet == "No", "No internet service", rng.choice(["Yes", "No"], n))
    payment = rng.choice(
        [
            "Electronic check",
            "Mailed check",
            "Bank transfer (automatic)",
            "Credit card (automatic)",
        ],
        n,
        p=[0.34, 0.23, 0.22, 0.21],
    )
    senior = rng.random(n) < 0.16
    paperless = rng.choice(["Yes", "No"], n, p=[0.59, 0.41])
    monthly = (
        20
        + np.where(internet == "Fiber optic", 50, np.where(internet == "DSL", 25, 0))
        + rng.normal(0, 8, n)
    ).round(2)
    complaints = rng.poisson(0.3 + 0.4 * (internet == "Fiber optic"), n)
    total = (monthly * tenure * rng.normal(1, 0.03, n)).round(2)
    total_text = np.where(tenure <= 1, " ", total.astype(str))
    logit = (
        -1.3
        + 1.4 * (contract == "Month-to-month")
        - 0.8 * (contract == "Two year")
        - 1.5 * np.log1p(tenure) / np.log(73) * 1.6
        + 0.7 * (internet == "Fiber optic")
        + 0.6 * ((internet == "Fiber optic") & (tech_support == "No"))
        + 0.5 * (payment == "Electronic check")
        + 0.35 * senior
        + 0.25 * (paperless == "Yes")
        + 0.45 * np.minimum(complaints, 4)
        + 0.01 * (monthly - 60)
    )
    churn = rng.random(n) < 1 / (1 + np.exp(-1.4 * logit - 0.5))
    return pd.DataFrame(
        {
            "customerID": [f"C{i:07d}" for i in range(n)],
            "SeniorCitizen": senior.astype(int),
            "tenure": tenure,
            "Contract": contract,
            "InternetService": internet,
            "TechSupport": tech_support,
            "PaperlessBilling": paperless,
            "PaymentMethod": payment,
            "MonthlyCharges": monthly,
            "TotalCharges": total_text,
            "Complaints": complaints,
            "Churn": np.where(churn, "Yes", "No"),
        }
    )


def purchases(n: int, *, start: str = "2023-01-01", days: int = 730, seed: int = 0) -> pd.DataFrame:
    """Columns customer_id, date, amount: a few purchases per customer on average."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, days // 2, n)
    rate = rng.gamma(2.0, 1 / 60.0, n)  # purchases per day: mean one a month
    lifetime = rng.exponential(rng.choice([120, 400, 2000], n, p=[0.3, 0.4, 0.3]))
    mean_spend = rng.gamma(4.0, 12.0, n)
    regularity = rng.choice([0.3, 1.0], n)  # some buy like clockwork, others at random
    ids, offsets, amounts = [], [], []
    for i in range(n):
        t, end = float(first[i]), min(first[i] + lifetime[i], days)
        k = 0
        while t < end:
            ids.append(i)
            offsets.append(int(t))
            fade = max(0.3, 1 - 0.5 * (t - first[i]) / max(lifetime[i], 1))
            amounts.append(round(float(mean_spend[i] * fade * rng.gamma(5, 0.2)), 2))
            gap = rng.gamma(1 / regularity[i] ** 2, regularity[i] ** 2 / rate[i])
            t += max(gap, 1.0)
            k += 1
    base = dt.date.fromisoformat(start)
    return pd.DataFrame(
        {
            "customer_id": [f"K{i:06d}" for i in ids],
            "date": [(base + dt.timedelta(days=d)).isoformat() for d in offsets],
            "amount": amounts,
        }
    )

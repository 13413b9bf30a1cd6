"""Customers with scores, for the retention tests (the nightly run's columns set directly)."""

from __future__ import annotations

from decimal import Decimal

from kehu.customers import services as customer_services
from kehu.customers.models import Customer


def scored(org, *, n: int = 1, owner=None, tier="key", band="high", var=1000, **fields):
    owner = owner or org.alice
    made = []
    for i in range(n):
        customer = customer_services.customer_create(
            by=owner, owner=owner, name=f"{tier}-{band}-{i}-{len(fields)}", **fields
        )
        Customer.objects.filter(pk=customer.pk).update(
            tier=tier, churn_band=band, value_at_risk=Decimal(var) + i
        )
        customer.refresh_from_db()
        made.append(customer)
    return made


def bulk_scored(*, n: int, tiers=("key", "major", "ordinary"), bands=("high", "medium"), team=None):
    """Many customers without the per-row service (statistics tests)."""
    rows = [
        Customer(
            name=f"c{i}",
            tier=tiers[i % len(tiers)],
            churn_band=bands[(i // len(tiers)) % len(bands)],
            value_at_risk=Decimal(i % 500),
            team=team,
        )
        for i in range(n)
    ]
    return Customer.objects.bulk_create(rows, batch_size=2000)

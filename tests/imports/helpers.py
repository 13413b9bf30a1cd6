"""Snapshots for refusal tests: what an import must leave untouched."""

from __future__ import annotations

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer, Interaction, OwnerHistory
from kehu.sales.models import Invoice, Order, OrderLine, Payment


def stored_state() -> dict[str, object]:
    """Counts and the figures a refused row could have changed."""
    return {
        "customers": list(Customer.objects.order_by("pk").values_list("pk", "owner_id", "city")),
        "history": OwnerHistory.objects.count(),
        "interactions": list(Interaction.objects.values_list("pk", "user_id")),
        "orders": list(Order.objects.values_list("number", "amount", "sales_rep_id")),
        "lines": OrderLine.objects.count(),
        "invoices": list(Invoice.objects.values_list("number", "paid_amount", "paid_on")),
        "payments": Payment.objects.count(),
        "audit": AuditEvent.objects.exclude(action=AuditEvent.Action.IMPORT).count(),
    }

"""The API refuses a payment on an archived customer's invoice with a 422 (its validation
error) naming the invoice, by the same service rule as the import (issue #9); nothing is
stored."""

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.services import customer_archive
from kehu.sales.models import Invoice, Payment
from tests.api.conftest import api, sales  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db


def test_payment_on_archived_customers_invoice_is_422(api, org, sales):  # noqa: F811
    customer_archive(customer=org.customer, by=org.mia)
    before = (Payment.objects.count(), AuditEvent.objects.count())
    invoice = Invoice.objects.values("paid_amount", "paid_on").get(pk=sales.invoice.pk)
    response = api("mia").post(
        f"/invoices/{sales.invoice.pk}/payments", {"amount": "10", "paid_on": "2024-06-02"}
    )
    assert response.status_code == 422, response.content
    assert "invoice" in response.content.decode()
    assert (Payment.objects.count(), AuditEvent.objects.count()) == before
    assert Invoice.objects.values("paid_amount", "paid_on").get(pk=sales.invoice.pk) == invoice

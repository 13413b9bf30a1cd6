"""The merge finds its links generically: every column of every installed model that refers
to a customer is one, so records of apps added later move too (bookkeeping excepted)."""

from __future__ import annotations

from django.apps import apps

from kehu.customers.models import Customer
from kehu.quality.links import customer_links


def test_every_customer_column_is_a_link():
    expected = {
        f"{model._meta.label_lower}.{f.attname}"
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label != "quality"
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Customer
    }
    found = {link.label for link in customer_links()}
    assert found == expected
    assert {"customers.customer_tags.customer_id", "sales.order.customer_id"} <= found
    assert {"customers.relation.from_customer_id", "customers.relation.to_customer_id"} <= found

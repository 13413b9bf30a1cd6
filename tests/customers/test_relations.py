"""Relations between customers (A4) are shown from both ends with the right wording, and
only to users who may see the other customer."""

from __future__ import annotations

import pytest

from kehu.customers import services
from kehu.customers.models import Relation

pytestmark = pytest.mark.django_db


def test_relation_shown_both_ways(client, org):
    company = services.customer_create(
        by=org.alice, owner=org.alice, name="华东贸易有限公司", kind="company"
    )
    client.force_login(org.alice)
    response = client.post(
        f"/customers/{org.customer.pk}/relations/new/",
        {"kind": "contact_at", "other": company.pk, "role": "采购经理"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    person_page = client.get(
        f"/customers/{org.customer.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    company_page = client.get(
        f"/customers/{company.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Contact person at" in person_page and "华东贸易有限公司" in person_page
    assert (
        "Has contact person" in company_page
        and "张伟" in company_page
        and "采购经理" in company_page
    )


def test_cannot_relate_to_invisible_customer(client, org):
    hidden = services.customer_create(by=org.charlie, owner=org.charlie, name="南方客户")
    client.force_login(org.alice)
    response = client.post(
        f"/customers/{org.customer.pk}/relations/new/", {"kind": "knows", "other": hidden.pk}
    )
    assert response.status_code == 200
    assert not Relation.objects.exists()


def test_relation_to_invisible_customer_not_listed(client, org):
    hidden = services.customer_create(by=org.charlie, owner=org.charlie, name="南方客户")
    Relation.objects.create(from_customer=org.customer, to_customer=hidden, kind="knows")
    client.force_login(org.alice)
    assert "南方客户" not in client.get(f"/customers/{org.customer.pk}/").content.decode()

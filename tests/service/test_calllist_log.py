"""Logging a call from the list: an outbound phone interaction on the timeline with its
outcome, note and minutes; bad input is a 400 naming the field, nothing written."""

from __future__ import annotations

from decimal import Decimal

from kehu.customers.models import Customer, Interaction
from tests.conftest import login
from tests.service.proactive_data import state


def _key_at_risk(org) -> Customer:
    Customer.objects.filter(pk=org.customer.pk).update(tier="key", churn_band="high",
                                                       value_at_risk=Decimal("12000"))  # fmt: skip
    return org.customer


def test_page_lists_and_logs(client, org):
    c = _key_at_risk(org)
    login(client, org.alice)
    page = client.get("/service/calls/out/")
    assert page.status_code == 200 and f'data-customer="{c.pk}"' in page.content.decode()
    response = client.post(f"/service/calls/out/{c.pk}/log/",
                           {"outcome": "follow_up", "note": "下周再联系", "minutes": "4"})  # fmt: skip
    assert response.status_code == 302
    i = Interaction.objects.get(customer=c)
    assert (i.direction, i.channel, i.outcome, i.notes, i.duration_minutes, i.user) == (
        "out", "phone", "follow_up", "下周再联系", 4, org.alice)  # fmt: skip
    assert f'data-customer="{c.pk}"' not in client.get("/service/calls/out/").content.decode()


def test_bad_input_is_refused_whole(client, org):
    c = _key_at_risk(org)
    login(client, org.sam)
    before = (state(), Interaction.objects.count())
    for data in ({"outcome": "maybe"}, {"outcome": "done", "minutes": "lots"},
                 {"outcome": "done", "minutes": "0"}):  # fmt: skip
        response = client.post(f"/service/calls/out/{c.pk}/log/", data)
        assert response.status_code == 400
    assert (state(), Interaction.objects.count()) == before

"""Every ticket and every message is on the customer's timeline; internal notes only for
those who may read them; the 360 page renders them."""

from __future__ import annotations

from kehu.customers.timeline import timeline_page
from kehu.service import services
from tests.conftest import login
from tests.service.helpers import ticket


def test_messages_on_the_timeline(client, org):
    t = ticket(org, subject="洗衣机漏水")
    services.ticket_reply(ticket=t, by=org.sam, body="明天上门")
    services.ticket_note(ticket=t, by=org.sam, body="备件缺货")
    kinds = [e.kind for e in timeline_page(customer=org.customer, user=org.sam).entries]
    assert kinds.count("ticket_message") == 2 and "ticket" in kinds
    partner = timeline_page(customer=org.customer, user=org.pat).entries
    assert [e.detail for e in partner if e.kind == "ticket_message"] == ["明天上门"]
    page = login(client, org.sam).get(f"/customers/{org.customer.pk}/").content.decode()
    assert "明天上门" in page

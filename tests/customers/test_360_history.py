"""The 360 page holds the whole history (issue #12): the timeline, orders, invoices and
payments page back to the first record with "more" (htmx), the timeline filters by channel,
department and kind, the tabs are tabs the address remembers, and a page costs the same
number of queries however long the history."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kehu.customers.models import Interaction
from kehu.sales.models import Invoice, Order, Payment

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
CURSOR = re.compile(r'hx-get="[^"]*cursor=([^"&]+)"')


def _history(customer, user, *, contacts=45, orders=25):
    now = timezone.now()
    Interaction.objects.bulk_create(
        Interaction(
            customer=customer,
            channel="email" if i % 3 == 0 else "phone",
            department="billing" if i % 5 == 0 else "sales",
            subject=f"contact-{i:03d}",
            user=user,
            occurred_at=now - dt.timedelta(days=i),
        )
        for i in range(contacts)
    )
    for i in range(orders):
        order = Order.objects.create(
            customer=customer,
            number=f"SO-{i:03d}",
            ordered_on=dt.date(2026, 1, 1) - dt.timedelta(days=i),
            channel="web",
            amount=Decimal("1234.5"),
        )
        invoice = Invoice.objects.create(
            customer=customer,
            order=order,
            number=f"INV-{i:03d}",
            issued_on=order.ordered_on,
            due_on=order.ordered_on,
            amount=Decimal("1234.5"),
        )
        Payment.objects.create(
            invoice=invoice, customer=customer, paid_on=order.ordered_on, amount=Decimal("1234.5")
        )


def _walk_timeline(client, customer, params=""):
    """Every page of the timeline through its "more" links; the titles and query counts."""
    url = f"/customers/{customer.pk}/timeline/?{params}"
    body = client.get(url, **HX).content.decode()
    bodies, counts = [body], []
    while match := CURSOR.search(body):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{url}&cursor={match.group(1)}", **HX)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        body = response.content.decode()
        bodies.append(body)
    return "".join(bodies), counts


def test_timeline_pages_back_to_the_first_record(client, org):
    _history(org.customer, org.bob)
    client.force_login(org.alice)
    body, counts = _walk_timeline(client, org.customer)
    for i in range(45):
        assert body.count(f"contact-{i:03d}<") == 1
    for i in range(25):
        assert body.count(f"SO-{i:03d}<") == 1
    # Oldest last: the first order and the first contact close the line.
    assert body.rindex("SO-024") > body.rindex("contact-000")
    assert len(counts) >= 3 and len(set(counts)) == 1  # each page the same queries


def test_timeline_filters(client, org):
    _history(org.customer, org.bob, contacts=12, orders=2)
    client.force_login(org.alice)
    body, _ = _walk_timeline(client, org.customer, "channel=email")
    assert "contact-003<" in body and "contact-001<" not in body and "SO-000" not in body
    body, _ = _walk_timeline(client, org.customer, "department=billing")
    assert "contact-005<" in body and "contact-001<" not in body and "SO-000" not in body
    assert 'class="entry-payment"' in body
    body, _ = _walk_timeline(client, org.customer, "kind=order")
    assert "SO-001" in body and "contact-" not in body
    # A value that is no choice filters nothing rather than failing.
    assert (
        client.get(f"/customers/{org.customer.pk}/timeline/?channel=pigeon", **HX).status_code
        == 200
    )


def test_made_up_cursor_is_refused(client, org):
    client.force_login(org.alice)
    response = client.get(f"/customers/{org.customer.pk}/timeline/?cursor=bm9wZQ==", **HX)
    assert response.status_code == 400


def test_records_tabs_page_with_more(client, org):
    _history(org.customer, org.bob, contacts=0, orders=25)
    client.force_login(org.alice)
    page = client.get(f"/customers/{org.customer.pk}/?tab=orders").content.decode()
    assert len(re.findall(r'<td data-label="[^"]+">SO-', page)) == 20
    assert "/records/orders/?offset=20" in page
    more = client.get(f"/customers/{org.customer.pk}/records/orders/?offset=20", **HX)
    rows = more.content.decode()
    assert rows.count("SO-0") == 5 and "offset=" not in rows and "SO-024" in rows
    pay = client.get(f"/customers/{org.customer.pk}/records/payments/?offset=20", **HX)
    assert pay.content.decode().count("INV-0") == 5
    # Amounts with the currency sign and thousands separators, no float noise.
    assert "¥1,234.50" in page


def test_tabs_one_shown_and_remembered(client, org):
    client.force_login(org.alice)
    page = client.get(f"/customers/{org.customer.pk}/?tab=invoices").content.decode()
    assert re.search(r'data-tab-panel="invoices" id="invoices">', page)
    assert re.search(r'data-tab-panel="timeline" id="timeline-block" hidden', page)
    assert 'id="tab-invoices" class="active"' in page
    # Unknown tab: the timeline.
    page = client.get(f"/customers/{org.customer.pk}/?tab=nope").content.decode()
    assert 'id="tab-timeline" class="active"' in page
    assert "onclick" not in page and "<script>" not in page  # CSP: no inline script


def test_history_tab_only_for_who_may_see_history(client, org):
    client.force_login(org.ana)  # analyst: personal data masked, so no audit trail
    page = client.get(f"/customers/{org.customer.pk}/?tab=history").content.decode()
    assert 'data-tab-panel="history"' not in page and 'id="tab-timeline" class="active"' in page


def test_outsider_gets_404_on_every_part(client, org):
    client.force_login(org.charlie)
    for path in ["timeline/", "records/orders/", "records/payments/", "history/"]:
        assert client.get(f"/customers/{org.customer.pk}/{path}", **HX).status_code == 404


def test_history_page_full_when_opened_directly(client, org):
    client.force_login(org.mia)
    direct = client.get(f"/customers/{org.customer.pk}/history/").content.decode()
    partial = client.get(f"/customers/{org.customer.pk}/history/", **HX).content.decode()
    assert "<html" in direct and 'id="audit-history"' in direct
    assert "<html" not in partial and 'id="audit-history"' in partial

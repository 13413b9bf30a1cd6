"""The demo's ``customer`` login (issue #13): signing in with the published demo password
lands in the customer portal, as one demo customer with open tickets, and sees only that
customer's tickets; staff pages send it back to the portal."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from kehu.demo.org import DEMO_PASSWORD
from kehu.portal.models import PortalAccess
from kehu.service.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "demo",
            customers=600,
            seed=3,
            as_of=dt.date(2025, 6, 30),
            stdout=StringIO(),
            stderr=StringIO(),
        )
        yield
        transaction.set_rollback(True)


def test_customer_login_opens_the_portal(demo, client):
    access = PortalAccess.objects.select_related("customer", "user").get(user__username="customer")
    own = Ticket.objects.filter(customer=access.customer)
    assert own.exclude(status__in=("resolved", "closed")).exists()

    assert client.login(username="customer", password=DEMO_PASSWORD)
    assert client.get("/customers/").url == "/portal/"
    page = client.get("/portal/")
    assert page.status_code == 200
    html = page.content.decode()
    assert all(t.subject in html for t in own.order_by("-id")[:5])
    other = Ticket.objects.exclude(customer=access.customer).order_by("id").first()
    assert client.get(f"/portal/tickets/{other.pk}/").status_code == 404

"""Manager review of reps (F7), numbers worked out by hand for 1–20 March 2026: card
completeness (name, phone, e-mail, city, birthday filled), contacts done vs due, sales vs
collections, overdue receivables; managers see their team, administrators everyone, reps
are refused; the drill-down lists a rep's cards, least complete first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from kehu.development import review, services
from kehu.development.models import Card
from kehu.sales.models import Invoice, Order, Payment
from tests.conftest import login

D = dt.date
ON = D(2026, 3, 20)


def _setup(org, leads):
    full = services.lead_create(
        by=org.alice,
        owner=org.alice,
        name="周全",
        phone="13955556666",
        email="zhou@example.com",
        city="北京",
        source="press",
    )
    full.birthday = D(1985, 5, 5)
    full.save()
    far = D(2026, 12, 1)
    # North's lead: 3 of 5 (no e-mail, no birthday); a call done in March, a visit overdue.
    Card.objects.filter(lead=leads.north).update(
        last_call_on=D(2026, 3, 5), next_call_on=D(2026, 4, 6), next_visit_on=D(2026, 3, 10)
    )
    # The full card: 5 of 5; its visit was in February (outside), nothing overdue.
    Card.objects.filter(lead=full).update(
        last_visit_on=D(2026, 2, 20), next_call_on=D(2026, 3, 25), next_visit_on=far
    )
    Card.objects.filter(lead=leads.p1).update(next_call_on=far, next_visit_on=far)
    c = org.customer
    Order.objects.create(
        customer=c, number="O1", ordered_on=D(2026, 3, 2), channel="store", amount=Decimal("1000")
    )
    Order.objects.create(
        customer=c, number="O2", ordered_on=D(2026, 2, 28), channel="store", amount=Decimal("500")
    )
    Order.objects.create(
        customer=c,
        number="O3",
        ordered_on=D(2026, 3, 5),
        channel="store",
        amount=Decimal("300"),
        status="cancelled",
    )
    late = Invoice.objects.create(
        customer=c,
        number="I1",
        issued_on=D(2026, 2, 1),
        due_on=D(2026, 3, 1),
        amount=Decimal("1000"),
        paid_amount=Decimal("400"),
    )
    Invoice.objects.create(
        customer=c,
        number="I2",
        issued_on=D(2026, 3, 1),
        due_on=D(2026, 4, 1),
        amount=Decimal("200"),
    )
    Payment.objects.create(invoice=late, customer=c, paid_on=D(2026, 3, 10), amount=Decimal("400"))


def test_numbers_by_hand(org, leads):
    _setup(org, leads)
    rows = {r.user.username: r for r in review.rep_review(user=org.mia, on=ON)}
    assert set(rows) == {"alice", "bob", "mia"}
    alice = rows["alice"]
    assert alice.cards == 2 and alice.completeness == 0.8  # (3 + 5) / 10
    assert (alice.done, alice.overdue, alice.due) == (1, 1, 2)
    assert alice.sales == Decimal("1000") and alice.collections == Decimal("400")
    assert alice.overdue_receivables == Decimal("600")
    bob = rows["bob"]  # 赵敏: only the name
    assert bob.cards == 1 and bob.completeness == 0.2 and bob.due == 0
    assert bob.sales == 0 and bob.overdue_receivables == 0
    assert rows["mia"].cards == 0 and rows["mia"].completeness is None


def test_admin_sees_all_reps_manager_only_the_team(org, leads):
    names = {r.user.username for r in review.rep_review(user=org.root, on=ON)}
    assert {"alice", "bob", "charlie", "mia"} <= names
    assert "charlie" not in {r.user.username for r in review.rep_review(user=org.mia, on=ON)}


def test_pages_and_drill_down(client, org, leads):
    _setup(org, leads)
    login(client, org.mia)
    page = client.get(reverse("development:rep_review"), {"on": "2026-03-20"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "80%" in body and "charlie" not in body
    cards = client.get(reverse("development:rep_cards", args=[org.alice.pk]), {"on": "2026-03-20"})
    text = cards.content.decode()
    assert cards.status_code == 200 and text.index("李娜") < text.index("周全")
    assert client.get(reverse("development:rep_cards", args=[org.charlie.pk])).status_code == 404
    for user in (org.alice, org.ana, org.pat):
        assert login(client, user).get(reverse("development:rep_review")).status_code == 403

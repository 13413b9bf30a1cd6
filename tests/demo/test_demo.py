"""``kehu demo``: a small build is deterministic, has one working login per role, and contains
every behaviour the analytics are judged on, with its truth recorded."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, QuerySet, Sum

from kehu.core.models import AuditEvent, Profile, Role
from kehu.core.permissions import visible_customers
from kehu.core.text import phone_e164, pinyin_forms
from kehu.customers.models import (
    Customer,
    CustomerShare,
    Interaction,
    OwnerHistory,
    Relation,
    SearchKey,
)
from kehu.customers.search import parse_query
from kehu.customers.search_index import ranked_search
from kehu.customers.services import completeness_of
from kehu.demo import personas
from kehu.demo.names import SURNAME_PINYIN, pinyin_of
from kehu.demo.org import DEMO_PASSWORD
from kehu.sales.models import Invoice, Order, OrderLine
from kehu.service.models import Ticket, TicketMessage

AS_OF = dt.date(2025, 6, 30)
N = 200
# One worker for the module: the shared build below must not see the empty-database tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def build(seed: int = 7, **extra) -> str:
    out = StringIO()
    call_command(
        "demo", customers=N, seed=seed, as_of=AS_OF, stdout=out, stderr=StringIO(), **extra
    )
    return out.getvalue()


def persona_customers() -> QuerySet[Customer]:
    """The customers the persona builder made (demo-1 … demo-N). The development demo
    converts some leads into customers of their own, which carry no persona."""
    return Customer.objects.filter(external_id__startswith="demo-")


def snapshot() -> tuple:
    customers = list(
        persona_customers()
        .order_by("external_id")
        .values_list("external_id", "name", "name_en", "phone", "email", "address", "attributes")
    )
    orders = list(
        Order.objects.order_by("customer__external_id", "ordered_on", "amount").values_list(
            "customer__external_id", "ordered_on", "amount", "cost", "channel"
        )
    )
    invoices = Invoice.objects.aggregate(
        a=Sum("amount"), p=Sum("paid_amount"), w=Sum("written_off")
    )
    tickets = list(
        Ticket.objects.order_by("opened_at", "customer__external_id").values_list(
            "customer__external_id", "kind", "status", "due_at", "first_response_at", "vip"
        )
    )
    return customers, orders, invoices, tickets, TicketMessage.objects.count()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One build shared by the read-only tests of this module, rolled back at its end; each
    test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def build_and_forget(seed: int) -> tuple:
    with transaction.atomic():
        build(seed)
        snap = snapshot()
        transaction.set_rollback(True)
    return snap


def by_persona() -> dict[str, list[Customer]]:
    groups: dict[str, list[Customer]] = defaultdict(list)
    for c in persona_customers():
        groups[c.attributes["demo_persona"]].append(c)
    return groups


def order_days(customer: Customer) -> list[tuple[int, Decimal]]:
    return [
        ((AS_OF - day).days, amount)
        for day, amount in customer.orders.values_list("ordered_on", "amount")
    ]


def test_same_seed_same_data_other_seed_other_data():
    first = build_and_forget(7)
    assert len(first[0]) == N and len(first[1]) > 5 * N
    assert build_and_forget(7) == first
    other = build_and_forget(8)
    assert [c[1] for c in other[0]] != [c[1] for c in first[0]]
    assert other[1] != first[1]


def test_one_login_per_role_and_if_empty():
    out = build(if_empty=True)  # an empty database: --if-empty builds
    User = get_user_model()
    for role in Role:
        users = [p.user for p in Profile.objects.filter(role=role) if p.user.has_usable_password()]
        assert users, f"no demo login for {role}"
        assert all(u.check_password(DEMO_PASSWORD) for u in users)
        assert all(re.search(rf"\b{u.username}\s+/ {DEMO_PASSWORD}", out) for u in users)
    assert {"admin", "manager", "sales", "sales2", "service", "analyst", "partner"} <= set(
        User.objects.values_list("username", flat=True)
    )
    manager = User.objects.get(username="manager")
    assert manager.managed_teams.filter(pk=manager.profile.team_id).exists()
    assert User.objects.get(username="partner").profile.partner_id is not None
    assert re.search(r"[\d,]+ customers/s, [\d,]+ orders/s", out)

    rows = (Customer.objects.count(), Order.objects.count())
    again = build(if_empty=True)
    assert "no demo data" in again
    # `make run` prints the logins every time, not only on the first build.
    assert re.search(rf"\bmanager\s+/ {DEMO_PASSWORD}", again)
    assert (Customer.objects.count(), Order.objects.count()) == rows
    with pytest.raises(CommandError):
        build()
    assert AuditEvent.objects.filter(action="import", source="demo").count() == 1


def test_personas_behave_as_documented(demo):
    groups = by_persona()
    real = N - round(N * personas.DUPLICATE_SHARE)
    for p in personas.PERSONAS:
        assert abs(len(groups[p.code]) - p.share * real) < 1, p.code

    for c in groups["lost"]:
        days = [d for d, _ in order_days(c)]
        assert days and min(days) >= 365, c
    for c in groups["lapsing"]:
        assert 120 <= min(d for d, _ in order_days(c)) <= 250
    for c in groups["won_back"]:
        days = sorted(d for d, _ in order_days(c))
        assert days[0] <= 130
        assert max(b - a for a, b in zip(days, days[1:], strict=False)) >= 200
    for c in groups["heavy"] + groups["regular"]:
        assert min(d for d, _ in order_days(c)) < 150

    # Partial churners: the last 6 months' spend per day is well below the earlier rate.
    recent = earlier = 0.0
    shrinking = 0
    for c in groups["partial"]:
        rows = order_days(c)
        r = sum(float(a) for d, a in rows if d < 180) / 180
        span = max(d for d, _ in rows) - 179
        e = sum(float(a) for d, a in rows if d >= 180) / max(span, 1)
        recent, earlier = recent + r, earlier + e
        shrinking += r < e
    assert recent < 0.5 * earlier
    assert shrinking >= 0.8 * len(groups["partial"])

    def mean(values):
        return statistics.mean(values) if values else 0

    def spend(c):
        return float(c.orders.aggregate(s=Sum("amount"))["s"] or 0)

    assert mean([c.orders.count() for c in groups["heavy"]]) > 5 * mean(
        [c.orders.count() for c in groups["light"]]
    )
    assert mean([spend(c) for c in groups["heavy"]]) > 10 * mean(
        [spend(c) for c in groups["light"]]
    )
    assert all(c.orders.count() == 0 for c in groups["prospect"])

    # Service-heavy customers cost more to serve (default cost: 20 per ticket + 1 per minute)
    # than they bring in.
    for c in groups["service_heavy"]:
        minutes = c.tickets.aggregate(m=Sum("minutes_spent"))["m"] or 0
        billed = c.orders.filter(status__in=["completed", "open"])
        margin = billed.aggregate(m=Sum(F("amount") - F("cost")))["m"] or 0
        assert c.tickets.count() >= 8
        assert float(margin) < 20 * c.tickets.count() + minutes

    # Late payers pay late; ordinary customers mostly on time.
    def late_share(customers):
        paid = Invoice.objects.filter(customer__in=customers, paid_on__isnull=False)
        return paid.filter(paid_on__gt=F("due_on")).count() / max(paid.count(), 1)

    assert late_share(groups["late_payer"]) > 0.5
    assert late_share(groups["regular"]) < 0.15
    written_off = Invoice.objects.filter(written_off__gt=0)
    assert written_off.exists()
    assert {i.customer.attributes["demo_persona"] for i in written_off} == {"bad_debt"}
    assert Invoice.objects.filter(paid_on__isnull=True, written_off=0, due_on__lt=AS_OF).exists()


def test_duplicates_carry_their_truth(demo):
    dups = Customer.objects.filter(attributes__demo_persona=personas.DUPLICATE)
    assert dups.count() == round(N * personas.DUPLICATE_SHARE)
    renamed = 0
    for dup in dups:
        original = Customer.objects.get(external_id=dup.attributes["demo_duplicate_of"])
        assert original.attributes["demo_persona"] != personas.DUPLICATE
        assert original.pk < dup.pk and original.city == dup.city
        assert dup.attributes["demo_variations"]
        renamed += dup.name != original.name
    assert renamed, "no duplicate has its name written differently"


def test_records_relations_and_history(demo):
    customers = persona_customers()
    assert set(customers.values_list("external_id", flat=True)) == {
        f"demo-{k}" for k in range(1, N + 1)
    }
    for c in customers:
        if c.phone:
            assert re.fullmatch(r"\+86\d{10,11}", c.phone) and phone_e164(c.phone) == c.phone
        assert c.completeness == completeness_of(c)
    emails = [
        e
        for e in customers.exclude(attributes__demo_persona="duplicate").values_list(
            "email", flat=True
        )
        if e
    ]
    assert len(emails) == len(set(emails))
    assert customers.filter(kind="company", name__endswith="有限公司").exists()
    assert customers.exclude(name_en="").exists() and customers.exclude(aliases=[]).exists()
    assert customers.exclude(birthday=None).exists() and customers.exclude(tags=None).exists()

    for kind in Relation.Kind.values:
        assert Relation.objects.filter(kind=kind).exists(), kind
    assert not Relation.objects.filter(kind="contact_at", role="").exists()
    assert OwnerHistory.objects.filter(ended_at__isnull=False).exists()
    for h in OwnerHistory.objects.filter(ended_at__isnull=True):
        assert h.customer.owner_id == h.owner_id

    order = Order.objects.order_by("id").first()
    lines = OrderLine.objects.filter(order=order).aggregate(a=Sum("amount"), c=Sum("cost"))
    assert (order.amount, order.cost) == (lines["a"], lines["c"])
    assert Order.objects.filter(campaign__isnull=False).exists()
    assert Order.objects.filter(channel="partner", partner__isnull=False).exists()
    assert len(set(Interaction.objects.values_list("department", flat=True))) == 5
    assert len(set(Interaction.objects.values_list("channel", flat=True))) >= 7
    assert Ticket.objects.filter(kind="complaint").exists()
    assert Ticket.objects.filter(status__in=("new", "open", "waiting", "reopened")).exists()
    assert customers.filter(tasks__status="open").exists()

    partner = get_user_model().objects.get(username="partner")
    shared = CustomerShare.objects.filter(partner=partner.profile.partner)
    assert shared.exists()
    assert set(visible_customers(partner).values_list("id", flat=True)) == set(
        shared.exclude(customer__is_archived=True).values_list("customer_id", flat=True)
    )


def test_found_by_search(demo):
    assert not Customer.objects.filter(search_keys=None).exists()
    assert SearchKey.objects.count() > 3 * N
    person = next(
        c
        for c in Customer.objects.filter(kind="person", attributes__demo_persona="regular")
        if c.phone
        and c.name[0] in SURNAME_PINYIN
        and pinyin_forms(c.name)[0] == SURNAME_PINYIN[c.name[0]] + pinyin_of(c.name[1:])
    )
    spelled = f"{SURNAME_PINYIN[person.name[0]]} {pinyin_of(person.name[1:])}"
    for query in (spelled, person.name, person.phone[3:], person.phone[-4:]):
        ids = set(ranked_search(Customer.objects.all(), parse_query(query), cap=200).ids)
        assert person.pk in ids, query

"""Demo dealers in onboarding (issue #14, F8): two company customers in each state — credit
evaluation, payment terms, contract, awaiting approval, approved (one of them with its
contract's renewal already due on the demo's day) and rejected.

Written through kehu.dealers.services, the same rules the pages use; the steps are taken by
the dealer's team manager (else the administrator). Approved dealers become channel partners
with one sign-in (no usable password: the demo logins stay the only way in) and a few of the
owner's customers shared with them."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from kehu.core import audit
from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.dealers import services
from kehu.dealers.models import Onboarding

# The state each dealer is taken to, in order (two of each).
PLAN = ["credit", "terms", "contract", "approval", "approved", "rejected"] * 2
PDF = b"%PDF-1.4\n% Kehu demo dealer contract\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _manager(customer: Customer, admin: Any) -> Any:
    if customer.team is not None:
        manager = customer.team.managers.order_by("id").first()
        if manager is not None:
            return manager
    return admin


def build_dealers(options: Any, org: Any) -> int:
    """Onboardings for the first company customers of the demo; nothing when the demo
    already has some (a rebuild keeps them). Returns how many were started."""
    if Onboarding.objects.exists():
        return 0
    admin = get_user_model().objects.filter(pk=org.admin_id).first()
    if admin is None:
        return 0
    companies = list(
        Customer.objects.filter(
            external_id__startswith="demo-", kind=Customer.Kind.COMPANY, owner__isnull=False
        )
        .select_related("team", "owner")
        .order_by("id")[: len(PLAN)]
    )
    as_of = options.as_of
    with audit.acting_as(None, "demo"):
        for i, (customer, target) in enumerate(zip(companies, PLAN, strict=False)):
            _onboard(i, customer, target, as_of, _manager(customer, admin), admin)
    return len(companies)


def _onboard(i: int, customer: Customer, target: str, as_of: dt.date, manager, admin) -> None:
    ob = services.start(customer=customer, by=customer.owner)
    if target == "credit":
        return
    if target == "rejected" and i % 2 == 0:
        services.reject(onboarding=ob, by=manager, reason="信用记录不足，暂不合作")
        return
    ob = services.evaluate_credit(
        onboarding=ob,
        by=manager,
        today=as_of,
        annual_revenue=Decimal(2_000_000 + 1_500_000 * i),
        years_in_business=2 + i,
        registered_capital=Decimal(500_000 * (i + 1)),
    )
    if target == "terms":
        return
    terms = "net30" if (ob.credit_limit or 0) > 0 else "prepaid"
    ob = services.set_terms(onboarding=ob, by=manager, terms=terms)
    if target == "contract":
        return
    if target == "rejected":
        services.reject(onboarding=ob, by=manager, reason="合同条款未达成一致")
        return
    # The first approved dealer's contract ends three weeks after the demo's day, so its
    # renewal reminder (30 days before) is already due on the Today page.
    ends = as_of + dt.timedelta(days=21 if target == "approved" and i < 6 else 300 + 10 * i)
    ob = services.record_contract(
        onboarding=ob,
        by=manager,
        document=ContentFile(PDF, name=f"dealer-contract-{customer.pk}.pdf"),
        starts_on=ends - dt.timedelta(days=365),
        ends_on=ends,
        renewal_days=30,
    )
    if target == "approval":
        return
    ob = services.approve(onboarding=ob, by=manager)
    services.add_dealer_user(
        onboarding=ob,
        by=admin,
        username=f"dealer-{customer.pk}",
        email="",
        password=secrets.token_urlsafe(24),
    )
    user = get_user_model().objects.get(username=f"dealer-{customer.pk}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    shared = Customer.objects.filter(owner_id=customer.owner_id).exclude(pk=customer.pk)
    for other in shared.order_by("id")[:3]:
        customer_services.customer_share(customer=other, partner=ob.partner, by=manager)

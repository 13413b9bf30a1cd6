"""Approval makes the dealer a channel partner; the administrator adds the dealer's users
(Role.PARTNER), who see only the customers shared with that partner."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kehu.core.models import Partner, Role
from kehu.core.permissions import visible_customers
from kehu.customers import services as customer_services
from kehu.dealers import services

from .conftest import to_approval

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(org, dealer, media):
    ob = to_approval(services.start(customer=dealer, by=org.alice), org.mia)
    return services.approve(onboarding=ob, by=org.mia)


def test_approval_creates_the_partner_and_its_user_sees_only_shared(org, approved):
    partner = approved.partner
    assert partner.name == "华东建材有限公司" and partner.kind == Partner.Kind.DEALER
    user = services.add_dealer_user(onboarding=approved, by=org.root, username="hd-li",
                                    email="li@huadong.example", password="Dealer-pass-2026!")  # fmt: skip
    assert (user.profile.role, user.profile.partner) == (Role.PARTNER, partner)
    assert list(visible_customers(user)) == []
    mine = customer_services.customer_create(by=org.alice, owner=org.alice, name="周杰")
    customer_services.customer_create(by=org.alice, owner=org.alice, name="吴芳")
    customer_services.customer_share(customer=mine, partner=partner, by=org.mia)
    assert list(visible_customers(user)) == [mine]
    # org.customer is shared with P1, not with this dealer.
    assert org.customer not in visible_customers(user)


def test_an_existing_partner_of_the_same_name_is_linked(org, dealer, media):
    existing = Partner.objects.create(name="华东建材有限公司", is_active=False)
    ob = to_approval(services.start(customer=dealer, by=org.alice), org.mia)
    ob = services.approve(onboarding=ob, by=org.root)
    existing.refresh_from_db()
    assert ob.partner == existing and existing.is_active


def test_only_an_administrator_adds_dealer_users(org, approved):
    with pytest.raises(PermissionDenied):
        services.add_dealer_user(onboarding=approved, by=org.mia, username="x1",
                                 email="", password="Dealer-pass-2026!")  # fmt: skip
    with pytest.raises(ValidationError):
        services.add_dealer_user(onboarding=approved, by=org.root, username="alice",
                                 email="", password="Dealer-pass-2026!")  # fmt: skip
    assert not approved.partner.users.exists()

"""The customer page offers "Onboard as dealer" for a company to those who may start its
onboarding (its owner, managers, administrators), links to the onboarding once there is one,
and shows nothing for a person or to roles that may not see onboardings. Starting from the
button creates the onboarding; a refused start changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.customers import services as customer_services
from kehu.dealers import services
from kehu.dealers.models import Onboarding
from tests.conftest import login

START = 'data-testid="dealer-start"'
LINK = 'data-testid="dealer-onboarding"'


def _page(client, user, customer) -> str:
    r = login(client, user).get(reverse("customers:detail", args=[customer.pk]))
    assert r.status_code == 200
    return r.content.decode()


@pytest.mark.parametrize(
    ("who", "offered"), [("alice", True), ("mia", True), ("root", True), ("bob", False)]
)
def test_start_offered_to_those_who_may(client, org, dealer, who, offered):
    html = _page(client, getattr(org, who), dealer)
    assert (START in html) is offered
    assert LINK not in html


@pytest.mark.parametrize("who", ["sam", "ana"])
def test_roles_without_onboarding_see_no_button(client, org, dealer, who):
    html = _page(client, getattr(org, who), dealer)
    assert START not in html and LINK not in html


def test_not_for_a_person(client, org):
    person = customer_services.customer_create(by=org.alice, owner=org.alice, name="李雷")
    assert START not in _page(client, org.alice, person)


def test_button_starts_it_and_the_page_then_links_to_it(client, org, dealer):
    r = login(client, org.alice).post(reverse("dealers:start"), {"customer": dealer.pk})
    ob = Onboarding.objects.get(customer=dealer)
    assert r.status_code == 302 and r.url == reverse("dealers:detail", args=[ob.pk])
    html = _page(client, org.alice, dealer)
    assert LINK in html and START not in html
    assert reverse("dealers:detail", args=[ob.pk]) in html


def test_a_rep_who_does_not_own_it_is_refused_and_nothing_is_stored(client, org, dealer):
    r = login(client, org.bob).post(reverse("dealers:start"), {"customer": dealer.pk})
    assert r.status_code in (403, 404)
    assert not Onboarding.objects.exists()


def test_rejected_onboarding_can_be_started_again(client, org, dealer):
    ob = services.start(customer=dealer, by=org.alice)
    services.reject(onboarding=ob, by=org.mia, reason="weak credit")
    assert START in _page(client, org.alice, dealer)

"""The checklist's order: each step only from its state; a step out of order, a second
decision or a start for a person is refused, and nothing changes (row and audit trail)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kehu.core.models import AuditEvent
from kehu.customers import services as customer_services
from kehu.dealers import services
from kehu.dealers.models import Onboarding

from .conftest import snapshot, to_approval, to_contract

pytestmark = pytest.mark.django_db


def test_the_happy_path_records_who_and_when_and_audits_each_step(org, dealer, media):
    ob = services.start(customer=dealer, by=org.alice)
    assert (ob.state, ob.started_by, ob.owner) == ("credit", org.alice, org.alice)
    ob = to_approval(ob, org.mia)
    assert ob.state == "approval"
    ob = services.approve(onboarding=ob, by=org.mia)
    assert ob.state == "approved" and ob.decided_by == org.mia and ob.decided_at
    events = AuditEvent.objects.filter(model="dealers.onboarding", object_id=str(ob.pk))
    states = [e.changes["state"][1] for e in events.order_by("id") if "state" in e.changes]
    assert states == ["credit", "terms", "contract", "approval", "approved"]
    assert {e.user_id for e in events.exclude(action="create")} == {org.mia.pk}


@pytest.mark.parametrize("step", ["terms", "contract", "approve"])
def test_a_step_out_of_order_is_refused_and_changes_nothing(org, dealer, media, step):
    ob = services.start(customer=dealer, by=org.alice)
    before = snapshot(ob)
    with pytest.raises(ValidationError):
        if step == "terms":
            services.set_terms(onboarding=ob, by=org.mia, terms="prepaid")
        elif step == "contract":
            import datetime as dt

            from .conftest import pdf

            services.record_contract(onboarding=ob, by=org.mia, document=pdf(),
                                     starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2027, 7, 1))  # fmt: skip
        else:
            services.approve(onboarding=ob, by=org.mia)
    assert snapshot(ob) == before


def test_a_rejected_onboarding_cannot_be_decided_again(org, dealer):
    ob = services.start(customer=dealer, by=org.alice)
    ob = services.reject(onboarding=ob, by=org.mia, reason="Unpaid debts elsewhere")
    before = snapshot(ob)
    for call in (
        lambda: services.approve(onboarding=ob, by=org.mia),
        lambda: services.reject(onboarding=ob, by=org.mia, reason="again"),
    ):
        with pytest.raises(ValidationError):
            call()
    assert snapshot(ob) == before
    # …but the customer may start again after a rejection.
    assert services.start(customer=dealer, by=org.alice).state == "credit"


def test_reject_needs_a_reason(org, dealer):
    ob = services.start(customer=dealer, by=org.alice)
    before = snapshot(ob)
    with pytest.raises(ValidationError):
        services.reject(onboarding=ob, by=org.mia, reason="  ")
    assert snapshot(ob) == before


def test_net_terms_need_a_credit_limit(org, dealer):
    ob = services.start(customer=dealer, by=org.alice)
    ob = services.evaluate_credit(onboarding=ob, by=org.mia, today=__import__("datetime").date(2026, 6, 30),
                                  annual_revenue=None, years_in_business=None, registered_capital=None)  # fmt: skip
    assert ob.credit_limit == 0
    before = snapshot(ob)
    with pytest.raises(ValidationError):
        services.set_terms(onboarding=ob, by=org.mia, terms="net60")
    assert snapshot(ob) == before
    assert services.set_terms(onboarding=ob, by=org.mia, terms="prepaid").state == "contract"


def test_second_onboarding_and_a_person_are_refused(org, dealer):
    ob = services.start(customer=dealer, by=org.alice)
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.start(customer=dealer, by=org.mia)
    with pytest.raises(ValidationError):
        services.start(customer=org.customer, by=org.alice)  # 张伟 is a person
    assert Onboarding.objects.count() == 1 and AuditEvent.objects.count() == count
    to_contract(ob, org.mia)


def test_a_company_of_another_owner_cannot_be_started_by_a_teammate(org, dealer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.start(customer=dealer, by=org.bob)
    other = customer_services.customer_create(
        by=org.bob, owner=org.bob, name="北方商贸", kind="company"
    )
    assert services.start(customer=other, by=org.bob).owner == org.bob

"""Writes of dealer onboarding: each step is one function, keyword-only, with its actor
``by``, in one transaction, audited through ``Onboarding`` (``Audited``: who, when, before
and after). A step asked of an onboarding in the wrong state is refused with a
``ValidationError`` naming the state and nothing is written.

The flow: credit evaluation → payment terms → contract → approval → approved (the dealer is
a ``core.Partner`` from then, its users ``Role.PARTNER``) or rejected (from any open state).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit, permissions
from kehu.core.models import Partner, Profile, Role
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.dealers import credit, rules
from kehu.dealers.models import Onboarding
from kehu.dealers.validators import validate_contract_file
from kehu.notifications.services import notify

State = Onboarding.State


def _expect(onboarding: Onboarding, *states: str) -> None:
    if onboarding.state not in states:
        raise ValidationError(
            _("This step is not possible while the onboarding is at “%(state)s”.")
            % {"state": onboarding.get_state_display()},
            code="state",
        )


def _locked(onboarding: Onboarding) -> Onboarding:
    # Read again under a row lock: two managers clicking the same step at once must not
    # both pass the state check.
    return Onboarding.objects.select_for_update().select_related("customer").get(pk=onboarding.pk)


@transaction.atomic
@audit.with_actor
def start(*, customer: Customer, by: Any) -> Onboarding:
    """Start onboarding ``customer`` (a company) as a dealer. A rep may start one only for a
    customer they own; one open or approved onboarding per customer."""
    if not rules.may_start(by, customer):
        raise PermissionDenied
    if customer.kind != Customer.Kind.COMPANY:
        raise ValidationError(
            _("Only a company can become a dealer (%(name)s is a person).")
            % {"name": customer.name},
            code="kind",
        )
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    existing = Onboarding.objects.filter(customer=customer).exclude(state=State.REJECTED)
    if existing.exists():
        raise ValidationError(
            _("%(name)s already has an onboarding in progress or approved.")
            % {"name": customer.name},
            code="duplicate",
        )
    return Onboarding.objects.create(customer=customer, started_by=by, owner=customer.owner)


@transaction.atomic
@audit.with_actor
def evaluate_credit(
    *,
    onboarding: Onboarding,
    by: Any,
    today: dt.date,
    annual_revenue: Decimal | None,
    years_in_business: int | None,
    registered_capital: Decimal | None,
    credit_limit: Decimal | None = None,
    note: str = "",
) -> Onboarding:
    """Score the dealer (``kehu.dealers.credit``) and set its limit: the suggested one, or
    ``credit_limit`` when the manager overrides it, which needs a ``note``."""
    permissions.require(by, Action.RUN_ONBOARDING, onboarding)
    ob = _locked(onboarding)
    _expect(ob, State.CREDIT)
    for field, value in (
        ("annual_revenue", annual_revenue),
        ("registered_capital", registered_capital),
    ):
        if value is not None and value < 0:
            raise ValidationError({field: _("Must not be negative.")})
    if credit_limit is not None and credit_limit < 0:
        raise ValidationError({"credit_limit": _("Must not be negative.")})
    history = credit.history_of(ob.customer_id, today)
    result = credit.evaluate(
        history, revenue=annual_revenue, years=years_in_business, capital=registered_capital
    )
    note = note.strip()
    overridden = credit_limit is not None and credit_limit != result.suggested_limit
    if overridden and not note:
        raise ValidationError(
            {"credit_note": _("Say why the limit differs from the suggested one.")}
        )
    ob.annual_revenue = annual_revenue
    ob.years_in_business = years_in_business
    ob.registered_capital = registered_capital
    ob.credit_score = result.score
    ob.suggested_limit = result.suggested_limit
    ob.credit_limit = credit_limit if overridden else result.suggested_limit
    ob.credit_note = note
    ob.credit_details = {
        **result.as_dict(),
        "invoices_due": history.invoices_due,
        "paid_on_time": history.paid_on_time,
        "average_days_late": round(history.average_days_late, 1),
        "written_off": str(history.written_off),
        "invoiced": str(history.invoiced),
        "as_of": today.isoformat(),
    }
    ob.credit_by = by
    ob.credit_at = timezone.now()
    ob.state = State.TERMS
    ob.save()
    return ob


@transaction.atomic
@audit.with_actor
def set_terms(*, onboarding: Onboarding, by: Any, terms: str) -> Onboarding:
    """Payment terms; credit terms (net 30/60) only with a credit limit above zero."""
    permissions.require(by, Action.RUN_ONBOARDING, onboarding)
    ob = _locked(onboarding)
    _expect(ob, State.TERMS)
    if terms not in Onboarding.Terms.values:
        raise ValidationError({"payment_terms": _("Choose prepaid, net 30 or net 60.")})
    if terms != Onboarding.Terms.PREPAID and not (ob.credit_limit or 0) > 0:
        raise ValidationError(
            {"payment_terms": _("Without a credit limit the dealer can only pay in advance.")}
        )
    ob.payment_terms = terms
    ob.terms_by = by
    ob.terms_at = timezone.now()
    ob.state = State.CONTRACT
    ob.save()
    return ob


@transaction.atomic
@audit.with_actor
def record_contract(
    *,
    onboarding: Onboarding,
    by: Any,
    document: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    renewal_days: int = 30,
) -> Onboarding:
    """The signed contract (validated upload), its dates and when to remind of renewal;
    the owner is told."""
    permissions.require(by, Action.RUN_ONBOARDING, onboarding)
    ob = _locked(onboarding)
    _expect(ob, State.CONTRACT)
    if document is None:
        raise ValidationError({"contract_file": _("Attach the signed contract.")})
    try:
        validate_contract_file(document)
    except ValidationError as exc:
        raise ValidationError({"contract_file": exc.messages}) from exc
    if ends_on <= starts_on:
        raise ValidationError({"contract_end": _("The contract must end after it starts.")})
    if not 0 <= renewal_days <= 365:
        raise ValidationError({"renewal_days": _("Between 0 and 365 days.")})
    ob.contract_file.save(document.name, document, save=False)
    ob.contract_start = starts_on
    ob.contract_end = ends_on
    ob.renewal_days = renewal_days
    ob.renewal_due_on = ob.renewal_date()
    ob.renewal_notified_on = None
    ob.contract_by = by
    ob.contract_at = timezone.now()
    ob.state = State.APPROVAL
    ob.save()
    if ob.owner_id:
        notify(
            recipient=ob.owner,
            title=_("Dealer contract for %(name)s recorded; renewal reminder on %(date)s")
            % {"name": ob.customer.name, "date": ob.renewal_due_on},
            url=reverse("dealers:detail", args=[ob.pk]),
            kind="dealer_contract",
            by=by,
        )
    return ob


def _partner_for(ob: Onboarding) -> Partner:
    """The dealer's partner: an existing one of the same name not yet another dealer's, else
    a new one."""
    partner = Partner.objects.filter(name=ob.customer.name).first()
    if partner is None:
        return Partner.objects.create(
            name=ob.customer.name[:200], kind=Partner.Kind.DEALER, city=ob.customer.city
        )
    if Onboarding.objects.filter(partner=partner).exclude(pk=ob.pk).exists():
        raise ValidationError(
            _("The channel partner “%(name)s” already belongs to another dealer.")
            % {"name": partner.name}
        )
    if not partner.is_active:
        partner.is_active = True
        partner.save(update_fields=["is_active", "updated_at"])
    return partner


@transaction.atomic
@audit.with_actor
def approve(*, onboarding: Onboarding, by: Any) -> Onboarding:
    """Approve the dealer: it becomes (or is linked to) a channel partner."""
    permissions.require(by, Action.RUN_ONBOARDING, onboarding)
    ob = _locked(onboarding)
    _expect(ob, State.APPROVAL)
    ob.partner = _partner_for(ob)
    ob.decided_by = by
    ob.decided_at = timezone.now()
    ob.state = State.APPROVED
    ob.save()
    return ob


@transaction.atomic
@audit.with_actor
def reject(*, onboarding: Onboarding, by: Any, reason: str) -> Onboarding:
    permissions.require(by, Action.RUN_ONBOARDING, onboarding)
    ob = _locked(onboarding)
    _expect(ob, State.CREDIT, State.TERMS, State.CONTRACT, State.APPROVAL)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"rejection_reason": _("Give the reason for the rejection.")})
    ob.rejection_reason = reason
    ob.decided_by = by
    ob.decided_at = timezone.now()
    ob.state = State.REJECTED
    ob.save()
    return ob


@transaction.atomic
@audit.with_actor
def add_dealer_user(
    *, onboarding: Onboarding, by: Any, username: str, email: str, password: str
) -> Any:
    """An administrator adds a sign-in for the approved dealer's staff: a partner user who
    sees only the customers shared with the dealer's partner."""
    if permissions.role_of(by) != Role.ADMIN:
        raise PermissionDenied
    permissions.require(by, Action.RUN_ONBOARDING, onboarding)
    ob = _locked(onboarding)
    _expect(ob, State.APPROVED)
    username = username.strip()
    User = get_user_model()
    if not username:
        raise ValidationError({"username": _("Enter a user name.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    user = User(username=username, email=email.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    Profile.objects.create(user=user, role=Role.PARTNER, partner=ob.partner)
    audit.record(
        action="create",
        instance=ob,
        changes={"dealer_user": [None, username]},
        summary=f"Dealer user {username} for {ob.customer.name}"[:300],
    )
    return user


@transaction.atomic
def remind_renewals(*, today: dt.date) -> int:
    """Tell each approved dealer's owner once that its contract's renewal is due (the
    nightly job; the due list shows it independently). Returns how many were told."""
    due = (
        Onboarding.objects.select_for_update()
        .filter(state=State.APPROVED, renewal_due_on__lte=today, owner__isnull=False)
        .filter(renewal_notified_on__isnull=True)
        .select_related("customer", "owner")
    )
    told = 0
    for ob in due:
        notify(
            recipient=ob.owner,
            title=_("Dealer contract of %(name)s ends on %(date)s: renew it")
            % {"name": ob.customer.name, "date": ob.contract_end},
            url=reverse("dealers:detail", args=[ob.pk]),
            kind="dealer_renewal",
        )
        Onboarding.objects.filter(pk=ob.pk).update(renewal_notified_on=today)
        told += 1
    return told

"""Dealer onboarding (F8): a company customer taken through a checklist — credit evaluation,
payment terms, contract — to approval as a channel partner (``core.Partner``), or rejection.

One row per onboarding; each step keeps who did it and when on the row (the checklist) and
every change goes to the audit trail (``Audited``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import Partner, TimeStamped
from kehu.customers.models import Customer

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


def _user_fk(verbose: Any) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Onboarding(Audited, TimeStamped):
    class State(models.TextChoices):
        CREDIT = "credit", _("Credit evaluation")
        TERMS = "terms", _("Payment terms")
        CONTRACT = "contract", _("Contract")
        APPROVAL = "approval", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Terms(models.TextChoices):
        PREPAID = "prepaid", _("Prepaid")
        NET30 = "net30", _("Net 30 days")
        NET60 = "net60", _("Net 60 days")

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("dealer"),
        on_delete=models.PROTECT,
        related_name="dealer_onboardings",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CREDIT, db_index=True
    )
    started_by = _user_fk(_("started by"))
    # Who is told about the contract and its renewal: the customer's owner when started.
    owner = _user_fk(_("owner"))

    # Credit evaluation: entered financials, the computed score and limit, the decision.
    annual_revenue = models.DecimalField(_("annual revenue"), null=True, blank=True, **MONEY)
    years_in_business = models.PositiveIntegerField(_("years in business"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital"), null=True, blank=True, **MONEY
    )
    credit_score = models.PositiveSmallIntegerField(_("credit score"), null=True, blank=True)
    suggested_limit = models.DecimalField(_("suggested limit"), null=True, blank=True, **MONEY)
    credit_limit = models.DecimalField(_("credit limit"), null=True, blank=True, **MONEY)
    credit_note = models.TextField(_("override note"), blank=True)
    credit_details = models.JSONField(default=dict, blank=True)
    credit_by = _user_fk(_("evaluated by"))
    credit_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)

    payment_terms = models.CharField(
        _("payment terms"), max_length=10, choices=Terms.choices, blank=True
    )
    terms_by = _user_fk(_("terms set by"))
    terms_at = models.DateTimeField(_("terms set at"), null=True, blank=True)

    contract_file = models.FileField(
        _("contract document"), upload_to="dealers/contracts/%Y/", blank=True
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    renewal_days = models.PositiveSmallIntegerField(_("remind days before end"), default=30)
    # contract_end − renewal_days, stored so the due list reads it with one indexed filter.
    renewal_due_on = models.DateField(_("renewal due"), null=True, blank=True, db_index=True)
    renewal_notified_on = models.DateField(null=True, blank=True)
    contract_by = _user_fk(_("contract recorded by"))
    contract_at = models.DateTimeField(_("contract recorded at"), null=True, blank=True)

    decided_by = _user_fk(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("channel partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onboardings",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dealer onboarding")
        indexes = [models.Index(fields=["state", "renewal_due_on"])]

    def __str__(self) -> str:
        return f"{self.customer} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state not in {self.State.APPROVED, self.State.REJECTED}

    def renewal_date(self) -> dt.date | None:
        if self.contract_end is None:
            return None
        return self.contract_end - dt.timedelta(days=self.renewal_days)

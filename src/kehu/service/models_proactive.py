"""Proactive suggestions (E9): contacts the system proposes before the customer asks. The
nightly computation is in ``kehu.service.proactive``; this is its one table (imported by
``kehu.service.models`` so Django registers it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import TimeStamped
from kehu.customers.models import Customer


class ProactiveSuggestion(Audited, TimeStamped):
    class Kind(models.TextChoices):
        SERVICE_DUE = "service_due", _("Service due")
        PAYMENT_FAILED = "payment_failed", _("Payment failed")
        USAGE_DROP = "usage_drop", _("Fewer orders than usual")
        PEER_FAULT = "peer_fault", _("Fault seen at other customers")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What the suggestion is about (a product and its due date, a failed payment, a month):
    # one suggestion per customer, kind and key, so the nightly run is idempotent and a
    # dismissed one does not come back the next night.
    key = models.CharField(max_length=80)
    # The figures the reason is written from (rendered in the reader's language).
    params = models.JSONField(default=dict)
    due_on = models.DateField(_("due"))
    # Value at risk (or the customer's value): the call list and the due list sort by it.
    priority = models.FloatField(_("value at risk"), default=0.0)
    # The customer's owner when it was computed: whose due list it goes on.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismiss_reason = models.CharField(_("reason for dismissing"), max_length=200, blank=True)
    ticket = models.ForeignKey(
        "service.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task = models.ForeignKey(
        "retention.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-priority", "due_on", "id"]
        verbose_name = _("proactive suggestion")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "key"], name="proactive_one_per_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["-priority", "id"],
                name="proactive_open",
                condition=models.Q(status="open"),
            ),
            models.Index(fields=["assigned_to", "status", "due_on"], name="proactive_mine"),
            models.Index(fields=["customer", "status"], name="proactive_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.customer_id}"

    def reason(self) -> str:
        """Why, in plain words in the reader's language (the active translation)."""
        return reason_text(self.kind, self.params)


def reason_text(kind: str, p: dict[str, Any]) -> str:
    K = ProactiveSuggestion.Kind
    if kind == K.SERVICE_DUE:
        return (
            gettext(
                "Bought %(product)s on %(bought)s; its service interval of %(days)s days "
                "comes due on %(due)s."
            )
            % p
        )
    if kind == K.PAYMENT_FAILED:
        return gettext(
            "A payment of ¥%(amount)s failed on %(failed)s (%(why)s) and has not been paid since."
        ) % (p | {"why": p.get("reason") or gettext("no reason given")})
    if kind == K.USAGE_DROP:
        return (
            gettext(
                "%(recent)s orders in the last %(window)s days; usually about %(usual)s in as "
                "many days (from the year before)."
            )
            % p
        )
    if kind == K.PEER_FAULT:
        return (
            gettext(
                "%(peers)s other customers reported a fault with %(product)s in the last "
                "%(window)s days; this customer bought it on %(bought)s."
            )
            % p
        )
    return ""

"""Who owned a customer when (A2): the ownership history kept by the services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehu.core.models import Team


class OwnerHistory(models.Model):
    """Who owned a customer when (A2). The open period has ``ended_at`` empty."""

    # One row per customer and owner change, written by every import: only the indexes
    # that reads use. The (customer, -started_at) index serves the customer's foreign key;
    # team and changed_by are never filtered on (teams and users are deactivated, not
    # deleted); owner is kept for "what did this rep own" when staff leave.
    # No database constraint on the customer: the row is written only by the services, in
    # the transaction that writes or reassigns its customer, and Django's collector deletes
    # it with the customer. The check locks the customer row it points at — a WAL record
    # and a page write per new customer, most of the time an import spent on this table.
    # Nor on owner, team and changed_by: a log row names who, and Django's collector clears
    # those (SET_NULL) when a user or team is deleted. Each check is a query and a row lock
    # per new customer on the connection that commits the batch, a third of the import's
    # database work with Customer.created_by's (figures: bench/README.md, "Figures behind
    # code comments").
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="owner_history",
        db_index=False,
        db_constraint=False,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["customer", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.owner_id} from {self.started_at:%Y-%m-%d}"

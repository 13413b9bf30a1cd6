"""Tasks for a customer's owner: follow-ups, retention and win-back calls, care after a
purchase (D1, D5). Policies, campaigns and control groups build on this (roadmap 4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import TimeStamped
from kehu.customers.models import Customer


class Task(Audited, TimeStamped):
    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up")
        RETENTION = "retention", _("Retention")
        WIN_BACK = "win_back", _("Win-back")
        CARE = "care", _("Post-purchase care")
        COLLECTION = "collection", _("Collect payment")
        DATA = "data", _("Fix customer data")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.FOLLOW_UP)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_on"]),
            models.Index(fields=["customer", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

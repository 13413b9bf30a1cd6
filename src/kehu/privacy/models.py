"""What was erased, by whom, when and why: never the erased data itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    # A plain column, not a foreign key: the record stays, and so must this even if the
    # customer row were ever deleted by an administrator.
    customer_id = models.BigIntegerField(_("customer"), unique=True)
    # Records merged into it before, erased with it: the same person.
    merged_ids = models.JSONField(_("merged records erased with it"), default=list, blank=True)
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason or ticket"), max_length=300)
    # Rows anonymised per source, e.g. {"customers.customer": 1, "service.tickets": 3}.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("erasure")

    def __str__(self) -> str:
        return f"#{self.customer_id} @ {self.erased_at:%Y-%m-%d}"

"""Data quality (G2, G3): proposed duplicate pairs and the merges that resolved them.

A ``Merge`` keeps everything needed to undo itself exactly: both customers as they were,
every linked row it moved (table, pk, column, old value), every row it had to drop (in
full) and every row it created. A ``DuplicatePair`` remembers the reviewer's decision, so a
pair judged "not the same" is never proposed again and decided pairs become labels for the
matcher.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.customers.models import Customer


class Merge(models.Model):
    keep = models.ForeignKey(
        Customer,
        verbose_name=_("kept customer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    remove = models.ForeignKey(
        Customer,
        verbose_name=_("merged customer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True, db_index=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {"keep": {"before": {...}, "after": {...}}, "remove": {...}, "moved": [...],
    #  "dropped": [...], "created": [...], "pair": {...}}; see kehu.quality.merge.
    snapshot = models.JSONField(default=dict)
    # Counts per linked table, for the history list without unpacking the snapshot.
    summary = models.JSONField(default=dict, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Fields edited after the merge that the undo left as they were.
    undo_conflicts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge")
        indexes = [
            models.Index(fields=["keep", "-merged_at"]),
            models.Index(fields=["remove", "-merged_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.remove_id} → #{self.keep_id}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None

    @property
    def moved_rows(self) -> int:
        return sum((self.summary or {}).get("moved", {}).values())


class DuplicatePair(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MERGED = "merged", _("Merged")
        REJECTED = "rejected", _("Not the same")

    # Always stored with customer_a_id < customer_b_id so a pair has one row whatever the
    # order the matcher found it in.
    customer_a = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    customer_b = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("match probability"))
    # {"fields": {"phone": {"level": "exact", "weight": 5.2, ...}, ...}} from the matcher.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("duplicate pair")
        constraints = [
            models.UniqueConstraint(fields=["customer_a", "customer_b"], name="dup_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(customer_a__lt=models.F("customer_b")),
                name="dup_pair_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-probability", "id"]),
            models.Index(fields=["customer_b"]),
        ]

    def __str__(self) -> str:
        return f"#{self.customer_a_id} ~ #{self.customer_b_id} ({self.probability:.2f})"

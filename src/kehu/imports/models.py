"""Import jobs (G4): one uploaded file, how its columns map, what happened to every row.

A job is the unit of history, of resumption and of error reporting: it remembers the file,
the mapping, the counts and ``committed_units`` — how many units (rows, or whole orders for
the orders kind) are durably stored. Each batch commits its rows, its errors and the new
offset in one transaction, so a killed process leaves a job that can be resumed exactly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    RELATIONS = "relations", _("Relations")
    ORDERS = "orders", _("Orders with lines")
    INVOICES = "invoices", _("Invoices")
    PAYMENTS = "payments", _("Payments")
    INTERACTIONS = "interactions", _("Interactions")
    LEADS = "leads", _("Leads")


class ImportJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKED = "checked", _("Dry run done")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    # The uploaded file is kept (under MEDIA_ROOT/imports/) so a job can be resumed or re-run.
    file_path = models.CharField(max_length=500)
    original_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=5, default="csv")
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    headers = models.JSONField(default=list, blank=True)
    # {column header: field name}; headers mapped to "" are ignored.
    mapping = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    source = models.CharField(max_length=10, default="web")  # web | cli
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    committed_units = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
        }


class ImportRowError(models.Model):
    """One rejected row: its number as in the file (header = row 1), what was wrong with
    which field, and the original cells so the error file can be fixed and re-imported."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField(_("row"))
    # [{"field": "...", "reason": "..."}, ...]
    problems = models.JSONField(default=list)
    values = models.JSONField(default=list)

    class Meta:
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["job", "row_number"])]

    def __str__(self) -> str:
        return f"row {self.row_number}"


class SavedMapping(models.Model):
    """A column mapping kept for reuse: the user's own, or shared with everyone."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    shared = models.BooleanField(_("shared"), default=False)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "owner"], name="imports_mapping_unique")
        ]

    def __str__(self) -> str:
        return self.name

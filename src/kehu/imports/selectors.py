"""Reads for import pages and the CLI: which jobs a user may see, previews, saved mappings,
and the error file (the original columns plus one column saying what is wrong)."""

from __future__ import annotations

import csv
import io
from itertools import islice
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.exports import spreadsheet_safe
from kehu.core.models import Role
from kehu.imports.models import ImportJob, ImportRowError, SavedMapping
from kehu.imports.readers import open_table

PREVIEW_ROWS = 10
ERROR_COLUMN = "导入错误 / import error"


def jobs_for(user: Any) -> QuerySet:
    """Administrators see every import; managers their teams' imports; others their own."""
    if not permissions.can(user, permissions.Action.IMPORT):
        return ImportJob.objects.none()
    qs = ImportJob.objects.select_related("user")
    role = permissions.role_of(user)
    if role == Role.ADMIN:
        return qs
    if role == Role.MANAGER:
        teams = set(user.managed_teams.values_list("id", flat=True))
        profile = getattr(user, "profile", None)
        if profile is not None and profile.team_id:
            teams.add(profile.team_id)
        return qs.filter(Q(user=user) | Q(user__profile__team_id__in=teams))
    return qs.filter(user=user)


def preview(job: ImportJob, limit: int = PREVIEW_ROWS) -> list[tuple[int, list[str]]]:
    table = open_table(job.file_path, file_format=job.file_format)
    width = len(job.headers)
    return [(n, (cells + [""] * width)[:width]) for n, cells in islice(table.rows(), limit)]


def mappings_for(user: Any, kind: str) -> QuerySet:
    return SavedMapping.objects.filter(Q(owner=user) | Q(shared=True), kind=kind)


def error_rows(job: ImportJob) -> QuerySet:
    return ImportRowError.objects.filter(job=job)


def describe(problems: list[dict[str, str]]) -> str:
    parts = []
    for p in problems:
        where = p.get("column") or p.get("field") or ""
        parts.append(f"{where}: {p['reason']}" if where else p["reason"])
    return "; ".join(parts)


def _error_table(job: ImportJob):
    """The rows of the error file. Every cell came from someone's file: escaped so that a
    cell like ``=HYPERLINK(...)`` is shown, never run, when the file is opened (the same
    escape as every export)."""
    width = len(job.headers)
    yield [spreadsheet_safe(h) for h in [*job.headers, ERROR_COLUMN]]
    for err in error_rows(job).iterator(chunk_size=2000):
        cells = (list(err.values) + [""] * width)[:width]
        problem = _("Row %(n)d: %(p)s") % {"n": err.row_number, "p": describe(err.problems)}
        yield [spreadsheet_safe(c) for c in [*cells, problem]]


def error_file(job: ImportJob, file_format: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the rejected rows. The extra column is ignored
    when the file is imported again, so it can be fixed in a spreadsheet and re-imported."""
    stem = f"import-{job.pk}-errors"
    if file_format == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        sheet = wb.create_sheet("errors")
        for row in _error_table(job):
            sheet.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        return (
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    text = io.StringIO()
    writer = csv.writer(text)
    for row in _error_table(job):
        writer.writerow(row)
    # UTF-8 with BOM: Excel on Chinese Windows opens it without mangling the characters.
    return text.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", f"{stem}.csv"

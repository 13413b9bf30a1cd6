"""Helpers for import tests: write a table to a file, run an import as a user."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kehu.imports import services

CUSTOMER_HEADERS = ["客户编号", "姓名", "手机", "邮箱", "城市", "生日", "性别", "标签"]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


def run_import(user, kind: str, path: Path, *, dry_run: bool = False, **kwargs):
    job = services.job_create(user=user, kind=kind, path=path)
    return services.job_run(job=job, by=user, dry_run=dry_run, **kwargs)


@pytest.fixture
def customers_csv(tmp_path):
    def make(rows: list[list[str]], name: str = "customers.csv", **kwargs) -> Path:
        return write_csv(tmp_path / name, [CUSTOMER_HEADERS, *rows], **kwargs)

    return make

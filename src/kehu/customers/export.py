"""The customer list as a file (issue #12): the rows the list shows with its filters, within
the user's visibility, personal data masked as on the page (``fields.shown_value``), headers in
the user's language, choices by their label, amounts as plain decimals (no float noise), every
cell spreadsheet-safe. CSV in UTF-8 with a BOM, so Excel on a Chinese Windows opens it right."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.utils.text import capfirst

from kehu.core.exports import spreadsheet_safe
from kehu.core.text import phone_display
from kehu.customers import fields
from kehu.customers.models import Customer
from kehu.customers.money import to_decimal

MAX_ROWS = 100_000
COLUMNS = (
    "name",
    "name_en",
    "kind",
    "phone",
    "email",
    "province",
    "city",
    "district",
    "grade",
    "tier",
    "lifecycle_status",
    "profit",
    "clv",
    "owner",
    "team",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(name: str, customer: Customer, user: Any) -> Any:
    if name in ("owner", "team"):
        related = getattr(customer, name)
        if related is None:
            return ""
        return (related.get_full_name() or related.username) if name == "owner" else related.name
    value = fields.shown_value(name, getattr(customer, name), user=user)
    if value in (None, ""):
        return ""
    spec = fields.field(name)
    if name == "phone" and spec.mask is not None and value == customer.phone:
        return phone_display(value)
    if spec.model_field.choices:
        return str(dict(spec.model_field.flatchoices).get(value, value))
    if name in ("profit", "clv"):
        return str(to_decimal(value, 2))
    return value


def columns(user: Any) -> list[str]:
    """The columns ``user`` may see (cost figures only for who sees cost)."""
    return [
        c
        for c in COLUMNS
        if c in ("owner", "team")
        or fields.field(c).visible_to is None
        or fields.shown_value(c, 0, user=user) is not None
    ]


def rows(qs: Any, user: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    names = columns(user)
    yield "\ufeff" + writer.writerow([capfirst(str(fields.field(n).label)) for n in names])
    for customer in qs.iterator(chunk_size=2000):
        yield writer.writerow([spreadsheet_safe(_cell(n, customer, user)) for n in names])

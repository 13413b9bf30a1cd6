"""Reads for the data-quality page (G2): completeness per customer and per owner, the worst
records with what is missing or invalid, and the duplicate/merge figures.

Everything is computed from the visible customers in a fixed number of queries whatever the
size of the database: aggregates run in SQL on the stored ``completeness`` column (kept up to
date by ``customers.services.refresh_derived`` on every write), and only the handful of
listed records is inspected in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.text import phone_e164
from kehu.customers.models import Customer
from kehu.customers.services import missing_fields
from kehu.quality.models import DuplicatePair, Merge

LOW_COMPLETENESS = 60
# Stored phones are E.164 ("+8613800138000"); anything else came in through an import or
# an old system. The regex is the SQL-side approximation; rows shown are checked properly.
E164_RE = r"^\+[1-9][0-9]{6,14}$"
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
INVALID_PHONE = Q(~Q(phone=""), ~Q(phone__regex=E164_RE))
INVALID_EMAIL = Q(~Q(email=""), ~Q(email__regex=EMAIL_RE))


@dataclass
class RecordIssue:
    customer: Customer
    missing: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


@dataclass
class OwnerRow:
    owner_id: int | None
    name: str
    customers: int
    average: float
    below: int


@dataclass
class QualityOverview:
    customers: int
    average: float
    below: int
    invalid_phone: int
    invalid_email: int
    open_pairs: int
    owners: list[OwnerRow]
    worst: list[RecordIssue]
    invalid: list[RecordIssue]
    merges: list[Merge]
    threshold: int = LOW_COMPLETENESS


def field_label(name: str) -> str:
    try:
        field = Customer._meta.get_field(name.removesuffix("_id"))
        return str(getattr(field, "verbose_name", name))
    except Exception:  # a computed name: show it as it is
        return name


def invalid_fields(customer: Customer) -> list[str]:
    region = getattr(settings, "KEHU_DEFAULT_PHONE_REGION", "CN")
    found = []
    if customer.phone and phone_e164(customer.phone, region) != customer.phone:
        found.append(_("phone is not in international (E.164) form"))
    if customer.email:
        try:
            validate_email(customer.email)
        except ValidationError:
            found.append(_("email address is not valid"))
        else:
            if not re.match(EMAIL_RE, customer.email):
                found.append(_("email address is not valid"))
    return found


def _issue(customer: Customer) -> RecordIssue:
    return RecordIssue(
        customer=customer,
        missing=[field_label(f) for f in missing_fields(customer)],
        invalid=invalid_fields(customer),
    )


def _owner_name(row: dict[str, Any]) -> str:
    if row["owner_id"] is None:
        return _("Unassigned")
    full = f"{row['owner__last_name']}{row['owner__first_name']}".strip()
    return full or row["owner__username"]


def quality_overview(*, user: Any, limit: int = 25, owners: int = 10) -> QualityOverview:
    # One visibility computation (a manager's costs a query) for both the active customers
    # and, archived ones included, the merge history.
    everyone = permissions.visible_customers(user, include_archived=True)
    visible = everyone.filter(is_archived=False)
    low = Q(completeness__lt=LOW_COMPLETENESS)
    totals = visible.aggregate(
        n=Count("id"),
        avg=Avg("completeness"),
        below=Count("id", filter=low),
        bad_phone=Count("id", filter=INVALID_PHONE),
        bad_email=Count("id", filter=INVALID_EMAIL),
    )
    owner_rows = (
        visible.order_by()
        .values("owner_id", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(n=Count("id"), avg=Avg("completeness"), below=Count("id", filter=low))
        .order_by("avg", "owner_id")[:owners]
    )
    worst = visible.select_related("owner").order_by("completeness", "id")[:limit]
    invalid = (
        visible.select_related("owner").filter(INVALID_PHONE | INVALID_EMAIL).order_by("id")[:limit]
    )
    return QualityOverview(
        customers=totals["n"],
        average=round(totals["avg"] or 0, 1),
        below=totals["below"],
        invalid_phone=totals["bad_phone"],
        invalid_email=totals["bad_email"],
        open_pairs=_visible_pairs(visible).count(),
        owners=[
            OwnerRow(
                owner_id=r["owner_id"],
                name=_owner_name(r),
                customers=r["n"],
                average=round(r["avg"] or 0, 1),
                below=r["below"],
            )
            for r in owner_rows
        ],
        worst=[_issue(c) for c in worst],
        invalid=[_issue(c) for c in invalid],
        merges=list(_visible_merges(everyone)[:10]),
    )


def _visible_pairs(visible: QuerySet) -> QuerySet:
    ids = visible.values("pk")
    return DuplicatePair.objects.filter(
        status=DuplicatePair.Status.OPEN, customer_a__in=ids, customer_b__in=ids
    )


def _visible_merges(everyone: QuerySet) -> QuerySet:
    ids = everyone.values("pk")
    return (
        Merge.objects.filter(keep__in=ids, remove__in=ids)
        .select_related("keep", "remove", "merged_by")
        .order_by("-merged_at", "-id")
    )

"""Dealer fixtures on top of the shared personas (tests/conftest.py).

``dealer``: 华东建材有限公司, a company customer of alice (team North) with no invoices;
``media``: MEDIA_ROOT in a temporary directory, so uploads never reach the real one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kehu.core.models import AuditEvent
from kehu.customers import services as customer_services
from kehu.dealers import services
from kehu.dealers.models import Onboarding

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dealer(org):
    return customer_services.customer_create(
        by=org.alice, owner=org.alice, name="华东建材有限公司", kind="company", city="杭州"
    )


def pdf(name: str = "contract.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def to_contract(onboarding: Onboarding, by) -> Onboarding:
    ob = services.evaluate_credit(
        onboarding=onboarding,
        by=by,
        today=TODAY,
        annual_revenue=Decimal("20000000"),
        years_in_business=12,
        registered_capital=Decimal("5000000"),
    )
    return services.set_terms(onboarding=ob, by=by, terms="net30")


def to_approval(onboarding: Onboarding, by, *, ends_on=dt.date(2027, 6, 30)) -> Onboarding:
    ob = to_contract(onboarding, by)
    return services.record_contract(
        onboarding=ob,
        by=by,
        document=pdf(),
        starts_on=dt.date(2026, 7, 1),
        ends_on=ends_on,
        renewal_days=30,
    )


def snapshot(ob: Onboarding) -> tuple:
    row = Onboarding.objects.values().get(pk=ob.pk)
    return row, AuditEvent.objects.count()

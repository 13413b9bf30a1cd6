"""The manager may set another limit than the suggested one, but only with a note; a limit
refused leaves the onboarding and the audit trail as they were."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kehu.dealers import services

from .conftest import TODAY, snapshot

pytestmark = pytest.mark.django_db

FIGURES = {"annual_revenue": Decimal("20000000"), "years_in_business": 12,
           "registered_capital": None}  # fmt: skip


def test_override_without_note_is_refused_and_changes_nothing(org, dealer):
    ob = services.start(customer=dealer, by=org.alice)
    before = snapshot(ob)
    with pytest.raises(ValidationError) as exc:
        services.evaluate_credit(
            onboarding=ob, by=org.mia, today=TODAY, credit_limit=Decimal("50000"), **FIGURES
        )
    assert "credit_note" in exc.value.message_dict
    assert snapshot(ob) == before


def test_override_with_note_keeps_both_limits(org, dealer):
    ob = services.start(customer=dealer, by=org.alice)
    ob = services.evaluate_credit(
        onboarding=ob,
        by=org.mia,
        today=TODAY,
        credit_limit=Decimal("50000"),
        note="First year: start small",
        **FIGURES,
    )
    assert ob.suggested_limit == Decimal("1200000.00")
    assert ob.credit_limit == Decimal("50000")
    assert ob.credit_note == "First year: start small"

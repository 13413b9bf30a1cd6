"""A card's grade changes are recorded (from, to, reason, by, when); a change needs a reason,
and the review and contact dates follow the new grade."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kehu.development import services
from kehu.development.models import GradeChange


def test_promotion_and_demotion_are_recorded(org, leads):
    card = leads.north.card
    services.card_regrade(card=card, grade="A", reason="预算到位", by=org.mia)
    services.card_regrade(card=card, grade="B", reason="项目推迟", by=org.alice)
    rows = list(GradeChange.objects.filter(card=card).order_by("at", "id"))
    assert [(r.from_grade, r.to_grade, r.reason, r.by) for r in rows] == [
        ("", "C", "Card opened", org.alice),
        ("C", "A", "预算到位", org.mia),
        ("A", "B", "项目推迟", org.alice),
    ]


def test_grade_change_without_reason_refused(org, leads):
    card = leads.north.card
    with pytest.raises(ValidationError) as exc:
        services.card_regrade(card=card, grade="A", reason="  ", by=org.mia)
    assert "reason" in exc.value.message_dict
    card.refresh_from_db()
    assert card.grade == "C" and GradeChange.objects.filter(card=card).count() == 1


def test_review_follows_the_grade(org, leads):
    card = services.card_regrade(card=leads.north.card, grade="A", reason="hot", by=org.mia)
    c_review = leads.south.card.next_review_on
    assert card.next_review_on < c_review  # A daily, C monthly

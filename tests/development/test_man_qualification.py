"""MAN: a lead is qualified only when money, authority and need are all yes; one answer
turning no or unknown makes it open again; a disqualified lead is kept, never deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kehu.core.models import AuditEvent
from kehu.development import services
from kehu.development.models import Lead


def test_qualified_only_when_all_three_are_yes(org, leads):
    lead = leads.north
    lead = services.lead_qualify(lead=lead, by=org.alice, money="yes", authority="yes")
    assert not lead.qualified and lead.status == "open"
    lead = services.lead_qualify(lead=lead, by=org.alice, need="yes", need_note="new plant")
    assert lead.qualified and lead.status == "qualified" and lead.need_note == "new plant"
    lead = services.lead_qualify(lead=lead, by=org.alice, money="no", money_note="budget cut")
    assert not lead.qualified and lead.status == "open"


def test_answers_are_audited_with_the_actor(org, leads):
    services.lead_qualify(lead=leads.north, by=org.bob, money="yes")
    event = AuditEvent.objects.filter(model="development.lead", action="update").latest("id")
    assert event.user == org.bob and event.changes["money"] == ["unknown", "yes"]


def test_bad_answer_refused_and_nothing_changes(org, leads):
    with pytest.raises(ValidationError) as exc:
        services.lead_qualify(lead=leads.north, by=org.alice, money="maybe")
    assert "money" in exc.value.message_dict
    assert Lead.objects.get(pk=leads.north.pk).money == "unknown"


def test_disqualified_lead_is_kept_and_can_reopen(org, leads):
    services.lead_disqualify(lead=leads.north, by=org.alice, reason="no budget this year")
    lead = Lead.objects.get(pk=leads.north.pk)
    assert lead.status == "disqualified" and lead.status_reason == "no budget this year"
    lead = services.lead_reopen(lead=lead, by=org.alice)
    assert lead.status == "open"

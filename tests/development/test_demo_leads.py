"""The demo's leads: every source, every grade, cadences met and missed, some converted and
some disqualified (kept), all through the services."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from kehu.demo.development import build_development
from kehu.development.models import Card, GradeChange, Lead, LeadTouch, SpecialDate, TouchTask


def test_demo_leads_cover_sources_grades_and_cadences(org):
    today = timezone.localdate()
    options = SimpleNamespace(as_of=today, seed=7, customers=0)
    demo_org = SimpleNamespace(reps=[[org.alice.pk, org.bob.pk], [org.charlie.pk]])
    n = build_development(options, demo_org)
    assert n == Lead.objects.count() == 40
    assert set(Lead.objects.values_list("source", flat=True)) == set(Lead.Source.values)
    assert set(Card.objects.values_list("grade", flat=True)) == {"A", "B", "C"}
    assert Card.objects.filter(next_call_on__lt=today).exists()  # missed
    assert Card.objects.filter(next_call_on__gte=today).exists()  # met
    statuses = set(Lead.objects.values_list("status", flat=True))
    assert {"converted", "disqualified", "open"} <= statuses
    assert GradeChange.objects.exclude(from_grade="").exists()


def test_demo_touches(org):
    today = timezone.localdate()
    options = SimpleNamespace(as_of=today, seed=7, customers=0)
    demo_org = SimpleNamespace(reps=[[org.alice.pk, org.bob.pk], [org.charlie.pk]])
    build_development(options, demo_org)
    assert set(SpecialDate.objects.values_list("calendar", flat=True)) == {"lunar", "festival"}
    kinds = set(TouchTask.objects.values_list("kind", flat=True))
    assert {"visit", "invitation"} <= kinds
    assert TouchTask.objects.filter(status="open", due_on__lt=today).exists()  # overdue
    done = TouchTask.objects.filter(status="done")
    assert done.exists()
    assert LeadTouch.objects.filter(subject__in=done.values("title")).exists()  # logged

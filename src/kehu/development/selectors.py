"""Reads of leads and cards, always through the visibility rule (kehu.development.rules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from kehu.core import permissions
from kehu.core.audit import Audited  # noqa: F401  (documented dependency: audit events)
from kehu.core.models import AuditEvent
from kehu.core.text import phone_e164
from kehu.development.models import Card, GradeChange, Lead
from kehu.development.rules import visible_leads
from kehu.quality.warning import duplicate_warning

LEAD_MATCHES_SHOWN = 5


@dataclass
class LeadFilters:
    q: str = ""
    status: str = ""
    source: str = ""
    grade: str = ""
    owner: int | None = None


def lead_list(*, user: Any, filters: LeadFilters) -> QuerySet:
    qs = visible_leads(user).select_related("owner", "card")
    if filters.q:
        q = filters.q
        condition = Q(name__icontains=q) | Q(company__icontains=q)
        if permissions.can(user, permissions.Action.SEARCH_PERSONAL_DATA):
            condition |= Q(phone__contains=q) | Q(email__icontains=q)
        qs = qs.filter(condition)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.grade:
        qs = qs.filter(card__grade=filters.grade)
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    return qs.order_by("-id")


def visible_lead(user: Any, pk: int) -> Lead | None:
    lead = (
        visible_leads(user)
        .select_related("owner", "team", "partner", "referred_by", "campaign", "customer", "card")
        .filter(pk=pk)
        .first()
    )
    return None if lead is None else permissions.loaded_for(lead, user)


def lead_matches(*, user: Any, lead: Lead) -> list[Any]:
    """Existing customers (visible to ``user``) that look like the lead: the customers'
    duplicate warning, asked with the lead's contact data."""
    fields = {"name": lead.name, "phone": lead.phone, "email": lead.email, "city": lead.city}
    return duplicate_warning(user=user, fields=fields)


def similar_leads(
    *, user: Any, fields: dict[str, Any], exclude_id: int | None = None
) -> list[Lead]:
    """Other leads with the same phone, e-mail or name (indexed equality look-ups)."""
    region = getattr(settings, "KEHU_DEFAULT_PHONE_REGION", "CN")
    condition = Q()
    phone = phone_e164(str(fields.get("phone") or ""), region)
    if phone:
        condition |= Q(phone=phone)
    email = str(fields.get("email") or "").strip().lower()
    if "@" in email:
        condition |= Q(email__iexact=email)
    name = str(fields.get("name") or "").strip()
    if name:
        condition |= Q(name=name)
    if not condition:
        return []
    qs = visible_leads(user).filter(condition)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("-id")[:LEAD_MATCHES_SHOWN])


def grade_history(*, card: Card) -> list[GradeChange]:
    return list(card.grade_changes.select_related("by").order_by("-at", "-id"))


def lead_audit(*, lead: Lead, limit: int = 100) -> list[AuditEvent]:
    """The lead's own audit events and its card's, newest first."""
    card_id = Card.objects.filter(lead=lead).values_list("id", flat=True).first()
    condition = Q(model="development.lead", object_id=str(lead.pk))
    if card_id:
        condition |= Q(model="development.card", object_id=str(card_id))
    return list(AuditEvent.objects.filter(condition).select_related("user").order_by("-id")[:limit])

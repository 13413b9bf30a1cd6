"""The public web-to-lead form's rules: who gets a new lead, and how often one address may
send the form.

Assignment (configurable): ``KEHU_WEB_LEAD_OWNER`` (a username) takes every web lead; else
``KEHU_WEB_LEAD_TEAM`` (a team name) hands it to that team's sales rep with the fewest open
leads; else the active sales rep with the fewest open leads; nobody when there is none (an
administrator sees it and assigns it).

Rate limit: ``KEHU_WEB_LEAD_PER_ADDRESS`` submissions (default 5) per address within
``KEHU_WEB_LEAD_WINDOW_MINUTES`` (default 60); the address is counted as the sign-in
throttle counts it (kehu.core.throttle.client_address: proxies, IPv6 /64).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from kehu.core.models import Role
from kehu.development.models import Lead, WebFormSubmission

OPEN = (Lead.Status.OPEN, Lead.Status.QUALIFIED)


def assignee() -> Any:
    users = get_user_model().objects.filter(is_active=True)
    username = getattr(settings, "KEHU_WEB_LEAD_OWNER", "")
    if username:
        owner = users.filter(username=username).first()
        if owner is not None:
            return owner
    reps = users.filter(profile__role=Role.SALES)
    team = getattr(settings, "KEHU_WEB_LEAD_TEAM", "")
    if team:
        reps = reps.filter(profile__team__name=team)
    return (
        reps.annotate(open_leads=Count("owned_leads", filter=Q(owned_leads__status__in=OPEN)))
        .order_by("open_leads", "id")
        .first()
    )


def limit() -> tuple[int, dt.timedelta]:
    count = int(getattr(settings, "KEHU_WEB_LEAD_PER_ADDRESS", 5))
    minutes = int(getattr(settings, "KEHU_WEB_LEAD_WINDOW_MINUTES", 60))
    return count, dt.timedelta(minutes=minutes)


def over_limit(address: str, *, now: dt.datetime | None = None) -> bool:
    count, window = limit()
    now = now or timezone.now()
    recent = WebFormSubmission.objects.filter(address=address, at__gte=now - window)
    return recent.count() >= count


def count_submission(address: str, *, spam: bool) -> None:
    """Every submission counts, spam included (a bot must not learn the honeypot is why)."""
    WebFormSubmission.objects.create(address=address[:64], spam=spam)

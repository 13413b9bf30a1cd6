"""The surveys nobody has to send by hand: NPS on a schedule (each customer asked once per
the survey's ``every_days``, a quarter by default) and CSAT after a purchase (completed orders
of the last few days not invited yet). Run daily by the worker (``kehu.surveys.tasks``) or
``kehu surveys send``; ``now`` is explicit so the tests (and a catch-up run) choose the day.

Each run invites at most ``batch`` customers: a first run on a large database spreads its
invitations over the following days instead of mailing everyone at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from kehu.customers.models import Customer
from kehu.sales.models import Order
from kehu.surveys import services
from kehu.surveys.models import Invitation, Survey

DEFAULT_BATCH = 1000
PURCHASE_DAYS = 3  # orders of the last days get their CSAT invitation


@dataclass
class SendResult:
    nps: int = 0
    purchases: int = 0


def nps_due(*, now: dt.datetime, survey: Survey) -> Any:
    """Customers (not archived, not lost) not asked ``survey`` in its last ``every_days``."""
    since = timezone.localdate(now) - dt.timedelta(days=survey.every_days)
    asked = Invitation.objects.filter(
        customer=OuterRef("pk"), survey__kind=Survey.Kind.NPS, asked_on__gt=since
    )
    return (
        Customer.objects.filter(is_archived=False)
        .exclude(lifecycle_status=Customer.Lifecycle.LOST)
        .filter(~Exists(asked))
        .order_by("id")
    )


def send_nps(*, now: dt.datetime, by: Any = None, batch: int = DEFAULT_BATCH) -> int:
    survey = services.standard_survey(Survey.Kind.NPS)
    count = 0
    for customer in nps_due(now=now, survey=survey)[:batch]:
        services.invitation_create(survey=survey, customer=customer, by=by, now=now)
        count += 1
    return count


def send_after_purchases(*, now: dt.datetime, by: Any = None, batch: int = DEFAULT_BATCH) -> int:
    survey = services.standard_survey(Survey.Kind.CSAT_ORDER)
    today = timezone.localdate(now)
    invited = Invitation.objects.filter(order=OuterRef("pk"), survey__kind=Survey.Kind.CSAT_ORDER)
    orders = (
        Order.objects.filter(
            status=Order.Status.COMPLETED,
            ordered_on__gt=today - dt.timedelta(days=PURCHASE_DAYS),
            ordered_on__lte=today,
            customer__is_archived=False,
        )
        .filter(~Exists(invited))
        .select_related("customer")
        .order_by("id")
    )
    count = 0
    for order in orders[:batch]:
        services.invitation_create(
            survey=survey, customer=order.customer, order=order, by=by, now=now
        )
        count += 1
    return count


def send_due(
    *, now: dt.datetime | None = None, by: Any = None, batch: int = DEFAULT_BATCH
) -> SendResult:
    now = now or timezone.now()
    return SendResult(
        nps=send_nps(now=now, by=by, batch=batch),
        purchases=send_after_purchases(now=now, by=by, batch=batch),
    )

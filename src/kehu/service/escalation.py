"""Overdue tickets (E7): mark the breach, tell the assignee and their supervisor once, log
the escalation.

``check_overdue(now)`` is what the worker runs every minute (kehu.service.tasks). Two breaches:
- no first response by ``first_response_due_at``: ``response_breached`` is set;
- not resolved by ``due_at``: ``resolution_breached`` and ``escalated_at`` are set.
Each is found by its own partial index and flagged once, so a ticket alerts once per breach
(a reopened ticket clears ``escalated_at`` and can escalate again). Waiting and resolved
tickets have stopped clocks and are skipped.

The supervisor is every manager of the ticket's team (else of the assignee's team). A person
with more than ``PER_TICKET_LIMIT`` tickets falling due in one check gets one summary
notification linking to the overdue queue instead of a message per ticket; the escalation of
every ticket is written to the audit trail in bulk.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kehu.core.models import AuditEvent, Profile, Team
from kehu.notifications.services import language_of, notify_many
from kehu.service.models import Ticket
from kehu.service.signals import complaint_overdue

log = logging.getLogger(__name__)

PER_TICKET_LIMIT = 5
CHUNK = 5_000
RUNNING = ["new", "open", "reopened"]


@dataclass
class Breach:
    id: int
    subject: str
    customer_id: int
    kind: str
    assignee_id: int | None
    team_id: int | None


@dataclass
class CheckResult:
    response_breached: int = 0
    escalated: int = 0
    notifications: int = 0
    complaint_customers: list[int] = field(default_factory=list)


def _breaches(qs: Any) -> list[Breach]:
    return [
        Breach(*row)
        for row in qs.values_list(
            "id", "subject", "customer_id", "kind", "assigned_to_id", "team_id"
        )
    ]


def _supervisors(breaches: list[Breach]) -> dict[int | None, set[int]]:
    """Team id → its managers' user ids; an assignee without a team ticket uses their own."""
    assignees = {b.assignee_id for b in breaches if b.assignee_id and b.team_id is None}
    own_team = dict(
        Profile.objects.filter(user_id__in=assignees, team__isnull=False).values_list(
            "user_id", "team_id"
        )
    )
    for b in breaches:
        if b.team_id is None and b.assignee_id in own_team:
            b.team_id = own_team[b.assignee_id]
    teams = {b.team_id for b in breaches if b.team_id}
    managers: dict[int | None, set[int]] = defaultdict(set)
    for team_id, user_id in Team.managers.through.objects.filter(team_id__in=teams).values_list(
        "team_id", "user_id"
    ):
        managers[team_id].add(user_id)
    return managers


AUDIT_COLUMNS = ("at", "user_id", "action", "model", "object_id", "customer_id", "summary",
                 "changes", "source")  # fmt: skip


def _audit(breaches: list[Breach], now: dt.datetime, what: str) -> None:
    """One audit row per flagged ticket. On PostgreSQL by COPY: an 8,000-ticket burst's
    rows went through bulk_create's 72,000 bound parameters in about a second, most of the
    first check's time (bench/bench_sla.py)."""
    changes: dict[str, Any] = {what: [False, True]}
    if what == "resolution_breached":
        changes["escalated_at"] = [None, now.isoformat()]
    if connection.vendor == "postgresql":
        text = json.dumps(changes)
        sql = f"COPY {AuditEvent._meta.db_table} ({', '.join(AUDIT_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for b in breaches:
                copy.write_row((now, None, "update", "service.ticket", str(b.id), b.customer_id,
                                f"[#T{b.id}] {what}: {b.subject}"[:300], text, "worker"))  # fmt: skip
        return
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=None,
                source="worker",
                action="update",
                model="service.ticket",
                object_id=str(b.id),
                customer_id=b.customer_id,
                changes=changes,
                summary=f"[#T{b.id}] {what}: {b.subject}"[:300],
            )
            for b in breaches
        ],
        batch_size=CHUNK,
    )


def _notify_all(breaches: list[Breach], *, late_response: bool) -> int:
    managers = _supervisors(breaches)
    per_user: dict[int, list[Breach]] = defaultdict(list)
    for b in breaches:
        recipients = set(managers.get(b.team_id, set()))
        if b.assignee_id:
            recipients.add(b.assignee_id)
        for user_id in recipients:
            per_user[user_id].append(b)
    users = get_user_model().objects.select_related("profile").in_bulk(list(per_user))
    out = []
    for user_id, items in per_user.items():
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        with override(language_of(user)):
            for title, url in _messages(items, late_response=late_response):
                out.append((user, title, url, _kind(late_response)))
    # One INSERT for everyone (a row and a savepoint each was the burst's other cost).
    return notify_many(out)


def _kind(late_response: bool) -> str:
    return "ticket_response_late" if late_response else "ticket_overdue"


def _messages(items: list[Breach], *, late_response: bool) -> list[tuple[str, str]]:
    if len(items) > PER_TICKET_LIMIT:
        title = (
            _("%(n)d tickets have had no first response in time")
            if late_response
            else _("%(n)d tickets are overdue")
        ) % {"n": len(items)}
        return [(title, reverse("service:queue") + "?overdue=1")]
    out = []
    for b in items:
        text = _("No first response in time: %(s)s") if late_response else _("Overdue: %(s)s")
        out.append(
            (text % {"s": f"[#T{b.id}] {b.subject}"}, reverse("service:detail", args=[b.id]))
        )
    return out


RETURNED = "id, subject, customer_id, kind, assigned_to_id, team_id"


def _flag_returning(
    set_sql: str, set_params: list[Any], where_sql: str, where_params: list[Any]
) -> list[Breach]:
    """One UPDATE … RETURNING: flags the rows and says which they were, on the partial index,
    with no second pass over the ids (and no window for two workers to flag the same row)."""
    table = Ticket._meta.db_table
    statuses = ", ".join(["%s"] * len(RUNNING))
    sql = (
        # Every fragment is a constant of this module; values go as parameters.
        f"UPDATE {table} SET {set_sql} WHERE status IN ({statuses}) AND {where_sql} "  # noqa: S608
        f"RETURNING {RETURNED}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*set_params, *RUNNING, *where_params])
        return [Breach(*row) for row in cursor.fetchall()]


@transaction.atomic
def check_overdue(*, now: dt.datetime | None = None) -> CheckResult:
    now = now or timezone.now()
    result = CheckResult()
    # Raw SQL: the value as the backend stores it (SQLite keeps UTC text).
    at = connection.ops.adapt_datetimefield_value(now)
    late = _flag_returning(
        "response_breached = %s",
        [True],
        "first_response_at IS NULL AND response_breached = %s AND first_response_due_at < %s",
        [False, at],
    )
    if late:
        _audit(late, now, "response_breached")
        result.response_breached = len(late)
        result.notifications += _notify_all(late, late_response=True)
    overdue = _flag_returning(
        "resolution_breached = %s, escalated_at = %s",
        [True, at],
        "escalated_at IS NULL AND due_at < %s",
        [at],
    )
    if overdue:
        _audit(overdue, now, "resolution_breached")
        result.escalated = len(overdue)
        result.notifications += _notify_all(overdue, late_response=False)
        result.complaint_customers = sorted(
            {b.customer_id for b in overdue if b.kind == Ticket.Kind.COMPLAINT}
        )
    if result.response_breached or result.escalated:
        log.warning(
            "overdue check at %s: %d without first response, %d escalated, %d notifications",
            now.isoformat(), result.response_breached, result.escalated, result.notifications,
        )  # fmt: skip
    if result.complaint_customers:
        customers = result.complaint_customers
        transaction.on_commit(lambda: complaint_overdue.send(sender=Ticket, customer_ids=customers))
    return result

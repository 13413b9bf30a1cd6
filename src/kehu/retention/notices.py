"""In-app notifications (and e-mail where Django's mail is configured) for retention work
(issue #11: "In-app notifications; e-mail through Django's mail settings"): one notice per
owner when the nightly run gives them new tasks, and a daily one for each owner with overdue
tasks and for each team manager with overdue work in the team. Counted per person, never one
notice per task: a rep with 40 new calls gets one line that links to Today."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext, override

from kehu.core.models import Team
from kehu.notifications.services import language_of, notify_many
from kehu.retention.models import Task

KIND_NEW = "retention_tasks"
KIND_OVERDUE = "retention_overdue"


def _users(ids: Iterable[int]) -> dict[int, Any]:
    users = get_user_model().objects.select_related("profile").in_bulk(list(ids))
    return {pk: u for pk, u in users.items() if u.is_active}


def tell_new_tasks(owner_ids: Iterable[int | None]) -> int:
    """One notice per owner of newly created tasks (``owner_ids``: one entry per task)."""
    counts = Counter(pk for pk in owner_ids if pk)
    users, today = _users(counts), reverse("today")
    items = []
    for pk, n in counts.items():
        if pk in users:
            with override(language_of(users[pk])):
                title = ngettext(
                    "%(n)s new retention task on your Today list",
                    "%(n)s new retention tasks on your Today list",
                    n,
                ) % {"n": n}
            items.append((users[pk], title, today, KIND_NEW))
    return notify_many(items)


def remind_overdue(*, today: dt.date) -> int:
    """Each owner with open tasks due before ``today`` hears how many; each manager of a team
    whose members have overdue tasks hears the team's count (linking to the team view)."""
    overdue = Task.objects.filter(status=Task.Status.OPEN, due_on__lt=today)
    per_owner = Counter(
        dict(
            overdue.exclude(assigned_to=None)
            .values_list("assigned_to")
            .annotate(n=Count("id"))
            .values_list("assigned_to", "n")
        )
    )
    per_team = Counter(
        dict(
            overdue.exclude(assigned_to__profile__team=None)
            .values_list("assigned_to__profile__team")
            .annotate(n=Count("id"))
            .values_list("assigned_to__profile__team", "n")
        )
    )
    managers: dict[int, int] = Counter()
    for team_id, manager_id in Team.managers.through.objects.filter(
        team_id__in=list(per_team)
    ).values_list("team_id", "user_id"):
        managers[manager_id] += per_team[team_id]
    users = _users(set(per_owner) | set(managers))
    today_url = reverse("today")
    items = []
    for pk, n in per_owner.items():
        if pk in users:
            with override(language_of(users[pk])):
                title = ngettext(
                    "%(n)s retention task is overdue", "%(n)s retention tasks are overdue", n
                ) % {"n": n}
            items.append((users[pk], title, today_url, KIND_OVERDUE))
    for pk, n in managers.items():
        if pk in users:
            with override(language_of(users[pk])):
                title = ngettext(
                    "%(n)s retention task is overdue in your team",
                    "%(n)s retention tasks are overdue in your teams",
                    n,
                ) % {"n": n}
            items.append((users[pk], title, f"{today_url}?scope=team", KIND_OVERDUE))
    return notify_many(items)

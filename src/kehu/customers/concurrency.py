"""Optimistic concurrency for customer records.

Every write path raises ``Customer.version``. An edit form or an API client says which
version it loaded; a write against another version is refused (``StaleCustomer``) with the
fields changed since, read from the audit trail (each audited save records the version it
produced). A record merged into another is a dead end: writes to it are refused
(``MergedAway``) instead of landing where nobody looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from kehu.customers.models import Customer

# How far back the audit trail is read for "what changed since": far more edits than any
# form stays open for; older ones are summarised as "and more".
MAX_EVENTS = 200
# Bookkeeping columns, not something a person changed.
NOT_SHOWN = {"version", "updated_at", "created_at", "completeness", "search_text"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    then: str
    now: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "then": self.then, "now": self.now}


class StaleCustomer(Exception):
    """The record was changed after the caller loaded it; nothing was saved."""

    def __init__(self, *, customer_id: int, expected: int, current: int) -> None:
        self.customer_id = customer_id
        self.expected = expected
        self.current = current
        super().__init__(
            f"customer {customer_id} is at version {current}, the change was made to {expected}"
        )

    @property
    def message(self) -> str:
        return _(
            "Someone else changed this customer after you opened it (version %(then)s, "
            "now %(now)s). Nothing was saved: reload to see the current record."
        ) % {"then": self.expected, "now": self.current}

    def changes(self) -> list[FieldChange]:
        return changes_since(customer_id=self.customer_id, version=self.expected)


class MergedAway(Exception):
    """The record was merged into another one; changes belong on that one."""

    def __init__(self, *, customer_id: int, merged_into_id: int) -> None:
        self.customer_id = customer_id
        self.merged_into_id = merged_into_id
        super().__init__(f"customer {customer_id} was merged into {merged_into_id}")

    @property
    def message(self) -> str:
        return _(
            "This customer was merged into customer #%(id)s and can no longer be changed or "
            "restored; undo the merge on the data-quality page to bring it back."
        ) % {"id": self.merged_into_id}


def parse_version(value: Any) -> int | None:
    """A version a client sent back (form field, If-Match header): a positive int or None."""
    text = str(value or "").strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    return int(text) or None


def etag(customer: Customer) -> str:
    return f'"{customer.version}"'


def lock_for_write(customer: Customer, *, expected_version: int | None = None) -> int:
    """Lock the customer's row for the rest of the transaction and return the version the
    write will produce. Refuses a merged-away record, and a stale ``expected_version``."""
    row = (
        Customer._base_manager.select_for_update()
        .filter(pk=customer.pk)
        .values_list("version", "merged_into_id")
        .get()
    )
    current, merged_into_id = row
    if merged_into_id:
        raise MergedAway(customer_id=customer.pk, merged_into_id=merged_into_id)
    if expected_version is not None and expected_version != current:
        raise StaleCustomer(customer_id=customer.pk, expected=expected_version, current=current)
    return current + 1


def _field(name: str) -> Any:
    """The model field an audit entry names (by name, or by attname such as owner_id)."""
    try:
        return Customer._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _display(field: Any, value: Any) -> str:
    if value in (None, "", [], {}):
        return "∅"
    if isinstance(field, models.ForeignKey):
        target = field.related_model._base_manager.filter(pk=value).first()
        return str(target) if target is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _produced_version(event: Any) -> int | None:
    pair = (event.changes or {}).get("version")
    if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], int):
        return pair[1]
    return None


def changes_since(*, customer_id: int, version: int) -> list[FieldChange]:
    """The customer's fields that differ from what they were at ``version``: label, value
    then and value now, oldest change first."""
    from kehu.core.models import AuditEvent

    events = AuditEvent.objects.filter(
        model=Customer._meta.label_lower, object_id=str(customer_id)
    ).order_by("-id")[:MAX_EVENTS]
    since = []
    for event in events:
        produced = _produced_version(event)
        if produced is not None and produced <= version:
            break
        since.append(event)
    then: dict[str, Any] = {}
    now: dict[str, Any] = {}
    for event in reversed(since):
        for name, pair in (event.changes or {}).items():
            if name in NOT_SHOWN or not isinstance(pair, list) or len(pair) != 2:
                continue
            if _field(name) is None:
                continue
            then.setdefault(name, pair[0])
            now[name] = pair[1]
    changes = []
    for name in then:
        if then[name] == now[name]:
            continue
        field = _field(name)
        changes.append(
            FieldChange(
                field=field.name,
                label=str(getattr(field, "verbose_name", field.name)),
                then=_display(field, then[name]),
                now=_display(field, now[name]),
            )
        )
    return changes

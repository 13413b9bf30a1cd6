"""The audit trail as people read it (issue #12): each change grouped under its event, fields
by their labels (the field registry for customers, the model's verbose names otherwise), the
people, teams, partners and customers a change points at by name instead of id, choices by
their label, yes/no, and times in the reader's time zone and language.

Bounded: the names an event list points at are looked up with one query per kind of record
(users, teams, partners, regions, customers), however many events are shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kehu.customers import fields as customer_fields
from kehu.customers.models import Customer
from kehu.customers.money import to_decimal

# Bookkeeping columns that change with every write and tell the reader nothing.
HIDDEN = frozenset({"id", "version", "created_at", "updated_at", "created_by_id", "search_text"})


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class ReadableEvent:
    at: dt.datetime
    who: str
    action: str
    record: str
    summary: str
    changes: list[Change] = field(default_factory=list)


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, attname: str) -> models.Field | None:
    if model is None:
        return None
    for f in model._meta.concrete_fields:
        if f.attname == attname or f.name == attname:
            return f
    return None


def _label(model: type[models.Model] | None, f: models.Field | None, attname: str) -> str:
    if model is Customer and f is not None and f.name in customer_fields.BY_NAME:
        return capfirst(str(customer_fields.field(f.name).label))
    if f is not None:
        # A field named without gettext (sales' payment.invoice) still finds its word in the
        # catalogue ("Invoice"); a translated one passes through unchanged.
        return _(capfirst(str(f.verbose_name)))
    return attname.replace("_", " ")


def _name_of(obj: Any) -> str:
    if obj is None:
        return ""
    if hasattr(obj, "get_full_name"):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _lookup_names(wanted: dict[type[models.Model], set[Any]]) -> dict[tuple, str]:
    names: dict[tuple, str] = {}
    for model, ids in wanted.items():
        clean = [i for i in ids if isinstance(i, int)]
        if not clean:
            continue
        qs = model._default_manager.filter(pk__in=clean)
        if model is Customer:
            qs = qs.only("pk", "name")
        for obj in qs:
            names[(model, obj.pk)] = _name_of(obj)
    return names


def _value(f: models.Field | None, value: Any, names: dict[tuple, str]) -> str:
    if value in (None, "", [], {}):
        return "—"
    if f is None:
        return str(value)
    if f.is_relation and f.related_model is not None:
        name = names.get((f.related_model, value))
        return name if name else f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed, dt.UTC)
            return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")
    if isinstance(f, models.DateField) and isinstance(value, str):
        parsed_day = parse_date(value)
        if parsed_day is not None:
            return formats.date_format(parsed_day, "SHORT_DATE_FORMAT")
    if isinstance(f, models.DecimalField):
        amount = to_decimal(value, f.decimal_places)
        if amount is not None:
            return f"{amount:,}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def readable_events(events: list[Any]) -> list[ReadableEvent]:
    """``events`` (AuditEvent rows, newest first) as the history page shows them."""
    wanted: dict[type[models.Model], set[Any]] = {}
    parsed = []
    for ev in events:
        model = _model(ev.model)
        rows = []
        for attname, pair in (ev.changes or {}).items():
            if attname in HIDDEN or not isinstance(pair, list | tuple) or len(pair) != 2:
                continue
            f = _field(model, attname)
            if f is not None and f.is_relation and f.related_model is not None:
                wanted.setdefault(f.related_model, set()).update(pair)
            rows.append((attname, f, pair))
        parsed.append((ev, model, rows))
    names = _lookup_names(wanted)
    out = []
    for ev, model, rows in parsed:
        record = _(capfirst(str(model._meta.verbose_name))) if model is not None else ev.model
        who = _name_of(ev.user) if ev.user_id else (ev.source or _("System"))
        changes = [
            Change(_label(model, f, attname), _value(f, pair[0], names), _value(f, pair[1], names))
            for attname, f, pair in rows
        ]
        out.append(
            ReadableEvent(
                at=ev.at,
                who=who,
                action=ev.get_action_display(),
                record=record,
                summary=ev.summary,
                changes=changes,
            )
        )
    return out

"""Where personal data lives: a registry every app adds its sources to (PIPL / GDPR).

Export ("everything Kehu holds about this person") and erasure (anonymisation that keeps
orders and aggregates) must reach the data of apps written later (retention, service,
development) without this layer or the privacy app importing them. So each app registers
a ``Source`` in its ``AppConfig.ready()``: how to list its rows about some customers and,
where it holds personal data, how to anonymise them. ``kehu.privacy`` asks the registry.

This module also scrubs the audit trail: an erased value must not survive as the "before"
of an old change, or the history tab would still show it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from kehu.core.audit import _jsonable

# What replaces an erased value, in stored rows and in the audit trail: the same in every
# language, so a stored row never depends on who erased it.
ERASED = "[erased]"
# In ``Source.audit_fields``: the audit summary of this model is personal text as a whole.
SUMMARY = "__summary__"

Rows = Callable[[Sequence[int]], Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class Source:
    """One kind of record that holds data about a customer.

    ``rows(customer_ids)`` lists them as plain JSON-ready dicts. ``identifiers`` returns the
    strings that identify the person (names, phones, e-mails …) so that free text elsewhere
    (audit summaries, merge snapshots) can be scrubbed of them. ``erase(customer_ids=...,
    identifiers=..., by=...)`` anonymises in place and returns how many rows it changed.
    ``audit_fields`` names, per model label, the columns whose values the audit trail must
    forget; ``audit_objects(customer_ids)`` adds rows of that model whose audit events are
    filed under another customer (a relation is filed under its "from" end).
    """

    key: str
    label: Any
    rows: Rows
    erase: Callable[..., int] | None = None
    identifiers: Callable[[Sequence[int]], Iterable[str]] | None = None
    audit_fields: Mapping[str, Collection[str]] = field(default_factory=dict)
    audit_objects: Callable[[Sequence[int]], Mapping[str, Collection[Any]]] | None = None
    # Erasers run in this order (lower first): e.g. merge snapshots before the customer row.
    order: int = 100


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add (or, on a second ``ready()``, replace) a source; keys are unique."""
    _SOURCES[source.key] = source


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def model_rows(queryset: Any, *, exclude: Collection[str] = ()) -> list[dict[str, Any]]:
    """Every concrete column of each row, by attname, as JSON-ready values."""
    model = queryset.model
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]
    return [
        {name: _jsonable(value) for name, value in zip(names, values, strict=True)}
        for values in queryset.values_list(*names)
    ]


def scrub_text(value: Any, identifiers: Collection[str]) -> Any:
    """``value`` with every identifier replaced by ERASED, walking lists and dicts."""
    if isinstance(value, str):
        for ident in identifiers:
            if ident and ident in value:
                value = value.replace(ident, ERASED)
        return value
    if isinstance(value, list):
        return [scrub_text(v, identifiers) for v in value]
    if isinstance(value, dict):
        return {k: scrub_text(v, identifiers) for k, v in value.items()}
    return value


def personal_fields() -> dict[str, set[str]]:
    """Per model label, the columns whose values are personal (every source's say)."""
    fields: dict[str, set[str]] = {}
    for source in sources():
        for label, names in source.audit_fields.items():
            fields.setdefault(label, set()).update(names)
    return fields


def scrub_row(label: str, row: Any, identifiers: Collection[str]) -> Any:
    """A stored copy of a row (``{attname: value}``) with its personal columns ERASED."""
    if not isinstance(row, dict):
        return scrub_text(row, identifiers)
    names = personal_fields().get(label, set())
    return {
        key: (ERASED if key in names and value not in (None, "", [], {}) else value)
        for key, value in scrub_text(row, identifiers).items()
    }


def _scrub_changes(changes: Any, fields: Collection[str], identifiers: Collection[str]) -> Any:
    if not isinstance(changes, dict):
        return scrub_text(changes, identifiers)
    out: dict[str, Any] = {}
    for key, change in changes.items():
        if key in fields and isinstance(change, list | tuple):
            # Keep the shape [before, after] and whether a value was there at all.
            out[key] = [None if v in (None, "", [], {}) else ERASED for v in change]
        elif key in fields:
            out[key] = ERASED
        else:
            out[key] = scrub_text(change, identifiers)
    return out


def scrub_audit(
    *,
    customer_ids: Sequence[int],
    identifiers: Collection[str],
) -> int:
    """Forget erased values in the audit trail: the events stay (who did what, when), their
    values of personal columns become ERASED and identifiers vanish from any text. Returns
    the number of events rewritten. A model whose ``audit_fields`` include SUMMARY has
    personal free text as its summary (an interaction's subject): it becomes ERASED."""
    from kehu.core.models import AuditEvent

    fields = personal_fields()
    objects: dict[str, set[str]] = {}
    for source in sources():
        if source.audit_objects is not None:
            for label, pks in source.audit_objects(customer_ids).items():
                objects.setdefault(label, set()).update(str(pk) for pk in pks)
    condition = Q(customer_id__in=list(customer_ids))
    for label, pks in objects.items():
        if pks:
            condition |= Q(model=label, object_id__in=sorted(pks))
    idents = sorted({i for i in identifiers if i}, key=len, reverse=True)
    changed = []
    for event in AuditEvent.objects.filter(condition).iterator(chunk_size=500):
        model_fields = fields.get(event.model, set())
        changes = _scrub_changes(event.changes, model_fields, idents)
        if SUMMARY in model_fields and event.summary:
            summary = ERASED
        else:
            summary = scrub_text(event.summary, idents)
        if changes != event.changes or summary != event.summary:
            event.changes, event.summary = changes, summary
            changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["changes", "summary"], batch_size=500)
    return len(changed)


def _audit_rows(ids: Sequence[int]) -> list[dict[str, Any]]:
    from kehu.core.models import AuditEvent

    return model_rows(AuditEvent.objects.filter(customer_id__in=list(ids)).order_by("at", "id"))


def register_sources() -> None:
    from django.utils.translation import gettext_lazy as _

    register(Source(key="core.audit", label=_("Change history"), rows=_audit_rows, order=200))

"""Every row that points at a customer, found generically, and exact row snapshots.

A merge must move *every* linked record, including those of apps written after this one
(surveys, leads …). So the links are not listed by hand: they are the reverse relations of
``Customer`` found through ``_meta.get_fields(include_hidden=True)``. The hidden ones matter:
the auto-created through table of ``Customer.tags`` (and of any many-to-many field another
app points at Customer) only shows up there, and moving its rows is what moves the M2M.

Rows are snapshotted as ``{attname: JSON value}`` with full precision (microseconds,
Decimal as text) so that an undo can put back *exactly* what was there; Django's JSON
serializer would round datetimes to milliseconds.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from django.apps import apps
from django.db import models, router
from django.db.models import ForeignObjectRel
from django.db.models.deletion import Collector

from kehu.customers.models import Customer

# Our own bookkeeping points at customers on purpose and must stay where it is.
EXCLUDED_APPS = frozenset({"quality"})


@dataclass(frozen=True)
class Link:
    """One foreign-key column, somewhere, that refers to a customer."""

    model: type[models.Model]
    field: models.ForeignObject

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field.attname}"

    @property
    def customer_fields(self) -> tuple[models.Field, ...]:
        """All customer columns of the row: a relation has two, and both may need remapping."""
        return customer_columns(self.model)

    @property
    def unique_sets(self) -> tuple[tuple[str, ...], ...]:
        return unique_sets(self.model)

    @property
    def has_conditional_uniques(self) -> bool:
        return any(
            isinstance(c, models.UniqueConstraint) and (c.condition is not None or c.expressions)
            for c in self.model._meta.constraints
        )


@cache
def customer_columns(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Customer and not f.many_to_many
    )


@cache
def unique_sets(model: type[models.Model]) -> tuple[tuple[str, ...], ...]:
    """Unconditional unique column sets (attnames) that include a customer column: the ones
    a move can collide with."""
    names = {f.name: f.attname for f in model._meta.concrete_fields}
    customer_atts = {f.attname for f in customer_columns(model)}
    sets: list[tuple[str, ...]] = []
    for together in model._meta.unique_together:
        sets.append(tuple(names[n] for n in together))
    for constraint in model._meta.total_unique_constraints:
        sets.append(tuple(names[n] for n in constraint.fields))
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            sets.append((field.attname,))
    return tuple(s for s in dict.fromkeys(sets) if customer_atts & set(s))


def customer_links() -> list[Link]:
    """Every FK column to Customer in every installed model, bookkeeping excluded."""
    found: dict[str, Link] = {}
    for rel in Customer._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            # Forward fields, and M2M relations, which are handled through their through
            # table's hidden FK (it appears here as a one-to-many relation of its own).
            continue
        model = rel.related_model
        if not isinstance(model, type):
            continue
        meta = model._meta
        if meta.app_label in EXCLUDED_APPS or meta.proxy or not meta.managed:
            continue
        link = Link(model=model, field=rel.field)
        found[link.label] = link
    return [found[k] for k in sorted(found)]


# --- exact row snapshots ---------------------------------------------------------------


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def row_state(obj: models.Model) -> dict[str, Any]:
    """Every concrete column of a row, JSON-safe, full precision."""
    return {f.attname: jsonable(f.value_from_object(obj)) for f in obj._meta.concrete_fields}


def python_values(model: type[models.Model], state: dict[str, Any]) -> dict[str, Any]:
    """The inverse of ``row_state``: column values as the model field expects them."""
    out: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.attname not in state:
            continue
        value = state[field.attname]
        if isinstance(field, models.BinaryField) and value is not None:
            out[field.attname] = base64.b64decode(value)
        elif isinstance(field, models.JSONField):
            out[field.attname] = value
        else:
            out[field.attname] = field.to_python(value)
    return out


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)


def recreate(label: str, state: dict[str, Any]) -> None:
    """Put a snapshotted row back with its original primary key and every column as it was.

    A raw save: no auto_now, no audit signal (the undo writes its own audit event)."""
    model = model_of(label)
    obj = model(**python_values(model, state))
    obj.save_base(raw=True)


def drop(objs: list[models.Model]) -> dict[str, Any]:
    """Delete rows and whatever their deletion cascades to, returning what puts it all back:
    ``rows`` in deletion order and the SET_NULL-style ``updates`` the deletion made."""
    if not objs:
        return {"rows": [], "updates": []}
    using = router.db_for_write(type(objs[0]))
    collector = Collector(using=using, origin=objs[0])
    collector.collect(objs)
    collector.sort()
    rows: list[dict[str, Any]] = []
    # Collector.delete removes the fast-deletable querysets first, then the instances.
    for qs in collector.fast_deletes:
        rows.extend({"model": label_of(o.__class__), "row": row_state(o)} for o in qs)
    for model, instances in collector.data.items():
        rows.extend({"model": label_of(model), "row": row_state(o)} for o in instances)
    updates: list[dict[str, Any]] = []
    for (field, _value), batches in collector.field_updates.items():
        for batch in batches:
            for obj in cast(Iterable[Any], batch):
                updates.append(
                    {
                        "model": label_of(obj.__class__),
                        "pk": jsonable(obj.pk),
                        "field": field.attname,
                        "old": jsonable(getattr(obj, field.attname)),
                    }
                )
    collector.delete()
    return {"rows": rows, "updates": updates}


def undrop(record: dict[str, Any]) -> None:
    """Reverse of ``drop``: recreate the rows (parents before children), then the updates."""
    for item in reversed(record.get("rows", [])):
        recreate(item["model"], item["row"])
    for update in record.get("updates", []):
        model = model_of(update["model"])
        value = python_values(model, {update["field"]: update["old"]})[update["field"]]
        model._base_manager.filter(pk=update["pk"]).update(**{update["field"]: value})

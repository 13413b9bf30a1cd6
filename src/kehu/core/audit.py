"""The audit trail: every change to customer data, who made it, when, before and after.

Audited models inherit ``Audited``. Their loaded field values are remembered in ``from_db``
so that ``post_save`` can record the difference whatever path wrote it (form, API, import,
shell, admin). The acting user and the source come from a context variable that the
middleware, the API auth, the CLI and the worker set; services can add their own event
(merge, reassignment) with ``record``.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import datetime as dt
import decimal
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import models
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
_actor: contextvars.ContextVar[tuple[Any, str] | None] = contextvars.ContextVar(
    "kehu_audit_actor", default=None
)


@contextlib.contextmanager
def acting_as(user: Any, source: str = "web") -> Iterator[None]:
    token = _actor.set((user, source))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[Any, str]:
    value = _actor.get()
    if value is None:
        return None, "system"
    user, source = value
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return user, source


@contextlib.contextmanager
def actor(by: Any) -> Iterator[None]:
    """Changes inside are recorded as made by ``by`` (a service's explicit actor), whatever
    the context says; the source (web, api, import, …) stays the caller's."""
    _user, source = current_actor()
    with acting_as(by, source):
        yield


def with_actor(func: Callable[..., T]) -> Callable[..., T]:
    """For services: the keyword argument ``by`` is the actor of every change they make."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        with actor(kwargs.get("by")):
            return func(*args, **kwargs)

    return wrapper


class AuditUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None), "web"):
            return self.get_response(request)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def field_values(instance: models.Model) -> dict[str, Any]:
    """The instance's loaded field values; deferred fields are left out rather than fetched
    (fetching would load the row again and recurse through ``from_db``)."""
    values = {}
    loaded = instance.__dict__
    for field in instance._meta.concrete_fields:
        if field.name in getattr(instance, "audit_exclude", ()) or field.attname not in loaded:
            continue
        values[field.attname] = _jsonable(loaded[field.attname])
    return values


# Per model: the audited fields' attnames, and those whose values may be changed in place
# (JSON lists and dicts), which the load-time snapshot must copy.
_AUDITED: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}


def _audited_fields(cls: type[Audited]) -> tuple[tuple[str, ...], frozenset[str]]:
    fields = _AUDITED.get(cls)
    if fields is None:
        kept = [f for f in cls._meta.concrete_fields if f.name not in cls.audit_exclude]
        mutable = frozenset(
            f.attname
            for f in kept
            if isinstance(f, models.JSONField) or f.get_internal_type() == "ArrayField"
        )
        fields = _AUDITED[cls] = (tuple(f.attname for f in kept), mutable)
    return fields


class Audited(models.Model):
    """Mixin: changes to rows of this model are written to the audit trail."""

    audit_exclude: tuple[str, ...] = ("updated_at", "search_text")
    # A switch for services that record their own event.
    _audit_skip: bool = False

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The values as loaded, turned into the trail's JSON only when asked for: a list
        # page loads fifty customers and saves none (the conversion was a tenth of its time).
        names, mutable = _audited_fields(cls)
        loaded = instance.__dict__
        raw = {a: loaded[a] for a in names if a in loaded}
        for a in mutable & raw.keys():
            raw[a] = copy.deepcopy(raw[a])
        instance.__dict__["_audit_raw"] = raw
        return instance

    @property
    def _audit_loaded(self) -> dict[str, Any]:
        """The field values as loaded (or as last saved), as the trail stores them;
        AttributeError for an instance that was never loaded."""
        state = self.__dict__
        if "_audit_json" not in state:
            if "_audit_raw" not in state:
                raise AttributeError("_audit_loaded")
            state["_audit_json"] = {k: _jsonable(v) for k, v in state["_audit_raw"].items()}
        return state["_audit_json"]

    @_audit_loaded.setter
    def _audit_loaded(self, values: dict[str, Any]) -> None:
        self.__dict__["_audit_json"] = values

    def audit_customer_id(self) -> int | None:
        return getattr(self, "customer_id", None)

    def audit_summary(self) -> str:
        return str(self)[:300]


def record(
    *,
    action: str,
    instance: models.Model | None = None,
    model: str = "",
    object_id: Any = "",
    customer_id: int | None = None,
    changes: dict | None = None,
    summary: str = "",
    user: Any = None,
) -> Any:
    from kehu.core.models import AuditEvent

    actor, source = current_actor()
    if instance is not None:
        model = model or instance._meta.label_lower
        object_id = object_id or instance.pk
        if customer_id is None and isinstance(instance, Audited):
            customer_id = instance.audit_customer_id()
    return AuditEvent.objects.create(
        user=user if user is not None else actor,
        source=source,
        action=action,
        model=model,
        object_id=str(object_id),
        customer_id=customer_id,
        changes=_jsonable(changes or {}),
        summary=summary[:300],
    )


def _on_save(sender, instance: Audited, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or getattr(instance, "_audit_skip", False):
        return
    after = field_values(instance)
    if created:
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "", [], {})}
        action = "create"
    else:
        before = getattr(instance, "_audit_loaded", None)
        if before is None:
            changes = {k: [None, v] for k, v in after.items()}
        else:
            changes = {
                k: [before.get(k), v] for k, v in after.items() if k in before and before[k] != v
            }
        if not changes:
            return
        action = "update"
        archived = changes.get("is_archived")
        if archived is not None:
            action = "archive" if archived[1] else "restore"
    record(action=action, instance=instance, changes=changes, summary=instance.audit_summary())
    instance._audit_loaded = after


def _on_delete(sender, instance: Audited, **kwargs) -> None:
    before = getattr(instance, "_audit_loaded", None) or field_values(instance)
    record(
        action="delete",
        instance=instance,
        changes={k: [v, None] for k, v in before.items()},
        summary=instance.audit_summary(),
    )


def connect_signals() -> None:
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, Audited):
            post_save.connect(_on_save, sender=model, dispatch_uid=f"audit-save-{model}")
            post_delete.connect(_on_delete, sender=model, dispatch_uid=f"audit-del-{model}")

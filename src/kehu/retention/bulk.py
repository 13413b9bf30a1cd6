"""Inserting many rows of one model fast: COPY on PostgreSQL, ``bulk_create`` elsewhere.

Generating a night's tasks writes hundreds of thousands of tasks and control assignments;
building a model instance per row and an INSERT … VALUES per batch took most of that time
(bench/README.md, retention). Rows come as dicts of attribute names; the model's field
defaults fill the rest, so the database sees exactly what ``Model.save`` would write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults: dict[str, Any] = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            # None for nullable fields without a default, "" for text ones (as save would).
            defaults[f.attname] = f.get_default()
    if connection.vendor != "postgresql":
        objs = [model(**{**defaults, **row}) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return len(objs)
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[attr-defined]
        for row in rows:
            values = {**defaults, **row}
            copy.write_row([values[name] for name in names])
            count += 1
    return count

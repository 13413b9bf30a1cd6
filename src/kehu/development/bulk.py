"""How ``services_import.leads_create_bulk`` stores many new leads at once: the lead rows, their
cards and the cards' opening grade rows, as three COPYs on PostgreSQL (ids drawn from the
tables' sequences first, so the cards can name their leads and the grade rows their cards)
and as three ``bulk_create`` calls elsewhere.

The rules — what a new lead's status, team, card number, grade and dates are — stay in
kehu.development.services; this module only writes what it is handed.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models

from kehu.development.models import Card, GradeChange, Lead
from kehu.imports.pgcopy import NEEDS_ESCAPE, copy_text, copy_text_into


def _default(field: models.Field) -> Any:
    value = field.get_default()
    return str(value) if isinstance(value, str) else value


class CopyRows:
    """COPY text lines for one model: the columns every row shares (defaults, the run's
    creator and timestamps) are formatted once; a row only formats the values it sets."""

    def __init__(self, model: type[models.Model], constant: dict[str, Any]):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.model = model
        self.names = [f.attname for f in fields]
        self.columns = ["id", *(str(f.column) for f in fields)]
        base = {f.attname: _default(f) for f in fields}
        base.update(constant)
        self.base = base
        self.template = [copy_text(base[name]) for name in self.names]
        self.index = {name: i for i, name in enumerate(self.names)}

    def line(self, pk: int, values: dict[str, Any]) -> str:
        parts = list(self.template)
        index = self.index
        for name, value in values.items():
            if type(value) is str and not NEEDS_ESCAPE.search(value):
                parts[index[name]] = value
            else:
                parts[index[name]] = copy_text(value)
        return f"{pk}\t" + "\t".join(parts) + "\n"

    def objects(self, rows: list[dict[str, Any]]) -> list[Any]:
        return [self.model(**{**self.base, **values}) for values in rows]


def next_ids(model: type[models.Model], n: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, n],
        )
        return [r[0] for r in cursor.fetchall()]


def store(
    *,
    leads: list[dict[str, Any]],
    cards: list[dict[str, Any]],
    changes: list[dict[str, Any]],
    constant: dict[str, dict[str, Any]],
) -> list[int]:
    """Write the i-th lead with the i-th card and grade row; returns the lead ids. Cards'
    ``lead_id`` and grade rows' ``card_id`` are filled in here."""
    lead_rows = CopyRows(Lead, constant["lead"])
    card_rows = CopyRows(Card, constant["card"])
    change_rows = CopyRows(GradeChange, constant["change"])
    n = len(leads)
    if connection.vendor == "postgresql":
        lead_ids = next_ids(Lead, n)
        card_ids = next_ids(Card, n)
        copy_text_into(
            Lead._meta.db_table,
            lead_rows.columns,
            "".join(lead_rows.line(pk, v) for pk, v in zip(lead_ids, leads, strict=True)),
        )
        copy_text_into(
            Card._meta.db_table,
            card_rows.columns,
            "".join(
                card_rows.line(pk, {**v, "lead_id": lead})
                for pk, lead, v in zip(card_ids, lead_ids, cards, strict=True)
            ),
        )
        copy_text_into(
            GradeChange._meta.db_table,
            change_rows.columns,
            "".join(
                change_rows.line(pk, {**v, "card_id": card})
                for pk, card, v in zip(next_ids(GradeChange, n), card_ids, changes, strict=True)
            ),
        )
        return lead_ids
    made = Lead.objects.bulk_create(lead_rows.objects(leads), batch_size=1000)
    lead_ids = [obj.pk for obj in made]
    made_cards = Card.objects.bulk_create(
        card_rows.objects([{**v, "lead_id": pk} for pk, v in zip(lead_ids, cards, strict=True)]),
        batch_size=1000,
    )
    GradeChange.objects.bulk_create(
        change_rows.objects(
            [{**v, "card_id": c.pk} for c, v in zip(made_cards, changes, strict=True)]
        ),
        batch_size=1000,
    )
    return lead_ids

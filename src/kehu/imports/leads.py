"""The writer for lead files (issue #14): a batch of checked lead rows is matched against
the stored leads, the new ones go to ``kehu.development.services_import.leads_create_bulk`` (COPY
on PostgreSQL, cards numbered in file order) and the changed ones through
``lead_import_update`` — the importer decides what is new, changed or unchanged; the
development services decide what a lead is.

Matching follows the customer import (kehu.imports.bulk) without the external id, which
leads don't have — the first key the row has decides:
1. phone in E.164; several stored leads with it → the row is refused as ambiguous;
2. e-mail (same rule);
3. a row with neither matches a lead of exactly the same name that has neither either.
Within one file the same key twice is an error on the later row, so re-importing a file
changes nothing and the outcome doesn't depend on row order. A blank cell never erases.
Only leads (not customers) are matched: a lead that resembles a customer is warned about
on its page and at conversion, as one typed in by hand is.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from kehu.development import rules
from kehu.development import services_import as lead_import
from kehu.development.models import Card, Lead
from kehu.imports.bulk import InFileDuplicates, Outcome
from kehu.imports.pgcopy import TableStats
from kehu.imports.rows import Context

# Stored values a row is compared with; "grade" is the card's.
COMPARED = (
    "kind",
    "name",
    "company",
    "phone",
    "email",
    "city",
    "notes",
    "source",
    "campaign",
    "money",
    "money_note",
    "authority",
    "authority_note",
    "need",
    "need_note",
)
LOADED = ("id", "status", "owner_id", "card__grade", *(f for f in COMPARED if f != "campaign"))


def match_key(data: dict[str, Any]) -> tuple[str, str]:
    cached = data.get("_match")
    if cached is not None:
        return cached
    if data.get("phone"):
        key = "phone", "t:" + data["phone"]
    elif data.get("email"):
        key = "email", "e:" + data["email"]
    else:
        key = "name", "n:" + data["name"]
    data["_match"] = key
    return key


class LeadWriter(InFileDuplicates):
    """Writes batches of cleaned lead rows; lives for one import run."""

    def __init__(self, *, ctx: Context, job_id: int | None):
        self.ctx = ctx
        self.job_id = job_id
        self.seen: dict[str, int] = {}
        self.visibility = rules.lead_filter(ctx.user)
        self._stats = TableStats(Lead._meta.db_table) if connection.vendor == "postgresql" else None

    match_key = staticmethod(match_key)

    def _existing(self, datas: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        keys: dict[str, set[str]] = defaultdict(set)
        for data in datas:
            name, key = match_key(data)
            keys[name].add(key[2:])
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if not keys:
            return found
        for row in _stored(keys):
            if row["phone"]:
                found["t:" + row["phone"]].append(row)
            if row["email"]:
                found["e:" + row["email"]].append(row)
            if not (row["phone"] or row["email"]):
                found["n:" + row["name"]].append(row)
        return found

    def _visible(self, ids: list[int]) -> set[int]:
        if self.visibility is None or not ids:
            return set()
        qs = Lead.objects.filter(pk__in=ids)
        if self.visibility:  # Q() — the user sees every lead
            qs = qs.filter(self.visibility)
        return set(qs.values_list("pk", flat=True))

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> Outcome:
        """``batch`` is [(row number, cleaned data)]; returns counts and row failures."""
        out = Outcome()
        live = []
        for index, (row_number, data) in enumerate(batch):
            problem = self._duplicate(row_number, data)
            if problem:
                out.failures.append((index, [problem]))
            else:
                live.append((index, row_number, data))
        found = self._existing([d for _i, _r, d in live])
        visible = self._visible([row["id"] for rows in found.values() for row in rows])
        new: list[tuple[int, dict[str, Any]]] = []
        changes: list[tuple[int, dict[str, Any]]] = []
        for index, row_number, data in live:
            name, key = match_key(data)
            candidates = found.get(key, [])
            if not candidates:
                new.append((row_number, data))
                continue
            refusal = _refusal(candidates, visible)
            if refusal:
                out.failures.append((index, [(name, refusal)]))
                continue
            diff = _diff(candidates[0], data)
            if "owner" in diff and not self.ctx.may_assign_others:
                out.failures.append((index, [("owner", _("Only managers may reassign leads."))]))
            elif diff:
                changes.append((candidates[0]["id"], diff))
            else:
                out.unchanged += 1
        if new:
            lead_import.leads_create_bulk(
                by=self.ctx.user,
                leads=[_values(d) for _r, d in new],
                note={"job": self.job_id, "rows": [new[0][0], new[-1][0]]},
            )
            if self._stats is not None:
                self._stats.added(len(new))
        leads = Lead.objects.in_bulk([pk for pk, _d in changes])
        for pk, diff in changes:
            lead_import.lead_import_update(lead=leads[pk], by=self.ctx.user, changes=diff)
        out.created, out.updated = len(new), len(changes)
        return out


def _stored(keys: dict[str, set[str]]) -> list[dict[str, Any]]:
    """Stored leads having any of the keys, with their card's grade. On PostgreSQL each key
    list is one array parameter: an IN list of 10,000 values costs more to build (and to
    plan) than to run."""
    if connection.vendor != "postgresql":
        condition = Q()
        if keys.get("phone"):
            condition |= Q(phone__in=keys["phone"])
        if keys.get("email"):
            condition |= Q(email__in=keys["email"])
        if keys.get("name"):
            condition |= Q(name__in=keys["name"], phone="", email="")
        rows = list(Lead.objects.filter(condition).values(*LOADED, "campaign_id"))
        for row in rows:
            row["grade"] = row.pop("card__grade")
            row["campaign"] = row.pop("campaign_id")
        return rows
    clauses, params = [], []
    for column in ("phone", "email"):
        if keys.get(column):
            clauses.append(f"l.{column} = ANY(%s)")
            params.append(list(keys[column]))
    if keys.get("name"):
        clauses.append("(l.name = ANY(%s) AND l.phone = '' AND l.email = '')")
        params.append(list(keys["name"]))
    names = [n for n in LOADED if n != "card__grade"]
    # Column and table names are ours, values are parameters.
    sql = (
        f"SELECT {', '.join('l.' + n for n in names)}, l.campaign_id, c.grade "  # noqa: S608
        f"FROM {Lead._meta.db_table} l LEFT JOIN {Card._meta.db_table} c ON c.lead_id = l.id "
        f"WHERE {' OR '.join(clauses)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip([*names, "campaign", "grade"], r, strict=True)) for r in cursor]


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _refusal(candidates: list[dict[str, Any]], visible: set[int]) -> str:
    """Why a row may not update the stored lead(s) it matches; '' when it may. A lead
    hidden from the importer is never described (that it exists, or how many)."""
    if any(c["id"] not in visible for c in candidates):
        return _(
            "This value can't be used in your import; ask a manager or an administrator to "
            "import this row."
        )
    if len(candidates) > 1:
        return _("%(n)d leads in Kehu have this key; correct them before importing this row.") % {
            "n": len(candidates)
        }
    if candidates[0]["status"] == Lead.Status.CONVERTED:
        return _("This row matches a lead converted to a customer; change the customer instead.")
    return ""


def _diff(current: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The values of the row that differ from the stored lead (blank cells are absent)."""
    diff = {name: data[name] for name in COMPARED if name in data and data[name] != current[name]}
    if data.get("grade") and data["grade"] != current["grade"]:
        diff["grade"] = data["grade"]
    owner = data.get("owner")
    if owner is not None and owner.pk != current["owner_id"]:
        diff["owner"] = owner
    return diff

"""The bulk path for customers: a batch of validated rows becomes a handful of statements.

Per batch: one query finds the existing customers by their match key, one checks which of
them the importing user may see, new customers go in with COPY (PostgreSQL; ids taken from
the sequence first so search keys, owner history and tags can reference them) or
bulk_create elsewhere, changed ones with bulk_update, and the audit trail gets one event per
changed customer (before/after) plus one summary event for the customers created.

Matching, in order — the first key the row has decides, later keys are not tried, so one
row can never be matched two ways:
1. external id (unique in Kehu);
2. phone in E.164 — when several live customers share it the row is rejected as ambiguous
   rather than guessing;
3. e-mail (same rule);
4. a row with none of those matches a customer of exactly the same name that has no
   external id, phone or e-mail either; otherwise re-importing such a row would duplicate it.
Within one file the same key twice is an error on the later row ("same … as row N"): the
outcome of an import must not depend on row order, and it keeps re-imports idempotent.
A blank cell never erases a stored value.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.audit import _jsonable, current_actor
from kehu.core.models import AuditEvent
from kehu.customers.models import Customer, OwnerHistory, SearchKey, Tag
from kehu.customers.search import customer_keys
from kehu.customers.services import (
    COMPLETENESS_FIELDS,
    completeness_of_values,
    owner_history_start_bulk,
    owner_team_id,
    refresh_search_keys,
    search_keys_follow_team,
)
from kehu.imports.lane import KeyLane
from kehu.imports.pgcopy import (
    KEY_COLUMNS,
    NEEDS_ESCAPE,
    TableStats,
    copy_text,
    copy_text_into,
    insert_rows,
    is_postgres,
    key_rows,
)
from kehu.imports.rows import Context

TagLink = Customer.tags.through
# Columns a row may set directly on Customer (the rest are derived or handled apart).
DIRECT_FIELDS = (
    "name",
    "name_en",
    "kind",
    "phone",
    "email",
    "province",
    "city",
    "district",
    "address",
    "postcode",
    "birthday",
    "gender",
    "id_number",
    "industry",
    "source",
    "external_id",
    "acquired_on",
    "notes",
)
_DIRECT = frozenset(DIRECT_FIELDS)
KEY_FIELDS = {"name", "name_en", "phone", "email"}
LOADED = sorted(
    {"id", "is_archived", "owner_id", "team_id", "attributes", "aliases", *DIRECT_FIELDS}
    | {f for fields in COMPLETENESS_FIELDS.values() for f in fields}
)


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (unit index in the batch, [(field, reason)])
    failures: list[tuple[int, list[tuple[str, str]]]] = field(default_factory=list)


def match_key(data: dict[str, Any]) -> tuple[str, str]:
    """(field, key) the row is matched by; see the module docstring. Kept on the row: it
    is asked for several times per row on the hot path."""
    cached = data.get("_match")
    if cached is not None:
        return cached
    if data.get("external_id"):
        key = "external_id", "x:" + data["external_id"]
    elif data.get("phone"):
        key = "phone", "t:" + data["phone"]
    elif data.get("email"):
        key = "email", "e:" + data["email"]
    else:
        key = "name", "n:" + data["name"]
    data["_match"] = key
    return key


HISTORY_COLUMNS = [
    "customer_id",
    "owner_id",
    "team_id",
    "started_at",
    "ended_at",
    "changed_by_id",
    "reason",
]


class Prepared(NamedTuple):
    """A new customer ready to insert but for its id; ``row`` is COPY text or field values.
    A tuple: it crosses the process boundary a million times, and pickles small."""

    row: Any
    keys: Any  # COPY text, newline-joined (PostgreSQL), else a list
    owner_id: int
    team_id: int | None
    name: str


def _stored_rows(keys: dict[str, set[str]]) -> Iterable[dict[str, Any]]:
    """Live customers having any of the keys. On PostgreSQL each key list is one array
    parameter: an IN list of 10,000 values costs more to build than to run."""
    if is_postgres():
        clauses, params = [], []
        for column in ("external_id", "phone", "email"):
            if keys.get(column):
                clauses.append(f"{column} = ANY(%s)")
                params.append(list(keys[column]))
        if keys.get("name"):
            clauses.append("(name = ANY(%s) AND external_id IS NULL AND phone = '' AND email = '')")
            params.append(list(keys["name"]))
        # Column names are ours, values are parameters.
        sql = (
            f"SELECT {', '.join(LOADED)} FROM {Customer._meta.db_table} "  # noqa: S608
            f"WHERE merged_into_id IS NULL AND ({' OR '.join(clauses)})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [dict(zip(LOADED, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            # Django has psycopg hand jsonb over as text (JSONField decodes it itself).
            for name in ("attributes", "aliases"):
                if isinstance(row[name], str):
                    row[name] = json.loads(row[name])
        return rows
    condition = Q()
    if keys.get("external_id"):
        condition |= Q(external_id__in=keys["external_id"])
    if keys.get("phone"):
        condition |= Q(phone__in=keys["phone"])
    if keys.get("email"):
        condition |= Q(email__in=keys["email"])
    if keys.get("name"):
        condition |= Q(name__in=keys["name"], external_id__isnull=True, phone="", email="")
    return Customer.objects.filter(condition, merged_into__isnull=True).values(*LOADED)


def _refusal(candidates: list[dict[str, Any]], visible: set[int]) -> str:
    """Why a row may not update the stored customer(s) it matches; '' when it may. When any
    of them is hidden from the importer the words say nothing about it — not that it
    exists, not how many there are — so an import can't be used to learn who holds a phone."""
    if any(c["id"] not in visible for c in candidates):
        return _(
            "This value can't be used in your import; ask a manager or an administrator to "
            "import this row."
        )
    if len(candidates) > 1:
        return _(
            "%(n)d customers in Kehu have this key; add an external id to say which one is meant."
        ) % {"n": len(candidates)}
    if candidates[0]["is_archived"]:
        return _("This row matches an archived customer; restore it first.")
    return ""


class InFileDuplicates:
    """The rows of one file that share a match key with an earlier row (refused on the later
    row), for every writer: each names its own ``match_key``."""

    seen: dict[str, int]
    match_key: Callable[[dict[str, Any]], tuple[str, str]]

    def remember(self, row_number: int, data: dict[str, Any]) -> None:
        self.seen.setdefault(self.match_key(data)[1], row_number)

    def _duplicate(self, row_number: int, data: dict[str, Any]) -> tuple[str, str] | None:
        name, key = self.match_key(data)
        first = self.seen.setdefault(key, row_number)
        if first != row_number:
            return name, _("Same %(field)s as row %(row)d of this file.") % {
                "field": name,
                "row": first,
            }
        return None


class CustomerWriter(InFileDuplicates):
    """Writes batches of cleaned customer rows; lives for one import run."""

    match_key = staticmethod(match_key)

    def __init__(self, *, ctx: Context, job_id: int | None):
        self.ctx = ctx
        self.job_id = job_id
        self.seen: dict[str, int] = {}
        self.visibility = permissions.visibility_filter(ctx.user)
        self.owner_team: dict[int, int | None] = {}
        self._columns = [f for f in Customer._meta.concrete_fields if not f.primary_key]
        self._template = {f.attname: self._default(f) for f in self._columns}
        self._copy_names = [f.attname for f in self._columns]
        self._text_template: list[str] | None = None
        self._text_index: dict[str, int] = {}
        # Asked once per row on the hot path; the connection proxy makes it costly.
        self.pg = connection.vendor == "postgresql"
        self._stats = TableStats(Customer._meta.db_table) if self.pg else None
        # A KeyLane for the search keys when the run allows one (lane_wanted), started
        # with the first batch: after the worker processes are forked, never before.
        self.lane_wanted = False
        self.lane: KeyLane | None = None

    @staticmethod
    def _default(f) -> Any:
        value = f.get_default()
        return str(value) if isinstance(value, str) else value

    def reclean(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError  # set by kehu.imports.parallel for slim rows

    # --- look-ups ---------------------------------------------------------------------------
    def _existing(self, datas: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        keys: dict[str, set[str]] = defaultdict(set)
        for data in datas:
            name, key = match_key(data)
            keys[name].add(key[2:])
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if not keys:
            return found
        for row in _stored_rows(keys):
            if row["external_id"]:
                found["x:" + row["external_id"]].append(row)
            if row["phone"]:
                found["t:" + row["phone"]].append(row)
            if row["email"]:
                found["e:" + row["email"]].append(row)
            if not (row["external_id"] or row["phone"] or row["email"]):
                found["n:" + row["name"]].append(row)
        return found

    def _visible(self, ids: list[int]) -> set[int]:
        if self.visibility is None or not ids:
            return set()
        if not self.visibility:  # Q() — the user sees every customer
            return set(ids)
        qs = Customer.objects.filter(self.visibility, pk__in=ids)
        return set(qs.values_list("pk", flat=True))

    def _tags(self, names: set[str]) -> dict[str, int]:
        """Tag ids by name, creating missing tags. Not cached across batches: a batch that is
        rolled back (dry run, failure) takes the tags it created with it."""
        if not names:
            return {}
        found = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
        missing = names - found.keys()
        if missing:
            Tag.objects.bulk_create([Tag(name=n) for n in missing], ignore_conflicts=True)
            found = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
        return found

    def _team_of(self, owner: Any) -> int | None:
        # The services' rule, asked once per owner and run.
        if owner.pk not in self.owner_team:
            self.owner_team[owner.pk] = owner_team_id(owner)
        return self.owner_team[owner.pk]

    # --- the batch --------------------------------------------------------------------------
    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> Outcome:
        """``batch`` is [(row number, cleaned data)]; returns counts and row failures."""
        out = Outcome()
        live: list[tuple[int, int, dict[str, Any]]] = []
        for index, (row_number, data) in enumerate(batch):
            problem = self._duplicate(row_number, data)
            if problem:
                out.failures.append((index, [problem]))
            else:
                live.append((index, row_number, data))
        found = self._existing([d for _i, _r, d in live])
        matched_ids = [row["id"] for rows in found.values() for row in rows]
        visible = self._visible(matched_ids)
        stored_tags = self._stored_tags(matched_ids, live)
        new: list[tuple[int, dict[str, Any]]] = []
        changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for index, row_number, data in live:
            name, key = match_key(data)
            candidates = found.get(key, [])
            if not candidates:
                new.append((row_number, data))
                continue
            if data.get("_slim"):
                # A worker took the row for new; it was stored since: clean it in full.
                data = self.reclean(data)
            refusal = _refusal(candidates, visible)
            if refusal:
                out.failures.append((index, [(name, refusal)]))
                continue
            current = candidates[0]
            diff, problem = self._diff(current, data, stored_tags.get(current["id"], set()))
            if problem:
                out.failures.append((index, [problem]))
            elif diff:
                changes.append((current, diff))
            else:
                out.unchanged += 1
        self._create(new)
        self._update(changes)
        if self._stats is not None and new:
            self._stats.added(len(new))
        out.created, out.updated = len(new), len(changes)
        return out

    def _stored_tags(self, ids: list[int], live) -> dict[int, set[str]]:
        stored: dict[int, set[str]] = defaultdict(set)
        if ids and any(d.get("tags") for _i, _r, d in live):
            for cid, tag in TagLink.objects.filter(customer_id__in=ids).values_list(
                "customer_id", "tag__name"
            ):
                stored[cid].add(tag)
        return stored

    def _diff(self, current: dict[str, Any], data: dict[str, Any], tags: set[str]):
        """The changes a row makes to a stored customer: {field: new value}, and "tags" as
        (stored tag names, names to add) — tags are only ever added by an import."""
        diff: dict[str, Any] = {}
        for name in DIRECT_FIELDS:
            if name in data and data[name] != current[name]:
                diff[name] = data[name]
        if "company" in data and current["attributes"].get("company") != data["company"]:
            diff["attributes"] = {**current["attributes"], "company": data["company"]}
        owner = data.get("owner")
        if owner is not None and owner.pk != current["owner_id"]:
            if not self.ctx.may_assign_others:
                return {}, ("owner", _("Only managers may reassign customers."))
            diff["owner_id"] = owner.pk
            diff["team_id"] = owner_team_id(owner, current["team_id"])
        added = sorted(set(data.get("tags", ())) - tags)
        if added:
            diff["tags"] = (sorted(tags), added)
        return diff, None

    # --- new customers ----------------------------------------------------------------------
    def _row_values(self, data: dict[str, Any]) -> dict[str, Any]:
        """The columns in which a new row differs from the run's template (defaults,
        creator, timestamps): the file's values, source, owner, team and completeness."""
        owner = data.get("owner") or self.ctx.user
        values = {name: value for name, value in data.items() if name in _DIRECT}
        if "company" in data:
            values["attributes"] = {"company": data["company"]}
        values["source"] = data.get("source") or Customer.Source.IMPORT.value
        values["owner_id"] = owner.pk
        values["team_id"] = self._team_of(owner)
        # Columns left out hold their defaults ("" or None): missing, as completeness says.
        values["completeness"] = completeness_of_values(values)
        return values

    def prepare(self, data: dict[str, Any]) -> Prepared:
        """Everything about a new customer that doesn't need its id: the row as COPY text
        (PostgreSQL) or as field values, and its search keys. Pure Python, so it can run in
        a worker process (see kehu.imports.parallel)."""
        values = self._row_values(data)
        phone, email = values.get("phone", ""), values.get("email", "")
        keys = sorted(
            customer_keys(
                name=values["name"],
                name_en=values.get("name_en", ""),
                phones=[phone] if phone else [],
                emails=[email] if email else [],
            )
        )
        if self.pg:
            return Prepared(
                self._copy_line(values),
                "\n".join(copy_text(k) for k in keys),
                values["owner_id"],
                values["team_id"],
                values["name"],
            )
        user = self.ctx.user
        attrs = {
            **self._template,
            **values,
            "created_by_id": user.pk,
            "created_at": self.ctx.now,
            "updated_at": self.ctx.now,
        }
        return Prepared(attrs, keys, values["owner_id"], values["team_id"], values["name"])

    def _copy_line(self, values: dict[str, Any]) -> str:
        """The COPY text of a new row. Most of its ~50 columns hold the same value in every
        row (defaults, creator, timestamps): those are formatted once per run, and only the
        columns this row sets are formatted per row."""
        if self._text_template is None:
            constant = {
                "created_by_id": self.ctx.user.pk,
                "created_at": self.ctx.now,
                "updated_at": self.ctx.now,
            }
            base = {**self._template, **constant}
            self._text_template = [copy_text(base[n]) for n in self._copy_names]
            self._text_index = {n: i for i, n in enumerate(self._copy_names)}
        parts = list(self._text_template)
        index = self._text_index
        texts = []
        for name, value in values.items():
            if type(value) is str:
                parts[index[name]] = value
                texts.append(value)
            else:
                parts[index[name]] = copy_text(value)
        # One search over all the row's text finds the rare value that needs escaping.
        if NEEDS_ESCAPE.search("".join(texts)):
            for name, value in values.items():
                parts[index[name]] = copy_text(value)
        return "\t".join(parts)

    def _create(self, new: list[tuple[int, dict[str, Any]]]) -> None:
        if not new:
            return
        user = self.ctx.user
        now = self.ctx.now
        # A worker's row keeps what it prepared: a batch the database refuses is written
        # again row by row, and a slim row has nothing else to prepare from.
        prepared = [data.get("_pre") or self.prepare(data) for _row, data in new]
        if self.pg:
            ids = self._next_ids(len(prepared))
            # Keys first: on the lane their COPY then runs alongside the customers' instead
            # of after it (the keys have no constraint that needs the customer rows).
            self._copy_keys(ids, prepared)
            self._copy_customers(ids, prepared)
            # The same started_at, ended_at, changed_by and reason on every row.
            tail = f"\t{copy_text(now)}\t\\N\t{user.pk}\timport\n"
            copy_text_into(
                OwnerHistory._meta.db_table,
                HISTORY_COLUMNS,
                "".join(
                    f"{pk}\t{copy_text(p.owner_id)}\t{copy_text(p.team_id)}{tail}"
                    for pk, p in zip(ids, prepared, strict=True)
                ),
            )
        else:
            objs = Customer.objects.bulk_create(
                [Customer(**p.row) for p in prepared], batch_size=1000
            )
            ids = [o.pk for o in objs]
            insert_rows(
                SearchKey,
                ["customer_id", "team_id", "key"],
                [(pk, p.team_id, k) for pk, p in zip(ids, prepared, strict=True) for k in p.keys],
            )
            owner_history_start_bulk(
                rows=[(pk, p.owner_id, p.team_id) for pk, p in zip(ids, prepared, strict=True)],
                by=user,
                reason="import",
                now=now,
            )
        tag_ids = self._tags({t for _r, d in new for t in d.get("tags", ())})
        links = [
            (pk, tag_ids[t])
            for pk, (_r, d) in zip(ids, new, strict=True)
            for t in d.get("tags", ())
        ]
        insert_rows(TagLink, ["customer_id", "tag_id"], links)
        actor, source = current_actor()
        AuditEvent.objects.create(
            user=actor,
            source=source,
            action=AuditEvent.Action.IMPORT,
            model="customers.customer",
            object_id=str(self.job_id or ""),
            summary=_("Imported %(n)d customers (rows %(a)d–%(b)d).")
            % {"n": len(new), "a": new[0][0], "b": new[-1][0]},
            changes={"created": len(new), "ids": [ids[0], ids[-1]], "job": self.job_id},
        )

    @staticmethod
    def _next_ids(n: int) -> list[int]:
        # Ids come from the table's own sequence first, so the rows that reference the new
        # customers can be written with COPY too.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Customer._meta.db_table, n],
            )
            return [r[0] for r in cursor.fetchall()]

    def _copy_keys(self, ids: list[int], prepared: list[Prepared]) -> None:
        keys = "".join(
            key_rows(pk, p.keys, p.team_id) for pk, p in zip(ids, prepared, strict=True) if p.keys
        )
        if self.lane is None and self.lane_wanted:
            self.lane = KeyLane()
        if self.lane is not None and self.lane.free:
            self.lane.copy(keys)  # written alongside; see kehu.imports.lane
        else:
            copy_text_into(SearchKey._meta.db_table, KEY_COLUMNS, keys)

    def _copy_customers(self, ids: list[int], prepared: list[Prepared]) -> None:
        fields = Customer._meta.concrete_fields
        # The copy names are attnames ("owner_id") as well as names.
        column_of = {f.name: str(f.column) for f in fields}
        column_of.update({f.attname: str(f.column) for f in fields})
        columns = ["id"] + [column_of[n] for n in self._copy_names]
        copy_text_into(
            Customer._meta.db_table,
            columns,
            "".join(f"{pk}\t{p.row}\n" for pk, p in zip(ids, prepared, strict=True)),
        )

    def _update(self, changes: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        if not changes:
            return
        now = self.ctx.now
        user = self.ctx.user
        tag_ids = self._tags({t for _c, d in changes for t in d.get("tags", ((), ()))[1]})
        objs: list[Any] = []
        events: list[Any] = []
        links: list[Any] = []
        history: list[Any] = []
        rekey: list[Any] = []
        moved: list[Any] = []
        fields_used: set[str] = set()
        for current, diff in changes:
            tags = diff.pop("tags", None)
            delta = {k: [current.get(k), v] for k, v in diff.items()}
            if tags:
                before, added = tags
                delta["tags"] = [before, sorted({*before, *added})]
                links.extend((current["id"], tag_ids[t]) for t in added)
            record = {**current, **diff}
            diff["completeness"] = record["completeness"] = completeness_of_values(record)
            fields_used.update(diff)
            objs.append(record)
            if "owner_id" in diff:
                history.append((current["id"], diff["owner_id"], diff.get("team_id")))
            if diff.get("team_id", current.get("team_id")) != current.get("team_id"):
                moved.append(current["id"])
            if KEY_FIELDS & diff.keys():
                rekey.append(current["id"])
            events.append(self._event(current, record, delta))
        # bulk_update writes every listed field of every object: take them all from the
        # merged record, never from a partial diff.
        Customer.objects.bulk_update(
            [Customer(pk=r["id"], updated_at=now, **{f: r[f] for f in fields_used}) for r in objs],
            sorted(fields_used | {"updated_at"}),
            batch_size=1000,
        )
        insert_rows(TagLink, ["customer_id", "tag_id"], links)
        owner_history_start_bulk(rows=history, by=user, reason="import", now=now)
        # A new owner in another team: the keys follow the customer (SearchKey.team_id).
        search_keys_follow_team(customer_ids=moved)
        # Changed names or contact points are rare on re-import: the per-customer refresh
        # also keeps the keys of extra contact points right.
        for customer in Customer.objects.filter(pk__in=rekey):
            refresh_search_keys(customer)
        AuditEvent.objects.bulk_create(events, batch_size=1000)

    def _event(self, current, record, delta) -> AuditEvent:
        actor, source = current_actor()
        return AuditEvent(
            user=actor,
            source=source,
            action=AuditEvent.Action.UPDATE,
            model="customers.customer",
            object_id=str(current["id"]),
            customer_id=current["id"],
            summary=str(record["name"])[:300],
            changes=_jsonable(delta),
        )

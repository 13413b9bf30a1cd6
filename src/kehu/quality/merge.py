"""Merging two customer records into one, and undoing it exactly (G3).

A merge is written as an operation log in ``Merge.snapshot["ops"]``; the undo walks it
backwards. Operations:

- ``move``: rows whose customer column(s) changed — table, pks, and per column
  ``[old, new]``; undone by setting the old value back on the rows that still hold the new one;
- ``drop``: rows that could not move (a relation to itself, a share or tag the kept customer
  already has, …) deleted with everything their deletion cascaded to, in full;
  undone by recreating them with their primary keys;
- ``create``: rows the merge created (alternate phone, e-mail, address; search keys);
  undone by deleting them;
- ``customer``: the two customer rows, before and after; undone column by column, only
  where the column still holds what the merge wrote, so later edits are not lost.

Nothing is dropped silently: values of the removed record that differ from the kept one end
up as aliases, contact points, addresses or under ``attributes["merged"]``.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.core.permissions import Action, can, visible_customers
from kehu.core.text import compact, phone_e164
from kehu.customers.fields import NOT_MERGED
from kehu.customers.models import Address, ContactPoint, Customer, SearchKey
from kehu.customers.services import refresh_derived, refresh_search_keys
from kehu.quality import links
from kehu.quality.models import DuplicatePair, Merge

# Customer columns a merge never takes from the removed record (identity, bookkeeping, and
# values the analytics run recomputes): the field registry's non-mergeable fields.
# The version counts the record's own writes (optimistic concurrency), never taken over.
NOT_COPIED = NOT_MERGED | {"version"}
ADDRESS_FIELDS = ("province", "city", "district", "address", "postcode")
# Columns with a rule of their own in ``_take_over_values``.
SPECIAL = frozenset({"name", "name_en", "aliases", "phone", "email", "attributes", "notes"})
SPECIAL |= frozenset(ADDRESS_FIELDS)
CHUNK = 500


class MergeError(Exception):
    """A merge or undo that cannot be done; the message is meant for the user."""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _phone_key(value: str) -> str:
    region = getattr(settings, "KEHU_DEFAULT_PHONE_REGION", "CN")
    return phone_e164(value, region) or re.sub(r"\D", "", value or "")


def _check_allowed(by: Any, ids: list[int], *, include_archived: bool = False) -> None:
    if not can(by, Action.MERGE):
        raise PermissionDenied
    visible = visible_customers(by, include_archived=include_archived).filter(pk__in=ids)
    if visible.count() != len(set(ids)):
        raise PermissionDenied


def _lock(ids: list[int]) -> dict[int, Customer]:
    # Always in primary-key order, so two merges sharing a customer cannot deadlock.
    rows = Customer._base_manager.select_for_update().filter(pk__in=ids).order_by("pk")
    return {c.pk: c for c in rows}


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- merge ------------------------------------------------------------------------------


def _collides(obj: Any, link: links.Link, new: dict[str, Any]) -> bool:
    manager = link.model._base_manager
    for unique in link.unique_sets:
        values = {att: new.get(att, getattr(obj, att)) for att in unique}
        if any(v is None for v in values.values()):
            continue  # NULLs never collide in a unique index
        if manager.filter(**values).exclude(pk=obj.pk).exists():
            return True
    return False


def _move_row(obj: Any, link: links.Link, *, keep: Customer, remove: Customer, ops: list) -> None:
    label = links.label_of(link.model)
    changes = {
        f.attname: [remove.pk, keep.pk]
        for f in link.customer_fields
        if getattr(obj, f.attname) == remove.pk
    }
    new = {att: pair[1] for att, pair in changes.items()}
    others = [getattr(obj, f.attname) for f in link.customer_fields if f.attname not in changes]
    if keep.pk in others:
        reason = "self"  # e.g. a relation between the two records being merged
    elif _collides(obj, link, new):
        reason = "duplicate"  # the kept customer has the same share, tag, relation …
    else:
        try:
            # A savepoint: a conditional unique constraint we could not check beforehand
            # turns the move into a drop instead of failing the whole merge.
            with transaction.atomic():
                link.model._base_manager.filter(pk=obj.pk).update(**new)
        except IntegrityError:
            reason = "constraint"
        else:
            ops.append({"op": "move", "model": label, "pks": [obj.pk], "changes": changes})
            return
    ops.append({"op": "drop", "reason": reason, "model": label, "pk": obj.pk, **links.drop([obj])})


def _move_links(*, keep: Customer, remove: Customer, ops: list) -> None:
    for link in links.customer_links():
        manager = link.model._base_manager
        rows = manager.filter(**{link.field.attname: remove.pk})
        if link.model is Customer:
            rows = rows.exclude(pk__in=[keep.pk, remove.pk])
        one_by_one = (
            link.unique_sets or len(link.customer_fields) > 1 or link.has_conditional_uniques
        )
        if one_by_one:
            for obj in list(rows.order_by("pk")):
                _move_row(obj, link, keep=keep, remove=remove, ops=ops)
            continue
        # Orders, interactions, tickets … can be thousands: one UPDATE. The lock on the
        # customer rows keeps new rows from appearing between the SELECT and the UPDATE
        # (an FK insert needs a key-share lock on the customer, which FOR UPDATE blocks).
        pks = list(rows.order_by("pk").values_list("pk", flat=True))
        if pks:
            rows.update(**{link.field.attname: keep.pk})
            ops.append(
                {
                    "op": "move",
                    "model": links.label_of(link.model),
                    "pks": [links.jsonable(pk) for pk in pks],
                    "changes": {link.field.attname: [remove.pk, keep.pk]},
                }
            )


def _take_over_values(*, keep: Customer, remove: Customer, ops: list) -> None:
    """Fill the kept record's gaps from the removed one and keep every differing value as an
    alternate. Sets attributes on ``keep`` (saved by the caller) and creates rows."""
    note = _("merged from #%(id)s") % {"id": remove.pk}

    # Names: the other record's name, English name and aliases become aliases.
    aliases = list(keep.aliases) if isinstance(keep.aliases, list) else []
    known = {compact(keep.name), compact(keep.name_en)} | {
        compact(a) for a in aliases if isinstance(a, str)
    }

    def add_alias(value: Any) -> None:
        if isinstance(value, str):
            if value.strip() and compact(value) not in known:
                aliases.append(value)
                known.add(compact(value))
        elif value not in aliases:
            aliases.append(value)

    add_alias(remove.name)
    if remove.name_en and not keep.name_en:
        keep.name_en = remove.name_en
        known.add(compact(remove.name_en))
    else:
        add_alias(remove.name_en)
    for alias in remove.aliases if isinstance(remove.aliases, list) else []:
        add_alias(alias)
    keep.aliases = aliases

    # Phone and e-mail: fill if empty, otherwise an extra contact point.
    contacts = list(ContactPoint.objects.filter(customer=keep).values_list("kind", "value"))
    phones = {_phone_key(keep.phone)} | {
        _phone_key(v) for k, v in contacts if k == ContactPoint.Kind.PHONE
    }
    emails = {keep.email.strip().lower()} | {
        v.strip().lower() for k, v in contacts if k == ContactPoint.Kind.EMAIL
    }
    for kind, attr, seen, key in (
        (ContactPoint.Kind.PHONE, "phone", phones, _phone_key),
        (ContactPoint.Kind.EMAIL, "email", emails, lambda v: v.strip().lower()),
    ):
        value = getattr(remove, attr)
        if not value:
            continue
        if not getattr(keep, attr):
            setattr(keep, attr, value)
        elif key(value) not in seen:
            point = ContactPoint.objects.create(customer=keep, kind=kind, value=value, label=note)
            ops.append({"op": "create", "model": "customers.contactpoint", "pk": point.pk})

    # Address: the same address in more detail fills the gaps (city only + city and street);
    # a different one becomes an extra address.
    theirs = [getattr(remove, f) for f in ADDRESS_FIELDS]
    ours = [getattr(keep, f) for f in ADDRESS_FIELDS]
    if any(theirs):
        compatible = all(
            not o or not t or compact(o) == compact(t) for o, t in zip(ours, theirs, strict=True)
        )
        if compatible:
            for f, o, t in zip(ADDRESS_FIELDS, ours, theirs, strict=True):
                if not o and t:
                    setattr(keep, f, t)
        else:
            values = dict(zip(ADDRESS_FIELDS, theirs, strict=True))
            values["street"] = values.pop("address")
            if not Address.objects.filter(customer=keep, **values).exists():
                address = Address.objects.create(customer=keep, **values)
                ops.append({"op": "create", "model": "customers.address", "pk": address.pk})

    # Every other column: fill gaps; a differing value is kept under attributes["merged"].
    differing_fields: dict[str, Any] = {}
    for field in Customer._meta.concrete_fields:
        att = field.attname
        if att in NOT_COPIED or field.name in SPECIAL:
            continue
        ours_v, theirs_v = getattr(keep, att), getattr(remove, att)
        if _empty(theirs_v) or ours_v == theirs_v:
            continue
        if _empty(ours_v):
            setattr(keep, att, theirs_v)
        else:
            differing_fields[field.name] = links.jsonable(theirs_v)

    attributes = dict(keep.attributes) if isinstance(keep.attributes, dict) else {}
    history = dict(attributes.get("merged") or {})
    differing_attrs: dict[str, Any] = {}
    for key, value in (remove.attributes or {}).items():
        if key == "merged" and isinstance(value, dict):
            for old_key, old_value in value.items():  # merges the removed record went through
                history.setdefault(old_key, old_value)
        elif _empty(attributes.get(key)):
            attributes[key] = value
        elif attributes[key] != value:
            differing_attrs[key] = value
    entry: dict[str, Any] = {"name": remove.name}
    if remove.external_id:
        entry["external_id"] = remove.external_id
    if differing_fields:
        entry["fields"] = differing_fields
    if differing_attrs:
        entry["attributes"] = differing_attrs
    history[str(remove.pk)] = entry
    attributes["merged"] = history
    keep.attributes = attributes

    if remove.notes.strip():
        if not keep.notes.strip():
            keep.notes = remove.notes
        elif remove.notes.strip() not in keep.notes:
            keep.notes = f"{keep.notes.rstrip()}\n\n[{note}]\n{remove.notes.strip()}"


def _refresh_keys(*, keep: Customer, ops: list) -> None:
    before = {k.pk: k for k in SearchKey.objects.filter(customer=keep)}
    refresh_search_keys(keep)
    after = set(SearchKey.objects.filter(customer=keep).values_list("pk", flat=True))
    gone = [before[pk] for pk in sorted(before.keys() - after)]
    if gone:
        rows = [{"model": "customers.searchkey", "row": links.row_state(k)} for k in gone]
        ops.append({"op": "drop", "reason": "search_keys", "rows": rows, "updates": []})
    for pk in sorted(after - before.keys()):
        ops.append({"op": "create", "model": "customers.searchkey", "pk": pk})


def _mark_pair(*, keep: Customer, remove: Customer, by: Any, now: Any) -> dict[str, Any]:
    """The pair becomes a confirmed match (a label for the matcher); remember how it was."""
    a, b = sorted((keep.pk, remove.pk))
    pair = DuplicatePair.objects.select_for_update().filter(customer_a_id=a, customer_b_id=b)
    existing = pair.first()
    decided = {
        "status": DuplicatePair.Status.MERGED,
        "decided_by": by if getattr(by, "pk", None) else None,
        "decided_at": now,
    }
    if existing is None:
        created = DuplicatePair.objects.create(
            customer_a_id=a, customer_b_id=b, probability=1.0, evidence={"manual": True}, **decided
        )
        return {"pk": created.pk, "created": True}
    before = links.row_state(existing)
    for name, value in decided.items():
        setattr(existing, name, value)
    existing.save()
    return {"pk": existing.pk, "created": False, "before": before}


def _summary(ops: list) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {"moved": {}, "dropped": {}, "created": {}}
    for op in ops:
        if op["op"] == "move":
            bucket, n = "moved", len(op["pks"])
        elif op["op"] == "drop":
            bucket, n = "dropped", len(op["rows"])
            if op.get("reason") == "search_keys":
                continue
        elif op["op"] == "create":
            bucket, n = "created", 1
        else:
            continue
        model = op.get("model") or op["rows"][0]["model"]
        out[bucket][model] = out[bucket].get(model, 0) + n
    return out


@transaction.atomic
def customer_merge(*, keep: Customer, remove: Customer, by: Any) -> Merge:
    """Merge ``remove`` into ``keep``: every linked row moves, differing values are kept as
    alternates, ``remove`` is archived with ``merged_into=keep``. Undo: ``customer_unmerge``."""
    if keep.pk == remove.pk:
        raise MergeError(_("A customer cannot be merged with itself."))
    _check_allowed(by, [keep.pk, remove.pk])
    locked = _lock([keep.pk, remove.pk])
    keep, remove = locked[keep.pk], locked[remove.pk]
    for customer in (keep, remove):
        if customer.is_archived or customer.merged_into_id:
            raise MergeError(
                _("%(name)s is archived or merged already; restore it before merging.")
                % {"name": customer.name}
            )
    now = timezone.now()
    with audit.actor(by):
        before = {c.pk: links.row_state(c) for c in (keep, remove)}
        ops: list[dict[str, Any]] = []
        _move_links(keep=keep, remove=remove, ops=ops)
        _take_over_values(keep=keep, remove=remove, ops=ops)
        refresh_derived(keep)
        # Both rows are locked: a form or API client holding the old versions is refused.
        keep.version += 1
        remove.version += 1
        keep.save()
        remove.is_archived = True
        remove.archived_at = now
        remove.merged_into = keep
        remove.save()
        ops.append({"op": "customer", "pk": keep.pk})
        ops.append({"op": "customer", "pk": remove.pk})
        _refresh_keys(keep=keep, ops=ops)
        after = {c.pk: links.row_state(c) for c in Customer._base_manager.filter(pk__in=before)}
        pair = _mark_pair(keep=keep, remove=remove, by=by, now=now)
        summary = _summary(ops)
        merge = Merge.objects.create(
            keep=keep,
            remove=remove,
            merged_by=by if getattr(by, "pk", None) else None,
            snapshot={
                "version": 1,
                "customers": {str(pk): {"before": before[pk], "after": after[pk]} for pk in before},
                "ops": ops,
                "pair": pair,
            },
            summary=summary,
        )
        for customer, role in ((keep, "keep"), (remove, "remove")):
            audit.record(
                action="merge",
                model="customers.customer",
                object_id=customer.pk,
                customer_id=customer.pk,
                changes={
                    "merge_id": merge.pk,
                    "role": role,
                    "keep": keep.pk,
                    "remove": remove.pk,
                    **summary,
                },
                summary=f"{remove.name} (#{remove.pk}) → {keep.name} (#{keep.pk})",
                user=by,
            )
    return merge


# --- undo -------------------------------------------------------------------------------


def _undo_move(op: dict[str, Any]) -> None:
    model = links.model_of(op["model"])
    now_values = {att: pair[1] for att, pair in op["changes"].items()}
    old_values = {att: pair[0] for att, pair in op["changes"].items()}
    # Only rows still where the merge put them: a row moved on since stays where it is now.
    for pks in _chunks(op["pks"]):
        model._base_manager.filter(pk__in=pks, **now_values).update(**old_values)


def _undo_create(op: dict[str, Any]) -> None:
    model = links.model_of(op["model"])
    obj = model._base_manager.filter(pk=op["pk"]).first()
    if obj is not None:
        obj.delete()


def _undo_customer(op: dict[str, Any], states: dict[str, Any]) -> dict[str, Any]:
    """Put back every column the merge changed, unless it was edited since; returns the
    columns left alone, with their current and pre-merge values."""
    state = states[str(op["pk"])]
    current = links.row_state(Customer._base_manager.get(pk=op["pk"]))
    restore: dict[str, Any] = {}
    conflicts: dict[str, Any] = {}
    for att, old in state["before"].items():
        new = state["after"].get(att)
        if old == new or att == "version":  # versions only go up: raised after the undo
            continue
        if current.get(att) == new:
            restore[att] = old
        elif att != "updated_at":
            conflicts[att] = {"current": current.get(att), "before_merge": old}
    if restore:
        # A queryset update: no auto_now, so updated_at goes back to its old value too.
        Customer._base_manager.filter(pk=op["pk"]).update(**links.python_values(Customer, restore))
    return conflicts


def _undo_pair(info: dict[str, Any]) -> None:
    if not info:
        return
    if info.get("created"):
        DuplicatePair.objects.filter(pk=info["pk"]).delete()
    else:
        values = links.python_values(DuplicatePair, info["before"])
        DuplicatePair.objects.filter(pk=info["pk"]).update(**values)


def later_merge(merge: Merge) -> Merge | None:
    """A merge done after ``merge`` that still stands and involves one of its customers."""
    ids = [merge.keep_id, merge.remove_id]
    return (
        Merge.objects.filter(pk__gt=merge.pk, undone_at__isnull=True)
        .filter(Q(keep_id__in=ids) | Q(remove_id__in=ids))
        .order_by("pk")
        .first()
    )


@transaction.atomic
def customer_unmerge(*, merge: Merge, by: Any) -> Merge:
    """Undo a merge: both customers and every row the merge touched go back as they were."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeError(_("This merge has been undone already."))
    if merge.snapshot.get("erased"):
        # kehu.privacy scrubbed the snapshot: undoing would bring back blanks, not a person.
        raise MergeError(_("A customer of this merge has been erased; it cannot be undone."))
    ids = [merge.keep_id, merge.remove_id]
    _check_allowed(by, ids, include_archived=True)
    later = later_merge(merge)
    if later is not None:
        raise MergeError(
            _(
                "These customers were merged again later (merge #%(id)s on %(date)s). "
                "Undo that merge first."
            )
            % {"id": later.pk, "date": timezone.localtime(later.merged_at).strftime("%Y-%m-%d")}
        )
    _lock(ids)
    conflicts: dict[str, Any] = {}
    with audit.actor(by):
        for op in reversed(merge.snapshot.get("ops", [])):
            kind = op["op"]
            if kind == "move":
                _undo_move(op)
            elif kind == "drop":
                links.undrop(op)
            elif kind == "create":
                _undo_create(op)
            elif kind == "customer":
                left = _undo_customer(op, merge.snapshot["customers"])
                if left:
                    conflicts[str(op["pk"])] = left
        _undo_pair(merge.snapshot.get("pair") or {})
        # The undo changes both records: forms opened on the merged state are now stale.
        Customer._base_manager.filter(pk__in=ids).update(version=F("version") + 1)
        if conflicts:
            # The kept record was edited after the merge: its derived values and search keys
            # must follow what it is now rather than what it was.
            for customer in Customer._base_manager.filter(pk__in=ids):
                refresh_search_keys(customer)
        merge.undone_at = timezone.now()
        merge.undone_by = by if getattr(by, "pk", None) else None
        merge.undo_conflicts = conflicts
        merge.save(update_fields=["undone_at", "undone_by", "undo_conflicts"])
        keep_name, remove_name = (
            merge.snapshot["customers"][str(pk)]["before"]["name"] for pk in ids
        )
        for pk in ids:
            audit.record(
                action="unmerge",
                model="customers.customer",
                object_id=pk,
                customer_id=pk,
                changes={"merge_id": merge.pk, "conflicts": conflicts.get(str(pk), {})},
                summary=f"{remove_name} (#{merge.remove_id}) ← {keep_name} (#{merge.keep_id})",
                user=by,
            )
    return merge

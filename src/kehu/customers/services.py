"""Writes to customers go through here: keyword-only, typed, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kehu.core import audit
from kehu.customers.concurrency import MergedAway, lock_for_write
from kehu.customers.fields import PLACE_NAMES, check_updatable, resolve_place
from kehu.customers.models import (
    ContactPoint,
    Customer,
    CustomerShare,
    Interaction,
    OwnerHistory,
    Relation,
    SearchKey,
)
from kehu.customers.search import customer_keys

# Fields that make a record usable by sales and service; their share is the completeness (G2).
COMPLETENESS_FIELDS: dict[str, tuple[str, ...]] = {
    Customer.Kind.PERSON: (
        "name",
        "phone",
        "email",
        "province",
        "city",
        "address",
        "birthday",
        "gender",
        "source",
        "owner_id",
    ),
    Customer.Kind.COMPANY: (
        "name",
        "phone",
        "email",
        "province",
        "city",
        "address",
        "industry",
        "id_number",
        "source",
        "owner_id",
    ),
}


def missing_fields(customer: Customer) -> list[str]:
    fields = COMPLETENESS_FIELDS.get(customer.kind, COMPLETENESS_FIELDS[Customer.Kind.PERSON])
    return [f for f in fields if getattr(customer, f) in (None, "")]


def missing_field_labels(customer: Customer) -> list[str]:
    """The missing fields as the user knows them (the form's labels, translated)."""
    return [
        str(getattr(Customer._meta.get_field(name.removesuffix("_id")), "verbose_name", name))
        for name in missing_fields(customer)
    ]


def completeness_of(customer: Customer) -> int:
    fields = COMPLETENESS_FIELDS.get(customer.kind, COMPLETENESS_FIELDS[Customer.Kind.PERSON])
    return round(100 * (len(fields) - len(missing_fields(customer))) / len(fields))


def completeness_of_values(values: dict[str, Any]) -> int:
    """``completeness_of`` for a row held as {attname: value} (imports, before saving)."""
    fields = COMPLETENESS_FIELDS.get(
        values.get("kind") or Customer.Kind.PERSON, COMPLETENESS_FIELDS[Customer.Kind.PERSON]
    )
    missing = sum(1 for f in fields if values.get(f) in (None, ""))
    return round(100 * (len(fields) - missing) / len(fields))


def refresh_derived(customer: Customer) -> None:
    """Recompute the single-row derived values before a save."""
    customer.completeness = completeness_of(customer)


def refresh_search_keys(customer: Customer) -> None:
    extra = ContactPoint.objects.filter(customer=customer).values_list("kind", "value")
    phones = [customer.phone] + [v for k, v in extra if k == ContactPoint.Kind.PHONE]
    emails = [customer.email] + [v for k, v in extra if k == ContactPoint.Kind.EMAIL]
    keys = customer_keys(
        name=customer.name,
        name_en=customer.name_en,
        aliases=[a for a in customer.aliases if isinstance(a, str)],
        phones=phones,
        emails=emails,
    )
    stored = list(SearchKey.objects.filter(customer=customer).values_list("key", "team_id"))
    current = {key for key, _team in stored}
    if current - keys:
        SearchKey.objects.filter(customer=customer, key__in=current - keys).delete()
    if any(team != customer.team_id for key, team in stored if key in keys):
        search_keys_follow_team(customer_ids=[customer.pk])
    SearchKey.objects.bulk_create(
        [SearchKey(customer=customer, team_id=customer.team_id, key=k) for k in keys - current]
    )


def search_keys_follow_team(*, customer_ids: Iterable[int]) -> int:
    """Copy each customer's team onto its search keys again (SearchKey.team_id), which a
    manager's or rep's search reads instead of every key (search_index.KeyScope): every
    write that changes a customer's team calls it — ``customer_reassign`` (so bulk
    reassignment, the public pool and claims), ``refresh_search_keys`` (creation, edits,
    merges), the importer's updates. Returns the keys rewritten."""
    ids = sorted(set(customer_ids))
    team = Customer.objects.filter(pk=OuterRef("customer_id")).values("team_id")[:1]
    written = 0
    for start in range(0, len(ids), 1_000):
        written += SearchKey.objects.filter(customer_id__in=ids[start : start + 1_000]).update(
            team_id=Subquery(team)
        )
    return written


@transaction.atomic
@audit.with_actor
def customer_create(*, by: Any, tags: Iterable[Any] = (), **fields: Any) -> Customer:
    fields.update(resolve_place(fields, changed=fields))
    customer = Customer(created_by=by if getattr(by, "pk", None) else None, **fields)
    if customer.owner_id and not customer.team_id:
        profile = getattr(customer.owner, "profile", None)
        customer.team_id = profile.team_id if profile else None
    customer.full_clean()
    refresh_derived(customer)
    customer.save()
    if tags:
        customer.tags.set(tags)
    refresh_search_keys(customer)
    if customer.owner_id:
        OwnerHistory.objects.create(
            customer=customer,
            owner=customer.owner,
            team=customer.team,
            changed_by=by,
            reason="created",
        )
    return customer


def _fields_changed(customer: Customer) -> bool:
    loaded = getattr(customer, "_audit_loaded", None)
    if loaded is None:
        return True
    now = audit.field_values(customer)
    return any(now.get(name) != value for name, value in loaded.items() if name != "version")


@transaction.atomic
@audit.with_actor
def customer_update(
    *,
    customer: Customer,
    by: Any,
    tags: Iterable[Any] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Customer:
    """Change the given fields (only those the field registry calls editable: the owner
    goes through ``customer_reassign``, derived and bookkeeping columns through their own
    code); ``tags`` replaces the set when given."""
    check_updatable(fields)
    # ``expected_version``: the version the caller's form or ETag was loaded with; a record
    # changed since (or merged away) is refused before anything is written.
    version = lock_for_write(customer, expected_version=expected_version)
    for name, value in fields.items():
        setattr(customer, name, value)
    place = {n: getattr(customer, n) for n in ("division_code", *PLACE_NAMES)}
    for name, value in resolve_place(place, changed=fields).items():
        setattr(customer, name, value)
    customer.full_clean()
    refresh_derived(customer)
    tags_before = tags_after = None
    if tags is not None:
        tags = list(tags)
        tags_before = sorted(customer.tags.values_list("name", flat=True))
        tags_after = sorted({tag.name for tag in tags})
    # A save that changes nothing keeps the version: nobody's open form goes stale for it.
    if tags_before != tags_after or _fields_changed(customer):
        customer.version = version
    customer.save()
    if tags is not None and tags_before != tags_after:
        customer.tags.set(tags)
        audit.record(
            action="update",
            instance=customer,
            # The version this write produced: "what changed since version n" reads it.
            changes={"tags": [tags_before, tags_after], "version": [version - 1, version]},
            summary=customer.name,
            user=by,
        )
    refresh_search_keys(customer)
    return customer


@transaction.atomic
@audit.with_actor
def customer_reassign(*, customer: Customer, owner: Any, by: Any, reason: str = "") -> Customer:
    """Hand a customer to another owner (A2). Notes, calls and orders stay on the customer
    record, so nothing leaves with the previous owner; the period of ownership is kept."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.merged_into_id:
        raise MergedAway(customer_id=customer.pk, merged_into_id=customer.merged_into_id)
    if customer.owner_id == getattr(owner, "pk", None):
        return customer
    now = timezone.now()
    OwnerHistory.objects.filter(customer=customer, ended_at__isnull=True).update(ended_at=now)
    profile = getattr(owner, "profile", None) if owner else None
    customer.owner = owner
    customer.team_id = profile.team_id if profile and profile.team_id else customer.team_id
    refresh_derived(customer)
    customer.version += 1  # the row is locked: no other writer can have raised it meanwhile
    customer._audit_skip = True
    before = customer._audit_loaded
    customer.save()
    customer._audit_skip = False
    if customer.team_id != before.get("team_id"):
        search_keys_follow_team(customer_ids=[customer.pk])
    OwnerHistory.objects.create(
        customer=customer,
        owner=owner,
        team_id=customer.team_id,
        started_at=now,
        changed_by=by,
        reason=reason,
    )
    audit.record(
        action="reassign",
        instance=customer,
        changes={
            "owner_id": [before.get("owner_id"), customer.owner_id],
            "team_id": [before.get("team_id"), customer.team_id],
            "version": [before.get("version"), customer.version],
        },
        summary=reason or customer.name,
        user=by,
    )
    customer._audit_loaded = audit.field_values(customer)
    return customer


@transaction.atomic
@audit.with_actor
def customer_archive(*, customer: Customer, by: Any) -> Customer:
    customer.version = lock_for_write(customer)
    customer.is_archived = True
    customer.archived_at = timezone.now()
    customer.save()
    return customer


@transaction.atomic
@audit.with_actor
def customer_restore(*, customer: Customer, by: Any) -> Customer:
    """Bring an archived customer back; one merged into another stays where the merge put
    it (``MergedAway``): only undoing the merge brings it back."""
    customer.version = lock_for_write(customer)
    customer.is_archived = False
    customer.archived_at = None
    customer.save()
    return customer


@transaction.atomic
@audit.with_actor
def interaction_log(*, customer: Customer, by: Any, **fields: Any) -> Interaction:
    profile = getattr(by, "profile", None)
    if profile is not None and profile.partner_id and "partner" not in fields:
        fields["partner_id"] = profile.partner_id
    interaction = Interaction(customer=customer, user=by, **fields)
    interaction.full_clean()
    interaction.save()
    return interaction


@transaction.atomic
@audit.with_actor
def relation_create(
    *,
    from_customer: Customer,
    to_customer: Customer,
    kind: str,
    by: Any,
    role: str = "",
    since: Any = None,
    note: str = "",
) -> Relation:
    relation = Relation(
        from_customer=from_customer,
        to_customer=to_customer,
        kind=kind,
        role=role,
        since=since,
        note=note,
    )
    relation.full_clean()
    relation.save()
    return relation


@transaction.atomic
@audit.with_actor
def relation_delete(*, relation: Relation, by: Any) -> None:
    relation.delete()


@transaction.atomic
@audit.with_actor
def customer_share(*, customer: Customer, partner: Any, by: Any) -> CustomerShare:
    share, _created = CustomerShare.objects.get_or_create(
        customer=customer, partner=partner, defaults={"shared_by": by}
    )
    return share


@transaction.atomic
@audit.with_actor
def customer_unshare(*, customer: Customer, partner: Any, by: Any) -> None:
    for share in CustomerShare.objects.filter(customer=customer, partner=partner):
        share.delete()


# --- bulk forms, for the importer ---------------------------------------------------------


def owner_team_id(owner: Any, current_team_id: int | None = None) -> int | None:
    """The team a customer belongs to once ``owner`` holds it: the owner's team, else the
    team it had (an owner outside any team doesn't take it out of its team)."""
    profile = getattr(owner, "profile", None) if owner is not None else None
    return profile.team_id if profile is not None and profile.team_id else current_team_id


@transaction.atomic
def owner_history_start_bulk(
    *, rows: list[tuple[int, int, int | None]], by: Any, reason: str, now: Any
) -> None:
    """The owner history of many customers just created or reassigned: ``rows`` are
    (customer id, owner id, team id). Any open period of those customers ends ``now`` and
    a new one starts, as ``customer_reassign`` does for one customer. The caller has
    written the owner and team on the customers (and audited them) in the same
    transaction."""
    if not rows:
        return
    OwnerHistory.objects.filter(
        customer_id__in=[customer_id for customer_id, _o, _t in rows], ended_at__isnull=True
    ).update(ended_at=now)
    OwnerHistory.objects.bulk_create(
        [
            OwnerHistory(
                customer_id=customer_id,
                owner_id=owner_id,
                team_id=team_id,
                started_at=now,
                changed_by_id=getattr(by, "pk", None),
                reason=reason,
            )
            for customer_id, owner_id, team_id in rows
        ],
        batch_size=1000,
    )


# Bulk reassign and the public pool (公海): each move goes through ``customer_reassign``, so
# it is an owner period and an audit event like any other.
BULK_REASSIGN_MAX = 5_000


class ClaimRefused(Exception):
    """A claim from the pool the rules refuse (over the day's limit, no longer in the pool)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
@audit.with_actor
def customers_reassign_bulk(
    *, customers: Iterable[Customer], owner: Any, by: Any, reason: str = ""
) -> int:
    """Hand many customers to ``owner`` at once (selected rows or a whole filtered list; the
    caller has narrowed them to what ``by`` sees). All or nothing; returns how many moved."""
    moved = 0
    for customer in customers:
        if customer.merged_into_id or customer.owner_id == getattr(owner, "pk", None):
            continue
        customer_reassign(customer=customer, owner=owner, by=by, reason=reason)
        moved += 1
    return moved


@audit.with_actor
def customers_release_to_pool(
    *, by: Any = None, days: int | None = None, now: Any = None, limit: int = 10_000
) -> int:
    """Put back into the pool the customers whose owner has not followed them up for ``days``
    days (``KEHU_POOL_DAYS``). One transaction per customer: a long run is never all undone."""
    from kehu.customers import ownership

    days = ownership.pool_days() if days is None else days
    now = now or timezone.now()
    ids = list(
        ownership.due_for_pool(now=now, days=days)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    moved = 0
    for customer in Customer.objects.filter(pk__in=ids):
        with transaction.atomic():
            customer_reassign(customer=customer, owner=None, by=by, reason=ownership.POOL_REASON)
            moved += 1
    return moved


@transaction.atomic
@audit.with_actor
def customer_claim(*, customer: Customer, by: Any, now: Any = None) -> Customer:
    """``by`` takes ``customer`` from the pool, within the day's limit per rep."""
    from django.utils.translation import gettext

    from kehu.customers import ownership

    now = now or timezone.now()
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.owner_id is not None or locked.is_archived or locked.merged_into_id:
        raise ClaimRefused(gettext("This customer is no longer in the pool."))
    limit = ownership.claims_per_day()
    if ownership.claims_today(by, now=now) >= limit:
        raise ClaimRefused(
            gettext("You have claimed %(n)s customers today, the most a day allows.") % {"n": limit}
        )
    return customer_reassign(customer=locked, owner=by, by=by, reason=ownership.CLAIM_REASON)


@transaction.atomic
@audit.with_actor
def contact_points_replace(*, customer: Customer, by: Any, points: list[dict[str, str]]) -> None:
    """Make the customer's further phones, e-mails and WeChat IDs exactly ``points`` (each
    {kind, value, label}, already cleaned): unchanged rows stay, removed ones go, new ones
    come; each change is audited on the customer, and the search keys follow."""
    wanted = {(p["kind"], p["value"]): p.get("label", "") for p in points if p.get("value")}
    kept = set()
    for cp in ContactPoint.objects.filter(customer=customer):
        key = (cp.kind, cp.value)
        if key in wanted and key not in kept:
            kept.add(key)
            if cp.label != wanted[key]:
                cp.label = wanted[key]
                cp.save()
        else:
            cp.delete()
    for (kind, value), label in wanted.items():
        if (kind, value) not in kept:
            ContactPoint.objects.create(customer=customer, kind=kind, value=value, label=label)
    refresh_search_keys(customer)

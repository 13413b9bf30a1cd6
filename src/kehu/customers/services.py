"""Writes to customers go through here: keyword-only, typed, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from kehu.core import audit
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
    current = set(SearchKey.objects.filter(customer=customer).values_list("key", flat=True))
    if current - keys:
        SearchKey.objects.filter(customer=customer, key__in=current - keys).delete()
    SearchKey.objects.bulk_create([SearchKey(customer=customer, key=k) for k in keys - current])


@transaction.atomic
def customer_create(*, by: Any, tags: Iterable[Any] = (), **fields: Any) -> Customer:
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


@transaction.atomic
def customer_update(
    *, customer: Customer, by: Any, tags: Iterable[Any] | None = None, **fields: Any
) -> Customer:
    ownership = {"owner", "owner_id", "team", "team_id"} & fields.keys()
    if ownership:
        raise ValueError("use customer_reassign to change the owner or team")
    for name, value in fields.items():
        setattr(customer, name, value)
    customer.full_clean()
    refresh_derived(customer)
    customer.save()
    if tags is not None:
        before = sorted(customer.tags.values_list("name", flat=True))
        customer.tags.set(tags)
        after = sorted(customer.tags.values_list("name", flat=True))
        if before != after:
            audit.record(
                action="update",
                instance=customer,
                changes={"tags": [before, after]},
                summary=customer.name,
            )
    refresh_search_keys(customer)
    return customer


@transaction.atomic
def customer_reassign(*, customer: Customer, owner: Any, by: Any, reason: str = "") -> Customer:
    """Hand a customer to another owner (A2). Notes, calls and orders stay on the customer
    record, so nothing leaves with the previous owner; the period of ownership is kept."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.owner_id == getattr(owner, "pk", None):
        return customer
    now = timezone.now()
    OwnerHistory.objects.filter(customer=customer, ended_at__isnull=True).update(ended_at=now)
    profile = getattr(owner, "profile", None) if owner else None
    customer.owner = owner
    customer.team_id = profile.team_id if profile and profile.team_id else customer.team_id
    refresh_derived(customer)
    customer._audit_skip = True
    before = customer._audit_loaded
    customer.save()
    customer._audit_skip = False
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
        },
        summary=reason or customer.name,
    )
    customer._audit_loaded = audit.field_values(customer)
    return customer


@transaction.atomic
def customer_archive(*, customer: Customer, by: Any) -> Customer:
    customer.is_archived = True
    customer.archived_at = timezone.now()
    customer.save()
    return customer


@transaction.atomic
def customer_restore(*, customer: Customer, by: Any) -> Customer:
    customer.is_archived = False
    customer.archived_at = None
    customer.save()
    return customer


@transaction.atomic
def interaction_log(*, customer: Customer, by: Any, **fields: Any) -> Interaction:
    profile = getattr(by, "profile", None)
    if profile is not None and profile.partner_id and "partner" not in fields:
        fields["partner_id"] = profile.partner_id
    interaction = Interaction(customer=customer, user=by, **fields)
    interaction.full_clean()
    interaction.save()
    return interaction


@transaction.atomic
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
def relation_delete(*, relation: Relation, by: Any) -> None:
    relation.delete()


@transaction.atomic
def customer_share(*, customer: Customer, partner: Any, by: Any) -> CustomerShare:
    share, _created = CustomerShare.objects.get_or_create(
        customer=customer, partner=partner, defaults={"shared_by": by}
    )
    return share


@transaction.atomic
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

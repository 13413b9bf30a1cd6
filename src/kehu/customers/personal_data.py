"""The customer record's personal data, for export and erasure (registered in apps.py).

Erasure keeps what statistics need (kind, province and city, region, bands, industry,
owner, team, acquisition, the analytics' grades and tiers, every relation and order) and
blanks what identifies the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kehu.core.personal_data import ERASED, SUMMARY, Source, model_rows, register
from kehu.customers.models import (
    Address,
    ContactPoint,
    Customer,
    CustomerShare,
    Interaction,
    OwnerHistory,
    Relation,
    SearchKey,
    Tag,
)

# Customer columns an erasure blanks, with their blank value; ``name`` becomes a pseudonym
# and ``attributes`` keeps only its numbers and yes/no flags (features, not identities).
BLANK: dict[str, Any] = {
    "name_en": "",
    "aliases": [],
    "external_id": None,
    "phone": "",
    "email": "",
    "district": "",
    "address": "",
    "postcode": "",
    "trade_area": "",
    "distance_km": None,
    "birthday": None,
    "gender": "",
    "household_size": None,
    "id_number": "",
    "notes": "",
}
PERSONAL_COLUMNS = frozenset(BLANK) | {"name", "attributes"}
ADDRESS_BLANK = {"district": "", "street": "", "postcode": ""}
# Interests and lifestyle describe the person; general and segment tags describe the trade.
PERSONAL_TAGS = (Tag.Category.INTEREST, Tag.Category.LIFESTYLE)


def pseudonym(customer_id: int) -> str:
    # Stored, so the same in every language: both are shown whichever the reader's.
    return f"已删除客户 #{customer_id} / Erased customer #{customer_id}"


def kept_attributes(attributes: Any) -> dict[str, Any]:
    if not isinstance(attributes, dict):
        return {}
    return {
        key: value
        for key, value in attributes.items()
        if isinstance(value, bool | int | float) and key != "merged"
    }


def _customer_rows(ids: Sequence[int]) -> list[dict[str, Any]]:
    rows = model_rows(Customer._base_manager.filter(pk__in=ids).order_by("pk"))
    tags: dict[int, list[str]] = {}
    through = Customer.tags.through.objects.filter(customer_id__in=ids)
    for customer_id, name in through.values_list("customer_id", "tag__name"):
        tags.setdefault(customer_id, []).append(name)
    for row in rows:
        row["tags"] = sorted(tags.get(row["id"], []))
    return rows


def _alias_rows(ids: Sequence[int]) -> list[dict[str, Any]]:
    out = []
    for pk, name_en, aliases in Customer._base_manager.filter(pk__in=ids).values_list(
        "pk", "name_en", "aliases"
    ):
        if name_en:
            out.append({"customer_id": pk, "kind": "name_en", "value": name_en})
        for alias in aliases or []:
            out.append({"customer_id": pk, "kind": "alias", "value": alias})
    return out


def _relations(ids: Sequence[int]) -> Any:
    return Relation.objects.filter(Q(from_customer_id__in=ids) | Q(to_customer_id__in=ids))


def _identifiers(ids: Sequence[int]) -> set[str]:
    found: set[str] = set()
    columns = ("name", "name_en", "phone", "email", "id_number", "address", "external_id")
    for row in Customer._base_manager.filter(pk__in=ids).values_list(*columns, "aliases"):
        *values, aliases = row
        found.update(str(v) for v in values if v)
        found.update(a for a in aliases or [] if isinstance(a, str))
        phone = values[2] or ""
        if phone.startswith("+86"):
            found.add(phone[3:])  # the national form the pages show
    contacts = ContactPoint.objects.filter(customer_id__in=ids)
    found.update(contacts.values_list("value", flat=True))
    found.update(Address.objects.filter(customer_id__in=ids).values_list("street", flat=True))
    found.update(v for v in _relations(ids).values_list("note", flat=True))
    # One or two characters (a lone surname) would blank unrelated words.
    return {v for v in found if len(v.strip()) >= 2}


def _erase_customers(*, customer_ids: Sequence[int], identifiers: Any, by: Any) -> int:
    from kehu.customers.services import completeness_of, refresh_search_keys

    changed = 0
    ContactPoint.objects.filter(customer_id__in=customer_ids).delete()
    Address.objects.filter(customer_id__in=customer_ids).update(**ADDRESS_BLANK)
    _relations(customer_ids).update(role="", note="")
    Interaction.objects.filter(customer_id__in=customer_ids).update(subject=ERASED, notes="")
    Customer.tags.through.objects.filter(
        customer_id__in=customer_ids, tag__category__in=PERSONAL_TAGS
    ).delete()
    for customer in Customer._base_manager.filter(pk__in=customer_ids):
        for name, value in BLANK.items():
            setattr(customer, name, value)
        customer.name = pseudonym(customer.pk)
        customer.attributes = kept_attributes(customer.attributes)
        customer.completeness = completeness_of(customer)
        # A queryset update: no per-field audit event carrying the old values; the
        # erasure records one event of its own.
        Customer._base_manager.filter(pk=customer.pk).update(
            name=customer.name,
            attributes=customer.attributes,
            completeness=customer.completeness,
            **BLANK,
        )
        refresh_search_keys(customer)
        changed += 1
    return changed


def _relation_objects(ids: Sequence[int]) -> dict[str, list[int]]:
    return {"customers.relation": list(_relations(ids).values_list("pk", flat=True))}


def register_sources() -> None:
    register(
        Source(
            key="customers.customer",
            label=_("Customer record"),
            rows=_customer_rows,
            erase=_erase_customers,
            identifiers=_identifiers,
            audit_fields={
                "customers.customer": PERSONAL_COLUMNS | {SUMMARY},
                "customers.contactpoint": {"value", "label", SUMMARY},
                "customers.address": {"district", "street", "postcode", SUMMARY},
                "customers.relation": {"role", "note"},
                "customers.interaction": {"subject", "notes", SUMMARY},
            },
            audit_objects=_relation_objects,
            order=90,
        )
    )
    simple = [
        ("customers.aliases", _("Alternative names"), _alias_rows),
        (
            "customers.contacts",
            _("Contact points"),
            lambda ids: model_rows(ContactPoint.objects.filter(customer_id__in=ids)),
        ),
        (
            "customers.addresses",
            _("Addresses"),
            lambda ids: model_rows(Address.objects.filter(customer_id__in=ids)),
        ),
        ("customers.relations", _("Relations"), lambda ids: model_rows(_relations(ids))),
        (
            "customers.interactions",
            _("Interactions"),
            lambda ids: model_rows(Interaction.objects.filter(customer_id__in=ids)),
        ),
        (
            "customers.owner_history",
            _("Owner history"),
            lambda ids: model_rows(OwnerHistory.objects.filter(customer_id__in=ids)),
        ),
        (
            "customers.shares",
            _("Shares with channel partners"),
            lambda ids: model_rows(CustomerShare.objects.filter(customer_id__in=ids)),
        ),
        (
            "customers.search_keys",
            _("Search keys"),
            lambda ids: model_rows(SearchKey.objects.filter(customer_id__in=ids).order_by("pk")),
        ),
    ]
    for key, label, rows in simple:
        register(Source(key=key, label=label, rows=rows))

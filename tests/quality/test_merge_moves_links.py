"""A merge moves every linked row to the kept customer and keeps differing values."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q

from kehu.core.models import AuditEvent
from kehu.customers.models import Address, ContactPoint, Customer, Relation, SearchKey
from kehu.quality import services
from kehu.quality.models import DuplicatePair


def _rows_pointing_at(pk: int) -> dict[str, int]:
    left = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label == "quality":
            continue
        condition = Q(pk__in=[])
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Customer:
                condition |= Q(**{f.attname: pk})
        n = model._base_manager.filter(condition).count()
        if n:
            left[model._meta.label_lower] = n
    return left


def test_merge_moves_every_link_and_keeps_alternates(world):
    keep, remove = world.keep, world.remove
    merge = services.customer_merge(keep=keep, remove=remove, by=world.mia)

    assert _rows_pointing_at(remove.pk) == {}
    keep.refresh_from_db()
    remove.refresh_from_db()
    assert remove.is_archived and remove.merged_into_id == keep.pk
    assert keep.orders.count() == 3 and keep.invoices.count() == 1
    assert keep.payments.count() == 1 and keep.tickets.count() == 1
    assert keep.tasks.count() == 1 and keep.interactions.count() == 1
    assert keep.owner_history.count() == 3  # its own, the removed one's, the older one's
    assert sorted(keep.tags.values_list("name", flat=True)) == ["golf", "tea"]
    assert sorted(keep.shares.values_list("partner__name", flat=True)) == [
        "Partner One",
        "Partner Two",
    ]
    # The older record merged into the removed one now points at the kept one.
    world.older.refresh_from_db()
    assert world.older.merged_into_id == keep.pk

    # Relations: the self-relation and the duplicate are dropped but remembered.
    assert not Relation.objects.filter(from_customer=keep, to_customer=keep).exists()
    assert Relation.objects.filter(from_customer=keep, to_customer=world.third).count() == 2
    assert Relation.objects.filter(from_customer=world.third, to_customer=keep).count() == 1
    dropped = [op for op in merge.snapshot["ops"] if op["op"] == "drop"]
    reasons = sorted(op["reason"] for op in dropped if op.get("model") == "customers.relation")
    assert reasons == ["duplicate", "self"]

    # Differing values are kept, empty ones filled.
    assert keep.name == "张伟"
    assert "David Zhang" in keep.aliases and "Zhang W." in keep.aliases
    assert "張偉" not in keep.aliases  # the same name in the other script is no alternate
    contacts = set(ContactPoint.objects.filter(customer=keep).values_list("kind", "value"))
    assert ("phone", "+8613900139000") in contacts
    assert ("email", "wei.zhang@example.org") in contacts
    assert ("phone", "+8613700137000") in contacts  # came with the older record
    assert ("wechat", "zw1985") in contacts
    assert (keep.province, keep.city, keep.address) == ("上海", "上海", "南京路1号")
    assert Address.objects.filter(customer=keep, city="苏州").exists()
    assert keep.birthday.isoformat() == "1985-04-01" and keep.gender == "M"
    assert keep.attributes["plan"] == "silver" and keep.attributes["vip"] is True
    assert keep.attributes["merged"][str(remove.pk)]["attributes"] == {"plan": "gold"}
    assert "Likes green tea." in keep.notes
    assert keep.completeness > 50

    # The kept record is found by the removed one's phone.
    assert SearchKey.objects.filter(customer=keep, key="t:8613900139000").exists()

    # Recorded and audited; the pair is a confirmed match.
    assert merge.summary["moved"]["sales.order"] == 2
    events = AuditEvent.objects.filter(action="merge", changes__merge_id=merge.pk)
    assert sorted(events.values_list("customer_id", flat=True)) == sorted([keep.pk, remove.pk])
    pair = DuplicatePair.objects.get(customer_a=min(keep.pk, remove.pk))
    assert pair.status == DuplicatePair.Status.MERGED

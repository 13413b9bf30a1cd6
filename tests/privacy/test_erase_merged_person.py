"""A person merged from two records is erased whole: the merged-away record too, the merge
snapshot is scrubbed and the merge can no longer be undone to bring the data back."""

import json

import pytest

from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.privacy import services
from kehu.quality.merge import MergeError, customer_merge, customer_unmerge
from kehu.quality.models import Merge


def test_erase_merged_person(org, person):
    twin = customer_services.customer_create(
        by=org.alice, owner=org.alice, name="张伟", phone="+8613911112222", email="zw@example.org"
    )
    merge = customer_merge(keep=person, remove=twin, by=org.root)
    with pytest.raises(services.PrivacyError, match=f"#{person.pk}"):
        services.customer_erase(
            customer=Customer._base_manager.get(pk=twin.pk), by=org.root, reason="R"
        )
    services.customer_erase(customer=person, by=org.root, reason="R")
    twin = Customer._base_manager.get(pk=twin.pk)
    assert (twin.phone, twin.email) == ("", "")
    assert twin.name.startswith("已删除客户")
    dump = json.dumps(Merge.objects.get(pk=merge.pk).snapshot, ensure_ascii=False)
    for value in ("+8613911112222", "zw@example.org", "310101198001011234", "张伟"):
        assert value not in dump
    with pytest.raises(MergeError):
        customer_unmerge(merge=Merge.objects.get(pk=merge.pk), by=org.root)
    assert Merge.objects.get(pk=merge.pk).undone_at is None

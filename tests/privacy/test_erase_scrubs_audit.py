"""After an erasure no stored audit event holds an erased value, yet every event is still
there; the erasure's own event says who, when and why, and nothing it erased."""

import json

from kehu.core.models import AuditEvent
from kehu.privacy import services
from tests.privacy.conftest import PERSONAL


def _dump() -> str:
    return json.dumps(list(AuditEvent.objects.values("summary", "changes")), ensure_ascii=False)


def test_erase_scrubs_audit(org, person):
    dump = _dump()
    assert "310101198001011234" in dump and "南京路 100 号 5 楼" in dump
    events = AuditEvent.objects.count()
    services.customer_erase(customer=person, by=org.root, reason="request ticket R-17 from 张伟")
    dump = _dump()
    for value in PERSONAL + ["+8613700137000", "+8613900139000", "采购经理", "張偉"]:
        assert value not in dump, value
    # Kept: every earlier event, plus the erasure's own (and the contact points' deletions).
    assert AuditEvent.objects.count() >= events + 1
    erase = AuditEvent.objects.get(action="erase")
    assert (erase.user, erase.customer_id) == (org.root, person.pk)
    assert erase.changes["reason"] == "request ticket R-17 from [erased]"
    updates = AuditEvent.objects.filter(model="customers.customer", action="update")
    assert any(
        e.changes.get("id_number") == ["[erased]", "[erased]"]
        or e.changes.get("id_number") == [None, "[erased]"]
        for e in updates
    )

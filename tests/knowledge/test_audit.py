"""Article writes are audited with their actor: create, update (before and after) and publish."""

from __future__ import annotations

from kehu.core.models import AuditEvent
from kehu.knowledge import services
from tests.knowledge.helpers import article


def test_create_update_publish_are_audited(org):
    a = article(org, status="draft")
    services.article_update(article=a, by=org.mia, title_en="How to return")
    services.article_publish(article=a, by=org.root)
    events = list(AuditEvent.objects.filter(model="knowledge.article", object_id=str(a.pk))
                  .order_by("id"))  # fmt: skip
    assert [(e.action, e.user) for e in events] == [
        ("create", org.sam), ("update", org.mia), ("update", org.root)]  # fmt: skip
    assert events[1].changes["title_en"] == ["", "How to return"]
    assert events[2].changes["status"] == ["draft", "published"]


def test_category_changes_are_audited(org):
    from kehu.core import audit
    from kehu.knowledge.models import Category

    with audit.acting_as(org.root, "web"):
        category = Category.objects.create(name_zh="配送", name_en="Delivery")
        category.name_en = "Delivery and installation"
        category.save()
    events = AuditEvent.objects.filter(model="knowledge.category", object_id=str(category.pk))
    assert [(e.action, e.user) for e in events.order_by("id")] == [
        ("create", org.root), ("update", org.root)]  # fmt: skip

"""Building blocks for the knowledge-base tests: articles and a resolved ticket in one call."""

from __future__ import annotations

from kehu.core.models import AuditEvent
from kehu.knowledge import services
from kehu.knowledge.models import Article, Category
from kehu.service import services as service_services


def article(org, **fields):
    fields.setdefault("title_zh", "如何申请退货")
    fields.setdefault("body_zh", "收到商品7天内可在订单页申请无理由退货。")
    fields.setdefault("status", "published")
    fields.setdefault("visibility", "public")
    return services.article_create(by=org.sam, **fields)


def category(zh="退换货", en="Returns"):
    return Category.objects.create(name_zh=zh, name_en=en)


def resolved_ticket(org, **fields):
    fields.setdefault("subject", "净水器漏水")
    ticket = service_services.ticket_create(
        customer=org.customer, by=org.sam, kind="complaint", nature="机器底部漏水",
        category=fields.pop("category", ""), **fields,
    )  # fmt: skip
    service_services.ticket_resolve(
        ticket=ticket, by=org.sam, resolution="更换进水接头后不再漏水",
        root_cause="进水接头密封圈老化", corrective_action="上门更换密封圈并检查水压",
    )  # fmt: skip
    ticket.refresh_from_db()
    return ticket


def snapshot():
    """The state a refused request must leave alone: every article's fields and the audit."""
    rows = list(Article.objects.order_by("id").values())
    return rows, AuditEvent.objects.count()

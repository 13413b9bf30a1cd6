"""A resolved ticket becomes a draft article in one step: the button on the ticket page, the
draft prefilled from the subject, problem, cause, action and resolution, linked to the
ticket, opened for editing; an open ticket is refused (400, nothing written)."""

from __future__ import annotations

from kehu.core.models import AuditEvent
from kehu.knowledge.models import Article
from tests.conftest import login
from tests.knowledge.helpers import category, resolved_ticket, snapshot
from tests.service.helpers import ticket as open_ticket


def test_button_on_a_resolved_ticket_for_editors_only(client, org):
    t = resolved_ticket(org)
    assert 'id="kb-from-ticket"' in login(client, org.sam).get(f"/service/{t.pk}/").content.decode()
    assert 'id="kb-from-ticket"' not in (
        login(client, org.alice).get(f"/service/{t.pk}/").content.decode()
    )
    t2 = open_ticket(org)
    assert 'id="kb-from-ticket"' not in (
        login(client, org.sam).get(f"/service/{t2.pk}/").content.decode()
    )


def test_draft_prefilled_and_opened_for_editing(client, org):
    returns = category(zh="漏水", en="Leaks")
    t = resolved_ticket(org, category="漏水")
    audit_before = AuditEvent.objects.count()
    response = login(client, org.sam).post(f"/knowledge/from-ticket/{t.pk}/")
    made = Article.objects.get(source_ticket=t)
    assert response.status_code == 302 and response["Location"] == f"/knowledge/{made.pk}/edit/"
    assert (made.status, made.visibility, made.author) == ("draft", "internal", org.sam)
    assert made.title_zh == "净水器漏水" and made.title_en == ""
    for part in (
        "机器底部漏水",
        "进水接头密封圈老化",
        "上门更换密封圈并检查水压",
        "更换进水接头后不再漏水",
    ):
        assert part in made.body_zh
    assert made.body_zh.index("原因") < made.body_zh.index("解决方法")
    assert made.category == returns
    assert AuditEvent.objects.filter(model="knowledge.article", action="create").count() == 1
    assert AuditEvent.objects.count() == audit_before + 1
    edit = client.get(response["Location"]).content.decode()
    assert "净水器漏水" in edit and f"/service/{t.pk}/" in edit


def test_english_ticket_gives_an_english_draft(client, org):
    t = resolved_ticket(org, subject="Filter light stays on")
    login(client, org.sam).post(f"/knowledge/from-ticket/{t.pk}/")
    made = Article.objects.get(source_ticket=t)
    assert made.title_en == "Filter light stays on" and made.title_zh == ""


def test_open_ticket_refused(client, org):
    t = open_ticket(org)
    before = snapshot()
    response = login(client, org.sam).post(f"/knowledge/from-ticket/{t.pk}/")
    assert response.status_code == 400
    assert "resolved" in response.content.decode() or "已解决" in response.content.decode()
    assert snapshot() == before


def test_ticket_not_visible_is_404(client, org):
    t = resolved_ticket(org)
    before = snapshot()
    assert login(client, org.sam).post("/knowledge/from-ticket/999999/").status_code == 404
    assert snapshot() == before and t.pk

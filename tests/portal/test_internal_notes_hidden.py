"""Internal notes are never shown in the portal: not on the ticket page, not after a reply."""

from __future__ import annotations

import pytest

from kehu.portal import selectors
from kehu.service.models import TicketMessage

pytestmark = pytest.mark.django_db


def test_the_thread_shows_replies_but_never_notes(client, portal):
    assert portal.ticket_a.messages.filter(kind=TicketMessage.Kind.NOTE).exists()
    client.force_login(portal.wang)
    page = client.get(f"/portal/tickets/{portal.ticket_a.pk}/").content.decode()
    assert "公开回复 A" in page
    assert "内部备注" not in page
    client.post(f"/portal/tickets/{portal.ticket_a.pk}/reply/", {"body": "谢谢"})
    page = client.get(f"/portal/tickets/{portal.ticket_a.pk}/").content.decode()
    assert "谢谢" in page
    assert "内部备注" not in page


def test_the_selector_leaves_notes_out(portal):
    kinds = {m.kind for m in selectors.public_thread(portal.ticket_a)}
    assert kinds == {TicketMessage.Kind.REPLY}

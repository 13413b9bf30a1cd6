"""The service pages speak the user's language: zh-Hans from the app's own catalogue."""

from __future__ import annotations

from kehu.core.models import Profile
from tests.conftest import login
from tests.service.helpers import ticket


def test_queue_and_ticket_in_chinese(client, org):
    Profile.objects.filter(user=org.sam).update(language="zh-hans")
    t = ticket(org, kind="complaint")
    login(client, org.sam)
    assert "服务队列" in client.get("/service/").content.decode()
    page = client.get(f"/service/{t.pk}/").content.decode()
    assert "投诉" in page and "解决期限" in page

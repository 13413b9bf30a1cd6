"""The bell counts unread notifications; the list opens one (marks it read, follows its link)
and marks all read; nobody opens or marks another user's."""

from __future__ import annotations

import pytest

from kehu.notifications import services
from kehu.notifications.models import Notification
from tests.conftest import login


def test_bell_shows_unread_count(client, org):
    for i in range(3):
        services.notify(recipient=org.sam, title=f"n{i}", url="/", kind="t")
    page = login(client, org.sam).get("/notifications/").content.decode()
    assert 'data-testid="bell"' in page
    assert '<span class="bell-count">3</span>' in page


@pytest.mark.parametrize("persona", ["alice", "sam", "ana", "pat", "root", "mia"])
def test_every_role_has_the_list(client, org, persona):
    assert login(client, getattr(org, persona)).get("/notifications/").status_code == 200


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get("/notifications/").status_code == 302


def test_open_marks_read_and_follows_link(client, org):
    n = services.notify(recipient=org.sam, title="x", url="/customers/", kind="t")
    response = login(client, org.sam).post(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/customers/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_another_users_notification_is_not_found_and_stays_unread(client, org):
    n = services.notify(recipient=org.sam, title="x", url="/", kind="t")
    assert login(client, org.alice).post(f"/notifications/{n.pk}/open/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_open_needs_post(client, org):
    n = services.notify(recipient=org.sam, title="x", url="/", kind="t")
    assert login(client, org.sam).get(f"/notifications/{n.pk}/open/").status_code == 405


def test_read_all_only_touches_own(client, org):
    services.notify(recipient=org.sam, title="a", url="/", kind="t")
    services.notify(recipient=org.alice, title="b", url="/", kind="t")
    login(client, org.sam).post("/notifications/read/")
    assert not Notification.objects.filter(recipient=org.sam, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=org.alice, read_at__isnull=True).exists()

"""A portal user reaches no staff page and no API: pages redirect to /portal/, the API
answers 403 (session or bearer token), and their role may do no staff action."""

from __future__ import annotations

import pytest

from kehu.api.auth import issue_token
from kehu.core import permissions
from kehu.core.models import AuditEvent
from kehu.core.permissions import Action

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/",
    "/customers/",
    "/customers/{a}/",
    "/customers/{a}/edit/",
    "/customers/new/",
    "/service/",
    "/service/{t}/",
    "/service/new/?customer={a}",
    "/today/",
    "/insights/",
    "/insights/at-risk/",
    "/retention/",
    "/leads/",
    "/quality/",
    "/imports/",
    "/notifications/",
    "/me/",
    "/account/tokens/",
    "/admin/",
    "/login/",
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_send_a_portal_user_to_the_portal(client, portal, url):
    client.force_login(portal.wang)
    response = client.get(url.format(a=portal.a.pk, t=portal.ticket_a.pk))
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_a_staff_post_changes_nothing(client, portal):
    client.force_login(portal.wang)
    before = AuditEvent.objects.count()
    response = client.post(f"/customers/{portal.a.pk}/edit/", {"name": "改名"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    portal.a.refresh_from_db()
    assert portal.a.name == "张伟"
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("url", ["/api/v1/customers", "/api/v1/tickets", "/api/v1/me"])
def test_the_api_refuses_a_portal_session(client, portal, url):
    client.force_login(portal.wang)
    assert client.get(url).status_code == 403


def test_the_api_refuses_a_portal_users_token(client, portal):
    _token, raw = issue_token(user=portal.wang, name="sneaky")
    response = client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code in (401, 403)
    assert str(portal.a.name) not in response.content.decode()


def test_the_role_may_do_no_staff_action(portal):
    assert not any(permissions.can(portal.wang, action) for action in Action)
    assert not any(permissions.can(portal.wang, action, portal.a) for action in Action)


def test_the_staff_invite_page_under_portal_is_refused(client, portal):
    client.force_login(portal.wang)
    before = AuditEvent.objects.count()
    assert client.get(f"/portal/invite/{portal.a.pk}/").status_code == 403
    response = client.post(f"/portal/invite/{portal.a.pk}/", {"email": "x@example.com"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


def test_staff_are_not_portal_users(client, portal, org):
    client.force_login(org.sam)
    assert client.get("/portal/").status_code == 403
    assert client.get(f"/portal/tickets/{portal.ticket_a.pk}/").status_code == 403

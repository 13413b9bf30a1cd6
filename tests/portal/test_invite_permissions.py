"""Who may invite a customer's contact to the portal, from the 360 page: service agents,
the owner and their team, their manager and administrators. Others are refused (403 for the
role, 404 for a customer they do not see) and nothing changes: no user, no access, no
link, no e-mail, no audit event."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from kehu.core.models import AuditEvent, Role
from kehu.portal.models import PortalAccess, PortalToken

pytestmark = pytest.mark.django_db

ALLOWED = ["sam", "alice", "bob", "mia", "root"]
REFUSED = {"charlie": 404, "ana": 403, "pat": 403, "quinn": 403}


@pytest.mark.parametrize("who", ALLOWED)
def test_allowed_staff_invite_and_the_contact_gets_a_link(client, org, who):
    client.force_login(getattr(org, who))
    page = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert f"/portal/invite/{org.customer.pk}/" in page
    assert client.get(f"/portal/invite/{org.customer.pk}/").status_code == 200
    response = client.post(
        f"/portal/invite/{org.customer.pk}/", {"email": "zhang.wei@example.com", "name": "张伟"}
    )
    assert response.status_code == 302
    access = PortalAccess.objects.get(email="zhang.wei@example.com")
    assert access.customer == org.customer
    assert access.user.profile.role == Role.CUSTOMER
    assert not access.user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhang.wei@example.com"]
    assert "http://testserver/portal/signin/" in mail.outbox[0].body
    event = AuditEvent.objects.get(model="portal.portalaccess", action="create")
    assert event.user == getattr(org, who)
    assert event.customer_id == org.customer.pk


@pytest.mark.parametrize("who", list(REFUSED))
def test_refused_personas_change_nothing(client, org, who):
    client.force_login(getattr(org, who))
    users = get_user_model().objects.count()
    events = AuditEvent.objects.count()
    page = client.get(f"/customers/{org.customer.pk}/")
    if page.status_code == 200:
        assert f"/portal/invite/{org.customer.pk}/" not in page.content.decode()
    url = f"/portal/invite/{org.customer.pk}/"
    assert client.get(url).status_code == REFUSED[who]
    assert client.post(url, {"email": "zhang.wei@example.com"}).status_code == REFUSED[who]
    assert get_user_model().objects.count() == users
    assert not PortalAccess.objects.exists() and not PortalToken.objects.exists()
    assert mail.outbox == []
    assert AuditEvent.objects.count() == events


def test_anonymous_is_sent_to_sign_in(client, org):
    response = client.get(f"/portal/invite/{org.customer.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]

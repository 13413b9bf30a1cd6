"""Rating the answer to a resolved ticket (1-5 and a comment), stored as the ticket's CSAT
response by kehu.surveys (source: portal); a second rating replaces the first; bad input and
unresolved tickets are refused and store nothing."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.service import services as ticket_services
from kehu.surveys.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(portal, org):
    ticket_services.ticket_resolve(ticket=portal.ticket_a, by=org.sam, resolution="已更换")
    return portal.ticket_a


def test_a_resolved_ticket_is_rated(client, portal, resolved):
    client.force_login(portal.wang)
    assert 'id="rating"' in client.get(f"/portal/tickets/{resolved.pk}/").content.decode()
    response = client.post(
        f"/portal/tickets/{resolved.pk}/rate/", {"score": "5", "comment": "很快"}
    )
    assert response.status_code == 302
    rating = Response.objects.get(ticket=resolved)
    assert (rating.score, rating.comment, rating.customer) == (5, "很快", portal.a)
    assert (rating.kind, rating.source) == ("csat_ticket", "portal")
    event = AuditEvent.objects.get(model="surveys.response", object_id=str(rating.pk))
    assert event.user == portal.wang and event.customer_id == portal.a.pk
    assert 'id="rated"' in client.get(f"/portal/tickets/{resolved.pk}/").content.decode()
    client.post(f"/portal/tickets/{resolved.pk}/rate/", {"score": "4", "comment": ""})
    assert Response.objects.get(ticket=resolved).score == 4
    assert Response.objects.filter(ticket=resolved).count() == 1


@pytest.mark.parametrize("score", ["0", "6", "abc", "", "4.5"])
def test_a_bad_score_is_refused(client, portal, resolved, score):
    client.force_login(portal.wang)
    before = AuditEvent.objects.count()
    response = client.post(f"/portal/tickets/{resolved.pk}/rate/", {"score": score})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Response.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_open_ticket_cannot_be_rated(client, portal):
    client.force_login(portal.wang)
    assert (
        'id="rating"' not in client.get(f"/portal/tickets/{portal.ticket_a.pk}/").content.decode()
    )
    response = client.post(f"/portal/tickets/{portal.ticket_a.pk}/rate/", {"score": "5"})
    assert response.status_code == 400
    assert "Only a resolved ticket can be rated" in response.content.decode()
    assert not Response.objects.exists()


def test_a_too_long_comment_is_refused(client, portal, resolved):
    client.force_login(portal.wang)
    response = client.post(
        f"/portal/tickets/{resolved.pk}/rate/", {"score": "3", "comment": "长" * 2001}
    )
    assert response.status_code == 400
    assert not Response.objects.exists()

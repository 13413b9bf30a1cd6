"""Every customer view × every role: who may open it, who is refused.

alice owns the customer (team North), bob is her teammate, mia manages North, sam is a
service agent, ana an analyst (read-only), pat a user of the partner the customer is shared
with, quinn a user of another partner, charlie a rep of another team, root the admin.
A customer the user may not see is a 404 (its existence is not leaked); an action the role
may not take on a visible customer is a 403.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ALL = ["alice", "bob", "mia", "sam", "ana", "pat", "quinn", "charlie", "root"]

# view → {persona: expected status}; personas not listed get the default of the row.
READ_VIEWS = {
    "detail": {"allowed": {"alice", "bob", "mia", "sam", "ana", "pat", "root"}, "refused": 404},
    "history": {
        "allowed": {"alice", "bob", "mia", "sam", "pat", "root"},
        # The analyst sees the customer masked, so the raw before/after values are withheld.
        "refused": 404,
    },
}
WRITE_VIEWS = {
    # view: (roles allowed, status for a role that sees the customer but may not act)
    "edit": {"alice", "bob", "mia", "sam", "root"},
    "relation_create": {"alice", "bob", "mia", "sam", "root"},
    "reassign": {"mia", "root"},
    "interaction_create": {"alice", "bob", "mia", "sam", "pat", "root"},
}
SEES = {"alice", "bob", "mia", "sam", "ana", "pat", "root"}


def _url(name, customer):
    return (
        f"/customers/{customer.pk}/"
        + {
            "detail": "",
            "history": "history/",
            "edit": "edit/",
            "relation_create": "relations/new/",
            "reassign": "reassign/",
            "interaction_create": "interactions/new/",
        }[name]
    )


@pytest.mark.parametrize("view", sorted(READ_VIEWS))
@pytest.mark.parametrize("persona", ALL)
def test_read_views(client, org, view, persona):
    client.force_login(getattr(org, persona))
    response = client.get(_url(view, org.customer))
    rule = READ_VIEWS[view]
    expected = 200 if persona in rule["allowed"] else rule["refused"]
    assert response.status_code == expected


@pytest.mark.parametrize("view", sorted(WRITE_VIEWS))
@pytest.mark.parametrize("persona", ALL)
def test_write_views(client, org, view, persona):
    client.force_login(getattr(org, persona))
    response = client.get(_url(view, org.customer))
    if persona in WRITE_VIEWS[view]:
        assert response.status_code == 200
    elif persona in SEES:
        assert response.status_code == 403
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("persona", ALL)
def test_create_page(client, org, persona):
    client.force_login(getattr(org, persona))
    response = client.get("/customers/new/")
    allowed = {"alice", "bob", "mia", "sam", "charlie", "root"}
    assert response.status_code == (200 if persona in allowed else 403)


@pytest.mark.parametrize("persona", ALL)
def test_list_shows_only_visible(client, org, persona):
    client.force_login(getattr(org, persona))
    response = client.get("/customers/")
    assert response.status_code == 200
    assert (org.customer.name in response.content.decode()) == (persona in SEES)


@pytest.mark.parametrize("persona", ALL)
def test_archive_post(client, org, persona):
    client.force_login(getattr(org, persona))
    response = client.post(f"/customers/{org.customer.pk}/archive/")
    if persona in {"mia", "root"}:
        assert response.status_code == 302
    elif persona in SEES:
        assert response.status_code == 403
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("persona", ALL)
def test_share_post(client, org, persona):
    client.force_login(getattr(org, persona))
    response = client.post(f"/customers/{org.customer.pk}/share/", {"partner": org.p2.pk})
    if persona in {"mia", "root"}:
        assert response.status_code == 302
        assert org.customer.shares.filter(partner=org.p2).exists()
    else:
        assert response.status_code in (403, 404)
        assert not org.customer.shares.filter(partner=org.p2).exists()


def test_anonymous_is_sent_to_login(client, org):
    for url in ["/customers/", f"/customers/{org.customer.pk}/", "/customers/new/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_all_staff_setting_opens_the_database(client, org, settings):
    settings.KEHU_ALL_STAFF_SEE_ALL = True
    client.force_login(org.charlie)
    assert client.get(f"/customers/{org.customer.pk}/").status_code == 200
    client.force_login(org.quinn)  # partner users still see only what is shared with them
    assert client.get(f"/customers/{org.customer.pk}/").status_code == 404


def test_service_agents_limited_by_setting(client, org, settings):
    settings.KEHU_SERVICE_SEES_ALL = False
    client.force_login(org.sam)
    assert client.get(f"/customers/{org.customer.pk}/").status_code == 404

"""The leads API per persona: the same visibility as the pages (404 for a lead one may not
see), 403 for roles that never change leads, and refusals change nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import api  # noqa: F401
from tests.development.conftest import snapshot

SEES = ["alice", "bob", "mia", "ana", "root"]
HIDDEN = ["charlie", "quinn", "pat", "sam"]


@pytest.mark.parametrize("who", SEES + HIDDEN)
def test_read(api, org, leads, who):  # noqa: F811
    r = api(who).get(f"/leads/{leads.north.pk}")
    assert r.status_code == (200 if who in SEES else 404)
    ids = [item["id"] for item in api(who).get("/leads").json()["items"]]
    assert (leads.north.pk in ids) == (who in SEES)


def test_analyst_reads_masked(api, org, leads):  # noqa: F811
    body = api("ana").get(f"/leads/{leads.north.pk}").json()
    assert body["masked"] and body["phone"] == "****2222"


def test_partner_reads_own_partners_lead(api, org, leads):  # noqa: F811
    assert api("pat").get(f"/leads/{leads.p1.pk}").status_code == 200
    assert api("quinn").get(f"/leads/{leads.p1.pk}").status_code == 404


@pytest.mark.parametrize("who,status", [("ana", 403), ("pat", 403), ("charlie", 404), ("sam", 404)])
def test_writes_refused(api, org, leads, who, status):  # noqa: F811
    before = snapshot()
    client = api(who)
    pk = leads.north.pk
    assert client.patch(f"/leads/{pk}", {"money": "yes"}).status_code == status
    assert client.post(f"/leads/{pk}/convert").status_code == status
    if status == 403:
        assert client.post("/leads", {"name": "x", "source": "press"}).status_code == 403
    assert snapshot() == before


def test_rep_may_not_create_for_someone_else(api, org):  # noqa: F811
    before = snapshot()
    r = api("alice").post("/leads", {"name": "x", "source": "press", "owner_id": org.bob.pk})
    assert r.status_code == 403 and snapshot() == before


def test_manager_assigns_on_create(api, org):  # noqa: F811
    r = api("mia").post("/leads", {"name": "x", "source": "press", "owner_id": org.bob.pk})
    assert r.status_code == 201 and r.json()["owner"]["id"] == org.bob.pk

"""The exact contract outside scripts run: create (201, id), PATCH MAN (qualified once all
three are yes), convert (201, customer_id; the customer's source is the lead's), and another
team's rep gets 404."""

from __future__ import annotations

import pytest

from kehu.development.models import Lead
from tests.api.conftest import api  # noqa: F401  (the JSON client per persona)


@pytest.mark.parametrize(
    "source",
    ["statistics", "directory", "press", "referral", "event", "mailing", "web_form", "partner"],
)
def test_create_qualify_convert(api, source):  # noqa: F811
    alice = api("alice")
    r = alice.post("/leads", {"name": "Acme 采购部", "phone": "13812345678", "source": source})
    assert r.status_code == 201, r.content
    lead_id = r.json()["id"]

    r = alice.patch(f"/leads/{lead_id}", {"money": "yes", "authority": "yes", "need": "no"})
    assert r.status_code == 200 and r.json()["qualified"] is False
    r = alice.patch(f"/leads/{lead_id}", {"money": "yes", "authority": "yes", "need": "yes"})
    assert r.status_code == 200 and r.json()["qualified"] is True

    r = alice.post(f"/leads/{lead_id}/convert")
    assert r.status_code == 201, r.content
    customer_id = r.json()["customer_id"]
    customer = alice.get(f"/customers/{customer_id}").json()
    assert customer["source"] == source
    assert Lead.objects.get(pk=lead_id).status == "converted"


def test_other_teams_rep_gets_404(api, org):  # noqa: F811
    lead_id = (
        api("alice").post("/leads", {"name": "甲", "phone": "", "source": "press"}).json()["id"]
    )
    charlie = api("charlie")
    assert charlie.get(f"/leads/{lead_id}").status_code == 404
    before = Lead.objects.get(pk=lead_id).money
    r = charlie.patch(f"/leads/{lead_id}", {"money": "yes"})
    assert r.status_code == 404
    assert charlie.post(f"/leads/{lead_id}/convert").status_code == 404
    lead = Lead.objects.get(pk=lead_id)
    assert lead.money == before and lead.status == "open" and lead.customer_id is None


def test_convert_without_any_body(api, org):  # noqa: F811
    """``curl -X POST …/convert`` sends no body and no content type: still 201."""
    alice = api("alice")
    lead_id = alice.post("/leads", {"name": "丙", "phone": "13700001111", "source": "event"})
    lead_id = lead_id.json()["id"]
    alice.patch(f"/leads/{lead_id}", {"money": "yes", "authority": "yes", "need": "yes"})
    r = alice.client.post(f"/api/v1/leads/{lead_id}/convert")
    assert r.status_code == 201, r.content
    assert alice.get(f"/customers/{r.json()['customer_id']}").json()["source"] == "event"


def test_convert_into_existing_customer(api, org):  # noqa: F811
    alice = api("alice")
    lead_id = alice.post("/leads", {"name": "张伟", "phone": "+8613800138000", "source": "press"})
    lead_id = lead_id.json()["id"]
    assert alice.get(f"/leads/{lead_id}/matches").json()["customers"][0]["customer_id"] == (
        org.customer.pk
    )
    alice.patch(f"/leads/{lead_id}", {"money": "yes", "authority": "yes", "need": "yes"})
    r = alice.post(f"/leads/{lead_id}/convert", {"customer_id": org.customer.pk})
    assert r.status_code == 201 and r.json()["customer_id"] == org.customer.pk
    assert r.json()["created"] is False

"""An administrator's JSON export holds everything about the person, from every app, and
the export itself is audited."""

import json

from kehu.core.models import AuditEvent
from kehu.privacy import services
from tests.conftest import login


def test_export_json_has_every_source(client, org, person):
    response = login(client, org.root).get(
        f"/privacy/customers/{person.pk}/personal-data/?format=json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    doc = json.loads(response.content)
    sections = doc["sections"]
    for key in [
        "customers.customer",
        "customers.aliases",
        "customers.contacts",
        "customers.addresses",
        "customers.relations",
        "customers.interactions",
        "customers.owner_history",
        "customers.shares",
        "sales.orders",
        "sales.order_lines",
        "sales.invoices",
        "sales.payments",
        "service.tickets",
        "retention.tasks",
        "quality.duplicates",
        "quality.merges",
        "core.audit",
    ]:
        assert key in sections, key
    assert sections["customers.customer"]["rows"][0]["id_number"] == "310101198001011234"
    assert {r["value"] for r in sections["customers.contacts"]["rows"]} >= {"wxid_zhangwei88"}
    assert sections["sales.orders"]["rows"][0]["number"] == "O-1"
    assert sections["sales.order_lines"]["rows"][0]["amount"] == "20.00"
    assert sections["service.tickets"]["rows"][0]["subject"] == "broken cup for 张伟"
    assert sections["retention.tasks"]["rows"][0]["notes"] == "wife Li Na"
    assert sections["customers.relations"]["rows"][0]["role"] == "采购经理"
    assert {r["value"] for r in sections["customers.aliases"]["rows"]} == {"Wei Zhang", "張偉"}
    assert sections["core.audit"]["rows"]
    event = AuditEvent.objects.filter(action="export").get()
    assert (event.user, event.customer_id, event.changes["format"]) == (org.root, person.pk, "json")
    assert services.is_erased(person) is False

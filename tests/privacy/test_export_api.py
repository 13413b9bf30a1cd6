"""GET /api/v1/customers/{id}/personal-data: the same rules through the API."""

import json

from kehu.api.auth import issue_token
from kehu.core.models import AuditEvent


def _get(client, user, path):
    _token, raw = issue_token(user=user, name="t")
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_export_api(client, org, person):
    url = f"/api/v1/customers/{person.pk}/personal-data"
    response = _get(client, org.root, url + "?format=json")
    assert response.status_code == 200
    assert json.loads(response.content)["sections"]["sales.orders"]["rows"][0]["number"] == "O-1"
    response = _get(client, org.mia, url + "?format=xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="export").count() == 2

    events = AuditEvent.objects.count()
    assert _get(client, org.ana, url).status_code == 403
    assert _get(client, org.pat, url).status_code == 403
    assert _get(client, org.root, "/api/v1/customers/999999/personal-data").status_code == 404
    assert _get(client, org.root, url + "?format=csv").status_code == 422
    assert AuditEvent.objects.count() == events

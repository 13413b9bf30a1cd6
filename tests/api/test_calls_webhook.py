"""CTI webhooks: a wrong or missing signature is refused (401) and records nothing; CTI off
(no secret) is 403; a signed call is matched by phone, pops on the agent's screen with the
open tickets, and its end logs an interaction with the duration."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kehu.customers.models import Interaction
from kehu.service import calls, services
from kehu.service.models import Call
from tests.conftest import login

SECRET = "s3cret-for-tests"


@pytest.fixture
def cti(settings):
    settings.KEHU_CTI_SECRET = SECRET


def post(path: str, data: dict, signature: str | None = "auto"):
    body = json.dumps(data).encode()
    headers = {}
    if signature == "auto":
        headers["HTTP_X_KEHU_SIGNATURE"] = calls.sign(body, SECRET)
    elif signature is not None:
        headers["HTTP_X_KEHU_SIGNATURE"] = signature
    return Client().post("/api/v1" + path, body, content_type="application/json", **headers)


def test_wrong_signature_refused(org, cti):
    bad = calls.sign(b"something else", SECRET)
    assert (
        post("/calls/incoming", {"call_id": "c1", "caller": "13800138000"}, bad).status_code == 401
    )
    assert (
        post("/calls/incoming", {"call_id": "c1", "caller": "13800138000"}, None).status_code == 401
    )
    assert (
        post(
            "/calls/incoming", {"call_id": "c1", "caller": "1"}, calls.sign(b"x", "other")
        ).status_code
        == 401
    )
    assert not Call.objects.exists()


def test_not_configured_is_forbidden(org, settings):
    settings.KEHU_CTI_SECRET = ""
    assert post("/calls/incoming", {"call_id": "c1", "caller": "13800138000"}).status_code == 403
    assert not Call.objects.exists()


def test_bad_body_is_400(org, cti):
    assert post("/calls/incoming", {"call_id": "", "caller": "x"}).status_code == 400
    assert not Call.objects.exists()


def test_call_matched_popped_and_logged(client, org, cti):
    t = services.ticket_create(customer=org.customer, by=org.sam, subject="冰箱异响")
    response = post(
        "/calls/incoming", {"call_id": "c42", "caller": "138 0013 8000", "agent": "sam"}
    )
    assert response.status_code == 201 and response.json()["matched"] is True
    pop = login(client, org.sam).get("/service/calls/pop/").content.decode()
    assert "张伟" in pop and f"#T{t.pk}" in pop
    # Another agent's call does not pop on alice's screen; a partner may not poll at all.
    assert "张伟" not in login(client, org.alice).get("/service/calls/pop/").content.decode()
    assert login(client, org.pat).get("/service/calls/pop/").status_code == 403
    ended = post("/calls/c42/ended", {"duration_seconds": 185})
    assert ended.status_code == 200 and ended.json()["logged"] is True
    call = Interaction.objects.get(customer=org.customer, channel="phone")
    assert (call.duration_minutes, call.user, call.department) == (4, org.sam, "service")
    assert post("/calls/c42/ended", {"duration_seconds": 185}).status_code == 200
    assert Interaction.objects.filter(customer=org.customer).count() == 1


def test_unknown_caller(org, cti):
    response = post("/calls/incoming", {"call_id": "c7", "caller": "13900000000"})
    assert response.status_code == 201 and response.json()["matched"] is False

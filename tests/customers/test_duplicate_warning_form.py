"""A new customer that probably exists already is flagged on the form before it is saved;
saving it anyway is a deliberate second click."""

from __future__ import annotations

import pytest

from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db

SAME_PERSON = {"kind": "person", "name": "張偉", "phone": "138 0013 8000", "city": "上海"}


def test_probable_duplicate_is_shown_not_saved(client, org):
    client.force_login(org.bob)
    response = client.post("/customers/new/", SAME_PERSON)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-candidate="{org.customer.pk}"' in body
    assert 'id="save-anyway"' in body
    assert not Customer.objects.filter(name="張偉").exists()


def test_save_anyway(client, org):
    client.force_login(org.bob)
    response = client.post("/customers/new/", {**SAME_PERSON, "confirm_duplicate": "1"})
    assert response.status_code == 302
    assert Customer.objects.filter(name="張偉").exists()


def test_live_check_while_typing(client, org):
    client.force_login(org.bob)
    response = client.post("/quality/duplicate-check/", SAME_PERSON, HTTP_HX_REQUEST="true")
    assert f'data-candidate="{org.customer.pk}"' in response.content.decode()


def test_no_warning_for_someone_else(client, org):
    client.force_login(org.bob)
    response = client.post(
        "/customers/new/", {"kind": "person", "name": "王芳", "phone": "13900139000"}
    )
    assert response.status_code == 302

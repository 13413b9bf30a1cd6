"""Entry validation (G1): phones in any format stored as E.164 and shown locally, errors next
to the field, dates checked against allowed ranges, choice lists enforced."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


def _post(client, **fields):
    data = {"kind": "person", "name": "李娜"}
    data.update(fields)
    return client.post("/customers/new/", data)


@pytest.mark.parametrize(
    "raw", ["139 0013 9000", "+86 139-0013-9000", "008613900139000", "(139)00139000"]
)
def test_phone_any_format_stored_e164(client, org, raw):
    client.force_login(org.alice)
    response = _post(client, phone=raw)
    assert response.status_code == 302
    assert Customer.objects.get(name="李娜").phone == "+8613900139000"


def test_invalid_phone_error_next_to_field(client, org):
    client.force_login(org.alice)
    response = _post(client, phone="12345")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="phone-errors"' in body
    assert not Customer.objects.filter(name="李娜").exists()


def test_invalid_email_and_future_birthday(client, org):
    client.force_login(org.alice)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    body = _post(client, email="not-an-email", birthday=future).content.decode()
    assert 'id="email-errors"' in body and 'id="birthday-errors"' in body


def test_choice_and_range(client, org):
    client.force_login(org.alice)
    body = _post(client, gender="X", household_size="99").content.decode()
    assert 'id="gender-errors"' in body and 'id="household_size-errors"' in body


def test_create_form_prefills_date(client, org):
    client.force_login(org.alice)
    body = client.get("/customers/new/").content.decode()
    assert dt.date.today().isoformat() in body


def test_phone_shown_in_local_format(client, org):
    client.force_login(org.alice)
    body = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert "138 0013 8000" in body


def test_fast_mobile_path_agrees_with_phonenumbers():
    # The Chinese-mobile shortcut must give phonenumbers' answer for every format.
    import random

    import phonenumbers

    from kehu.core.text import phone_e164

    rng = random.Random(7)
    forms = [
        lambda d: d,
        lambda d: f"{d[:3]} {d[3:7]} {d[7:]}",
        lambda d: f"+86 {d[:3]}-{d[3:7]}-{d[7:]}",
        lambda d: "0086" + d,
        lambda d: f"({d[:3]}){d[3:]}",
    ]
    for _ in range(5000):
        digits = "1" + "".join(rng.choice("0123456789") for _ in range(10))
        raw = rng.choice(forms)(digits)
        text = "+" + raw[2:] if raw.startswith("00") else raw
        try:
            number = phonenumbers.parse(text, "CN")
        except phonenumbers.NumberParseException:
            expected = None
        else:
            expected = (
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                if phonenumbers.is_valid_number(number)
                else None
            )
        assert phone_e164(raw) == expected, raw

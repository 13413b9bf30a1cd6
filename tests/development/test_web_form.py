"""The public web-to-lead form: a person's message becomes a web_form lead for the rep the
rule picks; bad input is refused with the field named and nothing saved; a bot filling the
honeypot is thanked and nothing is saved; one address is rate-limited."""

from __future__ import annotations

import pytest
from django.test import Client

from kehu.development.models import Lead
from tests.development.conftest import snapshot

URL = "/forms/lead/"
GOOD = {
    "name": "孙丽",
    "phone": "13955556666",
    "email": "",
    "company": "丽华贸易",
    "message": "报价",
}


@pytest.fixture
def anon():
    return Client()


def test_get_is_public_and_embeddable(db, anon):
    r = anon.get(URL)
    assert r.status_code == 200
    assert "frame-ancestors *" in r["Content-Security-Policy"]
    assert "X-Frame-Options" not in r


def test_message_becomes_web_form_lead_for_a_rep(org, anon, settings):
    settings.KEHU_WEB_LEAD_TEAM = "North"
    r = anon.post(URL, GOOD)
    assert r.status_code == 200 and "thanks" in r.content.decode()
    lead = Lead.objects.get(name="孙丽")
    assert lead.source == "web_form" and lead.phone == "+8613955556666"
    assert lead.owner in (org.alice, org.bob) and lead.team == org.north
    assert lead.card.number and lead.notes == "报价"


def test_configured_owner_takes_every_web_lead(org, anon, settings):
    settings.KEHU_WEB_LEAD_OWNER = "charlie"
    anon.post(URL, GOOD)
    assert Lead.objects.get(name="孙丽").owner == org.charlie


@pytest.mark.parametrize(
    "data,field",
    [
        ({**GOOD, "name": ""}, "name"),
        ({**GOOD, "phone": "12"}, "phone"),
        ({**GOOD, "phone": "", "email": "not-an-email"}, "email"),
        ({**GOOD, "phone": "", "email": ""}, "phone"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(org, anon, data, field):
    before = snapshot()
    r = anon.post(URL, data)
    assert r.status_code == 400
    assert f'id="id_{field}"' in r.content.decode() and "errorlist" in r.content.decode()
    assert snapshot()[:4] == before[:4]


def test_honeypot_thanks_the_bot_and_saves_no_lead(org, anon):
    before = snapshot()
    r = anon.post(URL, {**GOOD, "website": "http://spam.example"})
    assert r.status_code == 200 and "thanks" in r.content.decode()
    assert snapshot()[:4] == before[:4]


def test_one_address_is_rate_limited(org, anon, settings):
    settings.KEHU_WEB_LEAD_PER_ADDRESS = 2
    assert anon.post(URL, {**GOOD, "name": "一"}).status_code == 200
    assert anon.post(URL, {**GOOD, "name": "二"}).status_code == 200
    r = anon.post(URL, {**GOOD, "name": "三"})
    assert r.status_code == 429 and "rate-limited" in r.content.decode()
    assert not Lead.objects.filter(name="三").exists()
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post(URL, {**GOOD, "name": "四"}).status_code == 200


def test_embedding_site_chooses_the_language(db, anon):
    r = anon.get(URL + "?lang=zh-hans")
    assert "联系我们" in r.content.decode() and 'lang="zh-hans"' in r.content.decode()
    assert "Contact us" in anon.get(URL + "?lang=en").content.decode()

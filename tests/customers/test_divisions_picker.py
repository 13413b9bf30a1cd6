"""The customer form picks province → city → district from the national division codes
(issue #12): the lists cascade (htmx), the names and the 6-digit code are stored, a city of
another province is refused with nothing written, and a place abroad is typed as free text."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.customers import divisions

pytestmark = pytest.mark.django_db


def _form(org, **place):
    data = {
        "kind": "person",
        "name": "张伟",
        "phone": "13800138000",
        "version": org.customer.version,
        "division_province": "",
        "division_city": "",
        "division_district": "",
    }
    data.update(place)
    return data


def test_the_data_holds_every_province_with_its_cities():
    provinces = divisions.children()
    assert len(provinces) == 31
    guangdong = divisions.get("440000")
    assert guangdong is not None and guangdong.name == "广东省"
    assert [d.name for d in divisions.path("440305")] == ["广东省", "深圳市", "南山区"]
    # A municipality's placeholder "city" is stored as the municipality.
    assert divisions.names("110105") == {
        "province": "北京市",
        "city": "北京市",
        "district": "朝阳区",
    }


def test_picked_place_is_stored_with_names_and_code(client, org):
    client.force_login(org.alice)
    place = {
        "division_province": "440000",
        "division_city": "440300",
        "division_district": "440305",
    }
    response = client.post(f"/customers/{org.customer.pk}/edit/", _form(org, **place))
    assert response.status_code == 302, response.content.decode()[-2000:]
    org.customer.refresh_from_db()
    assert (org.customer.province, org.customer.city, org.customer.district) == (
        "广东省",
        "深圳市",
        "南山区",
    )
    assert org.customer.division_code == "440305"
    # The form opens on the stored place, its lists filled.
    page = client.get(f"/customers/{org.customer.pk}/edit/").content.decode()
    assert '<option value="440305" selected>南山区</option>' in page
    assert '<option value="440300" selected>深圳市</option>' in page


def test_city_of_another_province_is_refused_and_nothing_changes(client, org):
    client.force_login(org.alice)
    before = (org.customer.province, org.customer.city, org.customer.version)
    events = AuditEvent.objects.count()
    place = {"division_province": "110000", "division_city": "440300"}
    response = client.post(f"/customers/{org.customer.pk}/edit/", _form(org, **place))
    assert response.status_code == 200
    assert "division_city-errors" in response.content.decode()
    org.customer.refresh_from_db()
    assert (org.customer.province, org.customer.city, org.customer.version) == before
    assert AuditEvent.objects.count() == events


def test_place_abroad_is_free_text_without_code(client, org):
    client.force_login(org.alice)
    data = _form(org, place_abroad="on", province="Bayern", city="München", district="Schwabing")
    response = client.post(f"/customers/{org.customer.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    org.customer.refresh_from_db()
    assert (org.customer.province, org.customer.city, org.customer.district) == (
        "Bayern",
        "München",
        "Schwabing",
    )
    assert org.customer.division_code == ""
    page = client.get(f"/customers/{org.customer.pk}/edit/").content.decode()
    assert 'name="place_abroad" data-place-toggle="" id="id_place_abroad" checked' in page


def test_lists_cascade(client, org):
    client.force_login(org.alice)
    cities = client.get("/customers/divisions/", {"division_province": "440000"}).content.decode()
    assert '<option value="440300">深圳市</option>' in cities
    # Changing the province empties the district list too (out of band).
    assert 'id="id_division_district" hx-swap-oob="innerHTML"' in cities
    districts = client.get("/customers/divisions/", {"division_city": "440300"}).content.decode()
    assert '<option value="440305">南山区</option>' in districts
    assert "深圳市" not in districts
    # Nonsense gives an empty list, not an error.
    junk = client.get("/customers/divisions/", {"division_city": "x' or 1=1"})
    assert junk.status_code == 200 and "<option" in junk.content.decode()


def test_lists_need_a_login(client):
    response = client.get("/customers/divisions/", {"division_province": "440000"})
    assert response.status_code == 302

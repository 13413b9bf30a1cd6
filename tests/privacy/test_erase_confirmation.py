"""The erase page wants the customer number typed and a reason; a wrong one changes
nothing; the right one erases and returns to the customer page."""

from kehu.customers.models import Customer
from kehu.privacy.models import Erasure
from tests.conftest import login
from tests.privacy.conftest import snapshot


def test_erase_confirmation(client, org, person):
    url = f"/privacy/customers/{person.pk}/erase/"
    login(client, org.root)
    page = client.get(url)
    assert page.status_code == 200 and b"erase-form" in page.content
    before = snapshot(person.pk)
    for data in (
        {"reason": "R-1", "confirm": "1234567"},
        {"reason": "", "confirm": str(person.pk)},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert snapshot(person.pk) == before
    response = client.post(url, {"reason": "R-1", "confirm": f"#{person.pk}"})
    assert response.status_code == 302
    assert Customer.objects.get(pk=person.pk).phone == ""
    assert Erasure.objects.get().reason == "R-1"
    # Erased once: the page says so and a second post does nothing.
    again = client.post(url, {"reason": "R-2", "confirm": str(person.pk)})
    assert again.status_code == 200 and Erasure.objects.count() == 1

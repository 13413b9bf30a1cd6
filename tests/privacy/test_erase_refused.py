"""Only administrators erase: every other role is refused (403, or 404 where it cannot see
the customer) and nothing changes, the audit log included."""

import pytest

from kehu.core.models import Role
from kehu.privacy.models import Erasure
from tests.conftest import login, make_user
from tests.privacy.conftest import snapshot


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 403),
        ("mia", 403),
        ("charlie", 403),
        ("sam", 403),
        ("ana", 403),
        ("pat", 403),
        ("quinn", 403),
        ("sue", 403),
    ],
)
def test_erase_refused(client, org, person, persona, status):
    user = (
        make_user("sue", Role.MANAGER, team=org.south)
        if persona == "sue"
        else getattr(org, persona)
    )
    before = snapshot(person.pk)
    url = f"/privacy/customers/{person.pk}/erase/"
    login(client, user)
    assert client.get(url).status_code == status
    data = {"reason": "x", "confirm": str(person.pk)}
    assert client.post(url, data).status_code == status
    assert snapshot(person.pk) == before
    assert not Erasure.objects.exists()


def test_erase_of_missing_customer_is_404(client, org):
    assert login(client, org.root).get("/privacy/customers/999999/erase/").status_code == 404

"""Export is for administrators and the customer's managers: every other role gets 403
(or 404 where it cannot see the customer), and nothing is written, not even an audit event."""

import pytest

from kehu.core.models import Role
from tests.conftest import login, make_user
from tests.privacy.conftest import snapshot


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 403),
        ("bob", 403),
        ("charlie", 403),
        ("sam", 403),
        ("ana", 403),
        ("pat", 403),
        ("quinn", 403),
        ("south_manager", 404),
    ],
)
def test_export_refused(client, org, person, persona, status):
    if persona == "south_manager":
        user = make_user("sue", Role.MANAGER, team=org.south)
        org.south.managers.add(user)
    else:
        user = getattr(org, persona)
    before = snapshot(person.pk)
    for fmt in ("json", "xlsx"):
        response = login(client, user).get(
            f"/privacy/customers/{person.pk}/personal-data/?format={fmt}"
        )
        assert response.status_code == status
    assert snapshot(person.pk) == before


def test_export_of_missing_customer_is_404(client, org, person):
    response = login(client, org.root).get("/privacy/customers/999999/personal-data/")
    assert response.status_code == 404

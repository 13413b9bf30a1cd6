"""The 360 page offers export to administrators and managers, erase to administrators,
and neither to anyone else."""

import pytest

from tests.conftest import login


@pytest.mark.parametrize(
    ("persona", "export", "erase"),
    [
        ("root", True, True),
        ("mia", True, False),
        ("alice", False, False),
        ("sam", False, False),
        ("ana", False, False),
        ("pat", False, False),
    ],
)
def test_buttons_on_360_page(client, org, persona, export, erase):
    page = login(client, getattr(org, persona)).get(f"/customers/{org.customer.pk}/")
    assert page.status_code == 200
    assert (b'id="privacy-export"' in page.content) is export
    assert (b'id="privacy-erase"' in page.content) is erase

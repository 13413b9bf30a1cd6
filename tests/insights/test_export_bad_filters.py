"""The value report and its exports refuse a filter id past 2**63 with 400 before a byte of
the file is sent (it overflowed SQLite's driver after the CSV header: a 200 download cut
short)."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999"


@pytest.mark.parametrize("param", ["team", "region"])
def test_report_and_exports_refuse_huge_ids(scored, client, param):
    client.raise_request_exception = False
    login(client, scored.root)
    for path in ("/insights/", "/insights/export.csv", "/insights/export.xlsx"):
        response = client.get(f"{path}?{param}={BIG}")
        assert response.status_code == 400, path
        # Refused before a byte of the file: no 200 with a header and then a broken stream.
        assert not response.streaming

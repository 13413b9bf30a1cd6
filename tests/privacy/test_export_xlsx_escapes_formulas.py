"""The XLSX export has a sheet per source and never carries a live formula."""

import io

from openpyxl import load_workbook

from kehu.customers.models import Interaction
from tests.conftest import login


def test_export_xlsx_escapes_formulas(client, org, person):
    Interaction.objects.filter(customer=person).update(notes='=HYPERLINK("http://x","y")')
    response = login(client, org.mia).get(
        f"/privacy/customers/{person.pk}/personal-data/?format=xlsx"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) >= 17
    cells = [c.value for ws in book for row in ws.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert "310101198001011234" in cells

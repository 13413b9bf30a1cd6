"""Import limits (issue #9): too many columns, an over-long cell or row, a file too big or
an XLSX that unpacks too far is refused with a clear message before anything is stored;
the job page never fails and stays small whatever the file holds."""

import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from kehu.imports import services
from kehu.imports.limits import FileRefused
from kehu.imports.models import ImportJob

from ..conftest import login
from .conftest import write_csv, write_xlsx


@pytest.fixture(autouse=True)
def _own_media_dir(settings, tmp_path):
    # Other test workers write uploads at the same time: count only this test's files.
    settings.MEDIA_ROOT = tmp_path / "media"


def _stored():
    root = services.media_dir()
    return ImportJob.objects.count(), sorted(p.name for p in root.rglob("*"))


def _refused(org, path, *words):
    before = _stored()
    with pytest.raises(FileRefused) as exc:
        services.job_create(user=org.alice, kind="customers", path=path)
    assert _stored() == before
    for word in words:
        assert word in str(exc.value)
    return str(exc.value)


def test_too_many_columns(org, tmp_path):
    header = ["姓名"] + [f"c{i}" for i in range(100_000)]
    path = write_csv(tmp_path / "wide.csv", [header, ["甲"] + ["1"] * 100_000])
    _refused(org, path, "200")


def test_a_data_row_wider_than_the_header(org, tmp_path):
    path = write_csv(tmp_path / "w.csv", [["姓名"], ["甲"], ["乙"] + ["x"] * 500])
    _refused(org, path, "3")


def test_over_long_cell_names_row_and_column(org, tmp_path):
    rows = [["姓名", "备注"], ["甲", "ok"], ["乙", "长" * 40_000]]
    _refused(org, write_csv(tmp_path / "long.csv", rows), "3")


def test_eleven_megabyte_field(org, tmp_path):
    rows = [["姓名", "备注"], ["甲", "x" * (11 * 1024 * 1024)]]
    _refused(org, write_csv(tmp_path / "huge.csv", rows), "2")


def test_over_long_header_cell_in_xlsx(org, tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", [["姓名", "x" * 100_000], ["甲", "1"]])
    _refused(org, path)


def test_xlsx_that_unpacks_too_far(org, tmp_path, settings):
    settings.KEHU_IMPORT_MAX_XLSX_UNPACKED_MB = 1
    path = write_xlsx(tmp_path / "ok.xlsx", [["姓名"], ["甲"]])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/padding.bin", b"\0" * (3 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    _refused(org, bomb, "1 MB")


def test_file_size_limit(org, tmp_path, settings):
    settings.KEHU_IMPORT_MAX_FILE_MB = 1
    rows = [["姓名", "备注"]] + [[f"人{i}", "x" * 100] for i in range(12_000)]
    _refused(org, write_csv(tmp_path / "big.csv", rows), "1 MB")


def test_upload_refusal_is_a_form_error(client, org, tmp_path):
    login(client, org.alice)
    path = write_csv(tmp_path / "long.csv", [["姓名", "备注"], ["乙", "长" * 40_000]])
    with path.open("rb") as fh:
        response = client.post(reverse("imports:upload"), {"kind": "customers", "file": fh})
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_job_page_survives_a_file_changed_beyond_the_limits(client, org, tmp_path):
    path = write_csv(tmp_path / "ok.csv", [["姓名", "备注"], ["甲", "短"]])
    job = services.job_create(user=org.alice, kind="customers", path=path)
    # The stored copy is replaced by one with an 11 MB field (a CLI file can change).
    write_csv(Path(job.file_path), [["姓名", "备注"], ["甲", "x" * 11_000_000]])
    with pytest.raises(FileRefused):
        services.job_run(job=job, by=org.alice, dry_run=True)
    login(client, org.alice)
    response = client.get(reverse("imports:detail", args=[job.pk]))
    assert response.status_code == 200 and len(response.content) < 100_000


def test_job_page_stays_small_with_long_cells(client, org, tmp_path):
    header = ["姓名"] + [f"备注{i}" for i in range(9)]
    rows = [header] + [["甲"] + ["长" * 9_000] * 9 for _ in range(12)]
    job = services.job_create(
        user=org.alice, kind="customers", path=write_csv(tmp_path / "l.csv", rows)
    )
    services.job_run(job=job, by=org.alice, dry_run=True)
    login(client, org.alice)
    response = client.get(reverse("imports:detail", args=[job.pk]))
    assert response.status_code == 200 and len(response.content) < 150_000

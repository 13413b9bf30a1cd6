"""An imported interaction is signed by the importer; only an administrator may import
interactions logged by other users (issue #9)."""

from kehu.customers.models import Interaction

from .conftest import run_import, write_csv
from .helpers import stored_state

HEADERS = ["客户", "时间", "渠道", "主题", "员工"]


def _file(tmp_path, user):
    return write_csv(
        tmp_path / "i.csv", [HEADERS, ["13800138000", "2024-03-01 10:00", "电话", "回访", user]]
    )


def test_rep_cannot_sign_for_another_user(org, tmp_path):
    before = stored_state()
    job = run_import(org.alice, "interactions", _file(tmp_path, "bob"))
    assert job.created == 0
    error = job.row_errors.get()
    assert error.row_number == 2 and [p["field"] for p in error.problems] == ["user"]
    assert stored_state() == before


def test_manager_cannot_either(org, tmp_path):
    job = run_import(org.mia, "interactions", _file(tmp_path, "alice"))
    assert job.created == 0 and not Interaction.objects.exists()


def test_author_is_the_importer_or_the_administrators_column(org, tmp_path):
    assert run_import(org.alice, "interactions", _file(tmp_path, "")).created == 1
    assert Interaction.objects.get().user == org.alice
    Interaction.objects.all().delete()
    assert run_import(org.alice, "interactions", _file(tmp_path, "alice")).created == 1
    Interaction.objects.all().delete()
    assert run_import(org.root, "interactions", _file(tmp_path, "bob")).created == 1
    assert Interaction.objects.get().user == org.bob

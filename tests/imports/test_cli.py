"""``kehu import``: the command is found under that name, takes a mapping file, dry-runs,
writes the error file and resumes."""

import json

import pytest
from django.core.management import CommandError, call_command, get_commands

from kehu.customers.models import Customer
from kehu.imports.models import ImportJob

from .conftest import write_csv


def test_command_is_called_import():
    assert get_commands()["import"] == "kehu.imports"


def test_cli_with_mapping_file_dry_run_and_errors(org, tmp_path, capsys):
    path = write_csv(
        tmp_path / "c.csv", [["Kundenname", "Handy"], ["甲", "13711110000"], ["乙", "nope"]]
    )
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Kundenname": "name", "Handy": "phone"}))
    call_command(
        "import",
        "customers",
        str(path),
        "--user",
        "alice",
        "--mapping",
        str(mapping),
        "--dry-run",
        "--no-progress",
    )
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["dry_run"] and out["created"] == 1 and out["failed"] == 1
    assert not Customer.objects.filter(name="甲").exists()

    errors = tmp_path / "errors.csv"
    call_command(
        "import",
        "customers",
        str(path),
        "--user",
        "alice",
        "--mapping",
        str(mapping),
        "--errors",
        str(errors),
    )
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["created"] == 1 and out["status"] == "done"
    assert "nope" in errors.read_text(encoding="utf-8-sig")
    assert Customer.objects.get(name="甲").owner == org.alice


def test_cli_refuses_analyst_and_missing_user(org, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["姓名"], ["甲"]])
    with pytest.raises(CommandError):
        call_command("import", "customers", str(path), "--user", "ana")
    with pytest.raises(CommandError):
        call_command("import", "customers", str(path))


def test_cli_resume(org, tmp_path, capsys):
    path = write_csv(
        tmp_path / "c.csv", [["姓名", "手机"], ["甲", "13711110001"], ["乙", "13711110002"]]
    )
    job = ImportJob.objects.create(
        kind="customers",
        user=org.alice,
        file_path=str(path),
        original_name="c.csv",
        headers=["姓名", "手机"],
        mapping={"姓名": "name", "手机": "phone"},
        status="running",
        committed_units=1,
        total_rows=1,
        created=1,
    )
    call_command("import", "customers", "--user", "alice", "--resume", str(job.pk), "--no-progress")
    job.refresh_from_db()
    assert job.status == "done" and job.created == 2 and job.total_rows == 2
    assert (
        Customer.objects.filter(name="乙").exists()
        and not Customer.objects.filter(name="甲").exists()
    )

"""kehu privacy export writes the file as the named user, with that user's rights."""

import json

import pytest
from django.core.management import CommandError, call_command


def test_export_cli(org, person, tmp_path):
    out = tmp_path / "p.json"
    call_command(
        "privacy",
        "export",
        str(person.pk),
        "--format",
        "json",
        "--output",
        str(out),
        "--user",
        "root",
    )
    assert json.loads(out.read_text())["customer_id"] == person.pk
    xlsx = tmp_path / "p.xlsx"
    call_command(
        "privacy",
        "export",
        str(person.pk),
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        "--user",
        "mia",
    )
    assert xlsx.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="may not"):
        call_command("privacy", "export", str(person.pk), "--output", str(out), "--user", "alice")

"""kehu restore will not replace a database that holds data unless --force; the refusal
leaves it untouched. A file of the wrong kind is refused too."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kehu.customers.models import Customer


def test_backup_restore_refuses(org, tmp_path):
    magic = b"SQLite format 3\x00" if connection.vendor == "sqlite" else b"PGDMP"
    backup = tmp_path / "backup.bin"
    backup.write_bytes(magic + b"\x00" * 100)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(backup))
    assert Customer.objects.get(pk=org.customer.pk).name == "张伟"

    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a backup")
    with pytest.raises(CommandError, match="is not"):
        call_command("restore", str(wrong), "--force")
    assert Customer.objects.count() == 1

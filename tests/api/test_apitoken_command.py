"""kehu apitoken create / revoke / list."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kehu.core.models import ApiToken

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("apitoken", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_create_prints_only_the_working_token(org):
    raw = run("create", "alice", "--name", "nightly export")
    assert ApiToken.objects.get(name="nightly export").prefix == raw[:8]
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    assert response.json()["username"] == "alice"


def test_revoke_by_name_prefix_or_all(org):
    a = run("create", "alice", "--name", "a")
    b = run("create", "alice", "--name", "b")
    run("create", "alice", "--name", "c")
    assert "1 token" in run("revoke", "alice", "--name", "a")
    assert "1 token" in run("revoke", "alice", "--prefix", b[:8])
    assert "1 token" in run("revoke", "alice", "--all")
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert Client(headers={"Authorization": f"Bearer {a}"}).get("/api/v1/me").status_code == 401


def test_list_never_prints_secrets(org):
    raw = run("create", "alice", "--name", "a")
    listing = run("list", "alice")
    assert raw[:8] in listing and raw not in listing and "active" in listing


def test_unknown_user_and_nothing_to_revoke_are_errors(org):
    with pytest.raises(CommandError):
        run("create", "nobody", "--name", "x")
    with pytest.raises(CommandError):
        run("revoke", "alice", "--all")


def test_inactive_user_gets_no_token(org):
    org.alice.is_active = False
    org.alice.save()
    with pytest.raises(CommandError):
        run("create", "alice", "--name", "x")

"""`kehu check --deploy` with the production settings of README's Production section
reports no security warnings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "KEHU_SECRET_KEY": "x9Vq2mT7pL4wZ8rB1nK6cY3hJ5dF0sGaE-uR_oIiQ2tW7eP9lM",
    "KEHU_ALLOWED_HOSTS": "crm.example.com",
    "KEHU_CSRF_TRUSTED_ORIGINS": "https://crm.example.com",
    "KEHU_BEHIND_PROXY": "1",
    "KEHU_SECURE_COOKIES": "1",
    "KEHU_HSTS_PRELOAD": "1",
    "KEHU_DEBUG": "0",
}


def run_check(tmp_path, extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEHU_HOME": str(tmp_path), **extra}
    env.pop("KEHU_DATABASE_URL", None)
    # The browser tests' Playwright needs this in the test process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "kehu.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_check(tmp_path, PRODUCTION_ENV)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "security.W0" not in output, output
    assert "no issues" in output


@pytest.mark.slow
def test_development_defaults_are_flagged(tmp_path):
    # The check itself works: without the production settings it does warn.
    result = run_check(tmp_path, {})
    output = result.stdout + result.stderr
    assert "security.W004" in output  # no HSTS

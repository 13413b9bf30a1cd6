"""Where Kehu keeps its data does not depend on the current directory: KEHU_HOME, else the
checkout, else the per-user data directory; the commands that serve or migrate say which
database they use, on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kehu import settings as kehu_settings

CHECKOUT = Path(kehu_settings.__file__).resolve().parent.parent.parent


def run(args, *, cwd, **env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"KEHU_HOME", "KEHU_VAR_DIR"}}
    env.pop("KEHU_DATABASE_URL", None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


VAR_DIR = ["-c", "import kehu.settings as s; print(s.VAR_DIR)"]


@pytest.mark.slow
def test_another_directory_uses_the_checkout(tmp_path):
    result = run(VAR_DIR, cwd=tmp_path)
    assert result.stdout.strip() == str(CHECKOUT / "var")
    assert not (tmp_path / "var").exists()


@pytest.mark.slow
def test_kehu_home_and_relative_var_dir(tmp_path):
    assert run(VAR_DIR, cwd="/", KEHU_HOME=str(tmp_path)).stdout.strip() == str(tmp_path / "var")
    relative = run(VAR_DIR, cwd="/", KEHU_HOME=str(tmp_path), KEHU_VAR_DIR="data")
    assert relative.stdout.strip() == str(tmp_path / "data")


def test_installed_package_falls_back_to_user_data_dir(tmp_path, monkeypatch):
    site = tmp_path / "site-packages" / "kehu"
    site.mkdir(parents=True)
    monkeypatch.delenv("KEHU_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    home, source = kehu_settings._home(site)
    assert home == tmp_path / "xdg" / "kehu"
    assert source == "the per-user data directory"


def test_checkout_of_another_project_is_not_ours(tmp_path, monkeypatch):
    package = tmp_path / "src" / "kehu"
    package.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\n')
    assert kehu_settings._checkout_root(package) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "kehu"\n')
    assert kehu_settings._checkout_root(package) == tmp_path


@pytest.mark.slow
def test_migrate_names_the_database_on_stderr(tmp_path):
    migrate = run(["-m", "kehu.cli", "migrate", "-v", "0"], cwd="/", KEHU_HOME=str(tmp_path))
    assert migrate.returncode == 0, migrate.stderr
    assert f"Database: SQLite {tmp_path / 'var' / 'kehu.sqlite3'}" in migrate.stderr
    assert "Database:" not in migrate.stdout
    assert (tmp_path / "var" / "kehu.sqlite3").exists()
    check = run(["-m", "kehu.cli", "check"], cwd="/", KEHU_HOME=str(tmp_path))
    assert "Database:" not in check.stdout + check.stderr

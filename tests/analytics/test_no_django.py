"""kehu.analytics must never import Django (it runs in plain Python jobs and on Spark)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_no_module_of_kehu_analytics_imports_django():
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import kehu.analytics as pkg
        names = [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
        for name in names:
            importlib.import_module(name)
        bad = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
        print(len(names), bad[:5])
        sys.exit(1 if bad else 0)
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    count = int(proc.stdout.split()[0])
    assert count >= 8  # schema, io, clv, engines, value, lifecycle, pipeline, cli

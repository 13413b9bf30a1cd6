"""The one ``kehu`` command: Django management commands underneath.

``kehu worker`` runs the background worker (django-tasks-db's db_worker); ``kehu serve``
runs the development server; everything else is passed to manage.py unchanged.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": ["db_worker"], "serve": ["runserver"]}
# Commands that start serving or change the schema say which database they use: a wrong
# KEHU_HOME or KEHU_DATABASE_URL shows at once instead of as a mysteriously empty Kehu.
ANNOUNCE_DATABASE = {"runserver", "migrate", "db_worker"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehu.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args = ALIASES[args[0]] + args[1:]
    from django.core.management import execute_from_command_line

    if args and args[0] in ANNOUNCE_DATABASE:
        # On stderr, so machine-readable output on stdout stays clean.
        from kehu import settings

        print(f"Database: {settings.describe_database()}", file=sys.stderr, flush=True)
    execute_from_command_line(["kehu", *args])


if __name__ == "__main__":
    main()

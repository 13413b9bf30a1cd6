"""Gunicorn settings for `make run` and production: `gunicorn -c python:kehu.gunicorn_conf
kehu.wsgi` (bind with -b or GUNICORN_CMD_ARGS; workers with -w).

The application is loaded once in the master (preload) and the workers fork from it. The
duplicate matcher's libraries (Splink, DuckDB, pandas) take seconds to import, which the
first duplicate check on a new customer used to pay: the master imports them before it
forks (with every view the URLconf imports), and each worker builds its scorer in the
background as it starts. The scorer holds a
DuckDB connection, which must not cross a fork, hence per worker and not in the master.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from typing import Any

wsgi_app = "kehu.wsgi:application"
preload_app = True
workers = int(os.environ.get("KEHU_WEB_WORKERS", "2"))
# Exports and imports of large files stream for a while; the default 30 s is too short.
timeout = int(os.environ.get("KEHU_WEB_TIMEOUT", "120"))
accesslog = "-"


def on_starting(server: Any) -> None:
    from kehu import settings

    print(f"Database: {settings.describe_database()}", file=sys.stderr, flush=True)


def when_ready(server: Any) -> None:
    # Module imports only: nothing that starts threads or opens DuckDB before the fork. The
    # URLconf pulls in every view (and the analytics libraries behind them), which Django
    # would otherwise import on each worker's first request.
    from django.urls import get_resolver

    import kehu.analytics.quality.candidates  # noqa: F401
    import kehu.analytics.quality.dedupe  # noqa: F401

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf
    # Everything imported so far lives as long as the process: moved out of the collector's
    # reach, so that a worker's full collection no longer walks its ~470,000 objects. That
    # walk stalled one request in a few dozen by 150-250 ms (the search benchmark's p95 at
    # 1,000,000 customers); it also keeps the pages shared with the workers after the fork
    # (the Python docs' advice for fork without exec).
    gc.collect()
    gc.freeze()


def _warm_matcher() -> None:
    from kehu.quality import matcher

    try:
        finder = matcher.load_finder() or matcher.default_finder()
        finder.scorer()
    except Exception:  # a cold matcher is slower, not broken: the first check retries
        logging.getLogger("kehu.quality").exception("warming the duplicate matcher failed")


def post_fork(server: Any, worker: Any) -> None:
    threading.Thread(target=_warm_matcher, name="kehu-warm-matcher", daemon=True).start()

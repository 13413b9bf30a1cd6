"""The gunicorn master imports every view before it forks and then freezes what it holds,
so that a worker's full garbage collection no longer walks the imported objects (a stall of
150-250 ms in a few dozen requests, measured by bench/bench_search.py)."""

from __future__ import annotations

import gc

from kehu import gunicorn_conf


def test_when_ready_freezes_the_imported_objects():
    gc.unfreeze()
    try:
        gunicorn_conf.when_ready(server=None)
        assert gc.get_freeze_count() > 10_000
        # The collector's own generations start empty: nothing imported is left to walk.
        assert gc.get_count()[2] == 0
    finally:
        gc.unfreeze()

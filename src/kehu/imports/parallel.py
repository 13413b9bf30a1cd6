"""Row preparation in worker processes, for big customer and lead files on PostgreSQL.

Validating a row and computing its search keys (phone parsing, pinyin) is pure Python and
costs more than writing it; forked workers do that part while the main process looks up,
writes and commits, in file order. Workers only read the database (owner usernames), so
they are used only when the job's own rows are committed — never inside an outer
transaction (tests, web requests), where they could not see uncommitted data.

Back-pressure: at most ``ahead`` chunks are in flight — about three batches, so the
workers keep going through the parent's longest wait on the database (a batch's COPY and
commit) instead of idling once one batch is ready — and memory stays flat whatever the
size of the file.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connection, connections

from kehu.imports.bulk import match_key
from kehu.imports.rows import CLEANERS, RowInvalid

CHUNK = 2000
# Set in the parent just before the fork; the workers inherit it.
_STATE: dict[str, Any] = {}


def usable(workers: int) -> bool:
    return workers > 0 and connection.vendor == "postgresql" and not connection.in_atomic_block


def _prepare(chunk: list[list[str]]) -> list[tuple[Any, Any]]:
    """(cleaned data, None) or (None, problems) per row of the chunk. The cells are not sent
    back: the parent still has them."""
    cols, clean, ctx, writer = _STATE["cols"], _STATE["clean"], _STATE["ctx"], _STATE["writer"]
    out: list[tuple[Any, Any]] = []
    for cells in chunk:
        raw = {name: (cells[i] if i < len(cells) else "") for i, name in cols}
        try:
            out.append((clean(raw, ctx), None))
        except RowInvalid as exc:
            out.append((None, exc.problems))
    if not hasattr(writer, "prepare"):
        return out  # leads: nothing to prepare beyond the checks (kehu.imports.leads)
    # Rows that match a stored customer won't be inserted: don't compute their keys. This
    # is only a hint — the main process decides, and prepares any row it finds new.
    valid = [(i, data) for i, (data, problems) in enumerate(out) if problems is None]
    stored = writer._existing([data for _i, data in valid])
    for i, data in valid:
        if match_key(data)[1] not in stored:
            # All the parent needs to insert a new row; far less to pickle than the row.
            slim = {"_match": data["_match"], "_pre": writer.prepare(data), "_slim": True}
            if data.get("tags"):
                slim["tags"] = data["tags"]
            out[i] = (slim, None)
    return out


def prepared_rows(
    rows: Iterable[tuple[int, list[str]]],
    *,
    kind: str,
    cols: list[tuple[int, str]],
    ctx: Any,
    writer: Any,
    workers: int,
    ahead: int = 16,
) -> Iterator[tuple[int, list[str], Any, Any]]:
    """(row number, cells, cleaned data or raw cells, problems or None), in file order."""
    _STATE.update(cols=cols, clean=CLEANERS[kind], ctx=ctx, writer=writer)
    clean = CLEANERS[kind]

    def reclean(data: dict[str, Any]) -> dict[str, Any]:
        cells = data["_cells"]
        return clean({name: (cells[i] if i < len(cells) else "") for i, name in cols}, ctx)

    writer.reclean = reclean
    # The children must not share the parent's connection: each opens its own.
    connections.close_all()
    # Everything loaded so far (pinyin and phrase dictionaries, Django) lives as long as
    # the process: frozen, the collector stops walking it in every process, and the
    # children don't copy the pages it would have touched. And no collection at all while
    # rows stream through: they form no cycles, and each batch of them held alive made
    # the collector walk it again and again (49 → 30 s of the parent's CPU per million rows).
    gc.freeze()
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield from _pool_rows(iter(rows), workers, ahead)
    finally:
        if collecting:
            gc.enable()
        gc.unfreeze()


def _pool_rows(
    source: Iterator[tuple[int, list[str]]], workers: int, ahead: int
) -> Iterator[tuple[int, list[str], Any, Any]]:
    pending: deque = deque()
    with multiprocessing.get_context("fork").Pool(workers) as pool:

        def submit() -> bool:
            chunk = list(islice(source, CHUNK))
            if chunk:
                cells = [c for _n, c in chunk]
                pending.append((chunk, pool.apply_async(_prepare, (cells,))))
            return bool(chunk)

        for _ in range(ahead):
            if not submit():
                break
        while pending:
            chunk, result = pending.popleft()
            prepared = result.get()
            submit()
            for (number, cells), (data, problems) in zip(chunk, prepared, strict=True):
                if data is not None and data.get("_slim"):
                    data["_cells"] = cells
                yield number, cells, data, problems

"""A second connection for a batch's search keys (PostgreSQL, big customer imports).

A batch writes about six search-key rows per customer; on one connection their COPY is
half of the database's work for the batch, and the main connection waits for it. The lane
COPYs them on its own connection, in a thread, while the main connection writes the
customers; the main thread only waits for the lane at the end of the batch.

Atomicity: the lane's transaction commits just before the main one, after the main
connection has run its deferred constraint checks (``SET CONSTRAINTS ALL IMMEDIATE``), so
the main commit has nothing left that can fail but the server itself. Any failure before
that rolls the lane back. What remains — the server dying between the two commits —
leaves keys for customer ids that were never committed: nothing finds them (search joins
the customer table) and ids are never reused.

The lane is for the happy path of a real run: a dry run, a run inside an outer
transaction, or a batch retried row by row writes its keys on the main connection.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from django.db import connection, connections

from kehu.customers.models import SearchKey
from kehu.imports.pgcopy import KEY_COLUMNS, copy_sql

COPY_SQL = copy_sql(SearchKey._meta.db_table, KEY_COLUMNS)


class KeyLane:
    def __init__(self) -> None:
        self._inbox: queue.Queue[tuple[str, str]] = queue.Queue()
        self._outbox: queue.Queue[BaseException | None] = queue.Queue()
        self._pending = False  # a COPY was sent and not yet committed or rolled back
        self.enabled = True  # off for the rest of a batch that is retried row by row
        self._thread = threading.Thread(target=self._serve, name="kehu-key-lane", daemon=True)
        self._thread.start()
        started = self._outbox.get()  # connected, or why not
        if started is not None:
            self._thread.join()
            raise started

    @property
    def free(self) -> bool:
        return self.enabled and not self._pending

    # --- called from the importing thread --------------------------------------------
    def copy(self, text: str) -> None:
        """Start writing ``text`` (COPY rows); returns at once."""
        if not self.free:
            raise RuntimeError("the key lane is busy or off for this batch")
        self._pending = True
        self._inbox.put(("copy", text))

    def commit(self) -> None:
        """Before the main connection commits: its deferred checks first, then the keys."""
        self.enabled = True
        if not self._pending:
            return
        self._pending = False
        copied = self._outbox.get()
        try:
            if copied is not None:
                raise copied
            # A deferred check that fails must fail here, while the keys can still go.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        except BaseException:
            self._call("rollback")
            raise
        self._call("commit")

    def rollback(self, *, disable: bool = False) -> None:
        """Drop what the lane wrote for this batch; ``disable`` keeps it off until the
        batch ends (a batch retried row by row)."""
        if self._pending:
            self._pending = False
            self._outbox.get()  # the COPY's outcome no longer matters
            self._call("rollback")
        self.enabled = not disable

    def close(self) -> None:
        if self._pending:
            self.rollback()
        self._inbox.put(("stop", ""))
        self._thread.join()

    def _call(self, op: str) -> None:
        self._inbox.put((op, ""))
        problem = self._outbox.get()
        if problem is not None:
            raise problem

    # --- the lane's thread -------------------------------------------------------------
    def _serve(self) -> None:
        # Django gives each thread its own connection to the same database.
        conn = connections["default"]
        try:
            try:
                conn.ensure_connection()
            except BaseException as exc:
                self._outbox.put(exc)
                return
            self._outbox.put(None)
            raw: Any = conn.connection
            while True:
                op, text = self._inbox.get()
                if op == "stop":
                    return
                try:
                    self._do(conn, raw, op, text)
                    self._outbox.put(None)
                except BaseException as exc:  # handed to the importing thread
                    self._outbox.put(exc)
        finally:
            conn.close()

    @staticmethod
    def _do(conn: Any, raw: Any, op: str, text: str) -> None:
        # Driver errors become Django's (DatabaseError …), as on the main connection.
        with conn.wrap_database_errors:
            if op == "copy":
                raw.execute("BEGIN")
                # As the main connection: a crash loses the batch and its offset together,
                # and resuming redoes both.
                raw.execute("SET LOCAL synchronous_commit TO OFF")
                with raw.cursor().copy(COPY_SQL) as copy:
                    copy.write(text)
            elif op == "commit":
                raw.execute("COMMIT")
            else:
                raw.execute("ROLLBACK")

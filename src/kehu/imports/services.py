"""Writes for imports: create a job from a file, set its mapping, run it (dry or for real,
from the start or resumed), keep mappings. Keyword-only, typed; each batch is atomic.

A run reads the file as a stream of *units* — a row, or for orders every line of one order
number — validates each in Python, and hands batches of valid units to the kind's writer.
One transaction per batch stores the batch's records, its row errors, the counts and the
new offset together, so a process killed mid-run leaves the job exactly at a batch
boundary: ``resume`` skips the committed units and carries on; re-running from the start
is also safe because every writer is idempotent. (A big customer import on PostgreSQL
writes a batch's search keys on a second connection that commits with the batch; see
kehu.imports.lane.)
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.audit import acting_as
from kehu.imports import mapping as mapping_mod
from kehu.imports import parallel
from kehu.imports.bulk import CustomerWriter, Outcome
from kehu.imports.leads import LeadWriter
from kehu.imports.models import ImportJob, ImportRowError, Kind, SavedMapping
from kehu.imports.readers import Table, format_of, open_table
from kehu.imports.records import WRITERS
from kehu.imports.rows import CLEANERS, Context, RowInvalid

BATCH_SIZE = {"customers": 10_000, "leads": 10_000}
# Kinds whose rows may be validated in worker processes (kehu.imports.parallel).
PARALLEL_KINDS = {Kind.CUSTOMERS, Kind.LEADS}
DEFAULT_BATCH = 500
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Unit:
    """One thing to store: its rows [(row number, cells)], and the cleaned data or the
    problems per row number."""

    rows: list[tuple[int, list[str]]]
    data: Any = None
    problems: dict[int, list[tuple[str, str]]] | None = None

    @property
    def first(self) -> int:
        return self.rows[0][0]


class _DryRun(Exception):  # noqa: N818 — a control-flow signal, not an error
    def __init__(self, outcome: Outcome):
        self.outcome = outcome


def _require_importer(user: Any, kind: str = "") -> None:
    if not may_import(user, kind):
        raise PermissionDenied


def may_import(user: Any, kind: str = "") -> bool:
    """May ``user`` import files (of ``kind``)? Leads are sales work: their own action."""
    if not permissions.can(user, permissions.Action.IMPORT):
        return False
    return kind != Kind.LEADS or permissions.can(user, permissions.Action.IMPORT_LEADS)


def media_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_create(
    *,
    user: Any,
    kind: str,
    path: Path | str,
    original_name: str = "",
    copy: bool = True,
    source: str = "web",
) -> ImportJob:
    """A job for ``path``; with ``copy`` the file is kept under MEDIA_ROOT/imports so the job
    can be resumed after the upload's temporary file is gone. The CLI passes copy=False and
    keeps the path it was given."""
    _require_importer(user, kind)
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    path = Path(path)
    name = original_name or path.name
    file_format = format_of(name)
    # Limits first (kehu.imports.limits): a file beyond them is refused before it is copied
    # or a job remembers it.
    table = open_table(path, file_format=file_format)
    table.check()
    if copy:
        target = media_dir() / uuid.uuid4().hex / Path(name).name
        target.parent.mkdir(parents=True)
        shutil.copyfile(path, target)
        path = target
        table.path = target
    return ImportJob.objects.create(
        kind=kind,
        user=user,
        file_path=str(path.resolve()),
        original_name=name[:255],
        file_format=file_format,
        encoding=table.encoding,
        headers=table.headers,
        mapping=mapping_mod.auto_map(kind, table.headers),
        source=source,
    )


def job_set_mapping(*, job: ImportJob, mapping: dict[str, str], by: Any) -> list[str]:
    """Store the mapping for this job's headers; returns the problems (empty when usable)."""
    _require_importer(by, job.kind)
    _require_open(job)
    cleaned = {h: (mapping.get(h) or "") for h in job.headers}
    problems = mapping_mod.check_mapping(job.kind, cleaned)
    if cleaned != job.mapping:
        job.mapping = cleaned
        # A dry run checked the old mapping: it can't stand for the new one.
        job.status = ImportJob.Status.UPLOADED
        job.save(update_fields=["mapping", "status"])
    return problems


def job_is_open(job: ImportJob) -> bool:
    """A job can still be re-mapped and run until a real run has started: after that it is
    history (re-importing means uploading the file again, which is idempotent)."""
    return job.dry_run or job.status in {ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED}


def _require_open(job: ImportJob) -> None:
    if not job_is_open(job):
        raise ValueError(_("This import has run; upload the file again to import it again."))


@transaction.atomic
def mapping_save(
    *, user: Any, kind: str, name: str, mapping: dict[str, str], shared: bool = False
) -> SavedMapping:
    _require_importer(user, kind)
    saved, _created = SavedMapping.objects.update_or_create(
        kind=kind,
        name=name.strip()[:100],
        owner=user,
        defaults={"mapping": {h: f for h, f in mapping.items() if f}, "shared": shared},
    )
    return saved


def table_of(job: ImportJob) -> Table:
    return open_table(job.file_path, file_format=job.file_format)


def _units(
    job: ImportJob, table: Table, ctx: Context, writer: Any = None, workers: int = 0
) -> Iterator[Unit]:
    cols = mapping_mod.indices(table.headers, job.mapping)
    clean = CLEANERS[job.kind]

    def cleaned(number: int, cells: list[str]) -> tuple[Any, list | None]:
        raw = {name: (cells[i] if i < len(cells) else "") for i, name in cols}
        try:
            return clean(raw, ctx), None
        except RowInvalid as exc:
            return raw, exc.problems

    if job.kind in PARALLEL_KINDS and parallel.usable(workers):
        for number, cells, data, problems in parallel.prepared_rows(
            table.rows(), kind=job.kind, cols=cols, ctx=ctx, writer=writer, workers=workers
        ):
            if problems:
                yield Unit([(number, cells)], None, {number: problems})
            else:
                yield Unit([(number, cells)], data)
        return
    if job.kind != Kind.ORDERS:
        for number, cells in table.rows():
            data, problems = cleaned(number, cells)
            if problems:
                yield Unit([(number, cells)], None, {number: problems})
            else:
                yield Unit([(number, cells)], data)
        return
    yield from _order_units(table, cleaned)


def _order_units(table: Table, cleaned) -> Iterator[Unit]:
    """Lines grouped by order number, in order of first appearance. An order file is held in
    memory to group lines that are not adjacent; an order with one bad line is rejected as a
    whole (its good lines are reported too) so it is never stored incomplete."""
    groups: dict[str, list[tuple[int, list[str], Any, list | None]]] = {}
    for number, cells in table.rows():
        data, problems = cleaned(number, cells)
        # Invalid lines still join their order (by the raw cell) so it is rejected whole.
        key = data.get("order_number") or f"\0row{number}"
        groups.setdefault(key, []).append((number, cells, data, problems))
    for lines in groups.values():
        rows = [(n, cells) for n, cells, _d, _p in lines]
        problems = {n: p for n, _c, _d, p in lines if p}
        head = lines[0][2]
        for n, _c, d, p in lines[1:]:
            if not p and not lines[0][3]:
                for name in ("customer", "date"):
                    if d[name] != head[name]:
                        problems.setdefault(n, []).append(
                            (
                                name,
                                _("Differs from row %(row)d of the same order.")
                                % {"row": lines[0][0]},
                            )
                        )
        if problems:
            for n, _c, _d, _p in lines:
                problems.setdefault(
                    n,
                    [
                        (
                            "order_number",
                            _(
                                "Another line of this order has errors; fix it and import the order "
                                "again."
                            ),
                        )
                    ],
                )
            yield Unit(rows, None, problems)
        else:
            yield Unit(rows, {"order": head, "lines": [d for _n, _c, d, _p in lines]})


def _batches(units: Iterator[Unit], size: int) -> Iterator[list[Unit]]:
    batch: list[Unit] = []
    for unit in units:
        batch.append(unit)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _writer(job: ImportJob, ctx: Context):
    if job.kind == Kind.CUSTOMERS:
        return CustomerWriter(ctx=ctx, job_id=job.pk)
    if job.kind == Kind.LEADS:
        return LeadWriter(ctx=ctx, job_id=job.pk)
    return WRITERS[job.kind](ctx=ctx, job_id=job.pk)


def _write(writer, batch: list[Unit], dry_run: bool) -> Outcome:
    """Write the valid units of a batch in a savepoint; a dry run rolls it back. When the
    database refuses the batch, each unit is retried alone so only the culprit fails."""
    items = [(u.first, u.data) for u in batch]
    try:
        with transaction.atomic():
            outcome = writer.write(items)
            if dry_run:
                raise _DryRun(outcome)
        return outcome
    except _DryRun as signal:
        return signal.outcome
    except DatabaseError:
        if len(batch) == 1:
            raise
    lane = getattr(writer, "lane", None)
    if lane is not None:
        # The failed attempt's keys go; the rows retried one by one write theirs on the
        # main connection, in their own savepoints.
        lane.rollback(disable=True)
    total = Outcome()
    for index, unit in enumerate(batch):
        try:
            one = _write(writer, [unit], dry_run)
        except DatabaseError as exc:
            total.failures.append(
                (
                    index,
                    [
                        (
                            "",
                            _("The database refused this row: %(e)s")
                            % {"e": str(exc).strip()[:300]},
                        )
                    ],
                )
            )
            continue
        total.created += one.created
        total.updated += one.updated
        total.unchanged += one.unchanged
        total.failures.extend((index, problems) for _i, problems in one.failures)
    return total


def _problem_dicts(job: ImportJob, problems: list[tuple[str, str]]) -> list[dict[str, str]]:
    columns = {f: h for h, f in job.mapping.items() if f}
    # A reason may quote the cell: cut it, so no error row grows with the file's cells.
    return [
        {"field": f, "column": columns.get(f, ""), "reason": _short(str(r))} for f, r in problems
    ]


def _short(text: str, limit: int = 500) -> str:
    text = _storable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _storable(text: str) -> str:
    """A refused cell kept for the error file: PostgreSQL's JSON can't hold NUL, so it is
    shown as ␀ (the row was refused for it)."""
    return text.replace("\x00", "\u2400") if "\x00" in text else text


def job_run(
    *,
    job: ImportJob,
    by: Any,
    dry_run: bool = False,
    resume: bool = False,
    batch_size: int | None = None,
    progress: Progress | None = None,
    after_batch: Callable[[ImportJob], None] | None = None,
    workers: int = 0,
) -> ImportJob:
    """Run ``job``. ``resume`` continues an interrupted real run after its last committed
    batch; otherwise the job starts over (its earlier errors and counts are cleared).
    ``workers`` > 0 validates customer and lead rows in that many processes (PostgreSQL,
    outside any transaction; see kehu.imports.parallel)."""
    _require_importer(by, job.kind)
    problems = mapping_mod.check_mapping(job.kind, job.mapping)
    if problems:
        raise ValueError("; ".join(problems))
    _start(job, dry_run=dry_run, resume=resume)
    ctx = Context(user=by)
    size = batch_size or BATCH_SIZE.get(job.kind, DEFAULT_BATCH)
    writer = None
    try:
        table = table_of(job)
        writer = _writer(job, ctx)
        if job.kind == Kind.CUSTOMERS and not dry_run and parallel.usable(workers):
            writer.lane_wanted = True
        with acting_as(by, "import"):
            _run(job, table, ctx, writer, dry_run, size, progress, after_batch, workers)
    except (DatabaseError, OSError, ValueError) as exc:
        job.status = ImportJob.Status.FAILED
        job.message = str(exc)[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        raise
    finally:
        lane = getattr(writer, "lane", None)
        if lane is not None:
            lane.close()
    job.status = ImportJob.Status.CHECKED if dry_run else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


def _start(job: ImportJob, *, dry_run: bool, resume: bool) -> None:
    """Mark the job running, atomically: the state the caller saw is checked by the UPDATE
    itself, so of two requests racing (a double-clicked Import) exactly one starts the run
    and the other is told it is already running or done — never two runs adding to the
    same counts."""
    Status = ImportJob.Status
    now = timezone.now()
    jobs = ImportJob.objects.filter(pk=job.pk)
    with transaction.atomic():
        if resume:
            if not jobs.filter(dry_run=False, status__in=[Status.RUNNING, Status.FAILED]).update(
                status=Status.RUNNING, started_at=now, finished_at=None, message=""
            ):
                raise ValueError(_("Only an interrupted import can be resumed."))
        else:
            # Open: never run for real (uploaded, or after a dry run). A dry run may also
            # replace one that died (left running); a real run may not start while
            # anything else runs.
            stale = [Status.FAILED, Status.RUNNING] if dry_run else [Status.FAILED]
            open_now = jobs.filter(
                Q(status__in=[Status.UPLOADED, Status.CHECKED]) | Q(dry_run=True, status__in=stale)
            )
            if not open_now.update(
                status=Status.RUNNING,
                dry_run=dry_run,
                started_at=now,
                finished_at=None,
                message="",
                committed_units=0,
                created=0,
                updated=0,
                unchanged=0,
                failed=0,
                total_rows=0,
            ):
                raise ValueError(_("This import is already running or has run."))
            job.row_errors.all().delete()
    job.refresh_from_db()


def _run(job, table, ctx, writer, dry_run, size, progress, after_batch, workers) -> None:
    units = _units(job, table, ctx, writer, workers)
    skipped_rows = 0
    for _i in range(job.committed_units):
        unit = next(units, None)
        if unit is None:
            break
        skipped_rows += len(unit.rows)
        if unit.data is not None and job.kind in PARALLEL_KINDS:
            writer.remember(unit.first, unit.data)
    rows_done = job.total_rows or skipped_rows
    for batch in _batches(units, size):
        rows_done = _commit_batch(job, writer, batch, dry_run, rows_done)
        if progress:
            progress(job.committed_units, rows_done)
        if after_batch:
            after_batch(job)


def _commit_batch(job: ImportJob, writer: Any, batch: list[Unit], dry_run: bool, rows: int) -> int:
    """Store one batch — its records, row errors, counts and offset — in one transaction;
    returns the rows done so far."""
    valid = [u for u in batch if u.problems is None]

    def error(number: int, cells: list[str], problems: list[tuple[str, str]]) -> ImportRowError:
        return ImportRowError(
            job=job,
            row_number=number,
            values=[_storable(c) for c in cells],
            problems=_problem_dicts(job, problems),
        )

    errors = [
        error(number, cells, unit.problems[number])
        for unit in batch
        if unit.problems
        for number, cells in unit.rows
        if number in unit.problems
    ]
    with transaction.atomic(), _lane_batch(writer):
        _relax_commit()
        outcome = _write(writer, valid, dry_run) if valid else Outcome()
        errors.extend(
            error(number, cells, problems)
            for index, problems in outcome.failures
            for number, cells in valid[index].rows
        )
        ImportRowError.objects.bulk_create(errors, batch_size=1000)
        job.created += outcome.created
        job.updated += outcome.updated
        job.unchanged += outcome.unchanged
        job.failed += len(batch) - len(valid) + len(outcome.failures)
        job.committed_units += len(batch)
        rows += sum(len(u.rows) for u in batch)
        job.total_rows = rows
        job.save(
            update_fields=[
                "created",
                "updated",
                "unchanged",
                "failed",
                "committed_units",
                "total_rows",
            ]
        )
    return rows


@contextmanager
def _lane_batch(writer: Any) -> Iterator[None]:
    """Inside the batch's transaction: the writer's key lane, if it started one (see
    kehu.imports.lane), commits as the block ends well and rolls back when it doesn't."""
    try:
        yield
    except BaseException:
        if getattr(writer, "lane", None) is not None:
            writer.lane.rollback()
        raise
    if getattr(writer, "lane", None) is not None:
        writer.lane.commit()


def _relax_commit() -> None:
    """Don't wait for the WAL flush at each batch commit (PostgreSQL, this transaction only).
    Safe here: a batch's rows and the job's offset commit together, so a server crash loses
    both at once and a resume simply redoes that batch."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")

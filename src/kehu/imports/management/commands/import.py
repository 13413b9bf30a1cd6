"""``kehu import KIND FILE [--dry-run] [--mapping FILE] [--resume JOB]``.

The module is called ``import``: Python only forbids that name in ``import`` statements;
Django loads commands with importlib, which takes it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.imports import mapping as mapping_mod
from kehu.imports import selectors, services
from kehu.imports.models import ImportJob, Kind


class Command(BaseCommand):
    help = "Import customers, relations, orders, invoices, payments, interactions or leads."
    # Data loading needs the models, not the URL/template checks a half-configured site
    # may fail.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Kind.values)
        parser.add_argument("file", nargs="?", help="CSV or XLSX file (not needed with --resume)")
        parser.add_argument("--user", help="username of the importing user (required)")
        parser.add_argument("--dry-run", action="store_true", help="check only, store nothing")
        parser.add_argument("--mapping", help='JSON file {"column header": "field", ...}')
        parser.add_argument("--resume", type=int, metavar="JOB", help="continue job JOB")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--errors", help="write the rejected rows to this .csv/.xlsx file")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes validating customer and lead rows (PostgreSQL); 0 = in this process",
        )

    def handle(self, *args, **opts):
        user = self._user(opts["user"])
        if opts["resume"]:
            job = ImportJob.objects.filter(pk=opts["resume"], user=user, kind=opts["kind"]).first()
            if job is None:
                raise CommandError(f"no {opts['kind']} import #{opts['resume']} of {user}")
        else:
            if not opts["file"]:
                raise CommandError("FILE is required (or --resume JOB)")
            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                job = services.job_create(
                    user=user, kind=opts["kind"], path=path, copy=False, source="cli"
                )
            except ValueError as exc:  # refused by the limits, or unreadable
                raise CommandError(f"{path}: {exc}") from None
            except PermissionDenied:
                raise CommandError(
                    f"{user.username} may not import {opts['kind']} (their role does not allow it)"
                ) from None
        if opts["mapping"]:
            saved = mapping_mod.load_mapping_file(opts["mapping"])
            merged = mapping_mod.merge_mapping(job.kind, job.headers, saved)
            problems = services.job_set_mapping(job=job, mapping=merged, by=user)
        else:
            problems = mapping_mod.check_mapping(job.kind, job.mapping)
        self.stderr.write(
            f"job #{job.pk} · {job.original_name} · {job.encoding or job.file_format}"
        )
        self.stderr.write(
            "mapping: "
            + json.dumps({h: f for h, f in job.mapping.items() if f}, ensure_ascii=False)
        )
        if problems:
            raise CommandError("; ".join(problems))
        try:
            self._run(job, user, opts)
        except KeyboardInterrupt:
            raise CommandError(
                f"interrupted; continue with: kehu import {job.kind} --user {user.username} "
                f"--resume {job.pk}"
            ) from None
        job.refresh_from_db()
        summary = {
            "job": job.pk,
            "status": job.status,
            "dry_run": job.dry_run,
            "rows": job.total_rows,
            **job.counts,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if opts["errors"] and job.failed:
            fmt = "xlsx" if opts["errors"].lower().endswith(".xlsx") else "csv"
            content, _type, _name = selectors.error_file(job, fmt)
            Path(opts["errors"]).write_bytes(content)
            self.stderr.write(f"{job.failed} rejected, written to {opts['errors']}")
        elif job.failed:
            for err in selectors.error_rows(job)[:20]:
                self.stderr.write(f"row {err.row_number}: {selectors.describe(err.problems)}")

    def _user(self, username):
        if not username:
            raise CommandError("--user USERNAME is required: imports are done as someone")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if not permissions.can(user, Action.CHANGE):
            raise CommandError(f"{username} may not import (needs a role that can edit)")
        return user

    def _run(self, job, user, opts):
        kwargs = {
            "job": job,
            "by": user,
            "dry_run": opts["dry_run"],
            "resume": bool(opts["resume"]),
            "batch_size": opts["batch_size"],
            "workers": opts["workers"],
        }
        if opts["no_progress"]:
            services.job_run(**kwargs)
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        total = services.table_of(job).count_rows()
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, transient=False) as bar:
            task = bar.add_task(f"{job.kind}", total=total, completed=job.total_rows)
            services.job_run(
                **kwargs, progress=lambda _units, rows: bar.update(task, completed=rows)
            )

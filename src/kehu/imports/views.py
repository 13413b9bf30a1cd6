"""Import pages: history and upload, then one page per job that walks through preview →
mapping → dry run → commit, and the error file download.

Dry runs and commits run inside the request: files up to the upload limit take seconds to
a minute; bigger ones belong to ``kehu import`` on the command line.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.params import int_param
from kehu.imports import mapping as mapping_mod
from kehu.imports import selectors, services
from kehu.imports.forms import MappingForm, UploadForm
from kehu.imports.limits import FileRefused
from kehu.imports.models import ImportJob
from kehu.imports.readers import UnreadableFile

ERRORS_SHOWN = 200


def _require_importer(request: HttpRequest) -> None:
    if not permissions.can(request.user, permissions.Action.IMPORT):
        raise PermissionDenied


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(selectors.jobs_for(request.user), pk=pk)


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    jobs = selectors.jobs_for(request.user)[:100]
    return render(
        request, "imports/list.html", {"jobs": jobs, "form": UploadForm(user=request.user)}
    )


@login_required
@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        jobs = selectors.jobs_for(request.user)[:100]
        return render(request, "imports/list.html", {"jobs": jobs, "form": form}, status=400)
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        try:
            job = services.job_create(
                user=request.user,
                kind=form.cleaned_data["kind"],
                path=path,
                original_name=upload.name,
            )
        except FileRefused as exc:
            form.add_error("file", str(exc))
            jobs = selectors.jobs_for(request.user)[:100]
            return render(request, "imports/list.html", {"jobs": jobs, "form": form}, status=400)
        except (UnreadableFile, UnicodeError, ValueError):
            form.add_error("file", _("This file can't be read as CSV or XLSX."))
            jobs = selectors.jobs_for(request.user)[:100]
            return render(request, "imports/list.html", {"jobs": jobs, "form": form}, status=400)
    return redirect("imports:detail", pk=job.pk)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    job = _job(request, pk)
    mine = job.user_id == request.user.pk
    saved = selectors.mappings_for(request.user, job.kind)
    problems: list[str] = []
    initial = job.mapping
    if request.method == "POST":
        if not mine:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in {"commit", "resume"} and not services.job_is_open(job):
            messages.error(request, _("This import has run; upload the file again."))
            return redirect("imports:detail", pk=job.pk)
        if action == "apply_saved":
            chosen = saved.filter(pk=int_param(request.POST, "saved") or 0).first()
            if chosen is not None:
                merged = mapping_mod.merge_mapping(job.kind, job.headers, chosen.mapping)
                services.job_set_mapping(job=job, mapping=merged, by=request.user)
            return redirect("imports:detail", pk=job.pk)
        if action in {"commit", "resume"}:
            return _commit(request, job, resume=action == "resume")
        form = MappingForm(request.POST, kind=job.kind, headers=job.headers, mapping=job.mapping)
        if form.is_valid():
            new_mapping = form.mapping()
            problems = services.job_set_mapping(job=job, mapping=new_mapping, by=request.user)
            if form.cleaned_data["save_as"]:
                services.mapping_save(
                    user=request.user,
                    kind=job.kind,
                    name=form.cleaned_data["save_as"],
                    mapping=new_mapping,
                    shared=form.cleaned_data["shared"],
                )
                messages.success(request, _("Mapping saved."))
            if not problems and action == "dry_run":
                try:
                    services.job_run(job=job, by=request.user, dry_run=True)
                except (OSError, ValueError) as exc:
                    problems = [str(exc)]
                else:
                    return redirect("imports:detail", pk=job.pk)
            if not problems:
                return redirect("imports:detail", pk=job.pk)
            initial = new_mapping
    else:
        problems = mapping_mod.check_mapping(job.kind, job.mapping)
    form = MappingForm(kind=job.kind, headers=job.headers, mapping=initial)
    errors = list(selectors.error_rows(job)[:ERRORS_SHOWN])
    context = {
        "job": job,
        "mine": mine,
        "form": form,
        "problems": problems,
        "preview": _preview(job),
        "saved": saved,
        "errors": [(e, e.problems) for e in errors],
        "errors_more": job.failed > len(errors),
        "editable": mine and services.job_is_open(job),
        "can_commit": mine and job.status == ImportJob.Status.CHECKED and not problems,
        "can_resume": job.status in {ImportJob.Status.RUNNING, ImportJob.Status.FAILED}
        and not job.dry_run,
    }
    return render(request, "imports/detail.html", context)


def _preview(job: ImportJob) -> list[tuple[int, list[str]]]:
    # The stored file can be gone (cleaned up, CLI path moved): the history stays viewable.
    try:
        return selectors.preview(job)
    except (OSError, UnreadableFile, UnicodeError, csv.Error, FileRefused):
        return []


def _commit(request: HttpRequest, job: ImportJob, *, resume: bool) -> HttpResponse:
    """Import (after a dry run) or resume (after an interruption): which one the button
    said, so a second click on Import while the first still runs is refused by the
    service instead of being taken for a resume."""
    if not resume and job.status != ImportJob.Status.CHECKED:
        if job.status in {ImportJob.Status.RUNNING, ImportJob.Status.DONE} and not job.dry_run:
            messages.error(request, _("This import is already running or has run."))
        else:
            messages.error(request, _("Do a dry run first."))
        return redirect("imports:detail", pk=job.pk)
    try:
        services.job_run(job=job, by=request.user, resume=resume)
    except (OSError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Imported: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged, %(failed)d failed."
            )
            % job.counts,
        )
    return redirect("imports:detail", pk=job.pk)


@login_required
def import_errors(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _require_importer(request)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    job = _job(request, pk)
    content, content_type, name = selectors.error_file(job, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""The import page (Đ11.5): an organisation's staff send a CSV or XLSX file of reports and watch it come in.

The file is read strictly when it is sent (refused naming the line, nothing written); the worker imports it
(intake.tasks.import_job_run) and the page polls its progress every 2 seconds with htmx until it is finished.
Without JavaScript the page has a refresh link. Jobs are fetched through the permission scope: another
organisation's import is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.audit.services import AuditContext
from phoihop.core.errors import DomainError
from phoihop.core.permissions import scope

from ..imports import MAX_BYTES, MAX_ROWS
from ..imports.jobs import import_job_create, import_job_errors_csv, may_import
from ..models import ImportJob

POLL_SECONDS = 2
RECENT_JOBS = 10


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of reports (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.json"}),
        error_messages={"required": _("Choose the file to import.")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_reports(request):
    """Send a file; the page of its import follows."""
    if not may_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is too large: at most %(size)s.") % {"size": filesizeformat(MAX_BYTES)})
        else:
            try:
                job = import_job_create(
                    user=request.user,
                    file_name=upload.name or "file",
                    content=upload.read(),
                    ctx=AuditContext.from_request(request),
                )
            except DomainError as exc:
                form.add_error("file", str(exc.message))
            else:
                return redirect("intake:import_job", job_id=job.pk)
    jobs = scope(request.user, ImportJob).order_by("-created_at").defer("content", "errors")[:RECENT_JOBS]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "intake/import.html",
        {"form": form, "jobs": jobs, "max_size": MAX_BYTES, "max_rows": MAX_ROWS},
        status=status,
    )


def _job_or_404(user, job_id: int) -> ImportJob:
    job = scope(user, ImportJob).defer("content").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@never_cache
@login_required
@require_GET
def import_job(request, job_id: int):
    """One import: its progress while the worker runs it, then its result."""
    job = _job_or_404(request.user, job_id)
    return render(request, "intake/import_job.html", {"job": job, "poll_seconds": POLL_SECONDS})


@never_cache
@login_required
@require_GET
def import_job_progress(request, job_id: int):
    """htmx partial: the progress block, polled every POLL_SECONDS until the import is finished."""
    job = _job_or_404(request.user, job_id)
    return render(request, "intake/partials/import_progress.html", {"job": job, "poll_seconds": POLL_SECONDS})


@login_required
@require_GET
def import_job_errors(request, job_id: int):
    """The refused rows as a CSV file (row, field, problem)."""
    job = _job_or_404(request.user, job_id)
    response = HttpResponse(import_job_errors_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response

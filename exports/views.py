"""Browser pages of the CTDC export: the page, direct downloads and background runs.

Only the secretariat and administrators reach any of them; anyone else gets 404 (SPEC 1:
never a hint that something exists). Every download is audited.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctms.request_context import client_ip

from . import writers
from .ctdc import COLUMN_NAMES, QUASI_IDENTIFIERS, ExportSummary, ctdc_row_chunks
from .models import ExportRun
from .policies import can_export_ctdc
from .selectors import ctdc_pair_count, export_runs_visible_to
from .services import ctdc_write, export_audit, export_run_create, kept_when_done
from .summary import kept_summary
from .tasks import start_summary_count

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_exporter(request: HttpRequest) -> None:
    if not can_export_ctdc(request.user):
        raise Http404


def _attachment_name(fmt: str) -> str:
    return f"ctdc-{timezone.localtime():%Y%m%d-%H%M%S}.{fmt}"


@login_required
@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    _require_exporter(request)
    runs = export_runs_visible_to(request.user)[:10]
    context = {
        "runs": runs,
        "kept": kept_summary(start_summary_count),
        "k": settings.CTDC_K_ANONYMITY,
        "quasi_identifiers": QUASI_IDENTIFIERS,
        "column_count": len(COLUMN_NAMES),
        "direct_max": settings.CTDC_DIRECT_MAX_ROWS,
    }
    return render(request, "exports/page.html", context)


@login_required
@require_GET
def export_summary(request: HttpRequest) -> HttpResponse:
    """The counts (rows exported and suppressed) as kept, with their age: polled by htmx while
    they are being counted in the background. Nothing is counted here (exports.summary)."""
    _require_exporter(request)
    return render(request, "exports/_summary.html", {"kept": kept_summary(start_summary_count)})


def _too_large_to_send_at_once(request: HttpRequest) -> bool:
    """A download must finish within the web server's timeout: beyond the direct limit the
    export is prepared by a background task (the page says so)."""
    if ctdc_pair_count() <= settings.CTDC_DIRECT_MAX_ROWS:
        return False
    messages.info(request, _("This export is large: prepare it in the background below."))
    return True


@login_required
@require_GET
def download_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The CSV streamed from a server-side cursor as it is read: memory stays flat."""
    _require_exporter(request)
    if _too_large_to_send_at_once(request):
        return redirect("exports:page")
    export_audit(
        user=request.user, fmt="csv", channel="web", ip_address=client_ip(request)
    )
    summary = ExportSummary(k=settings.CTDC_K_ANONYMITY)
    chunks = kept_when_done(ctdc_row_chunks(summary), summary)
    body = writers.csv_text_chunks(COLUMN_NAMES, chunks)
    response = StreamingHttpResponse(body, content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_attachment_name("csv")}"'
    return response


@login_required
@require_GET
def download_xlsx(request: HttpRequest) -> HttpResponse:
    """The XLSX built at once into a temporary file, then sent."""
    _require_exporter(request)
    if _too_large_to_send_at_once(request):
        return redirect("exports:page")
    export_audit(
        user=request.user, fmt="xlsx", channel="web", ip_address=client_ip(request)
    )
    # The file is unlinked as soon as it is closed, i.e. when the response has been sent.
    workbook = tempfile.NamedTemporaryFile(suffix=".xlsx")
    ctdc_write(Path(workbook.name), fmt="xlsx")
    workbook.seek(0)
    return FileResponse(
        workbook, as_attachment=True, filename=_attachment_name("xlsx"), content_type=XLSX_TYPE
    )


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    _require_exporter(request)
    fmt = request.POST.get("format", "")
    if fmt not in ExportRun.Format.values:
        messages.error(request, _("Choose CSV or XLSX."))
        return redirect("exports:page")
    run = export_run_create(user=request.user, fmt=fmt, ip_address=client_ip(request))
    return redirect("exports:run", run_id=run.pk)


def _visible_run(request: HttpRequest, run_id) -> ExportRun:
    _require_exporter(request)
    return get_object_or_404(export_runs_visible_to(request.user), pk=run_id)


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id) -> HttpResponse:
    run = _visible_run(request, run_id)
    template = (
        "exports/_run_status.html" if request.headers.get("HX-Request") else "exports/run.html"
    )
    return render(request, template, {"run": run})


@login_required
@require_GET
def run_download(request: HttpRequest, run_id) -> FileResponse:
    run = _visible_run(request, run_id)
    if run.status != ExportRun.Status.DONE or not run.file:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / run.file
    if not path.is_file():
        raise Http404
    export_audit(
        user=request.user,
        fmt=run.format,
        channel="web",
        ip_address=client_ip(request),
        run=str(run.pk),
        rows=run.rows_written,
    )
    content_type = XLSX_TYPE if run.format == ExportRun.Format.XLSX else CSV_TYPE
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=run.filename, content_type=content_type
    )

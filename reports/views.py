"""Browser pages of the statistics report: ask for a period, follow a run, download its files,
and the dashboard of this quarter against the same quarter a year before. Secretariat and
administrators only; anyone else gets a 404, never a hint that the page exists."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_http_methods

from ctms.labels import place_name

from .dashboard import (
    POLL_SECONDS,
    POLL_TRIES,
    build_failed,
    dashboard_entry,
    drawn_sections,
)
from .documents import CONTENT_TYPES, section_rows
from .forms import DashboardForm, ReportRequestForm
from .models import ReportRun
from .periods import quarters_between
from .policies import can_use_reports
from .selectors import first_record_date, report_runs_visible_to
from .sentences import sentences
from .services import report_download, report_request, report_retry
from .tasks import start_dashboard_refresh
from .wording import SECTIONS, tr

# The first record's date, for the quarters the dashboard offers: looked up once a day.
FIRST_DATE_CACHE_SECONDS = 24 * 3600


def _require_reports(request: HttpRequest) -> None:
    if not can_use_reports(request.user):
        raise Http404


def _run(request: HttpRequest, pk) -> ReportRun:
    _require_reports(request)
    return get_object_or_404(report_runs_visible_to(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """Ask for a period; the runs asked for so far."""
    _require_reports(request)
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = report_request(user=request.user, period=form.cleaned_data["period"])
        except ValidationError as error:
            form.add_error("period", error)
        else:
            return redirect("reports:detail", pk=run.pk)
    runs = report_runs_visible_to(request.user).select_related("created_by")[:50]
    return render(request, "reports/report_list.html", {"form": form, "runs": runs})


@login_required
@require_GET
def report_detail(request: HttpRequest, pk) -> HttpResponse:
    run = _run(request, pk)
    return render(request, "reports/report_detail.html", _run_context(run))


@login_required
@require_http_methods(["POST"])
def report_retry_view(request: HttpRequest, pk) -> HttpResponse:
    """Run a failed report again."""
    run = _run(request, pk)
    try:
        report_retry(user=request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:detail", pk=run.pk)


@login_required
@require_GET
def report_status(request: HttpRequest, pk) -> HttpResponse:
    """The run's progress fragment, polled by htmx every second until the run finishes."""
    run = _run(request, pk)
    return render(request, "reports/_run_status.html", _run_context(run))


def _run_context(run: ReportRun) -> dict:
    language = translation.get_language() or "en"
    language = "km" if language.startswith("km") else "en"
    context = {"run": run, "downloads": _downloads(run)}
    if run.status == ReportRun.Status.DONE and run.changes:
        report = run.as_report()
        context["sections"] = [
            {
                "title": tr(title, language),
                "sentences": sentences(report, language)[section],
                "rows": section_rows(report, section, language),
            }
            for section, title in SECTIONS.items()
        ]
    return context


def _downloads(run: ReportRun) -> list[tuple[str, str, str]]:
    """(key, format, language) of the files of a done run, PDF first."""
    if run.status != ReportRun.Status.DONE:
        return []
    order = {"pdf": 0, "xlsx": 1, "csv": 2}
    keys = sorted(run.files, key=lambda key: (order.get(key.split("_")[0], 9), key))
    return [(key, *key.split("_", 1)) for key in keys]


@login_required
@require_GET
def report_file(request: HttpRequest, pk, key: str) -> FileResponse:
    """Stream one file of a done run; every download is audited."""
    run = _run(request, pk)
    path = report_download(user=request.user, run=run, key=key, channel="web")
    if path is None:
        raise Http404
    file_format = key.split("_")[0]
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=path.name,
        content_type=CONTENT_TYPES[file_format],
    )


def _dashboard_quarters(today) -> list:
    """The quarters the dashboard offers, newest first (the first record's date, cached for
    the day: six index probes)."""
    key = f"reports:dashboard:first:{today.isoformat()}"
    first = cache.get(key)
    if first is None:
        first = first_record_date() or today
        cache.set(key, first, FIRST_DATE_CACHE_SECONDS)
    return quarters_between(first, today)


def _dashboard_choice(request: HttpRequest):
    """The form of the dashboard's choice, read from the query (a choice not offered: invalid)."""
    _require_reports(request)
    today = timezone.localdate()
    return DashboardForm(request.GET, quarters=_dashboard_quarters(today)), today


def _figures_context(request: HttpRequest, period, province: str) -> dict:
    """The figures part of the dashboard (templates/reports/_dashboard_figures.html): the drawn
    sections of the kept entry; else a placeholder that polls the figures fragment while the
    entry is built in the background, or says the build failed or is late. Never a build."""
    language = "km" if (translation.get_language() or "").startswith("km") else "en"
    query = {"period": period.label, "province": province}
    try:
        tries = max(0, min(int(request.GET.get("tries", "0")), POLL_TRIES))
    except ValueError:
        tries = 0
    province_name = place_name(province) if province else ""
    context = {
        "choice_label": period.label,
        "province_name": province_name,
        "page_url": f"{reverse('reports:dashboard')}?{urlencode(query)}",
        "poll_seconds": POLL_SECONDS,
    }
    entry = dashboard_entry(period, province, start_dashboard_refresh)
    if entry is not None:
        return {
            **context,
            "state": "ready",
            "built_at": dt.datetime.fromtimestamp(entry["built_at"], tz=dt.UTC),
            "sections": drawn_sections(entry, period, province, language),
        }
    if build_failed(period, province):
        return {**context, "state": "failed"}
    if tries >= POLL_TRIES:
        return {**context, "state": "late"}
    poll = urlencode({**query, "tries": tries + 1})
    return {**context, "state": "preparing", "poll_url": f"{reverse('reports:figures')}?{poll}"}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """A quarter (this one so far by default) against the same quarter a year before, for the
    country or one province: aggregates only, no names. The charts are HTML and SVG drawn by
    a template from the figures (reports.charts), once per figures and language; the figures
    are kept in the cache and built in the background when missing or stale
    (reports.dashboard): a choice not kept yet shows a placeholder that polls `figures`."""
    form, today = _dashboard_choice(request)
    if not form.is_valid():
        chosen = {f"chosen_{name}": form.data.get(name, "") for name in ("period", "province")}
        return render(request, "reports/dashboard.html", {"form": form, **chosen}, status=400)
    period, province = form.cleaned_data["period"], form.cleaned_data["province"]
    context = {
        "form": form,
        "chosen_period": period.label,
        "chosen_province": province,
        "period": period,
        "previous": period.previous(),
        "so_far": period.end >= today,
        **_figures_context(request, period, province),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def dashboard_figures(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures fragment, polled by the placeholder (htmx) every POLL_SECONDS
    until the choice's entry is built: the drawn sections then, the placeholder before."""
    form, _today = _dashboard_choice(request)
    if not form.is_valid():
        return HttpResponse(status=400)
    period, province = form.cleaned_data["period"], form.cleaned_data["province"]
    context = _figures_context(request, period, province)
    return render(request, "reports/_dashboard_figures.html", context)

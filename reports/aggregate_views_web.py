"""Browser forms of the aggregate records that feed the report: activities (prevention, child
affairs) and deportee reports (border provinces). Who enters them is decided in
`reports.policies` (docs/ui.md): the agency that ran the activity or received the deportees."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ctms.decorators import allowed_if
from ctms.forms import submit

from .aggregate_services import (
    activity_record,
    activity_update,
    deportee_report_record,
    deportee_report_update,
)
from .forms import ActivityForm, DeporteeReportForm
from .policies import (
    can_edit_activity,
    can_edit_deportee_report,
    can_record_activity,
    can_record_deportee_report,
)
from .selectors import activities_visible_to, deportee_reports_visible_to

RECENT = 25


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _page(request, form, write, *, success: str, records, template: str) -> HttpResponse:
    if submit(request, form, write, success=success):
        return redirect(request.path)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "records": records[:RECENT]}
    return render(request, template, context, status=status)


@allowed_if(can_record_activity)
def activities(request: HttpRequest) -> HttpResponse:
    """Record an activity of the user's agency; its recent activities below the form."""
    form = ActivityForm(_posted(request))
    return _page(
        request,
        form,
        lambda: activity_record(user=request.user, data=form.cleaned_data),
        success=_("The activity has been recorded."),
        records=activities_visible_to(request.user).filter(agency_id=request.user.agency_id),
        template="reports/activities.html",
    )


@allowed_if(can_record_deportee_report)
def deportee_reports(request: HttpRequest) -> HttpResponse:
    """Record a month's deportees received from one country; recent reports below."""
    form = DeporteeReportForm(_posted(request))
    return _page(
        request,
        form,
        lambda: deportee_report_record(user=request.user, data=form.cleaned_data),
        success=_("The deportee report has been recorded."),
        records=deportee_reports_visible_to(request.user).filter(agency_id=request.user.agency_id),
        template="reports/deportee_reports.html",
    )


def _edit_page(request, record, form, write, *, success: str, title: str, back: str):
    if submit(request, form, write, success=success):
        return redirect(back)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "record": record, "title": title, "back": back}
    return render(request, "reports/aggregate_edit.html", context, status=status)


@allowed_if(can_edit_activity)
def activity_edit(request: HttpRequest, pk) -> HttpResponse:
    """Correct an activity of the user's agency; its change history below the form."""
    activity = get_object_or_404(activities_visible_to(request.user), pk=pk)
    if not can_edit_activity(request.user, activity):
        raise Http404
    form = ActivityForm(_posted(request), instance=activity)
    return _edit_page(
        request,
        activity,
        form,
        lambda: activity_update(user=request.user, activity_id=activity.pk, data=form.cleaned_data),
        success=_("The activity has been saved."),
        title=_("Edit the activity"),
        back=reverse("aggregates:activities"),
    )


@allowed_if(can_edit_deportee_report)
def deportee_report_edit(request: HttpRequest, pk) -> HttpResponse:
    """Correct a deportee report of the user's agency; its change history below the form."""
    report = get_object_or_404(deportee_reports_visible_to(request.user), pk=pk)
    if not can_edit_deportee_report(request.user, report):
        raise Http404
    form = DeporteeReportForm(_posted(request), instance=report)
    return _edit_page(
        request,
        report,
        form,
        lambda: deportee_report_update(
            user=request.user, report_id=report.pk, data=form.cleaned_data
        ),
        success=_("The deportee report has been saved."),
        title=_("Edit the deportee report"),
        back=reverse("aggregates:deportee_reports"),
    )

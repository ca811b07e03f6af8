"""Browser forms of the aggregate records that feed the report: activities (prevention, child
affairs) and deportee reports (border provinces). Who enters them is decided in
`reports.policies` (docs/ui.md): the agency that ran the activity or received the deportees."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ctms.decorators import allowed_if
from ctms.forms import submit

from .aggregate_services import activity_record, deportee_report_record
from .forms import ActivityForm, DeporteeReportForm
from .policies import can_record_activity, can_record_deportee_report
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

"""Who may see aggregate records and report runs (SPEC section 1 and 4)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, QuerySet

from agencies.models import Agency
from cases.models import Case, Operation
from ctms.choices import Role
from ctms.scope import has_role, is_admin
from referrals.models import Referral
from victims.models import FollowUp, Repatriation

from .models import Activity, DeporteeReport, ReportRun


def activities_visible_to(user) -> QuerySet[Activity]:
    """Aggregates hold no personal data: the secretariat sees all, others their agency's."""
    if is_admin(user) or has_role(user, Role.SECRETARIAT):
        return Activity.objects.all()
    if getattr(user, "is_authenticated", False) and user.agency_id:
        return Activity.objects.filter(agency_id=user.agency_id)
    return Activity.objects.none()


def deportee_reports_visible_to(user) -> QuerySet[DeporteeReport]:
    if is_admin(user) or has_role(user, Role.SECRETARIAT):
        return DeporteeReport.objects.all()
    if getattr(user, "is_authenticated", False) and user.agency_id:
        return DeporteeReport.objects.filter(agency_id=user.agency_id)
    return DeporteeReport.objects.none()


def report_runs_visible_to(user) -> QuerySet[ReportRun]:
    """Only the secretariat and administrators ask for or read statistics reports."""
    if is_admin(user) or has_role(user, Role.SECRETARIAT):
        return ReportRun.objects.all()
    return ReportRun.objects.none()


def first_record_date() -> dt.date | None:
    """The earliest date of a record the report counts (an index probe per table), or None in
    an empty database: the dashboard offers the quarters from there to today."""
    firsts = [
        Case.objects.aggregate(first=Min("opened_on"))["first"],
        Operation.objects.aggregate(first=Min("date"))["first"],
        Referral.objects.aggregate(first=Min("created_on"))["first"],
        Repatriation.objects.aggregate(first=Min("received_on"))["first"],
        FollowUp.objects.aggregate(first=Min("date"))["first"],
        Activity.objects.aggregate(first=Min("date"))["first"],
    ]
    known = [day for day in firsts if day is not None]
    return min(known) if known else None


def provinces_with_records(start: dt.date, end: dt.date) -> list[str]:
    """The provinces a province's figures may count records of between `start` and `end`
    (reports.figures: operations and activities by their own province, every other record by
    its agency's): the agencies' provinces, and those of the period's operations and
    activities. Sorted gazetteer codes; the dashboard's warm-up builds these."""
    found = set(Agency.objects.exclude(province="").values_list("province", flat=True))
    for model in (Operation, Activity):
        found.update(
            model.objects.filter(date__range=(start, end))
            .exclude(province="")
            .values_list("province", flat=True)
            .distinct()
            .order_by()
        )
    return sorted(found)

"""Writes of the aggregate records (activities, deportee reports). No personal data: counts.

Who records them (decided from SPEC section 1 and 2): an activity is run by any agency of a
working group — ministries' and departments' case workers, police units, partners — and the
secretariat compiles those it is sent; a deportee report comes from the border provinces'
social affairs departments or police, or is entered by the secretariat. Courts record neither.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ctms.audit import audit
from ctms.errors import PermissionDenied

from .models import Activity, DeporteeReport
from .policies import can_record_activity, can_record_deportee_report


def activity_record(*, user, data: dict[str, Any], channel: str = "web") -> Activity:
    """Record a prevention or child-affairs activity run by the user's agency."""
    if not can_record_activity(user):
        raise PermissionDenied(_("Your role does not record activities."))
    activity = Activity(created_by=user, **{"agency_id": user.agency_id, **data})
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        audit(actor=user, action="create", obj=activity, channel=channel)
    return activity


def deportee_report_record(*, user, data: dict[str, Any], channel: str = "web") -> DeporteeReport:
    """Record a month's count of deportees received by the user's agency from one country."""
    if not can_record_deportee_report(user):
        raise PermissionDenied(_("Your role does not record deportee reports."))
    report = DeporteeReport(created_by=user, **{"agency_id": user.agency_id, **data})
    report.full_clean()
    with transaction.atomic():
        report.save()
        audit(actor=user, action="create", obj=report, channel=channel)
    return report

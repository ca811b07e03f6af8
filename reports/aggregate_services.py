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

from ctms.audit import audit, changed_fields
from ctms.errors import NotFound, PermissionDenied
from ctms.services import apply_fields, plain_values

from .models import Activity, DeporteeReport
from .policies import (
    can_edit_activity,
    can_edit_deportee_report,
    can_record_activity,
    can_record_deportee_report,
)
from .selectors import activities_visible_to, deportee_reports_visible_to


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


ACTIVITY_FIELDS = (
    "date",
    "kind",
    "working_group",
    "province",
    "participants_total",
    "participants_female",
    "participants_children",
    "description",
)
DEPORTEE_REPORT_FIELDS = (
    "month",
    "from_country",
    "total",
    "female",
    "children",
    "detained_over_month",
)


def _update(*, user, records, pk, allowed, fields, data, channel):
    """Correct one aggregate record the user may edit (else it reads as missing): the given
    fields only, validated by the model, audited with old and new values."""
    if not allowed(user):
        raise NotFound
    data = {key: value for key, value in data.items() if key in fields}
    with transaction.atomic():
        record = records.select_for_update(of=("self",)).filter(pk=pk).first()
        if record is None or not allowed(user, record):
            raise NotFound
        before = plain_values(record, data.keys())
        apply_fields(record, data)
        record.full_clean()
        record.save()
        changes = changed_fields(before, plain_values(record, data.keys()))
        audit(
            actor=user, action="update", obj=record, channel=channel, details={"changed": changes}
        )
    return record


def activity_update(*, user, activity_id, data: dict[str, Any], channel: str = "web") -> Activity:
    """Correct an activity of the user's agency (or a child agency's)."""
    return _update(
        user=user,
        records=activities_visible_to(user),
        pk=activity_id,
        allowed=can_edit_activity,
        fields=ACTIVITY_FIELDS,
        data=data,
        channel=channel,
    )


def deportee_report_update(
    *, user, report_id, data: dict[str, Any], channel: str = "web"
) -> DeporteeReport:
    """Correct a deportee report of the user's agency (or a child agency's)."""
    return _update(
        user=user,
        records=deportee_reports_visible_to(user),
        pk=report_id,
        allowed=can_edit_deportee_report,
        fields=DEPORTEE_REPORT_FIELDS,
        data=data,
        channel=channel,
    )

"""What a user may do with statistics reports and the aggregate records that feed
them (SPEC sections 1 and 4). One function per action."""

from __future__ import annotations

from ctms.choices import Role
from ctms.policies import policy
from ctms.scope import acts_as, is_admin, owns


@policy
def can_use_reports(user) -> bool:
    """Only the secretariat and administrators ask for or read statistics reports."""
    return acts_as(user, Role.SECRETARIAT)


@policy
def can_record_activity(user) -> bool:
    """Prevention and child-affairs activities, recorded by the agency that ran them."""
    return acts_as(user, Role.CASE_WORKER, Role.POLICE, Role.PARTNER, Role.SECRETARIAT)


@policy
def can_record_deportee_report(user) -> bool:
    """A month's count of deportees received, from the border provinces' agencies."""
    return acts_as(user, Role.CASE_WORKER, Role.POLICE, Role.SECRETARIAT)


@policy
def can_edit_activity(user, activity=None) -> bool:
    """Correct an activity: the roles that record them, for their own agency's (or a child
    agency's) activities."""
    if is_admin(user):
        return True
    return can_record_activity(user) and (activity is None or owns(user, activity.agency_id))


@policy
def can_edit_deportee_report(user, report=None) -> bool:
    """Correct a deportee report: the roles that record them, for their own agency's (or a
    child agency's) reports."""
    if is_admin(user):
        return True
    return can_record_deportee_report(user) and (report is None or owns(user, report.agency_id))

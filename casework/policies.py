"""Who may DO which piece of case work (SPEC section 9). Services enforce these; views,
serializers and templates ask them (templates through the `can` tag of ctms_ui)."""

from __future__ import annotations

from ctms.choices import Role
from ctms.scope import acts_as, has_role
from victims.selectors import VictimAccess, victims_visible_to

from .models import CarePlan, CarePlanTask
from .selectors import CASE_WORK_ROLES, cases_held_in_full, prosecutions_held_in_full


def can_open_case_work(user) -> bool:
    """The case-work pages at all (each record is then checked by its own policy or selector):
    case workers and partners, and administrators, who read case work."""
    return acts_as(user, *CASE_WORK_ROLES)


def can_fetch_documents(user) -> bool:
    """The route to a document's file at all (the file itself only to those with full access to
    what it is attached to: `casework.selectors.documents_servable_to`)."""
    return acts_as(user, Role.CASE_WORKER, Role.JUSTICE)


def can_write_case_work(user, victim) -> bool:
    """Notes, care plans, risk assessments and consent entries: case workers who hold the
    victim in full, and case workers or partners while they have the referral view."""
    return (
        has_role(user, *CASE_WORK_ROLES)
        and victims_visible_to(user, at_least=VictimAccess.REFERRAL).filter(pk=victim.pk).exists()
    )


def can_edit_care_plan(user, plan: CarePlan) -> bool:
    """The agency that wrote the plan, while it may still write case work for the person."""
    return user.agency_id == plan.agency_id and can_write_case_work(user, plan.victim)


def can_complete_task(user, task: CarePlanTask) -> bool:
    """The assignee, or anyone who may edit the plan."""
    plan = task.goal.plan
    return (task.assigned_to_id == user.pk and can_write_case_work(user, plan.victim)) or (
        can_edit_care_plan(user, plan)
    )


def can_attach_document(user, *, victim=None, case=None, prosecution=None) -> bool:
    """To a victim: whoever may write its case work. To a case or a prosecution: whoever has
    full access to it (see `casework.selectors`)."""
    if victim is not None:
        return can_write_case_work(user, victim)
    if case is not None:
        return cases_held_in_full(user).filter(pk=case.pk).exists()
    if prosecution is not None:
        return prosecutions_held_in_full(user).filter(pk=prosecution.pk).exists()
    return False

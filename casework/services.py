"""Writes of case work (SPEC section 9): each checks its policy, validates through the model,
runs in one transaction, is audited, and queues notifications after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctms.audit import audit
from ctms.choices import OPEN_FOR_RECEIVER, ReferralStatus
from ctms.errors import NotFound, PermissionDenied
from notifications.choices import NotificationKind
from notifications.services import notify_agency, notify_users
from referrals.models import Referral
from victims.models import Victim
from victims.selectors import victims_visible_to

from .choices import CONSENT_FIELDS, ConsentKind
from .documents import checked_document_file
from .models import (
    CarePlan,
    CarePlanGoal,
    CarePlanTask,
    CaseNote,
    Consent,
    Document,
    RiskAssessment,
)
from .policies import (
    can_attach_document,
    can_complete_task,
    can_edit_care_plan,
    can_write_case_work,
)
from .selectors import care_plans_visible_to

# Referrals whose receiver must hear that the person no longer shares their details.
REFERRAL_OPEN = frozenset({ReferralStatus.PENDING, *OPEN_FOR_RECEIVER})


def _require_case_work(user, victim: Victim) -> None:
    """404 for a victim the user does not see at all; 403 for one it sees but may not write."""
    if not victims_visible_to(user).filter(pk=victim.pk).exists():
        raise NotFound
    if not can_write_case_work(user, victim):
        raise PermissionDenied(_("Your agency does not write case work for this person."))


def _save(user, record, *, channel: str, details: dict | None = None):
    record.full_clean()
    record.save()
    audit(actor=user, action="create", obj=record, channel=channel, details=details)
    return record


def case_note_create(*, user, victim: Victim, data: dict[str, Any], channel: str = "web"):
    """A note of the user's agency about the person."""
    _require_case_work(user, victim)
    note = CaseNote(victim=victim, agency_id=user.agency_id, created_by=user, **data)
    with transaction.atomic():
        return _save(
            user,
            note,
            channel=channel,
            details={"kind": note.kind, "confidential": note.confidential},
        )


def risk_assessment_create(*, user, victim: Victim, data: dict[str, Any], channel: str = "web"):
    _require_case_work(user, victim)
    assessment = RiskAssessment(victim=victim, agency_id=user.agency_id, created_by=user, **data)
    with transaction.atomic():
        return _save(user, assessment, channel=channel, details={"level": assessment.level})


def _assignee(user, username: str | None):
    """A task is assigned to an active user of the plan's agency, or to nobody."""
    if not username:
        return None
    assignee = (
        get_user_model()
        .objects.filter(username=username, agency_id=user.agency_id, is_active=True)
        .first()
    )
    if assignee is None:
        raise ValidationError(
            {"assigned_to": [_("%(name)s is not a user of your agency.") % {"name": username}]}
        )
    return assignee


def _build_goal(user, plan: CarePlan, position: int, data: dict[str, Any]) -> tuple:
    """An unsaved goal and its unsaved tasks, each validated."""
    goal = CarePlanGoal(
        plan=plan,
        position=position,
        domain=data.get("domain", ""),
        goal=data.get("goal", ""),
        created_by=user,
    )
    goal.full_clean(exclude=["plan"])
    tasks = []
    for index, item in enumerate(data.get("tasks") or []):
        assigned = item.get("assigned_to")
        if assigned is None or isinstance(assigned, str):
            assigned = _assignee(user, assigned)
        task = CarePlanTask(
            goal=goal,
            position=index,
            task=item.get("task", ""),
            due_on=item.get("due_on"),
            done_on=item.get("done_on"),
            assigned_to=assigned,
            created_by=user,
        )
        if task.assigned_to is not None and task.assigned_to.agency_id != user.agency_id:
            raise ValidationError({"assigned_to": [_("Assign tasks to users of your agency.")]})
        task.full_clean(exclude=["goal"])
        tasks.append(task)
    return goal, tasks


def _save_goals(user, plan: CarePlan, goals: list[dict[str, Any]], first_position: int = 0):
    built = []
    for offset, data in enumerate(goals):
        try:
            built.append(_build_goal(user, plan, first_position + offset, data))
        except ValidationError as error:
            raise ValidationError(
                {
                    "goals": [
                        _("Goal %(number)s: %(problem)s")
                        % {"number": first_position + offset + 1, "problem": message}
                        for message in error.messages
                    ]
                }
            ) from error
    for goal, tasks in built:
        goal.save()
        for task in tasks:
            task.goal = goal
            task.save()


def care_plan_create(*, user, victim: Victim, data: dict[str, Any], channel: str = "web"):
    """A care plan of the user's agency with its goals and tasks (all or nothing)."""
    _require_case_work(user, victim)
    goals = list(data.get("goals") or [])
    if not goals:
        raise ValidationError({"goals": [_("A care plan has at least one goal.")]})
    plan = CarePlan(
        victim=victim,
        agency_id=user.agency_id,
        created_on=data.get("created_on") or timezone.localdate(),
        review_on=data.get("review_on"),
        created_by=user,
    )
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        _save_goals(user, plan, goals)
        audit(actor=user, action="create", obj=plan, channel=channel, details={"goals": len(goals)})
    return plan


def care_plan_goal_add(*, user, plan_id, data: dict[str, Any], channel: str = "web"):
    """Add a goal (with its tasks) to a plan of the user's agency."""
    with transaction.atomic():
        plan = (
            care_plans_visible_to(user).select_for_update(of=("self",)).filter(pk=plan_id).first()
        )
        if plan is None:
            raise NotFound
        if not can_edit_care_plan(user, plan):
            raise PermissionDenied(_("Only the agency that wrote the plan changes it."))
        _save_goals(user, plan, [data], first_position=plan.goals.count())
        audit(actor=user, action="update", obj=plan, channel=channel, details={"goal_added": True})
    return plan


def care_plan_task_complete(
    *, user, task_id, done_on: dt.date | None = None, plan_id=None, channel: str = "web"
) -> CarePlanTask:
    """Mark a task done (by its assignee or the plan's agency); `plan_id`, when given, must be
    the task's plan."""
    tasks = CarePlanTask.objects.filter(pk=task_id, goal__plan__in=care_plans_visible_to(user))
    if plan_id is not None:
        tasks = tasks.filter(goal__plan_id=plan_id)
    with transaction.atomic():
        task = tasks.select_for_update(of=("self",)).select_related("goal__plan__victim").first()
        if task is None:
            raise NotFound
        if not can_complete_task(user, task):
            raise PermissionDenied(_("Only the assignee or the plan's agency completes a task."))
        task.done_on = done_on or timezone.localdate()
        task.full_clean(exclude=["goal"])
        task.save(update_fields=["done_on", "updated_at"])
        audit(
            actor=user,
            action="update",
            obj=task.goal.plan,
            channel=channel,
            details={"task_done": str(task.pk), "done_on": task.done_on.isoformat()},
        )
    return task


def document_upload(
    *,
    user,
    upload,
    kind: str,
    title: str,
    victim: Victim | None = None,
    case=None,
    prosecution=None,
    channel: str = "web",
) -> Document:
    """Attach a file to one record the user may write to; refused files raise a
    ValidationError with the reason (see casework.documents)."""
    if victim is not None:
        _require_case_work(user, victim)
    elif not can_attach_document(user, case=case, prosecution=prosecution):
        raise NotFound
    stored, content_type = checked_document_file(upload)
    document = Document(
        victim=victim,
        case=case,
        prosecution=prosecution,
        agency_id=user.agency_id,
        kind=kind,
        title=title,
        file=stored,
        content_type=content_type,
        size=stored.size,
        created_by=user,
    )
    document.full_clean()
    with transaction.atomic():
        return _save(
            user,
            document,
            channel=channel,
            details={"kind": kind, "content_type": content_type, "size": stored.size},
        )


def consent_record(
    *,
    user,
    victim: Victim,
    kind: str,
    given: bool,
    date: dt.date,
    method: str,
    document: Document | None = None,
    channel: str = "web",
) -> Consent:
    """Record a consent decision and set the victim's `consent_<kind>` to the latest entry of
    that kind, in the same transaction. Withdrawing consent to share data while a referral is
    open tells the receiving agency, which from then on sees the summary only."""
    _require_case_work(user, victim)
    consent = Consent(
        victim=victim,
        kind=kind,
        given=given,
        date=date,
        method=method,
        document=document,
        recorded_by=user,
        agency_id=user.agency_id,
        created_by=user,
    )
    consent.full_clean()
    field = CONSENT_FIELDS[ConsentKind(kind)]
    with transaction.atomic():
        locked = Victim.objects.select_for_update().get(pk=victim.pk)
        before = getattr(locked, field)
        _save(user, consent, channel=channel, details={"kind": kind, "given": given})
        latest = (
            Consent.objects.filter(victim=locked, kind=kind)
            .order_by("-date", "-created_at")
            .values_list("given", flat=True)
            .first()
        )
        if latest != before:
            setattr(locked, field, latest)
            locked.save(update_fields=[field, "updated_at"])
            audit(
                actor=user,
                action="update",
                obj=locked,
                channel=channel,
                details={"changed": {field: {"from": before, "to": latest}}},
            )
            setattr(victim, field, latest)
        if kind == ConsentKind.DATA_SHARING and before is not False and latest is False:
            _tell_receivers_of_withdrawal(locked)
    return consent


def _tell_receivers_of_withdrawal(victim: Victim) -> None:
    for referral in Referral.objects.filter(victim=victim, status__in=REFERRAL_OPEN):
        transaction.on_commit(
            lambda referral=referral: notify_agency(
                agency_id=referral.to_agency_id,
                kind=NotificationKind.CONSENT_WITHDRAWN,
                link=reverse("referrals:detail", args=[referral.pk]),
            )
        )


def overdue_tasks_notify(*, today: dt.date | None = None) -> int:
    """Tell each assignee once about each open task past due (the daily beat task)."""
    today = today or timezone.localdate()
    count = 0
    overdue = CarePlanTask.objects.filter(
        done_on__isnull=True,
        due_on__lt=today,
        assigned_to__isnull=False,
        assigned_to__is_active=True,
        overdue_notified_on__isnull=True,
    ).select_related("assigned_to", "goal__plan")
    for task in overdue.iterator():
        with transaction.atomic():
            claimed = CarePlanTask.objects.filter(
                pk=task.pk, overdue_notified_on__isnull=True
            ).update(overdue_notified_on=today)
            if not claimed:
                continue  # another run got there first
            notify_users(
                users=[task.assigned_to],
                kind=NotificationKind.TASK_OVERDUE,
                params={"due_on": task.due_on.isoformat()},
                link=reverse("victims:detail", args=[task.goal.plan.victim_id]) + "#care-plans",
            )
            count += 1
    return count
